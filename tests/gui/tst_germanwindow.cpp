#include "MainWindow.h"
#include "TestEnvironment.h"
#include "Translations.h"
#include "profiles/ProfileRepository.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The window under a German locale: the translation built into the program reaches its labels
/// and buttons, and Qt's own translation its standard buttons.
class TestGermanWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theFirstWindowSpeaksGerman();
    void qtsOwnButtonsSpeakGermanToo();
};

void TestGermanWindow::initTestCase()
{
    // As the program does, before any widget exists, from the locale of the environment:
    // ctest runs this test with LANG=de_DE.UTF-8.
    QCOMPARE(qEnvironmentVariable("LANG"), u"de_DE.UTF-8"_s);
    QCOMPARE(Translations::install(), u"de"_s);
}

void TestGermanWindow::theFirstWindowSpeaksGerman()
{
    QTemporaryDir directory;
    MainWindow window(directory.path());
    QTRY_VERIFY(window.repository()->isLoaded());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *templates = window.findChild<QPushButton *>(u"templatesButton"_s);
    QVERIFY(templates && templates->isVisible());
    QCOMPARE(templates->text(), u"Die Profile Development, Staging, Production und Test anlegen"_s);
    auto *empty = window.findChild<QLabel *>(u"emptyLabel"_s);
    QVERIFY(empty && empty->isVisible());
    QVERIFY2(empty->text().startsWith(u"Noch keine Profile."_s), qPrintable(empty->text()));
    auto *add = window.findChild<QPushButton *>(u"addButton"_s);
    QVERIFY(add && add->isVisible());
    QCOMPARE(add->text(), u"Hinzufügen"_s);
    QCOMPARE(window.windowTitle(), u"OrderFlow DB Admin"_s);
}

void TestGermanWindow::qtsOwnButtonsSpeakGermanToo()
{
    // qtbase_de.qm comes with the distribution's Qt translations; a system without them shows
    // Qt's buttons in English and the product's texts in German.
    const QString qtTranslations = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    ORDERFLOW_REQUIRE(QFile::exists(qtTranslations + u"/qtbase_de.qm"_s),
                      "no qtbase_de.qm: install qt6-translations-l10n "
                      "(tests/scripts/install-deps.sh does)");
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), u"Abbrechen"_s);
}

QTEST_MAIN(TestGermanWindow)
#include "tst_germanwindow.moc"
