#include "DeferredIconStyle.h"
#include "ElidedLabel.h"

#include <QApplication>
#include <QFile>
#include <QIconEngine>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QPainter>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

/// Whether this process has any image-format plugin (SVG, GIF, ICO, JPEG...) loaded.
bool imageFormatPluginLoaded()
{
    QFile maps(u"/proc/self/maps"_s);
    if (!maps.open(QIODevice::ReadOnly))
        return false;
    return maps.readAll().contains("/imageformats/");
}

QImage drawn(const QIcon &icon)
{
    return icon.pixmap(QSize(16, 16)).toImage();
}

/// An icon drawn at whatever size it is asked for, as from an SVG file.
class ScalableIconEngine final : public QIconEngine
{
public:
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode, QIcon::State) override
    {
        painter->fillRect(rect, Qt::blue);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::blue);
        return pixmap;
    }
    QIconEngine *clone() const override { return new ScalableIconEngine; }
};

class ScalableIconStyle final : public QProxyStyle
{
public:
    ScalableIconStyle()
        : QProxyStyle(u"Fusion"_s)
    { }
    QIcon standardIcon(StandardPixmap, const QStyleOption * = nullptr,
                       const QWidget * = nullptr) const override
    {
        return QIcon(new ScalableIconEngine);
    }
};

} // namespace

/// The window's parts that its first frame depends on: what they show, and that they show it
/// without the work the first frame does not need.
class TestWindowParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void menuBarLoadsNoImagePluginUntilItsExtensionIsDrawn();
    void installKeepsTheStyleItWraps();
    void extensionIconFollowsTheLayoutDirection();
    void extensionIconHasTheStylesSizeOnAHighDensityScreen();
    void elidedLabelHintsFollowTextAndFont();

private:
    QString m_styleName;
};

void TestWindowParts::initTestCase()
{
    m_styleName = QApplication::style()->name();
}

void TestWindowParts::cleanup()
{
    QApplication::setStyle(m_styleName);
    QApplication::setLayoutDirection(Qt::LeftToRight);
}

void TestWindowParts::menuBarLoadsNoImagePluginUntilItsExtensionIsDrawn()
{
    if (!QFile::exists(u"/proc/self/maps"_s))
        QSKIP("Linux only: the loaded plugins are read from /proc/self/maps");
    QVERIFY2(!imageFormatPluginLoaded(), "an image plugin was loaded before the test began");
    DeferredIconStyle::install(u"Fusion"_s);
    QMainWindow window;
    window.menuBar()->addMenu(u"&File"_s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!imageFormatPluginLoaded());

    // Drawn, the icon is the style's own.
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
    const QIcon deferred = QApplication::style()->standardIcon(
            QStyle::SP_ToolBarHorizontalExtensionButton, nullptr, &window);
    QVERIFY(!deferred.isNull());
    QCOMPARE(drawn(deferred),
             drawn(fusion->standardIcon(QStyle::SP_ToolBarHorizontalExtensionButton)));
    QVERIFY(imageFormatPluginLoaded());
}

void TestWindowParts::installKeepsTheStyleItWraps()
{
    // As -style or QT_STYLE_OVERRIDE would have chosen it.
    QApplication::setStyle(u"Windows"_s);
    DeferredIconStyle::install();
    const auto *installed = qobject_cast<DeferredIconStyle *>(QApplication::style());
    QVERIFY(installed);
    QCOMPARE(installed->baseStyle()->name(), u"windows"_s);
    DeferredIconStyle::install(u"Fusion"_s);
    installed = qobject_cast<DeferredIconStyle *>(QApplication::style());
    QVERIFY(installed);
    QCOMPARE(installed->baseStyle()->name(), u"fusion"_s);
}

