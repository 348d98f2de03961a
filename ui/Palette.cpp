#include "Palette.h"
#include "profiles/Profile.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGuiApplication>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QWidget>

#include <cmath>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace Palette {

namespace {

// The environments' own colours: badge backgrounds (with the text colour that reads best on
// each), the profile list's dots. The same in both schemes, so an environment looks the same.
const QColor green(0x1e, 0x7b, 0x3a);
const QColor amber(0xe0, 0x9b, 0x16);
const QColor red(0xd0, 0x2f, 0x2f);
const QColor blue(0x2f, 0x6f, 0xd0);
const QColor grey(0x6b, 0x6b, 0x6b);

// Text colours are chosen for 4.5:1 against both the window and the lists' base in their
// scheme (light: Fusion's #efefef and #ffffff; dark: darkPalette()); frames and chart fills
// for 3:1. usages() lists each pair, and tst_palettecontrast holds them to it.
struct Colors
{
    QColor ok, fail, caution, info, muted;
    QColor developmentText, stagingText, productionText, testText;
    QColor productionFrame, stagingFrame;
    QColor bannerText, bannerBackground, bannerBorder;
    QList<QColor> series;
};

const Colors &colors(Scheme scheme)
{
    static const Colors light{QColor(0x1e, 0x7b, 0x3a),
                              QColor(0xb7, 0x1c, 0x1c),
                              QColor(0x8f, 0x4c, 0x00),
                              QColor(0x1d, 0x5b, 0xb8),
                              QColor(0x5f, 0x5f, 0x5f),
                              QColor(0x1e, 0x7b, 0x3a),
                              QColor(0x8a, 0x5a, 0x00),
                              QColor(0xb7, 0x1c, 0x1c),
                              QColor(0x1d, 0x5b, 0xb8),
                              red,
                              QColor(0xb0, 0x70, 0x00),
                              QColor(0x66, 0x4d, 0x03),
                              QColor(0xff, 0xf3, 0xcd),
                              QColor(0xff, 0xe6, 0x9c),
                              // Okabe and Ito's colour-blind-safe hues, the lighter ones
                              // darkened to 3:1 on white.
                              {QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00),
                               QColor(0x00, 0x9e, 0x73), QColor(0xb8, 0x55, 0x8c),
                               QColor(0xa8, 0x6f, 0x00), QColor(0x50, 0x50, 0x50),
                               QColor(0x85, 0x7a, 0x00)}};
    static const Colors dark{QColor(0x6f, 0xcf, 0x87),
                             QColor(0xff, 0x8a, 0x80),
                             QColor(0xf0, 0xa8, 0x45),
                             QColor(0x8a, 0xb4, 0xff),
                             QColor(0xa8, 0xa8, 0xa8),
                             QColor(0x6f, 0xcf, 0x87),
                             QColor(0xf0, 0xb8, 0x4a),
                             QColor(0xff, 0x8a, 0x80),
                             QColor(0x8a, 0xb4, 0xff),
                             QColor(0xff, 0x7b, 0x72),
                             amber,
                             QColor(0xff, 0xe6, 0x9c),
                             QColor(0x3d, 0x30, 0x00),
                             QColor(0x8a, 0x6d, 0x10),
                             // Okabe and Ito's hues as they are: all 3:1 on the dark base.
                             {QColor(0x56, 0xb4, 0xe9), QColor(0xe6, 0x9f, 0x00),
                              QColor(0x00, 0x9e, 0x73), QColor(0xf0, 0xe4, 0x42),
                              QColor(0xcc, 0x79, 0xa7), QColor(0xd5, 0x5e, 0x00),
                              QColor(0xbb, 0xbb, 0xbb)}};
    return scheme == Scheme::Dark ? dark : light;
}

const Colors &current()
{
    return colors(currentScheme());
}

double luminance(const QColor &color)
{
    const auto channel = [](float value) {
        return value <= 0.04045f ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF());
}

QColor environmentText(const Colors &c, Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return c.developmentText;
    case Environment::Staging:
        return c.stagingText;
    case Environment::Production:
        return c.productionText;
    case Environment::Test:
        return c.testText;
    case Environment::Other:
        break;
    }
    return c.muted;
}

