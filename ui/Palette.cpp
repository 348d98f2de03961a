#include "Palette.h"
#include "profiles/Profile.h"

using namespace Qt::Literals::StringLiterals;

namespace Palette {

namespace {

const QColor green(0x2e, 0x9d, 0x4f);
const QColor amber(0xe0, 0x9b, 0x16);
const QColor red(0xd0, 0x2f, 0x2f);
const QColor blue(0x2f, 0x6f, 0xd0);
const QColor grey(0x8a, 0x8a, 0x8a);
// Text colours: at least 4.5:1 against the window's light background (WCAG AA).
const QColor textGreen(0x1e, 0x7b, 0x3a);
const QColor textGrey(0x5f, 0x5f, 0x5f);
const QColor orange(0xb3, 0x5c, 0x00);

} // namespace

QColor environmentColor(Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return green;
    case Environment::Staging:
        return amber;
    case Environment::Production:
        return red;
    case Environment::Test:
        return blue;
    case Environment::Other:
        break;
    }
    return grey;
}

QColor profileColor(const Profile &profile)
{
    // Production keeps its red whatever the user picks: the colour is a safety cue there.
    const QColor custom(profile.color);
    if (profile.environment == Environment::Production || profile.color.isEmpty()
        || !custom.isValid())
        return environmentColor(profile.environment);
    return custom;
}

QColor okColor()
{
    return textGreen;
}

QColor failColor()
{
    return red;
}

QColor neutralColor()
{
    return grey;
}

QColor mutedTextColor()
{
    return textGrey;
}

QColor infoColor()
{
    return blue;
}

QColor cautionColor()
{
    return orange;
}

QColor seriesColor(int index)
{
    static const QList<QColor> colors{blue,
                                      green,
                                      amber,
                                      QColor(0x8e, 0x44, 0xad),
                                      QColor(0x16, 0xa0, 0x85),
                                      QColor(0xc0, 0x39, 0x2b),
                                      QColor(0x7f, 0x8c, 0x8d)};
    return colors.at(index % colors.size());
}

QColor poolLimitColor()
{
    return QColor(0xd0, 0x7a, 0x00);
}

QColor serverLimitColor()
{
    return red;
}

QString warningBannerStyle()
{
    return u"QLabel { background: #fff3cd; color: #664d03; border: 1px solid #ffe69c; "
           "padding: 6px; }"_s;
}

QString plainBannerStyle()
{
    return u"QLabel { padding: 6px; }"_s;
}

QString warningFrameStyle(const QString &objectName)
{
    return u"QFrame#%1 { background: #fff3cd; border: 1px solid #ffe69c; }"_s.arg(objectName);
}

QString errorTextStyle()
{
    return u"QLabel { color: %1; }"_s.arg(red.name());
}

QString strongErrorTextStyle()
{
    return u"QLabel { color: %1; font-weight: bold; }"_s.arg(red.name());
}

QString cautionTextStyle()
{
    return u"QLabel { color: %1; }"_s.arg(orange.name());
}

} // namespace Palette