void TestWindowParts::extensionIconFollowsTheLayoutDirection()
{
    const DeferredIconStyle style(u"Fusion"_s);
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
    QStyleOption rightToLeft;
    rightToLeft.direction = Qt::RightToLeft;
    QStyleOption leftToRight;
    leftToRight.direction = Qt::LeftToRight;
    const auto icon = QStyle::SP_ToolBarHorizontalExtensionButton;
    QCOMPARE(drawn(style.standardIcon(icon, &rightToLeft)),
             drawn(fusion->standardIcon(icon, &rightToLeft)));
    QCOMPARE(drawn(style.standardIcon(icon, &leftToRight)),
             drawn(fusion->standardIcon(icon, &leftToRight)));
    // The arrows differ, or the comparisons above prove nothing.
    QVERIFY(drawn(fusion->standardIcon(icon, &rightToLeft))
            != drawn(fusion->standardIcon(icon, &leftToRight)));
    // As QMenuBar asks: no option, its own widget, in a right-to-left application.
    QApplication::setLayoutDirection(Qt::RightToLeft);
    const QWidget menuBarLike;
    QCOMPARE(drawn(style.standardIcon(icon, nullptr, &menuBarLike)),
             drawn(fusion->standardIcon(icon)));
    QCOMPARE(drawn(fusion->standardIcon(icon)), drawn(fusion->standardIcon(icon, &rightToLeft)));
}

void TestWindowParts::extensionIconHasTheStylesSizeOnAHighDensityScreen()
{
    // Fusion's icon comes from fixed-size files, which hide a ratio applied twice: a style
    // whose icon is drawn at any size shows it.
    DeferredIconStyle style(u"Fusion"_s);
    style.setBaseStyle(new ScalableIconStyle);
    const ScalableIconStyle reference;
    const auto icon = QStyle::SP_ToolBarHorizontalExtensionButton;
    for (const qreal ratio : {1.0, 2.0}) {
        const QPixmap deferred = style.standardIcon(icon).pixmap(QSize(16, 16), ratio);
        const QPixmap own = reference.standardIcon(icon).pixmap(QSize(16, 16), ratio);
        QCOMPARE(deferred.size(), QSize(16, 16) * ratio);
        QCOMPARE(deferred.size(), own.size());
        QCOMPARE(deferred.devicePixelRatio(), own.devicePixelRatio());
    }
    QCOMPARE(style.standardIcon(icon).actualSize(QSize(24, 24)),
             reference.standardIcon(icon).actualSize(QSize(24, 24)));
}

void TestWindowParts::elidedLabelHintsFollowTextAndFont()
{
    // A plain selectable label is what ElidedLabel must match in height.
    const auto referenceHeight = [](const QString &text, const QFont &font) {
        QLabel reference;
        reference.setFont(font);
        reference.setTextFormat(Qt::PlainText);
        reference.setTextInteractionFlags(Qt::TextSelectableByMouse);
        reference.setText(text);
        return reference.sizeHint().height();
    };
    ElidedLabel label;
    label.setFullText(u"short"_s);
    const QSize shortHint = label.sizeHint();
    QCOMPARE(shortHint.height(), referenceHeight(u"short"_s, label.font()));

    const QString longText = u"postgresql://app@db.example.internal:5432/orderflow"_s.repeated(3);
    label.setFullText(longText);
    const QSize longHint = label.sizeHint();
    QVERIFY(longHint.width() > shortHint.width());
    QCOMPARE(longHint.height(), shortHint.height());

    // Narrowed, it shows less, and still asks for the whole text.
    label.resize(80, longHint.height());
    label.show();
    QVERIFY(QTest::qWaitForWindowExposed(&label));
    QVERIFY(label.text().endsWith(u"…"_s));
    QCOMPARE(label.sizeHint(), longHint);
    QCOMPARE(label.minimumSizeHint().height(), longHint.height());

    // Margins and a style sheet's padding are added to the height.
    label.setContentsMargins(0, 5, 0, 5);
    QCOMPARE(label.sizeHint().height(), longHint.height() + 10);
    label.setContentsMargins(0, 0, 0, 0);
    label.setStyleSheet(u"QLabel { padding: 4px; }"_s);
    QCOMPARE(label.sizeHint().height(), longHint.height() + 8);
    label.setStyleSheet(QString());
    QCOMPARE(label.sizeHint(), longHint);

    // A larger font asks for more in both directions.
    QFont larger = label.font();
    larger.setPointSizeF(larger.pointSizeF() * 2);
    label.setFont(larger);
    QVERIFY(label.sizeHint().width() > longHint.width());
    QVERIFY(label.sizeHint().height() > longHint.height());
    QCOMPARE(label.sizeHint().height(), referenceHeight(label.text(), larger));
}

QTEST_MAIN(TestWindowParts)
#include "tst_windowparts.moc"
