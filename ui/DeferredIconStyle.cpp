#include "DeferredIconStyle.h"

#include <QApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPointer>
#include <QStyleOption>
#include <QWidget>

#include <functional>
#include <utility>

namespace {

/// An icon made by load the first time it is drawn, measured or asked whether it is null.
class IconOnFirstUse final : public QIconEngine
{
public:
    explicit IconOnFirstUse(std::function<QIcon()> load)
        : m_load(std::move(load))
    { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        icon().paint(painter, rect, Qt::AlignCenter, mode, state);
    }
    // An engine's sizes are in device pixels, and QIcon's functions multiply by the screen's
    // ratio: a ratio of 1 asks the icon for exactly the size given.
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().pixmap(size, 1.0, mode, state).size();
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().pixmap(size, 1.0, mode, state);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override
    {
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        return icon().pixmap(size, scale, mode, state);
#else
        // Before Qt 6.8, QIcon passes the size already multiplied by the scale.
        return icon().pixmap(size / scale, scale, mode, state);
#endif
    }
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return icon().availableSizes(mode, state);
    }
    bool isNull() override
    {
        return icon().isNull();
    }
    QString key() const override
    {
        return QStringLiteral("IconOnFirstUse");
    }
    QIconEngine *clone() const override
    {
        return new IconOnFirstUse(*this);
    }

private:
    IconOnFirstUse(const IconOnFirstUse &) = default;

    const QIcon &icon()
    {
        if (m_load)
            m_icon = std::exchange(m_load, nullptr)();
        return m_icon;
    }

    std::function<QIcon()> m_load;
    QIcon m_icon;
};

} // namespace

DeferredIconStyle::DeferredIconStyle(const QString &key)
    : QProxyStyle(key)
{ }

void DeferredIconStyle::install(const QString &key)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_APPLE)
    QApplication::setStyle(
            new DeferredIconStyle(key.isEmpty() ? QApplication::style()->name() : key));
#else
    if (!key.isEmpty())
        QApplication::setStyle(key);
#endif
}

QIcon DeferredIconStyle::standardIcon(StandardPixmap standardIcon, const QStyleOption *option,
                                      const QWidget *widget) const
{
    if (standardIcon != SP_ToolBarHorizontalExtensionButton
        && standardIcon != SP_ToolBarVerticalExtensionButton)
        return QProxyStyle::standardIcon(standardIcon, option, widget);
    // The option and the widget may be gone by the first paint; the direction is what the
    // icon depends on (the arrow points the other way right to left).
    QStyleOption direction;
    direction.direction = option
            ? option->direction
            : (widget ? widget->layoutDirection() : QApplication::layoutDirection());
    const QPointer<QStyle> base = baseStyle();
    return QIcon(new IconOnFirstUse([base, standardIcon, direction]() {
        return base ? base->standardIcon(standardIcon, &direction) : QIcon();
    }));
}