// Staging is framed like production, in amber: both are places where care is due.
std::optional<QColor> frameColor(const Colors &c, Environment environment)
{
    if (environment == Environment::Production)
        return c.productionFrame;
    if (environment == Environment::Staging)
        return c.stagingFrame;
    return std::nullopt;
}

// Black or white, whichever stands out more: on any colour one of them reaches 4.58:1.
QColor textOn(const QColor &background)
{
    const double l = luminance(background);
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? QColor(Qt::white) : QColor(Qt::black);
}

} // namespace

Scheme schemeOf(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
                    < palette.color(QPalette::WindowText).lightness()
            ? Scheme::Dark
            : Scheme::Light;
}

Scheme currentScheme()
{
    return schemeOf(QGuiApplication::palette());
}

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x90, 0x90, 0x90);
    QPalette palette(text, QColor(0x35, 0x35, 0x35), QColor(0x4a, 0x4a, 0x4a),
                     QColor(0x1a, 0x1a, 0x1a), QColor(0x40, 0x40, 0x40), text, Qt::white, base,
                     window);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3c, 0x3c));
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    palette.setColor(QPalette::Highlight, blue);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xff));
    palette.setColor(QPalette::LinkVisited, QColor(0xc3, 0x9b, 0xe0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabledText);
    return palette;
}

QList<Usage> usages(const QPalette &palette)
{
    const Colors &c = colors(schemeOf(palette));
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    QList<Usage> list;
    // Labels sit on the window; the security audit's items and the chart's labels on a base.
    const QList<std::pair<QString, QColor>> states{{u"ok"_s, c.ok},
                                                   {u"fail"_s, c.fail},
                                                   {u"caution"_s, c.caution},
                                                   {u"info"_s, c.info},
                                                   {u"muted"_s, c.muted}};
    for (const auto &[name, color] : states) {
        list << Usage{name + u" text on the window"_s, color, window};
        list << Usage{name + u" text on a list"_s, color, base};
    }
    for (Environment environment : Environments::all()) {
        const QString name = Environments::id(environment);
        Profile profile;
        profile.environment = environment;
        const Pair pair = badge(profile);
        list << Usage{name + u" badge"_s, pair.foreground, pair.background};
        list << Usage{name + u" in the profile list"_s, environmentText(c, environment), base};
        if (const auto frame = frameColor(c, environment))
            list << Usage{name + u" frame"_s, *frame, window, false};
    }
    // A profile's own colour: any the colour dialog offers gets black or white text.
    for (int hue = 0; hue < 360; hue += 15) {
        for (int value : {60, 140, 200, 255}) {
            Profile profile;
            profile.environment = Environment::Development;
            profile.color = QColor::fromHsv(hue, 200, value).name();
            const Pair pair = badge(profile);
            list << Usage{u"badge on %1"_s.arg(profile.color), pair.foreground, pair.background};
        }
    }
    list << Usage{u"warning banner"_s, c.bannerText, c.bannerBackground};
    for (int i = 0; i < c.series.size(); ++i)
        list << Usage{u"chart series %1"_s.arg(i), c.series.at(i), base, false};
    // The capacity lines carry their labels in their own colour.
    list << Usage{u"pool capacity line and label"_s, c.caution, base};
    list << Usage{u"server capacity line and label"_s, c.fail, base};
    return list;
}

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

QIcon swatchIcon(const QColor &color, bool marked)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(2, 2, 12, 12));
    if (marked) {
        // Black or white, whichever stands out on the colour, as an editor's tab marks an
        // unsaved file.
        painter.setBrush(color.lightnessF() > 0.6 ? Qt::black : Qt::white);
        painter.drawEllipse(QRectF(5, 5, 6, 6));
    }
    return QIcon(pixmap);
}

QColor environmentTextColor(Environment environment)
{
    return environmentText(current(), environment);
}

Pair badge(const Profile &profile)
{
    const QColor background = profileColor(profile);
    return {textOn(background), background};
}

QString profileFrameStyle(const Profile &profile, const QString &objectName)
{
    const auto color = frameColor(current(), profile.environment);
    if (!color)
        return QString();
    return u"QFrame#%1 { border: 3px solid %2; }"_s.arg(objectName, color->name());
}

QColor okColor()
{
    return current().ok;
}

