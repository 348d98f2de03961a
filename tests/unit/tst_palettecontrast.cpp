#include "Palette.h"
#include "profiles/Profile.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

// WCAG 2.x relative luminance and contrast ratio, written here from the definition rather
// than taken from the code under test.
double relativeLuminance(const QColor &color)
{
    const auto linear = [](double channel) {
        return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
    return fusion->standardPalette();
}

} // namespace

/// Every colour the palette hands out, against the background it is drawn on, in the light
/// (Fusion) and the dark palette: WCAG AA, 4.5:1 for text, 3:1 for frames and chart fills.
class TestPaletteContrast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contrastRatioMatchesTheWcagExamples();
    void everyPairMeetsWcagAa_data();
    void everyPairMeetsWcagAa();
    void theDarkPalettesOwnTextIsReadable_data();
    void theDarkPalettesOwnTextIsReadable();
    void schemeFollowsThePalette();
    void stagingIsFramedLikeProductionAndOthersAreNot();
};

void TestPaletteContrast::contrastRatioMatchesTheWcagExamples()
{
    QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white) * 100), 2100);
    QCOMPARE(qRound(contrastRatio(Qt::white, Qt::white) * 100), 100);
    // The staging badge as it was: white on amber, well under AA.
    QCOMPARE(qRound(contrastRatio(Qt::white, QColor(0xe0, 0x9b, 0x16)) * 100), 237);
}

void TestPaletteContrast::everyPairMeetsWcagAa_data()
{
    QTest::addColumn<QColor>("foreground");
    QTest::addColumn<QColor>("background");
    QTest::addColumn<double>("required");
    const QList<std::pair<QString, QPalette>> palettes{{u"light"_s, lightPalette()},
                                                       {u"dark"_s, Palette::darkPalette()}};
    for (const auto &[scheme, palette] : palettes) {
        const QList<Palette::Usage> usages = Palette::usages(palette);
        QVERIFY(usages.size() > 40);
        for (const Palette::Usage &usage : usages) {
            QTest::addRow("%s: %s", qPrintable(scheme), qPrintable(usage.what))
                    << usage.foreground << usage.background << (usage.text ? 4.5 : 3.0);
        }
    }
}

void TestPaletteContrast::everyPairMeetsWcagAa()
{
    QFETCH(QColor, foreground);
    QFETCH(QColor, background);
    QFETCH(double, required);
    const double ratio = contrastRatio(foreground, background);
    if (ratio < required)
        QFAIL(qPrintable(u"%1 on %2: %3:1, needs %4:1"_s.arg(foreground.name(), background.name())
                                 .arg(ratio, 0, 'f', 2)
                                 .arg(required)));
}

void TestPaletteContrast::theDarkPalettesOwnTextIsReadable_data()
{
    QTest::addColumn<QPalette::ColorRole>("foreground");
    QTest::addColumn<QPalette::ColorRole>("background");
    QTest::newRow("window text") << QPalette::WindowText << QPalette::Window;
    QTest::newRow("text in a field") << QPalette::Text << QPalette::Base;
    QTest::newRow("text in a field, alternate row") << QPalette::Text << QPalette::AlternateBase;
    QTest::newRow("placeholder") << QPalette::PlaceholderText << QPalette::Base;
    QTest::newRow("button") << QPalette::ButtonText << QPalette::Button;
    QTest::newRow("selection") << QPalette::HighlightedText << QPalette::Highlight;
    QTest::newRow("tooltip") << QPalette::ToolTipText << QPalette::ToolTipBase;
    QTest::newRow("link") << QPalette::Link << QPalette::Base;
}

void TestPaletteContrast::theDarkPalettesOwnTextIsReadable()
{
    QFETCH(QPalette::ColorRole, foreground);
    QFETCH(QPalette::ColorRole, background);
    const QPalette palette = Palette::darkPalette();
    QVERIFY2(contrastRatio(palette.color(foreground), palette.color(background)) >= 4.5,
             qPrintable(u"%1 on %2"_s.arg(palette.color(foreground).name(),
                                          palette.color(background).name())));
}

void TestPaletteContrast::schemeFollowsThePalette()
{
    QCOMPARE(Palette::schemeOf(lightPalette()), Palette::Scheme::Light);
    QCOMPARE(Palette::schemeOf(Palette::darkPalette()), Palette::Scheme::Dark);
    // The application's colours follow its palette.
    QApplication::setPalette(Palette::darkPalette());
    QCOMPARE(Palette::currentScheme(), Palette::Scheme::Dark);
    const QColor darkOk = Palette::okColor();
    QApplication::setPalette(lightPalette());
    QCOMPARE(Palette::currentScheme(), Palette::Scheme::Light);
    QVERIFY(Palette::okColor() != darkOk);
}

void TestPaletteContrast::stagingIsFramedLikeProductionAndOthersAreNot()
{
    Profile profile;
    for (Environment environment : Environments::all()) {
        profile.environment = environment;
        const QString style = Palette::profileFrameStyle(profile, u"profileFrame"_s);
        const bool framed
                = environment == Environment::Production || environment == Environment::Staging;
        QCOMPARE(style.contains(u"QFrame#profileFrame { border: 3px solid"_s), framed);
    }
}

QTEST_MAIN(TestPaletteContrast)
#include "tst_palettecontrast.moc"
