#pragma once

#include "profiles/Environment.h"

#include <QColor>
#include <QList>
#include <QString>

struct Profile;

/// Every colour the window uses, in one place: the environments' colours, the traffic-light
/// colours for passed and failed checks, the chart's series, and the style sheets of warning
/// banners and error text. The core knows environments, not colours.
namespace Palette {

QColor environmentColor(Environment environment);
/// A profile's own colour when it has a valid one, else its environment's; production is
/// always red, whatever the profile says.
QColor profileColor(const Profile &profile);

/// Passed, connected.
QColor okColor();
/// Failed, failing.
QColor failColor();
/// Not tested, unknown.
QColor neutralColor();
/// Text that matters less (a skipped step), still readable.
QColor mutedTextColor();
/// Worth knowing, not a problem.
QColor infoColor();
/// A warning: not failed, but needs a look.
QColor cautionColor();

/// The chart's colours for its series, the pool's limit and the server's limit.
QColor seriesColor(int index);
QColor poolLimitColor();
QColor serverLimitColor();

/// A yellow banner with a message that needs attention.
QString warningBannerStyle();
/// The same banner's place when its message is only information.
QString plainBannerStyle();
/// The yellow banner as a frame with buttons in it; objectName is the frame's.
QString warningFrameStyle(const QString &objectName);
/// Red text: a problem next to the field it is about.
QString errorTextStyle();
/// Red bold text: a limit exceeded, a destructive statement.
QString strongErrorTextStyle();
/// Orange text: warnings that are not errors.
QString cautionTextStyle();

} // namespace Palette