QColor failColor()
{
    return current().fail;
}

QColor neutralColor()
{
    return current().muted;
}

QColor mutedTextColor()
{
    return current().muted;
}

QColor infoColor()
{
    return current().info;
}

QColor cautionColor()
{
    return current().caution;
}

QColor seriesColor(int index)
{
    const QList<QColor> &series = current().series;
    const QColor color = series.at(index % series.size());
    // Past the palette, the same hues a step towards the text colour, so that no two of the
    // first series share a colour.
    if (index < series.size())
        return color;
    return currentScheme() == Scheme::Dark ? color.lighter(140) : color.darker(140);
}

QColor poolLimitColor()
{
    return current().caution;
}

QColor serverLimitColor()
{
    return current().fail;
}

QString warningBannerStyle()
{
    const Colors &c = current();
    return u"QLabel { background: %1; color: %2; border: 1px solid %3; padding: 6px; }"_s.arg(
            c.bannerBackground.name(), c.bannerText.name(), c.bannerBorder.name());
}

QString plainBannerStyle()
{
    return u"QLabel { padding: 6px; }"_s;
}

QString warningFrameStyle(const QString &objectName)
{
    const Colors &c = current();
    // The frame's labels take the banner's text colour, so they read on its background.
    return u"QFrame#%1 { background: %2; border: 1px solid %3; } QFrame#%1 QLabel { color: %4; }"_s
            .arg(objectName, c.bannerBackground.name(), c.bannerBorder.name(), c.bannerText.name());
}

QString errorTextStyle()
{
    return u"QLabel { color: %1; }"_s.arg(current().fail.name());
}

QString strongErrorTextStyle()
{
    return u"QLabel { color: %1; font-weight: bold; }"_s.arg(current().fail.name());
}

QString cautionTextStyle()
{
    return u"QLabel { color: %1; }"_s.arg(current().caution.name());
}

namespace {

// One filter on the application for all that follow its palette: a filter there sees every
// event of every object, so one compares event types instead of one per follower. Qt sends
// ApplicationPaletteChange to the application once the new palette is in place.
class SchemeFollowers final : public QObject
{
    Q_DISABLE_COPY_MOVE(SchemeFollowers)

public:
    static SchemeFollowers *instance()
    {
        // Owned by the application, made again for another one (each test program has one).
        static QPointer<SchemeFollowers> followers;
        if (!followers && QCoreApplication::instance())
            followers = new SchemeFollowers(QCoreApplication::instance());
        return followers;
    }

    void add(QObject *owner, std::function<void()> apply)
    {
        m_followers.append({owner, owner, std::move(apply)});
        connect(owner, &QObject::destroyed, this, [this](QObject *gone) {
            m_followers.removeIf([gone](const Follower &follower) { return follower.key == gone; });
        });
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == QCoreApplication::instance()
            && event->type() == QEvent::ApplicationPaletteChange) {
            // A copy: a follower may make or destroy others as it applies.
            const QList<Follower> followers = m_followers;
            for (const Follower &follower : followers) {
                if (follower.owner)
                    follower.apply();
            }
        }
        return false;
    }

private:
    explicit SchemeFollowers(QObject *application)
        : QObject(application)
    {
        application->installEventFilter(this);
    }

    struct Follower
    {
        // The key finds it when its owner is destroyed (a QPointer is already null then).
        const QObject *key;
        QPointer<QObject> owner;
        std::function<void()> apply;
    };
    QList<Follower> m_followers;
};

} // namespace

void whenSchemeChanges(QObject *owner, std::function<void()> apply)
{
    if (SchemeFollowers *followers = SchemeFollowers::instance())
        followers->add(owner, std::move(apply));
}

void keepStyleSheet(QWidget *widget, QString (*styleSheet)())
{
    widget->setStyleSheet(styleSheet());
    whenSchemeChanges(widget, [widget, styleSheet]() { widget->setStyleSheet(styleSheet()); });
}

void setTextTone(QWidget *widget, Tone tone)
{
    if (!tone) {
        // Inherited, not copied: a copy would keep the old palette's text colour, because the
        // application's palette changes before the widget's own.
        widget->setPalette(QPalette());
        return;
    }
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, tone());
    widget->setPalette(palette);
}

} // namespace Palette
