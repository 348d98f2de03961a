#include "ElidedLabel.h"

#include "PlainText.h"

#include <QEvent>
#include <QFontMetrics>
#include <QResizeEvent>
#include <QtMath>

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
}

void ElidedLabel::setFullText(const QString &text, const QString &details)
{
    m_fullText = text;
    m_details = details;
    m_textWidth.reset();
    setAccessibleName(text);
    setAccessibleDescription(details);
    updateGeometry();
    elide();
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return {metrics.horizontalAdvance(QStringLiteral("M…")), QLabel::minimumSizeHint().height()};
}

QSize ElidedLabel::sizeHint() const
{
    // QLabel's height first: measuring it polishes the label, which may change its font.
    const int height = QLabel::sizeHint().height();
    if (!m_textWidth) {
        // Rounded up: text a fraction of a pixel wider than an integer width would be elided.
        const qreal advance = QFontMetricsF(font()).horizontalAdvance(m_fullText);
        m_textWidth = qCeil(advance) + 1;
    }
    const QMargins margins = contentsMargins();
    return {*m_textWidth + margins.left() + margins.right(), height};
}

bool ElidedLabel::event(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_textWidth.reset();
    return QLabel::event(event);
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const QString shown
            = fontMetrics().elidedText(m_fullText, Qt::ElideRight, contentsRect().width());
    QLabel::setText(shown);
    // The whole text where it does not fit; no tooltip repeating what is in plain sight.
    // Details are escaped: a tooltip that looks like HTML is shown as HTML.
    setToolTip(!m_details.isEmpty()          ? PlainText::html(m_details)
                       : shown == m_fullText ? QString()
                                             : m_fullText);
}
