#pragma once

#include "profiles/Environment.h"

#include <QColor>
#include <QIcon>
#include <QList>
#include <QPalette>
#include <QString>

#include <functional>

class QObject;
class QWidget;
struct Profile;

/// Every colour the window uses, in one place: the environments' colours, the traffic-light
/// colours for passed and failed checks, the chart's series, and the style sheets of badges,
/// frames, warning banners and error text. The core knows environments, not colours.
///
/// Each colour comes in a light and a dark variant, chosen by the application's palette, and
/// every pair of a colour and the background it is drawn on is listed by usages(), so that a
/// test can hold each to WCAG AA (4.5:1 for text, 3:1 for frames and chart fills).
namespace Palette {

enum class Scheme { Light, Dark };

/// Dark when the palette's window is darker than its text.
Scheme schemeOf(const QPalette &palette);
/// The scheme of the application's palette.
Scheme currentScheme();
/// The dark palette for the Fusion style (`--color-scheme dark`).
QPalette darkPalette();

/// Text and the background it sits on.
struct Pair
{
    QColor foreground;
    QColor background;
};

/// A colour the window draws, with the background it is drawn on, for the contrast test.
struct Usage
{
    QString what;
    QColor foreground;
    QColor background;
    /// Text needs 4.5:1; a frame or a chart's fill, 3:1 (WCAG 1.4.3 and 1.4.11).
    bool text = true;
};
/// Every colour this palette hands out for a window with that palette, and its background.
QList<Usage> usages(const QPalette &palette);

/// The environment's own colour: the profile list's dots and the chosen-colour swatch.
QColor environmentColor(Environment environment);
/// A profile's own colour when it has a valid one, else its environment's; production is
/// always red, whatever the profile says.
QColor profileColor(const Profile &profile);
/// A round swatch of a colour, 16 px, for the sidebar and the colour button; marked, it has a
/// dot in the middle (the sidebar's sign of unsaved edits).
QIcon swatchIcon(const QColor &color, bool marked = false);
/// The environment's name in the profile list, readable on the list's background.
QColor environmentTextColor(Environment environment);
/// The environment badge above the pages: text on the profile's colour.
Pair badge(const Profile &profile);
/// The frame around production and staging profiles' pages; empty for the others.
QString profileFrameStyle(const Profile &profile, const QString &objectName);

/// Passed, connected.
QColor okColor();
/// Failed, failing.
QColor failColor();
/// Not tested, unknown.
QColor neutralColor();
/// Text that matters less (a skipped step), still readable.
QColor mutedTextColor();
/// Worth knowing, not a problem; also a step under way.
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

/// Runs apply each time the application's palette changes while owner lives: the system
/// switching to dark mode with the window open (Qt follows it on macOS). A colour picked for
/// one scheme can be unreadable on the other, so whatever picked one picks again.
void whenSchemeChanges(QObject *owner, std::function<void()> apply);
/// Sets one of the style sheets above on widget, now and whenever the palette changes.
void keepStyleSheet(QWidget *widget, QString (*styleSheet)());
/// One of the colours above, as a function so that it can be picked again for another palette.
using Tone = QColor (*)();
/// Draws widget's text in tone's colour for the palette of the moment. With no tone, the widget
/// inherits its whole palette again: for text whose only own colour was a tone.
void setTextTone(QWidget *widget, Tone tone);

} // namespace Palette
