#pragma once

#include <QProxyStyle>

/// The application's style, with the tool bar extension icons read from their files the first
/// time they are drawn instead of when asked for. QMenuBar asks for one as it is made, and Qt
/// reads an icon file by first loading every image-format plugin (SVG, GIF, ICO, JPEG) to ask
/// whether it reads PNG: several milliseconds before the window's first frame, for a button
/// that shows only when the menus do not fit.
class DeferredIconStyle final : public QProxyStyle
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeferredIconStyle)

public:
    /// Over the style named key (QStyleFactory's names).
    explicit DeferredIconStyle(const QString &key);

    /// Makes the application's style the one named key, or with no key the one it has now (the
    /// platform's choice, -style or QT_STYLE_OVERRIDE), with its icons deferred where that was
    /// measured: Linux and the other Unixes. Elsewhere the native style stays itself, as Qt's
    /// widgets ask what it is (the macOS and Windows styles).
    static void install(const QString &key = QString());

    QIcon standardIcon(StandardPixmap standardIcon, const QStyleOption *option = nullptr,
                       const QWidget *widget = nullptr) const override;
};
