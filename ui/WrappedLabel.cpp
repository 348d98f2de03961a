#include "WrappedLabel.h"

#include <QResizeEvent>

WrappedLabel::WrappedLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

QSize WrappedLabel::sizeHint() const
{
    return atCurrentWidth(QLabel::sizeHint());
}

QSize WrappedLabel::minimumSizeHint() const
{
    return atCurrentWidth(QLabel::minimumSizeHint());
}

bool WrappedLabel::hasHeightForWidth() const
{
    return false;
}

QSize WrappedLabel::atCurrentWidth(QSize hint) const
{
    // Before its first layout the label's width is a default, not its place's.
    if (testAttribute(Qt::WA_Resized))
        hint.setHeight(heightForWidth(width()));
    return hint;
}

void WrappedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    // A new width wraps the text anew: the row's height follows.
    if (event->size().width() != event->oldSize().width())
        updateGeometry();
}
