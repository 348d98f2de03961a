#include "CapacityBar.h"
#include "ConnectionTestView.h"
#include "MainWindow.h"
#include "Palette.h"
#include "PoolMonitorView.h"
#include "ProfileBar.h"
#include "ProfileEditor.h"
#include "ProfilePages.h"
#include "SecurityAuditView.h"
#include "ServerPanel.h"
#include "ShownWindow.h"
#include "TestEnvironment.h"
#include "connection/ServerSession.h"
#include "history/HistoryStore.h"
#include "pool/Clock.h"
#include "secrets/SecretStore.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFrame>
#include <QGuiApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

AuditItem::Level auditLevel(const SecurityAuditView *view, const QString &id)
{
    for (const AuditItem &item : view->items()) {
        if (item.id == id)
            return item.level;
    }
    return AuditItem::Level::Info;
}

} // namespace

/// The main window and the profile editor, driven through their real widgets, offscreen.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstRunOffersTheDocumentTemplates();
    void selectingAProfileShowsItInTheBarAndEditor();
    void environmentsAreGroupedAndColoured();
    void filterHidesOtherProfiles();
    void damagedFileIsReportedInTheBanner();
    void unknownProfileNameIsReported();
    void urlFieldAndFormStayInStep();
    void pastedPasswordLeavesTheUrlAndNeverReachesTheFile();
    void validationShowsNextToTheField();
    void editsAreSavedAndUnsavedEditsSurviveASwitchAttempt();
    void addDuplicateAndDeleteThroughTheButtons();
    void productionIsFramedAndGuarded();
    void keyboardSwitchesProfiles();
    void geometryAndLastProfileAreRemembered();
    void securityPageAuditsTheStoredPassword();
    void stagingOnTheProductionClusterIsWarned();
    void theSecurityPageRotatesAProductionPassword();
    void copyUrlCopiesNoPasswordUnlessAsked();
    void profilesCanHaveTheirOwnColourButProductionStaysRed();
    void coloursFollowAPaletteChangeWhileTheWindowIsOpen();
    void theSidebarKeepsItsFoldsAndPlaceWhenRedrawn();
    void profilesAddedInATerminalShowUpAndSurviveTheWindowsSave();
    void poolEditAfterAConnectionSaveKeepsTheNewHostAndUnsavedEdits();
    void rememberedFingerprintSurvivesAnEditorSave();
    void testsAndPoolSamplesAreKeptInTheHistory();
    void importingTheSameFileTwiceAsksInsteadOfDuplicating();
    void twoWindowsStayConsistentAndAskBeforeOverwriting();
    void aProfileDeletedElsewhereWhileEditedCanBeKept();
    void aPastedSqlAlchemyUrlSavesWithoutAFalseConflict();
    void closingWhileASaveIsUnderwayWaitsForIt();
    void theMenusReachEveryCommandByKeyboard();
    void aRotationInATerminalReachesTheOpenWindow();
    void aLongUrlNeverWidensTheWindowAndEveryPageFitsALaptopScreen();
    void atItsMinimumSizeEveryPageIsWhole();
    void saveAndRevertStayInSightAtEverySize();
    void testResultsStayForTheSessionAndShowInTheSidebar();
    void theLastTestsAreShownAgainWhenTheWindowOpens();
    void checksRunInATerminalShowInTheWindow();
    void theImportDialogShowsDotFilesAndImportsTheOneChosen();
    void theServerAndPoolPagesAndTheCommandLineCountAlike();
    void tabWalksTheWindowInReadingOrder();

private:
    void writeProfiles(const QList<Profile> &profiles);
    /// The profile in the file, its password in the keychain (as a save in the window does).
    void writeProfileWithPassword(const Profile &profile, const QString &password);
    /// A development profile for the test database of server, its password in the keychain.
    Profile writeDevelopmentProfile(const QString &name,
                                    const TestEnvironment::PostgresServer &server);
    /// A new login role on server, and a profile for it whose keychain password is 200 days
    /// old.
    Profile writeProfileForNewRole(const TestEnvironment::PostgresServer &server,
                                   const QString &name, Environment environment,
                                   const QString &role, const QString &password);
    QTreeWidgetItem *findItem(QTreeWidget *tree, const QString &name);
    /// The profile as profiles.json has it now.
    std::optional<Profile> saved(const QString &name) const;
    /// Runs the real command line on this test's config folder; its exit code.
    int runCli(const QStringList &arguments);
    /// Clicks the button of this object name in the next modal dialog.
    void clickInNextDialog(const QString &buttonName);
    /// Answers the next modal dialogs: message boxes with a button, input dialogs with text.
    void answerDialogs(QMessageBox::StandardButton button, const QString &text = {});
    /// Checks that a question is open (dialogs open without blocking), then waits until it
    /// was answered.
    void waitForTheAnswer();
    std::unique_ptr<QTemporaryDir> m_dir;
    QTimer m_answerer;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestMainWindow::cleanup()
{
    m_answerer.stop();
    m_answerer.disconnect();
}

void TestMainWindow::writeProfiles(const QList<Profile> &profiles)
{
    ProfileStore store(m_dir->path());
    store.load();
    for (const Profile &profile : profiles)
        QVERIFY(store.add(profile));
    QVERIFY(store.save());
}

void TestMainWindow::writeProfileWithPassword(const Profile &profile, const QString &password)
{
    SecretStore secrets;
    bool written = false;
    secrets.writePassword(profile.id, password, this,
                          [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    writeProfiles({profile});
}

Profile TestMainWindow::writeDevelopmentProfile(const QString &name,
                                                const TestEnvironment::PostgresServer &server)
{
    Profile profile = Profile::fromUrl(
            name, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow?sslmode=disable"_s.arg(
                            server.port)));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    writeProfileWithPassword(profile, u"dev_password"_s);
    return profile;
}

Profile TestMainWindow::writeProfileForNewRole(const TestEnvironment::PostgresServer &server,
                                               const QString &name, Environment environment,
                                               const QString &role, const QString &password)
{
    server.superuserQuery(u"CREATE ROLE \"%1\" LOGIN PASSWORD '%2'"_s.arg(role, password));
    Profile profile = Profile::fromUrl(
            name, environment,
            *ConnectionUrl::parse(u"postgresql://%1@127.0.0.1:%2/postgres?sslmode=disable"_s.arg(
                    role, QString::number(server.port))));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc().addDays(-200);
    writeProfileWithPassword(profile, password);
    return profile;
}

std::optional<Profile> TestMainWindow::saved(const QString &name) const
{
    ProfileStore store(m_dir->path());
    store.load(ProfileStore::DamagedFile::LeaveInPlace);
    return store.findByName(name);
}

int TestMainWindow::runCli(const QStringList &arguments)
{
    return TestEnvironment::run(arguments, TestEnvironment::processEnvironment(m_dir->path()))
            .exitCode;
}

void TestMainWindow::clickInNextDialog(const QString &buttonName)
{
    m_answerer.disconnect();
    m_answerer.setInterval(20);
    connect(&m_answerer, &QTimer::timeout, this, [buttonName]() {
        if (QWidget *modal = QApplication::activeModalWidget()) {
            if (auto *button = modal->findChild<QPushButton *>(buttonName))
                button->click();
        }
    });
    m_answerer.start();
}

QTreeWidgetItem *TestMainWindow::findItem(QTreeWidget *tree, const QString &name)
{
    // Profiles sit under their environment's group; the groups are not profiles.
    const auto items = tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive);
    for (QTreeWidgetItem *item : items) {
        if (item->parent())
            return item;
    }
    return nullptr;
}

void TestMainWindow::answerDialogs(QMessageBox::StandardButton button, const QString &text)
{
    m_answerer.disconnect();
    m_answerer.setInterval(20);
    connect(&m_answerer, &QTimer::timeout, this, [button, text]() {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            if (QAbstractButton *b = box->button(button))
                b->click();
        } else if (auto *input = qobject_cast<QInputDialog *>(modal)) {
            input->setTextValue(text);
            input->accept();
        }
    });
    m_answerer.start();
}

void TestMainWindow::waitForTheAnswer()
{
    QVERIFY(QApplication::activeModalWidget());
    QTRY_VERIFY(!QApplication::activeModalWidget());
}

void TestMainWindow::firstRunOffersTheDocumentTemplates()
{
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *button = window.findChild<QPushButton *>(u"templatesButton"_s);
    QVERIFY(button && button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    for (const QString &name : {u"Development"_s, u"Staging"_s, u"Production"_s, u"Test"_s})
        QTRY_VERIFY2(findItem(tree, name), qPrintable(name));
    QVERIFY(!button->isVisible());
    QVERIFY(QFile::exists(QDir(m_dir->path()).filePath(u"profiles.json"_s)));
    MainWindow again(m_dir->path());
    QTRY_VERIFY(again.repository()->isLoaded());
    QVERIFY(findItem(again.findChild<QTreeWidget *>(u"profileTree"_s), u"Production"_s));
}

void TestMainWindow::selectingAProfileShowsItInTheBarAndEditor()
{
    const auto url = ConnectionUrl::parse(
            u"postgresql://orderflow@prod-db.internal:5432/orderflow?sslmode=verify-full&sslrootcert=/etc/ca.crt"_s);
    Profile prod = Profile::fromUrl(u"prod-eu"_s, Environment::Production, *url);
    prod.passwordChangedAt = QDateTime::currentDateTimeUtc();
    prod.notes = u"<b>not bold</b>"_s;
    writeProfiles({prod, Profile::create(u"local"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    tree->setCurrentItem(findItem(tree, u"prod-eu"_s));

    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"prod-eu"_s);
    // Nothing edited yet: nothing to revert.
    QVERIFY(!window.findChild<QPushButton *>(u"revertButton"_s)->isEnabled());
    QCOMPARE(window.findChild<QLabel *>(u"environmentLabel"_s)->text(), u"PRODUCTION"_s);
    // The whole URL (the label may show it cut short, whole in its tooltip).
    QTRY_COMPARE(
            window.findChild<QLabel *>(u"urlLabel"_s)->accessibleName(),
            u"postgresql://orderflow:***@prod-db.internal:5432/orderflow?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.crt"_s);
    QCOMPARE(window.findChild<QLabel *>(u"urlLabel"_s)->textFormat(), Qt::PlainText);
    QCOMPARE(window.findChild<QLineEdit *>(u"hostLineEdit"_s)->text(), u"prod-db.internal"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"sslRootCertLineEdit"_s)->text(), u"/etc/ca.crt"_s);
    auto *sslMode = window.findChild<QComboBox *>(u"sslModeComboBox"_s);
    QCOMPARE(sslMode->currentData().toString(), u"verify-full"_s);
    QVERIFY(window.findChild<QLabel *>(u"sslModeMeaningLabel"_s)
                    ->text()
                    .contains(u"verify CA and hostname"_s));
    QVERIFY(window.findChild<QLineEdit *>(u"passwordLineEdit"_s)
                    ->placeholderText()
                    .contains(u"keychain"_s));
    QVERIFY(window.findChild<QLineEdit *>(u"passwordLineEdit"_s)->text().isEmpty());
    QVERIFY(window.windowTitle().contains(u"PRODUCTION"_s));

    QVERIFY(window.selectProfileByName(u"LOCAL"_s));
    QCOMPARE(window.findChild<QLabel *>(u"environmentLabel"_s)->text(), u"DEVELOPMENT"_s);
    QCOMPARE(tree->currentItem()->text(0), u"local"_s);
    QVERIFY(window.windowTitle().contains(u"local (Development)"_s));
}

void TestMainWindow::environmentsAreGroupedAndColoured()
{
    writeProfiles({Profile::create(u"b-prod"_s, Environment::Production),
                   Profile::create(u"a-dev"_s, Environment::Development),
                   Profile::create(u"c-stage"_s, Environment::Staging)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QCOMPARE(tree->topLevelItemCount(), 3);
    QCOMPARE(tree->topLevelItem(0)->text(0), u"Development"_s);
    QCOMPARE(tree->topLevelItem(1)->text(0), u"Staging"_s);
    QCOMPARE(tree->topLevelItem(2)->text(0), u"Production"_s);
    QCOMPARE(tree->topLevelItem(2)->foreground(0).color(),
             Palette::environmentTextColor(Environment::Production));
    const QImage icon = tree->topLevelItem(2)->child(0)->icon(0).pixmap(16, 16).toImage();
    QCOMPARE(icon.pixelColor(8, 8), Palette::environmentColor(Environment::Production));
    // Staging is framed like production; development is not framed.
    auto *frame = window.findChild<QFrame *>(u"profileFrame"_s);
    QVERIFY(window.selectProfileByName(u"c-stage"_s));
    QVERIFY(frame->styleSheet().contains(u"border: 3px solid"_s));
    QVERIFY(window.selectProfileByName(u"a-dev"_s));
    QVERIFY(frame->styleSheet().isEmpty());
}

void TestMainWindow::filterHidesOtherProfiles()
{
    writeProfiles({Profile::create(u"orders-prod"_s, Environment::Production),
                   Profile::create(u"orders-dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTest::keyClicks(window.findChild<QLineEdit *>(u"filterLineEdit"_s), u"dev"_s);
    QVERIFY(!findItem(tree, u"orders-dev"_s)->isHidden());
    QVERIFY(findItem(tree, u"orders-prod"_s)->isHidden());
    QVERIFY(findItem(tree, u"orders-prod"_s)->parent()->isHidden());
}

void TestMainWindow::damagedFileIsReportedInTheBanner()
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"schema\": 1, \"profiles\": [");
    file.close();
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QTRY_VERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(u"kept as"_s));
}

void TestMainWindow::unknownProfileNameIsReported()
{
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(!window.selectProfileByName(u"nobody"_s));
    QVERIFY(window.findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"nobody"_s));
}

void TestMainWindow::urlFieldAndFormStayInStep()
{
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *url = window.findChild<QLineEdit *>(u"urlLineEdit"_s);
    auto *host = window.findChild<QLineEdit *>(u"hostLineEdit"_s);
    auto *port = window.findChild<QLineEdit *>(u"portLineEdit"_s);
    QCOMPARE(url->text(), u"postgresql://orderflow@localhost:5432/orderflow"_s);

    // Form to URL.
    host->selectAll();
    QTest::keyClicks(host, u"db.internal"_s);
    QCOMPARE(url->text(), u"postgresql://orderflow@db.internal:5432/orderflow"_s);
    auto *sslMode = window.findChild<QComboBox *>(u"sslModeComboBox"_s);
    sslMode->setCurrentIndex(sslMode->findData(u"require"_s));
    QCOMPARE(url->text(), u"postgresql://orderflow@db.internal:5432/orderflow?sslmode=require"_s);

    // URL to form.
    url->selectAll();
    QTest::keyClicks(
            url,
            u"postgres://report@replica:6432/analytics?sslmode=verify-ca&target_session_attrs=read-only"_s);
    QCOMPARE(host->text(), u"replica"_s);
    QCOMPARE(port->text(), u"6432"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"userLineEdit"_s)->text(), u"report"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"databaseLineEdit"_s)->text(), u"analytics"_s);
    QCOMPARE(sslMode->currentData().toString(), u"verify-ca"_s);
    auto *table = window.findChild<QTableWidget *>(u"otherParamsTable"_s);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), u"target_session_attrs"_s);
    auto *editor = window.findChild<ProfileEditor *>(u"profileEditor"_s);
    QVERIFY(editor->isDirty());
    QCOMPARE(editor->editedProfile().params.value(u"host"_s), u"replica"_s);
}

namespace {
QStringList &capturedLogs()
{
    static QStringList lines;
    return lines;
}
} // namespace

void TestMainWindow::pastedPasswordLeavesTheUrlAndNeverReachesTheFile()
{
    ORDERFLOW_REQUIRE_KEYRING();
    // Every log line of the whole flow, with the debug categories switched on.
    QLoggingCategory::setFilterRules(u"orderflow.*=true"_s);
    capturedLogs().clear();
    const QtMessageHandler previous
            = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                        const QString &message) { capturedLogs() << message; });
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *url = window.findChild<QLineEdit *>(u"urlLineEdit"_s);
    url->selectAll();
    QTest::keyClicks(url, u"postgresql://orderflow:SENTINEL-gui@localhost:5432/orderflow"_s);
    QCOMPARE(url->text(), u"postgresql://orderflow@localhost:5432/orderflow"_s);
    auto *password = window.findChild<QLineEdit *>(u"passwordLineEdit"_s);
    QCOMPARE(password->text(), u"SENTINEL-gui"_s);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QSignalSpy changed(window.repository(), &ProfileRepository::profileChanged);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QVERIFY(changed.wait(10000));
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("SENTINEL"));
    QVERIFY(bytes.contains("password_changed_at"));
    QVERIFY(!window.windowTitle().contains(u"SENTINEL"_s));
    QVERIFY(!window.findChild<QLabel *>(u"urlLabel"_s)->text().contains(u"SENTINEL"_s));
    QVERIFY(window.findChild<QLabel *>(u"urlLabel"_s)->text().contains(u":***@"_s));
    // Shown on request only, read back from the keychain.
    auto *show = window.findChild<QPushButton *>(u"showPasswordButton"_s);
    QVERIFY(password->text().isEmpty());
    QTest::mouseClick(show, Qt::LeftButton);
    // The keyring may be busy with other tests' processes: wait generously.
    QTRY_COMPARE_WITH_TIMEOUT(password->text(), u"SENTINEL-gui"_s, 20000);
    QCOMPARE(password->echoMode(), QLineEdit::Normal);
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(!capturedLogs().isEmpty()); // the keychain logs its operations
    for (const QString &line : std::as_const(capturedLogs()))
        QVERIFY2(!line.contains(u"SENTINEL"_s), qPrintable(line));
}

void TestMainWindow::validationShowsNextToTheField()
{
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *port = window.findChild<QLineEdit *>(u"portLineEdit"_s);
    port->selectAll();
    QTest::keyClicks(port, u"54x"_s);
    QVERIFY(window.findChild<QLabel *>(u"portErrorLabel"_s)->isVisible());
    QVERIFY(!window.findChild<QPushButton *>(u"saveButton"_s)->isEnabled());
    QTest::keyClick(port, Qt::Key_Backspace);
    QVERIFY(!window.findChild<QLabel *>(u"portErrorLabel"_s)->isVisible());
    auto *name = window.findChild<QLineEdit *>(u"nameLineEdit"_s);
    name->clear();
    QVERIFY(window.findChild<QLabel *>(u"nameErrorLabel"_s)->isVisible());
    QVERIFY(!window.findChild<QPushButton *>(u"saveButton"_s)->isEnabled());
    auto *url = window.findChild<QLineEdit *>(u"urlLineEdit"_s);
    url->selectAll();
    QTest::keyClicks(url, u"postgresql://u:pw@h/db?nonsense=1"_s);
    QVERIFY(window.findChild<QLabel *>(u"urlErrorLabel"_s)->isVisible());
}

void TestMainWindow::editsAreSavedAndUnsavedEditsSurviveASwitchAttempt()
{
    writeProfiles({Profile::create(u"alpha"_s, Environment::Development),
                   Profile::create(u"beta"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"alpha"_s));
    auto *host = window.findChild<QLineEdit *>(u"hostLineEdit"_s);
    host->selectAll();
    QTest::keyClicks(host, u"edited-host"_s);
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    // The sidebar marks the profile with unsaved edits, for the eye and for a screen reader.
    auto unsavedMark = [&tree, this](const QString &name) {
        QTreeWidgetItem *item = findItem(tree, name);
        return item->font(0).italic()
                && item->data(0, Qt::AccessibleTextRole).toString().contains(u"unsaved"_s)
                && item->toolTip(0).contains(u"Unsaved changes"_s);
    };
    QVERIFY(unsavedMark(u"alpha"_s));
    QVERIFY(!unsavedMark(u"beta"_s));

    // Cancel: stay on alpha, edits kept.
    answerDialogs(QMessageBox::Cancel);
    tree->setCurrentItem(findItem(tree, u"beta"_s));
    waitForTheAnswer();
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"alpha"_s);
    QCOMPARE(host->text(), u"edited-host"_s);
    QCOMPARE(tree->currentItem()->text(0), u"alpha"_s);

    // Save: the switch goes ahead once the edit is in the file.
    answerDialogs(QMessageBox::Save);
    tree->setCurrentItem(findItem(tree, u"beta"_s));
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"beta"_s);
    m_answerer.stop();
    QVERIFY(!unsavedMark(u"alpha"_s));
    QVERIFY(!unsavedMark(u"beta"_s));
    ProfileStore store(m_dir->path());
    store.load();
    QCOMPARE(store.findByName(u"alpha"_s)->params.value(u"host"_s), u"edited-host"_s);

    // Discard: the switch goes ahead, the file is unchanged.
    host->selectAll();
    QTest::keyClicks(host, u"thrown-away"_s);
    QVERIFY(unsavedMark(u"beta"_s));
    answerDialogs(QMessageBox::Discard);
    tree->setCurrentItem(findItem(tree, u"alpha"_s));
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"alpha"_s);
    m_answerer.stop();
    QVERIFY(!unsavedMark(u"beta"_s));
    store.load();
    QCOMPARE(store.findByName(u"beta"_s)->params.value(u"host"_s), u"localhost"_s);
}

void TestMainWindow::addDuplicateAndDeleteThroughTheButtons()
{
    writeProfiles({Profile::create(u"base"_s, Environment::Staging)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"addButton"_s), Qt::LeftButton);
    QTRY_VERIFY(findItem(tree, u"New profile"_s));
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"New profile"_s);

    QVERIFY(window.selectProfileByName(u"base"_s));
    QTest::mouseClick(window.findChild<QPushButton *>(u"duplicateButton"_s), Qt::LeftButton);
    QTRY_VERIFY(findItem(tree, u"base copy"_s));
    ProfileStore store(m_dir->path());
    store.load();
    QCOMPARE(store.profiles().size(), 3);
    QVERIFY(store.findByName(u"base copy"_s)->id != store.findByName(u"base"_s)->id);
    QCOMPARE(store.findByName(u"base copy"_s)->environment, Environment::Staging);

    QVERIFY(window.selectProfileByName(u"base copy"_s));
    answerDialogs(QMessageBox::Yes);
    QTest::mouseClick(window.findChild<QPushButton *>(u"deleteButton"_s), Qt::LeftButton);
    QTRY_VERIFY(!findItem(tree, u"base copy"_s));
    m_answerer.stop();
    store.load();
    QCOMPARE(store.profiles().size(), 2);
}

void TestMainWindow::productionIsFramedAndGuarded()
{
    writeProfiles({Profile::create(u"Prod EU"_s, Environment::Production),
                   Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"Prod EU"_s));
    auto *frame = window.findChild<QFrame *>(u"profileFrame"_s);
    QVERIFY(frame->styleSheet().contains(
            Palette::environmentColor(Environment::Production).name()));
    QVERIFY(window.windowTitle().startsWith(u"PRODUCTION"_s));
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(banner->text().contains(u"first time"_s));
    // The notice belongs to the production profile: it goes when another is shown.
    QVERIFY(window.selectProfileByName(u"dev"_s));
    QVERIFY(!banner->isVisibleTo(&window) || !banner->text().contains(u"first time"_s));
    QVERIFY(window.selectProfileByName(u"Prod EU"_s));

    // Deleting needs the typed name: a wrong one changes nothing.
    answerDialogs(QMessageBox::NoButton, u"prod eu"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"deleteButton"_s), Qt::LeftButton);
    waitForTheAnswer();
    m_answerer.stop();
    QTRY_VERIFY(window.findChild<QLabel *>(u"messageLabel"_s)
                        ->text()
                        .contains(u"not deleted: the name typed did not match"_s));
    ProfileStore store(m_dir->path());
    store.load();
    QVERIFY(store.findByName(u"Prod EU"_s));
    answerDialogs(QMessageBox::NoButton, u"Prod EU"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"deleteButton"_s), Qt::LeftButton);
    QTRY_VERIFY([&] {
        store.load();
        return !store.findByName(u"Prod EU"_s);
    }());
    m_answerer.stop();

    QVERIFY(window.selectProfileByName(u"dev"_s));
    QVERIFY(window.findChild<QFrame *>(u"profileFrame"_s)->styleSheet().isEmpty());
    // A second window on the same machine does not repeat the first-time notice.
    writeProfiles({Profile::create(u"Prod US"_s, Environment::Production)});
}

void TestMainWindow::keyboardSwitchesProfiles()
{
    writeProfiles({Profile::create(u"one"_s, Environment::Development),
                   Profile::create(u"two"_s, Environment::Staging),
                   Profile::create(u"three"_s, Environment::Test)});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"two"_s);
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"three"_s);
    QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
    QVERIFY(window.findChild<QLineEdit *>(u"filterLineEdit"_s)->hasFocus());
}

void TestMainWindow::geometryAndLastProfileAreRemembered()
{
    writeProfiles({Profile::create(u"first"_s, Environment::Development),
                   Profile::create(u"second"_s, Environment::Development)});
    {
        MainWindow window(m_dir->path());
        QTRY_VERIFY(window.repository()->isLoaded());
        QVERIFY(showAndSettle(window));
        window.resize(1200, 700);
        QVERIFY(window.selectProfileByName(u"second"_s));
        window.close();
    }
    MainWindow again(m_dir->path());
    QTRY_VERIFY(again.repository()->isLoaded());
    QCOMPARE(again.findChild<QLabel *>(u"nameLabel"_s)->text(), u"second"_s);
    QCOMPARE(again.size(), QSize(1200, 700));
}

void TestMainWindow::securityPageAuditsTheStoredPassword()
{
    ORDERFLOW_REQUIRE_KEYRING();
    Profile prod = Profile::fromUrl(
            u"prod"_s, Environment::Production,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@prod-db.internal/orderflow?sslmode=require"_s));
    prod.passwordChangedAt = QDateTime::currentDateTimeUtc().addDays(-200);
    writeProfileWithPassword(prod, u"dev_password"_s);
    SecretStore secrets;
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    // Pages are made when first shown.
    QVERIFY(!window.findChild<SecurityAuditView *>(u"securityAuditView"_s));
    window.findChild<QTabWidget *>(u"profileTabWidget"_s)->setCurrentIndex(4); // Security
    auto *view = window.findChild<SecurityAuditView *>(u"securityAuditView"_s);
    QVERIFY(view);
    auto has = [view](const QString &id, AuditItem::Level level) {
        for (const AuditItem &item : view->items()) {
            if (item.id == id && item.level == level)
                return true;
        }
        return false;
    };
    QTRY_VERIFY(has(u"default-password"_s, AuditItem::Level::Fail));
    QVERIFY(has(u"tls"_s, AuditItem::Level::Fail));
    QVERIFY(has(u"password-age"_s, AuditItem::Level::Fail));
    QVERIFY(has(u"password-strength"_s, AuditItem::Level::Fail));
    // Counts under their headings, never "1 warnings".
    static const QRegularExpression summary(
            u"^Passed: \\d+   To note: \\d+   Warnings: \\d+   Failed: \\d+$"_s);
    const QString summaryText = window.findChild<QLabel *>(u"auditSummaryLabel"_s)->text();
    QVERIFY2(summary.match(summaryText).hasMatch(), qPrintable(summaryText));
    auto *tree = window.findChild<QTreeWidget *>(u"auditTree"_s);
    QVERIFY(tree->topLevelItemCount() >= 5);
    const int line = tree->fontMetrics().height();
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = tree->topLevelItem(i);
        QVERIFY(!row->text(1).contains(u"dev_password"_s));
        // Why and what to do, each on its own line at least: the row is as tall as its text.
        if (row->text(1).contains(u'\n'))
            QVERIFY2(tree->visualItemRect(row).height() >= 2 * line, qPrintable(row->text(0)));
    }
    bool deleted = false;
    secrets.deletePassword(prod.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
}

// Through the window as a user does it: Security page, Rotate password..., the name typed for
// production, Rotate; then the audit sees a fresh password and the server the new one.
void TestMainWindow::theSecurityPageRotatesAProductionPassword()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const QString role = u"window_rotation_%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    const QString oldPassword = u"rotateme1"_s; // weak: too short
    const Profile prod = writeProfileForNewRole(*server, u"prod"_s, Environment::Production, role,
                                                oldPassword);
    SecretStore secrets;
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    window.findChild<QTabWidget *>(u"profileTabWidget"_s)->setCurrentIndex(4); // Security
    auto *view = window.findChild<SecurityAuditView *>(u"securityAuditView"_s);
    QVERIFY(view);
    auto level = [view](const QString &id) {
        return auditLevel(view, id);
    };
    QTRY_COMPARE(level(u"password-strength"_s), AuditItem::Level::Fail);
    QCOMPARE(level(u"password-age"_s), AuditItem::Level::Fail);

    auto *rotateButton = view->findChild<QPushButton *>(u"rotatePasswordButton"_s);
    QVERIFY(rotateButton && rotateButton->isEnabled());
    rotateButton->click();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<QDialog *>(u"rotatePasswordDialog"_s)));
    auto *confirm = dialog->findChild<QPushButton *>(u"rotateButton"_s);
    QVERIFY(!confirm->isEnabled()); // production: the name first
    dialog->findChild<QLineEdit *>(u"confirmNameLineEdit"_s)->setText(u"prod"_s);
    QVERIFY(confirm->isEnabled());
    confirm->click();
    auto *outcome = dialog->findChild<QLabel *>(u"rotationOutcomeLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!outcome->text().isEmpty(), 30000);
    QVERIFY2(outcome->text().startsWith(u"Rotated"_s), qPrintable(outcome->text()));
    QVERIFY(!dialog->findChild<QLineEdit *>(u"newPasswordLineEdit"_s)->isVisible());
    // Green, and green for the dark palette when the system switches to it with the dialog open.
    QCOMPARE(outcome->palette().color(QPalette::WindowText), Palette::okColor());
    {
        const QPalette lightPalette = QApplication::palette();
        const auto restore = qScopeGuard([&] { QApplication::setPalette(lightPalette); });
        const QColor lightGreen = Palette::okColor();
        QApplication::setPalette(Palette::darkPalette());
        QVERIFY(Palette::okColor() != lightGreen);
        QCOMPARE(outcome->palette().color(QPalette::WindowText), Palette::okColor());
    }

    QString newPassword;
    secrets.readPassword(prod.id, this, [&](const SecretResult &r) { newPassword = r.password; });
    QTRY_VERIFY(!newPassword.isEmpty());
    QVERIFY(newPassword != oldPassword);
    QVERIFY(!outcome->text().contains(newPassword));
    QVERIFY(!server->canLogIn(role, oldPassword));
    QVERIFY(server->canLogIn(role, newPassword));
    // The page follows the saved profile: a strong password, changed today.
    QTRY_COMPARE(level(u"password-age"_s), AuditItem::Level::Pass);
    QTRY_COMPARE(level(u"password-strength"_s), AuditItem::Level::Pass);

    dialog->close();
    bool deleted = false;
    secrets.deletePassword(prod.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
    server->superuserQuery(u"DROP ROLE \"%1\""_s.arg(role));
}

void TestMainWindow::stagingOnTheProductionClusterIsWarned()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    // Both profiles reach the same test cluster: the second one is the mistake.
    const auto url = ConnectionUrl::parse(
            u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port));
    Profile prod = Profile::fromUrl(u"prod"_s, Environment::Production, *url);
    Profile staging = Profile::fromUrl(u"staging"_s, Environment::Staging, *url);
    SecretStore secrets;
    int written = 0;
    for (Profile *profile : {&prod, &staging}) {
        profile->passwordChangedAt = QDateTime::currentDateTimeUtc();
        secrets.writePassword(profile->id, u"dev_password"_s, this,
                              [&](const SecretResult &r) { written += r.ok(); });
    }
    QTRY_COMPARE(written, 2);
    writeProfiles({prod, staging});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    window.findChild<QTabWidget *>(u"profileTabWidget"_s)->setCurrentIndex(1); // Test
    auto *test = window.findChild<QPushButton *>(u"testButton"_s);

    QVERIFY(window.selectProfileByName(u"prod"_s));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                ProfileStore store(m_dir->path());
                store.load();
                return !store.findByName(u"prod"_s)->fingerprint.isEmpty();
            }(),
            10000);
    // Connected, but production without verified TLS fails a required check: the light says
    // what the headline says.
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    QTRY_COMPARE(light->property("state").toString(), u"warning"_s);
    QCOMPARE(light->toolTip(), window.findChild<QLabel *>(u"headlineLabel"_s)->text());
    QVERIFY(light->toolTip().startsWith(u"Connected, but "_s));

    answerDialogs(QMessageBox::Ok);
    QVERIFY(window.selectProfileByName(u"staging"_s));
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
            window.findChild<QLabel *>(u"messageLabel"_s)
                    ->text()
                    .contains(u"reached the cluster remembered for the production profile"_s),
            10000);
    m_answerer.stop();
    QCOMPARE(window.findChild<QLabel *>(u"statusLightLabel"_s)->property("state").toString(),
             u"failed"_s);
    // The warning belongs to the staging profile: it goes when production is shown, and comes
    // back with staging, whose test result it is.
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(window.selectProfileByName(u"prod"_s));
    QVERIFY(!banner->isVisibleTo(&window) || !banner->text().contains(u"remembered"_s));
    QVERIFY(window.selectProfileByName(u"staging"_s));
    QVERIFY(banner->isVisibleTo(&window) && banner->text().contains(u"remembered"_s));
    for (const Profile &profile : {prod, staging})
        secrets.deletePassword(profile.id, this, [](const SecretResult &) {});
    QTest::qWait(300);
}

void TestMainWindow::copyUrlCopiesNoPasswordUnlessAsked()
{
    ORDERFLOW_REQUIRE_KEYRING();
    Profile profile = Profile::fromUrl(
            u"dev"_s, Environment::Development,
            *ConnectionUrl::parse(u"postgresql://orderflow@db.internal:5433/orderflow"_s));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    SecretStore secrets;
    bool written = false;
    secrets.writePassword(profile.id, u"SENTINEL-clip"_s, this,
                          [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    writeProfiles({profile});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QTest::mouseClick(window.findChild<QPushButton *>(u"copyUrlButton"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(),
             u"postgresql://orderflow@db.internal:5433/orderflow"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"copyUrlWithPasswordButton"_s),
                      Qt::LeftButton);
    QTRY_COMPARE(QGuiApplication::clipboard()->text(),
                 u"postgresql://orderflow:SENTINEL-clip@db.internal:5433/orderflow"_s);
    QCOMPARE(QGuiApplication::clipboard()->mimeData()->data(u"x-kde-passwordManagerHint"_s),
             QByteArray("secret"));
    secrets.deletePassword(profile.id, this, [](const SecretResult &) {});
    QTest::qWait(200);
}

void TestMainWindow::profilesCanHaveTheirOwnColourButProductionStaysRed()
{
    Profile mine = Profile::create(u"mine"_s, Environment::Development);
    mine.color = u"#123456"_s;
    Profile prod = Profile::create(u"prod"_s, Environment::Production);
    prod.color = u"#00ff00"_s;
    writeProfiles({mine, prod});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    auto iconColor = [&](const QString &name) {
        return findItem(tree, name)->icon(0).pixmap(16, 16).toImage().pixelColor(8, 8);
    };
    QCOMPARE(iconColor(u"mine"_s), QColor(u"#123456"_s));
    QCOMPARE(iconColor(u"prod"_s), Palette::environmentColor(Environment::Production));

    QVERIFY(window.selectProfileByName(u"mine"_s));
    auto *editor = window.findChild<ProfileEditor *>(u"profileEditor"_s);
    // The colour button shows the colour as a swatch and names it.
    auto *colorButton = window.findChild<QPushButton *>(u"colorButton"_s);
    auto swatch = [colorButton]() {
        return colorButton->icon().pixmap(16, 16).toImage().pixelColor(8, 8);
    };
    QCOMPARE(swatch(), QColor(u"#123456"_s));
    QCOMPARE(colorButton->text(), u"#123456"_s);
    editor->setColor(u"#abcdef"_s);
    QVERIFY(editor->isDirty());
    QCOMPARE(swatch(), QColor(u"#abcdef"_s));
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    ProfileStore store(m_dir->path());
    QTRY_VERIFY([&] {
        store.load();
        return store.findByName(u"mine"_s)->color == u"#abcdef"_s;
    }());
    QTRY_COMPARE(iconColor(u"mine"_s), QColor(u"#abcdef"_s));
    // Back to the environment's colour: the button says so, with the colour it stands for.
    window.findChild<QPushButton *>(u"defaultColorButton"_s)->click();
    const QString development = Palette::environmentColor(Environment::Development).name();
    QCOMPARE(swatch(), QColor(development));
    QVERIFY2(colorButton->text().contains(development), qPrintable(colorButton->text()));
}

void TestMainWindow::coloursFollowAPaletteChangeWhileTheWindowIsOpen()
{
    // The system switches to dark mode with the window open (Qt follows it on macOS and
    // Windows): colours picked for the light palette would be unreadable on the dark one.
    // Port 1 on loopback refuses: a failed stage, a failed headline and a failed light.
    writeProfiles({Profile::fromUrl(u"Prod EU"_s, Environment::Production,
                                    *ConnectionUrl::parse(u"postgresql://u@127.0.0.1:1/db"_s))});
    const QPalette lightPalette = QApplication::palette();
    const auto restore = qScopeGuard([&] { QApplication::setPalette(lightPalette); });
    QVERIFY(Palette::currentScheme() == Palette::Scheme::Light);
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"Prod EU"_s));
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    window.findChild<ProfilePages *>(u"profileTabWidget"_s)->startTest();
    QTRY_COMPARE_WITH_TIMEOUT(light->property("state").toString(), u"failed"_s, 20000);
    auto *view = window.findChild<ConnectionTestView *>(u"connectionTestView"_s);
    QLabel *failedStage = nullptr;
    for (QLabel *label : view->findChildren<QLabel *>()) {
        if (label->objectName().startsWith(u"stageLabel_"_s)
            && label->accessibleName().contains(u"failed"_s))
            failedStage = label;
    }
    QVERIFY(failedStage);
    auto *headline = window.findChild<QLabel *>(u"headlineLabel"_s);
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(banner->isVisible()); // production's first-time notice
    auto *frame = window.findChild<QFrame *>(u"profileFrame"_s);
    auto *badge = window.findChild<QLabel *>(u"environmentLabel"_s);
    struct Seen
    {
        QColor stage, headline;
        QString light, banner, frame, badge;
    };
    auto seen = [&] {
        return Seen{failedStage->palette().color(QPalette::WindowText),
                    headline->palette().color(QPalette::WindowText),
                    light->styleSheet(),
                    banner->styleSheet(),
                    frame->styleSheet(),
                    badge->styleSheet()};
    };
    const Seen before = seen();
    QCOMPARE(before.stage, Palette::failColor());
    QCOMPARE(before.headline, Palette::failColor());
    // A selection being copied stays.
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    pages->showPage(ProfilePages::PoolPage);
    QTRY_VERIFY(window.findChild<QPlainTextEdit *>(u"snippetTextEdit"_s));
    auto *snippet = window.findChild<QPlainTextEdit *>(u"snippetTextEdit"_s);
    snippet->selectAll();
    const QString selected = snippet->textCursor().selectedText();
    QVERIFY(selected.contains(u"create_engine"_s));

    QApplication::setPalette(Palette::darkPalette());
    QVERIFY(Palette::currentScheme() == Palette::Scheme::Dark);
    // The dark variants differ from the light ones, or this would prove nothing.
    QVERIFY(Palette::failColor() != before.stage);
    const Seen after = seen();
    QCOMPARE(after.stage, Palette::failColor());
    QCOMPARE(after.headline, Palette::failColor());
    QVERIFY2(after.light.contains(Palette::failColor().name()), qPrintable(after.light));
    QCOMPARE(after.banner, Palette::warningBannerStyle());
    QVERIFY(after.banner != before.banner);
    const Profile shown = *window.repository()->findByName(u"Prod EU"_s);
    QCOMPARE(after.frame, Palette::profileFrameStyle(shown, frame->objectName()));
    const Palette::Pair badgeColours = Palette::badge(shown);
    QVERIFY2(after.badge.contains(badgeColours.background.name()), qPrintable(after.badge));
    auto *recent = view->findChild<QTableWidget *>();
    QVERIFY(recent && recent->rowCount() > 0);
    QCOMPARE(recent->item(0, 1)->foreground().color(), Palette::failColor());
    // The sidebar's environment heading is drawn anew in the dark palette's colour.
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QCOMPARE(tree->topLevelItem(0)->foreground(0).color(),
             Palette::environmentTextColor(Environment::Production));
    QCOMPARE(snippet->textCursor().selectedText(), selected);
}

void TestMainWindow::theSidebarKeepsItsFoldsAndPlaceWhenRedrawn()
{
    // The sidebar is drawn anew when a terminal changes the profiles and when the palette
    // changes. A long list, scrolled down, with a group folded that is not the first.
    QList<Profile> profiles;
    for (int n = 10; n < 50; ++n)
        profiles << Profile::create(u"dev %1"_s.arg(n), Environment::Development);
    for (int n = 0; n < 3; ++n)
        profiles << Profile::create(u"staging %1"_s.arg(n), Environment::Staging);
    profiles << Profile::create(u"prod"_s, Environment::Production);
    writeProfiles(profiles);
    const QPalette lightPalette = QApplication::palette();
    const auto restore = qScopeGuard([&] { QApplication::setPalette(lightPalette); });
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"prod"_s));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    auto group = [tree](const QString &heading) {
        return tree->findItems(heading, Qt::MatchExactly).value(0);
    };
    QVERIFY(group(u"Staging"_s) && group(u"Production"_s));
    group(u"Staging"_s)->setExpanded(false);
    tree->scrollToItem(findItem(tree, u"dev 20"_s), QAbstractItemView::PositionAtTop);
    QVERIFY(tree->verticalScrollBar()->value() > 0); // the list is long enough to scroll
    auto topRow = [tree]() {
        const QTreeWidgetItem *item = tree->itemAt(0, 0);
        return item ? item->text(0) : QString();
    };
    QCOMPARE(topRow(), u"dev 20"_s);
    auto unchanged = [&]() {
        QVERIFY(!group(u"Staging"_s)->isExpanded());
        QVERIFY(group(u"Production"_s)->isExpanded());
        QCOMPARE(tree->currentItem(), findItem(tree, u"prod"_s));
        QCOMPARE(topRow(), u"dev 20"_s);
    };

    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"dev 50"_s, u"--environment"_s, u"development"_s,
                     u"--url"_s, u"postgresql://app@localhost/app"_s}),
             0);
    QTRY_VERIFY(findItem(tree, u"dev 50"_s));
    unchanged();
    QApplication::setPalette(Palette::darkPalette());
    unchanged();

    // Folding the group of the profile on screen lasts until the list is drawn anew: the
    // profile on screen is never left hidden.
    group(u"Production"_s)->setExpanded(false);
    QApplication::setPalette(lightPalette);
    QVERIFY(group(u"Production"_s)->isExpanded());
}

void TestMainWindow::profilesAddedInATerminalShowUpAndSurviveTheWindowsSave()
{
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);

    // A terminal adds two profiles while the window is open.
    QElapsedTimer sinceWrite;
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"Staging"_s, u"--url"_s,
                     u"postgresql://orderflow@localhost/orderflow"_s}),
             0);
    sinceWrite.start();
    QTRY_VERIFY(findItem(tree, u"Staging"_s));
    qInfo("the window showed the other process's profile %lld ms after it exited",
          sinceWrite.elapsed());
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"Production"_s, u"--url"_s,
                     u"postgresql://orderflow@localhost/orderflow?sslmode=verify-full"_s}),
             0);
    QTRY_VERIFY(findItem(tree, u"Production"_s));

    // The window's next save keeps them.
    QVERIFY(window.selectProfileByName(u"dev"_s));
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"edited here"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"dev"_s).value_or(Profile()).notes, u"edited here"_s);
    QVERIFY(saved(u"Staging"_s));
    QVERIFY(saved(u"Production"_s));
    QCOMPARE(tree->findItems(u"*"_s, Qt::MatchWildcard | Qt::MatchRecursive).size(), 3 + 3);
}

void TestMainWindow::poolEditAfterAConnectionSaveKeepsTheNewHostAndUnsavedEdits()
{
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *host = window.findChild<QLineEdit *>(u"hostLineEdit"_s);
    host->selectAll();
    QTest::keyClicks(host, u"127.0.0.2"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"dev"_s)->params.value(u"host"_s), u"127.0.0.2"_s);

    // An edit left unsaved on the Connection page, then a Pool page change.
    auto *notes = window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s);
    notes->setPlainText(u"not saved yet"_s);
    auto *editor = window.findChild<ProfileEditor *>(u"profileEditor"_s);
    QVERIFY(editor->isDirty());
    window.findChild<QTabWidget *>(u"profileTabWidget"_s)->setCurrentIndex(3); // Pool
    window.findChild<QSpinBox *>(u"poolSizeSpinBox"_s)->setValue(17);
    QTRY_COMPARE(saved(u"dev"_s)->pool.poolSize, 17);
    QCOMPARE(saved(u"dev"_s)->params.value(u"host"_s), u"127.0.0.2"_s);
    QVERIFY(saved(u"dev"_s)->notes.isEmpty());
    QCOMPARE(notes->toPlainText(), u"not saved yet"_s);
    QVERIFY(editor->isDirty());
    QVERIFY(!editor->hasConflict());

    // Saving the editor now keeps the pool change.
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"dev"_s)->notes, u"not saved yet"_s);
    QCOMPARE(saved(u"dev"_s)->pool.poolSize, 17);
}

void TestMainWindow::rememberedFingerprintSurvivesAnEditorSave()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    Profile dev = Profile::fromUrl(
            u"dev"_s, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    dev.passwordChangedAt = QDateTime::currentDateTimeUtc();
    SecretStore secrets;
    bool written = false;
    secrets.writePassword(dev.id, u"dev_password"_s, this,
                          [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    writeProfiles({dev});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    // An edit in progress while the test remembers the cluster.
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"typed before"_s);
    window.findChild<QTabWidget *>(u"profileTabWidget"_s)->setCurrentIndex(1); // Test
    QTest::mouseClick(window.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!saved(u"dev"_s)->fingerprint.isEmpty(), 15000);
    const ClusterFingerprint fingerprint = saved(u"dev"_s)->fingerprint;

    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"dev"_s)->notes, u"typed before"_s);
    QCOMPARE(saved(u"dev"_s)->fingerprint, fingerprint);
    bool deleted = false;
    secrets.deletePassword(dev.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
}

void TestMainWindow::testsAndPoolSamplesAreKeptInTheHistory()
{
    // Port 1 on loopback refuses: a real failure, no server needed.
    const Profile refused
            = Profile::fromUrl(u"refused"_s, Environment::Development,
                               *ConnectionUrl::parse(u"postgresql://u@127.0.0.1:1/db"_s));
    writeProfiles({refused});
    {
        MainWindow window(m_dir->path());
        QTRY_VERIFY(window.repository()->isLoaded());
        QVERIFY(showAndSettle(window));
        QVERIFY(window.selectProfileByName(u"refused"_s));
        auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
        pages->startTest();
        QTRY_COMPARE_WITH_TIMEOUT(
                window.findChild<QLabel *>(u"statusLightLabel"_s)->property("state").toString(),
                u"failed"_s, 20000);
        pages->setCurrentIndex(3); // Pool
        auto *pool = window.findChild<PoolMonitorView *>();
        QVERIFY(pool);
        QSignalSpy shown(pool, &PoolMonitorView::sampleShown);
        QVERIFY(shown.wait(20000));
    }
    // The window wrote what it had queued as it closed.
    const SystemClock clock;
    HistoryStore history(HistoryStore::pathIn(m_dir->path()), &clock);
    QVERIFY(history.open());
    const QList<HistoryTest> tests = history.tests(refused.id);
    QCOMPARE(tests.size(), 1);
    QCOMPARE(tests.first().category, u"connection_refused"_s);
    QCOMPARE(tests.first().failedStage, u"connect"_s);
    QVERIFY(!tests.first().summary.isEmpty());
    const QList<HistorySample> samples
            = history.samples(refused.id, 0, std::numeric_limits<qint64>::max());
    QVERIFY(!samples.isEmpty());
    QCOMPARE(samples.first().category, u"connection_refused"_s);
}

void TestMainWindow::importingTheSameFileTwiceAsksInsteadOfDuplicating()
{
    const QString path = QDir(m_dir->path()).filePath(u"app.env"_s);
    QFile env(path);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("DATABASE_URL=postgresql://orderflow@localhost:5432/orderflow\n"
              "TEST_DATABASE_URL=postgresql://orderflow@localhost:5432/orderflow_test\n");
    env.close();
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    window.importFrom(path);
    QTRY_VERIFY(findItem(tree, u"Development"_s) && findItem(tree, u"Test"_s));
    const QString firstId = saved(u"Development"_s)->id;

    // Again: the window asks, with a question that does not block it. Cancel imports nothing.
    QMessageBox *box = nullptr;
    const auto openedClashBox = [&window, &box]() {
        box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox *>(u"importClashBox"_s)));
    };
    const auto closedClashBox = [&window]() {
        QTRY_VERIFY(!window.findChild<QMessageBox *>(u"importClashBox"_s));
    };
    window.importFrom(path);
    openedClashBox();
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    closedClashBox();
    QTest::qWait(100);
    QCOMPARE(window.repository()->profiles().size(), 2);

    // Keep both: numbered names, as the command line's --rename.
    window.importFrom(path);
    openedClashBox();
    QVERIFY(box);
    box->findChild<QPushButton *>(u"keepBothButton"_s)->click();
    closedClashBox();
    QTRY_VERIFY(findItem(tree, u"Development 2"_s) && findItem(tree, u"Test 2"_s));

    // Replace: the same names, new profiles.
    window.importFrom(path);
    openedClashBox();
    QVERIFY(box);
    box->findChild<QPushButton *>(u"replaceButton"_s)->click();
    QTRY_VERIFY(saved(u"Development"_s) && saved(u"Development"_s)->id != firstId);
    QTRY_COMPARE(window.repository()->profiles().size(), 4);
    QTRY_VERIFY(window.findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"replaced"_s));
}

void TestMainWindow::twoWindowsStayConsistentAndAskBeforeOverwriting()
{
    writeProfiles({Profile::create(u"shared"_s, Environment::Development)});
    MainWindow first(m_dir->path());
    MainWindow second(m_dir->path());
    QVERIFY(showAndSettle(first));
    QVERIFY(showAndSettle(second));
    QTRY_VERIFY(first.repository()->isLoaded() && second.repository()->isLoaded());

    // An add in one shows in the other.
    QTest::mouseClick(first.findChild<QPushButton *>(u"addButton"_s), Qt::LeftButton);
    QTRY_VERIFY(findItem(second.findChild<QTreeWidget *>(u"profileTree"_s), u"New profile"_s));
    QVERIFY(first.selectProfileByName(u"shared"_s));
    QVERIFY(second.selectProfileByName(u"shared"_s));

    auto *mine = second.findChild<QPlainTextEdit *>(u"notesTextEdit"_s);
    auto *secondEditor = second.findChild<ProfileEditor *>(u"profileEditor"_s);
    auto *conflict = second.findChild<QFrame *>(u"conflictFrame"_s);

    // Different fields: merged without a question. Second edits the host, first the notes.
    auto *host = second.findChild<QLineEdit *>(u"hostLineEdit"_s);
    host->selectAll();
    QTest::keyClicks(host, u"127.0.0.3"_s);
    first.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"from first"_s);
    QTest::mouseClick(first.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(mine->toPlainText(), u"from first"_s);
    QVERIFY(!conflict->isVisible());
    QCOMPARE(host->text(), u"127.0.0.3"_s);
    QVERIFY(secondEditor->isDirty());
    QTest::mouseClick(second.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"shared"_s)->params.value(u"host"_s), u"127.0.0.3"_s);
    QCOMPARE(saved(u"shared"_s)->notes, u"from first"_s);
    QTRY_COMPARE(first.findChild<QLineEdit *>(u"hostLineEdit"_s)->text(), u"127.0.0.3"_s);

    // The same field: the user decides.
    for (const bool keepMine : {true, false}) {
        // Second has unsaved notes when first saves other notes.
        const QString mineText = keepMine ? u"mine"_s : u"mine, dropped"_s;
        const QString theirsText = keepMine ? u"theirs"_s : u"theirs, taken"_s;
        mine->setPlainText(mineText);
        first.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(theirsText);
        QTest::mouseClick(first.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
        QTRY_COMPARE(saved(u"shared"_s)->notes, theirsText);
        QTRY_VERIFY(conflict->isVisible());
        QVERIFY(second.findChild<QLabel *>(u"conflictLabel"_s)->text().contains(u"elsewhere"_s));
        QVERIFY(!second.findChild<QPushButton *>(u"saveButton"_s)->isEnabled());
        QCOMPARE(mine->toPlainText(), mineText); // nothing overwritten silently
        if (keepMine) {
            QTest::mouseClick(second.findChild<QPushButton *>(u"keepMineButton"_s), Qt::LeftButton);
            QVERIFY(!conflict->isVisible());
            QTest::mouseClick(second.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
            QTRY_COMPARE(saved(u"shared"_s)->notes, mineText);
            // And the first window follows.
            QTRY_COMPARE(first.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->toPlainText(),
                         mineText);
        } else {
            QTest::mouseClick(second.findChild<QPushButton *>(u"takeTheirsButton"_s),
                              Qt::LeftButton);
            QCOMPARE(mine->toPlainText(), theirsText);
            QVERIFY(!secondEditor->isDirty());
            QCOMPARE(saved(u"shared"_s)->notes, theirsText);
        }
    }
}

void TestMainWindow::aProfileDeletedElsewhereWhileEditedCanBeKept()
{
    writeProfiles({Profile::create(u"keep me"_s, Environment::Development),
                   Profile::create(u"other"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(window.selectProfileByName(u"keep me"_s));
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"my edits"_s);

    QCOMPARE(runCli({u"profiles"_s, u"remove"_s, u"keep me"_s}), 0);
    auto *conflict = window.findChild<QFrame *>(u"conflictFrame"_s);
    QTRY_VERIFY(conflict->isVisible());
    QVERIFY(window.findChild<QLabel *>(u"conflictLabel"_s)->text().contains(u"deleted"_s));
    QTest::mouseClick(window.findChild<QPushButton *>(u"keepMineButton"_s), Qt::LeftButton);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_VERIFY(saved(u"keep me"_s));
    QCOMPARE(saved(u"keep me"_s)->notes, u"my edits"_s);

    // Without edits, the window simply moves on.
    QCOMPARE(runCli({u"profiles"_s, u"remove"_s, u"keep me"_s}), 0);
    QTRY_COMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"other"_s);
}

void TestMainWindow::aPastedSqlAlchemyUrlSavesWithoutAFalseConflict()
{
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *url = window.findChild<QLineEdit *>(u"urlLineEdit"_s);
    url->selectAll();
    QTest::keyClicks(url, u"postgresql+psycopg://orderflow@127.0.0.4:5432/orderflow"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    QTRY_COMPARE(saved(u"dev"_s)->driver, u"psycopg"_s);
    QCOMPARE(saved(u"dev"_s)->params.value(u"host"_s), u"127.0.0.4"_s);
    QVERIFY(!window.findChild<QFrame *>(u"conflictFrame"_s)->isVisible());
    QTRY_VERIFY(!window.findChild<ProfileEditor *>(u"profileEditor"_s)->isDirty());
}

void TestMainWindow::closingWhileASaveIsUnderwayWaitsForIt()
{
    ORDERFLOW_REQUIRE_KEYRING();
    writeProfiles({Profile::create(u"dev"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    auto *password = window.findChild<QLineEdit *>(u"passwordLineEdit"_s);
    QTest::keyClicks(password, u"closing-time"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"saveButton"_s), Qt::LeftButton);
    // At once: the keychain has not answered yet.
    window.close();
    QVERIFY(window.isVisible());
    QTRY_VERIFY(!window.isVisible());
    QVERIFY(saved(u"dev"_s)->hasStoredPassword());
    SecretStore secrets;
    SecretResult read;
    bool done = false;
    secrets.readPassword(saved(u"dev"_s)->id, this, [&](const SecretResult &r) {
        read = r;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(read.password, u"closing-time"_s);
    secrets.deletePassword(saved(u"dev"_s)->id, this, [](const SecretResult &) {});
    QTest::qWait(200);
}

void TestMainWindow::theMenusReachEveryCommandByKeyboard()
{
    Profile fromCommand = Profile::create(u"vault"_s, Environment::Staging);
    fromCommand.passwordSource = PasswordSource::Command;
    fromCommand.passwordCommand = {u"vault"_s, u"read"_s, u"-field=password"_s, u"secret/db"_s};
    writeProfiles({Profile::create(u"dev"_s, Environment::Development), fromCommand});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    QStringList titles;
    QHash<QString, QAction *> actions;
    for (QAction *menu : window.menuBar()->actions()) {
        titles << menu->text().remove(u'&');
        for (QAction *action : menu->menu()->actions())
            actions.insert(action->text().remove(u'&'), action);
    }
    QCOMPARE(titles, QStringList({u"File"_s, u"Edit"_s, u"View"_s, u"Profile"_s, u"Help"_s}));
    for (const QString &name :
         {u"New Profile"_s, u"Import..."_s, u"Export..."_s, u"Quit"_s, u"Duplicate Profile"_s,
          u"Delete Profile..."_s, u"Find Profile"_s, u"Test Connection"_s, u"Read Me"_s})
        QVERIFY2(actions.contains(name) && !actions.value(name)->shortcut().isEmpty(),
                 qPrintable(name));
    QCOMPARE(actions.value(u"Quit"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
    // The pages, by name, in the View menu.
    QVERIFY(actions.contains(u"Security"_s) && actions.contains(u"Pool"_s));

    // The profile's commands on a right-click in the sidebar too, the same actions.
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QCOMPARE(tree->contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(tree->actions().contains(actions.value(u"Rotate Password..."_s)));

    // Rotation belongs to the secret manager of a command-sourced profile, and needs a saved
    // password otherwise: the command says why it is off.
    QAction *rotate = actions.value(u"Rotate Password..."_s);
    QVERIFY(window.selectProfileByName(u"vault"_s));
    QVERIFY(!rotate->isEnabled());
    QVERIFY2(rotate->toolTip().contains(u"secret manager"_s), qPrintable(rotate->toolTip()));
    QVERIFY(window.selectProfileByName(u"dev"_s));
    QVERIFY(!rotate->isEnabled());
    QVERIFY2(rotate->toolTip().contains(u"no saved password"_s), qPrintable(rotate->toolTip()));

    auto *pages = window.findChild<QTabWidget *>(u"profileTabWidget"_s);
    QTest::keyClick(&window, Qt::Key_5, Qt::AltModifier);
    QCOMPARE(pages->currentIndex(), 4);
    QVERIFY(window.findChild<SecurityAuditView *>(u"securityAuditView"_s));
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(pages->currentIndex(), 1); // Test, and a test under way
    QSignalSpy tested(window.findChild<ConnectionTestView *>(u"connectionTestView"_s),
                      &ConnectionTestView::attemptFinished);
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(window.findChild<QLineEdit *>(u"filterLineEdit"_s)->hasFocus());
    QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier);
    QTRY_VERIFY(saved(u"dev copy"_s).has_value());

    actions.value(u"About OrderFlow DB Admin"_s)->trigger();
    QMessageBox *about = nullptr;
    QTRY_VERIFY((about = window.findChild<QMessageBox *>(u"aboutBox"_s)));
    for (const QString &part : {u"Qt "_s, u"libpq "_s, u"OpenSSL "_s})
        QVERIFY2(about->informativeText().contains(part), qPrintable(about->informativeText()));
    QVERIFY(about->text().contains(QStringLiteral(ORDERFLOW_VERSION)));
    about->close();

    QTest::keyClick(&window, Qt::Key_F1);
    QTextBrowser *readme = nullptr;
    QTRY_VERIFY((readme = window.findChild<QTextBrowser *>(u"readmeBrowser"_s)));
    QVERIFY(readme->toPlainText().contains(u"rotate-password"_s));
    readme->window()->close();

    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(!window.isVisible());
}

void TestMainWindow::aRotationInATerminalReachesTheOpenWindow()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const QString role = u"terminal_rotation_%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    const QString oldPassword = u"rotateme2"_s;
    const Profile dev = writeProfileForNewRole(*server, u"dev"_s, Environment::Development, role,
                                               oldPassword);
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *pages = window.findChild<QTabWidget *>(u"profileTabWidget"_s);
    pages->setCurrentIndex(ProfilePages::SecurityPage);
    auto *view = window.findChild<SecurityAuditView *>(u"securityAuditView"_s);
    auto level = [view](const QString &id) {
        return auditLevel(view, id);
    };
    QTRY_COMPARE(level(u"password-age"_s), AuditItem::Level::Warn); // development: a warning

    // The window stays open while a terminal rotates the password.
    QCOMPARE(runCli({u"profiles"_s, u"rotate-password"_s, u"dev"_s}), 0);
    QVERIFY(!server->canLogIn(role, oldPassword));
    QTRY_COMPARE(level(u"password-age"_s), AuditItem::Level::Pass);
    QTRY_COMPARE(level(u"password-strength"_s), AuditItem::Level::Pass);
    // And its next test logs in with what the keychain holds now.
    pages->setCurrentIndex(ProfilePages::TestPage);
    auto *testView = window.findChild<ConnectionTestView *>(u"connectionTestView"_s);
    QSignalSpy tested(testView, &ConnectionTestView::attemptFinished);
    testView->startTest();
    QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
    QVERIFY(tested.first().first().value<AttemptResult>().ok);

    SecretStore secrets;
    bool deleted = false;
    secrets.deletePassword(dev.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
    server->superuserQuery(u"DROP ROLE \"%1\""_s.arg(role));
}

void TestMainWindow::aLongUrlNeverWidensTheWindowAndEveryPageFitsALaptopScreen()
{
    // An RDS-style URL of over 200 characters.
    const QString host = u"orderflow-production-cluster-eu-west-1.cluster-c1a2b3c4d5e6.eu-west-1"
                         ".rds.amazonaws.com"_s;
    const QString url = u"postgresql://orderflow_application_user@%1:5432/orderflow_production"
                        "?sslmode=verify-full&application_name=orderflow-api-worker&connect_"
                        "timeout=10"_s.arg(host);
    QVERIFY(url.size() > 200);
    const Profile rds
            = Profile::fromUrl(u"rds"_s, Environment::Staging, *ConnectionUrl::parse(url));
    writeProfiles({Profile::create(u"short"_s, Environment::Development), rds});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    window.resize(1366, 768);
    QVERIFY(showAndSettle(window));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.selectProfileByName(u"rds"_s));
    // What would widen the window: the least width its layout asks for.
    QVERIFY2(window.minimumSizeHint().width() <= 1366,
             qPrintable(QString::number(window.minimumSizeHint().width())));
    QTest::qWait(50);
    QCOMPARE(window.width(), 1366);
    auto *urlLabel = window.findChild<QLabel *>(u"urlLabel"_s);
    QCOMPARE(urlLabel->toolTip(), rds.redactedUrl());
    QVERIFY(urlLabel->text().endsWith(u"…"_s));

    // Each page at 1366x768: nothing asks for more, nothing scrolls sideways.
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    for (int page = 0; page < pages->count(); ++page) {
        pages->showPage(ProfilePages::Page(page));
        QCoreApplication::processEvents();
        const QSize needed = window.minimumSizeHint();
        QVERIFY2(needed.width() <= 1366 && needed.height() <= 768,
                 qPrintable(u"%1 needs %2x%3"_s.arg(pages->tabText(page))
                                    .arg(needed.width())
                                    .arg(needed.height())));
        for (auto *area : pages->currentWidget()->findChildren<QAbstractScrollArea *>()) {
            if (auto *scroll = qobject_cast<QScrollArea *>(area))
                QVERIFY2(!scroll->horizontalScrollBar()->isVisible(),
                         qPrintable(pages->tabText(page) + u" scrolls sideways"_s));
        }
    }
}

void TestMainWindow::atItsMinimumSizeEveryPageIsWhole()
{
    // A window manager lets the window shrink to its minimum size and no further: there, each
    // page's controls and the profile bar's buttons still get the width they ask for. (Once the
    // sidebar kept its width and the page scrolled sideways, its badge and buttons cut off.)
    writeProfiles({Profile::fromUrl(
            u"Staging orders"_s, Environment::Staging,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@db.staging.internal:5432/orderflow"_s))});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"Staging orders"_s));
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    for (int page = 0; page < pages->count(); ++page)
        pages->showPage(ProfilePages::Page(page));
    QCoreApplication::processEvents();
    auto notSqueezed = [](QWidget *widget) {
        return !widget->isVisible() || widget->width() >= widget->minimumSizeHint().width();
    };
    for (int page = 0; page < pages->count(); ++page) {
        pages->showPage(ProfilePages::Page(page));
        QCoreApplication::processEvents();
        window.resize(window.minimumSizeHint());
        // The layouts settle over a few passes of the event loop.
        QTRY_COMPARE(window.size(), window.minimumSizeHint());
        const QString name = pages->tabText(page);
        QVERIFY2(window.width() <= 1366 && window.height() <= 768,
                 qPrintable(u"%1: %2x%3"_s.arg(name).arg(window.width()).arg(window.height())));
        // The sidebar's buttons too: in one row they once held it 340 px wide.
        for (auto *button : window.findChild<QTreeWidget *>(u"profileTree"_s)
                                    ->parentWidget()
                                    ->findChildren<QPushButton *>())
            QVERIFY2(notSqueezed(button), qPrintable(name + u": "_s + button->objectName()));
        for (auto *scroll : pages->currentWidget()->findChildren<QScrollArea *>()) {
            QVERIFY2(notSqueezed(scroll->widget()),
                     qPrintable(u"%1: %2 px of the %3 its content needs"_s.arg(name)
                                        .arg(scroll->widget()->width())
                                        .arg(scroll->widget()->minimumSizeHint().width())));
        }
        auto *bar = window.findChild<ProfileBar *>();
        for (auto *control : bar->findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
            QVERIFY2(notSqueezed(control),
                     qPrintable(u"%1: the profile bar's %2 is %3 px of %4"_s.arg(name)
                                        .arg(control->objectName())
                                        .arg(control->width())
                                        .arg(control->minimumSizeHint().width())));
    }
}

void TestMainWindow::saveAndRevertStayInSightAtEverySize()
{
    // The tallest Connection page there is: production (its first-time notice above the
    // pages), through SSH (the route's rows), with unsaved edits. At the size the window opens
    // at, at its minimum and on a laptop screen, the form scrolls and Save and Revert stay
    // whole below it. (They were once below the fold at the default size.)
    Profile production = Profile::fromUrl(
            u"Prod EU"_s, Environment::Production,
            *ConnectionUrl::parse(u"postgresql://orderflow@db.prod.internal:5432/orderflow"
                                  "?sslmode=verify-full"_s));
    QString error;
    production.route = *Route::ssh(u"deploy@bastion.prod.internal"_s, u"jump.prod.internal"_s,
                                   QString(), &error);
    writeProfiles({production});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"Prod EU"_s));
    QVERIFY(window.findChild<QLabel *>(u"messageLabel"_s)->isVisible());
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    pages->showPage(ProfilePages::EditorPage);
    QTRY_VERIFY(window.findChild<QPushButton *>(u"saveButton"_s));
    window.findChild<QLineEdit *>(u"databaseLineEdit"_s)->setText(u"orderflow_eu"_s);
    auto *save = window.findChild<QPushButton *>(u"saveButton"_s);
    auto *revert = window.findChild<QPushButton *>(u"revertButton"_s);
    QVERIFY(revert->isEnabled());

    auto wholeInSight = [&window](QWidget *button) {
        const QRect inWindow(button->mapTo(&window, QPoint(0, 0)), button->size());
        return button->isVisible() && window.rect().contains(inWindow)
                && button->visibleRegion() == QRegion(button->rect());
    };
    const QSize opened = window.size();
    for (const QSize size : {opened, window.minimumSizeHint(), QSize(1366, 768)}) {
        window.resize(size);
        QTRY_COMPARE(window.size(), size);
        // The layouts settle over a few passes of the event loop.
        const QString at = u"%1x%2"_s.arg(size.width()).arg(size.height());
        QTRY_VERIFY2(wholeInSight(save), qPrintable(u"Save at "_s + at));
        QTRY_VERIFY2(wholeInSight(revert), qPrintable(u"Revert at "_s + at));
    }
}

void TestMainWindow::testResultsStayForTheSessionAndShowInTheSidebar()
{
    // Port 1 on loopback refuses: a real failure, no server needed.
    writeProfiles(
            {Profile::fromUrl(u"refused"_s, Environment::Development,
                              *ConnectionUrl::parse(u"postgresql://u@127.0.0.1:1/db"_s)),
             Profile::fromUrl(u"other"_s, Environment::Test,
                              *ConnectionUrl::parse(u"postgresql://u@127.0.0.2:5433/sales"_s))});
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    QVERIFY(window.selectProfileByName(u"refused"_s));
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    pages->startTest();
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    QTRY_COMPARE_WITH_TIMEOUT(light->property("state").toString(), u"failed"_s, 20000);
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTreeWidgetItem *refused = findItem(tree, u"refused"_s);
    QVERIFY(!refused->text(1).isEmpty()); // the time it ran
    QVERIFY2(refused->toolTip(1).contains(u"Failed: connection refused"_s),
             qPrintable(refused->toolTip(1)));

    // Away and back: the result stays for the session.
    QVERIFY(window.selectProfileByName(u"other"_s));
    QCOMPARE(light->property("state").toString(), u"unknown"_s);
    QVERIFY(findItem(tree, u"other"_s)->text(1).isEmpty());
    QVERIFY(window.selectProfileByName(u"refused"_s));
    QCOMPARE(light->property("state").toString(), u"failed"_s);
    // A redraw of the list (a change in another profile) keeps it too.
    QVERIFY(window.repository()->isLoaded());
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"third"_s, u"--url"_s,
                     u"postgresql://u@127.0.0.3/x"_s}),
             0);
    QTRY_VERIFY(findItem(tree, u"third"_s));
    QVERIFY(!findItem(tree, u"refused"_s)->text(1).isEmpty());

    // The filter also matches the host, the port and the database.
    auto *filter = window.findChild<QLineEdit *>(u"filterLineEdit"_s);
    for (const QString &needle : {u"127.0.0.2"_s, u"5433"_s, u"sales"_s}) {
        filter->setText(needle);
        QVERIFY(!findItem(tree, u"other"_s)->isHidden());
        QVERIFY2(findItem(tree, u"refused"_s)->isHidden(), qPrintable(needle));
    }
}

void TestMainWindow::theLastTestsAreShownAgainWhenTheWindowOpens()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    writeDevelopmentProfile(u"remembered"_s, *server);
    // What the first window showed of its test.
    QString headline;
    QString state;
    QDateTime testedAt;
    QString exactTime;
    {
        MainWindow window(m_dir->path());
        QTRY_VERIFY(window.repository()->isLoaded());
        QVERIFY(showAndSettle(window));
        auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
        pages->startTest();
        auto *table = window.findChild<QTableWidget *>(u"recentTestsTable"_s);
        QVERIFY(table);
        // Shown at once, before the history's writer has written it.
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, 20000);
        headline = window.findChild<QLabel *>(u"headlineLabel"_s)->text();
        state = window.findChild<QLabel *>(u"statusLightLabel"_s)->property("state").toString();
        QVERIFY2(state == u"ok"_s || state == u"warning"_s, qPrintable(headline));
        QVERIFY(window.findChild<QLabel *>(u"lastTestLabel"_s)
                        ->text()
                        .startsWith(state == u"ok"_s ? u"Last test: Passed "_s
                                                     : u"Last test: Connected, but "_s));
        QTreeWidgetItem *item
                = findItem(window.findChild<QTreeWidget *>(u"profileTree"_s), u"remembered"_s);
        testedAt = item->data(1, Qt::UserRole).toDateTime();
        QVERIFY(testedAt.isValid());
        exactTime = table->item(0, 0)->toolTip();
        QVERIFY(!exactTime.isEmpty());
    }

    // Another window on the same folder, as after a restart: it reads the test back.
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTRY_COMPARE(findItem(tree, u"remembered"_s)->data(1, Qt::UserRole).toDateTime(), testedAt);
    QTreeWidgetItem *item = findItem(tree, u"remembered"_s);
    QVERIFY(!item->text(1).isEmpty());
    // In words for a screen reader, the exact time and the summary in its tooltip.
    const QString spoken = item->data(1, Qt::AccessibleTextRole).toString();
    QVERIFY2(spoken.startsWith(state == u"ok"_s ? u"Passed "_s : u"Connected, but "_s),
             qPrintable(spoken));
    QVERIFY2(item->toolTip(1).contains(exactTime), qPrintable(item->toolTip(1)));
    QVERIFY2(item->data(1, Qt::AccessibleDescriptionRole).toString().contains(headline),
             qPrintable(item->data(1, Qt::AccessibleDescriptionRole).toString()));
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    QCOMPARE(light->property("state").toString(), state);
    QCOMPARE(light->toolTip(), headline);

    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    pages->showPage(ProfilePages::TestPage);
    auto *table = window.findChild<QTableWidget *>(u"recentTestsTable"_s);
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QVERIFY(table->isVisible());
    QCOMPARE(table->accessibleName(), u"Recent tests"_s);
    QCOMPARE(table->item(0, 0)->toolTip(), exactTime);
    QCOMPARE(table->item(0, 1)->data(Qt::AccessibleTextRole).toString(),
             state == u"ok"_s ? u"Passed"_s : u"Checks failed"_s);
    QVERIFY(table->item(0, 2)->text().endsWith(u" ms"_s));
    QVERIFY(window.findChild<QLabel *>(u"lastTestLabel"_s)->text().startsWith(u"Last test: "_s));

    // Another test: it comes first, the remembered one after it.
    pages->startTest();
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 2, 20000);
    QCOMPARE(table->item(1, 0)->toolTip(), exactTime);
    QVERIFY(findItem(tree, u"remembered"_s)->data(1, Qt::UserRole).toDateTime() > testedAt);
}

void TestMainWindow::checksRunInATerminalShowInTheWindow()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"passing"_s, u"--url"_s,
                     u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=disable"_s
                             .arg(server->port)}),
             0);
    // Port 1 on loopback refuses: a real failure.
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"refused"_s, u"--url"_s,
                     u"postgresql://orderflow@127.0.0.1:1/orderflow"_s}),
             0);
    const int passed = runCli({u"check"_s, u"--profile"_s, u"passing"_s});
    QVERIFY2(passed == 0 || passed == 3, qPrintable(QString::number(passed)));
    QCOMPARE(runCli({u"check"_s, u"--profile"_s, u"refused"_s}), 1);

    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    const auto spoken = [&](const QString &name) {
        QTreeWidgetItem *item = findItem(tree, name);
        return item ? item->data(1, Qt::AccessibleTextRole).toString() : QString();
    };
    QTRY_VERIFY2(spoken(u"refused"_s).startsWith(u"Failed: connection refused, "_s),
                 qPrintable(spoken(u"refused"_s)));
    QTRY_VERIFY2(spoken(u"passing"_s).startsWith(passed == 0 ? u"Passed "_s : u"Connected, but "_s),
                 qPrintable(spoken(u"passing"_s)));
    QVERIFY(window.selectProfileByName(u"refused"_s));
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    QCOMPARE(light->property("state").toString(), u"failed"_s);
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    pages->showPage(ProfilePages::TestPage);
    auto *table = window.findChild<QTableWidget *>(u"recentTestsTable"_s);
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QVERIFY2(table->item(0, 1)->text().contains(u"Failed: connection refused"_s),
             qPrintable(table->item(0, 1)->text()));

    // The window stays open while the terminal checks again: the profile shows it when next
    // selected.
    QVERIFY(window.selectProfileByName(u"passing"_s));
    QCOMPARE(runCli({u"check"_s, u"--profile"_s, u"refused"_s}), 1);
    QVERIFY(window.selectProfileByName(u"refused"_s));
    QTRY_COMPARE(table->rowCount(), 2);
    QCOMPARE(light->property("state").toString(), u"failed"_s);

    // And while the window shows it: the file changed, so the test shows with no click (and,
    // under the offscreen platform, no window activation either).
    QCOMPARE(runCli({u"check"_s, u"--profile"_s, u"refused"_s}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, 10000);
    QCOMPARE(runCli({u"profiles"_s, u"remove"_s, u"passing"_s}), 0);
}

void TestMainWindow::theImportDialogShowsDotFilesAndImportsTheOneChosen()
{
    const QString path = QDir(m_dir->path()).filePath(u".env"_s);
    QFile env(path);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("DATABASE_URL=postgresql://orderflow@localhost:5432/orderflow\n");
    env.close();
    MainWindow window(m_dir->path());
    QVERIFY(showAndSettle(window));
    QTRY_VERIFY(window.repository()->isLoaded());
    window.findChild<QPushButton *>(u"importButton"_s)->click();
    QFileDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<QFileDialog *>(u"importFileDialog"_s)));
    // Open without blocking, and showing what an ls -a shows.
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->filter().testFlag(QDir::Hidden));
    dialog->setDirectory(m_dir->path());
    dialog->selectFile(path);
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept")); // the Open button
    QTRY_VERIFY(findItem(window.findChild<QTreeWidget *>(u"profileTree"_s), u"Development"_s));
}

// The Server page, the Pool page and check --json, open at once on one database, count the same
// sessions the same way: the application's in the database, the tool's own apart (each sees the
// others' sessions as the tool's, not as the application's).
void TestMainWindow::theServerAndPoolPagesAndTheCommandLineCountAlike()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const QString database = u"counts_%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    server->superuserQuery(u"CREATE DATABASE %1 OWNER orderflow"_s.arg(database));
    std::vector<std::unique_ptr<PGconn, decltype(&PQfinish)>> application;
    for (int i = 0; i < 3; ++i) {
        const QByteArray conninfo = u"host=127.0.0.1 port=%1 user=orderflow password=dev_password "
                                    "dbname=%2 application_name=orderflow-api"_s.arg(server->port)
                                            .arg(database)
                                            .toUtf8();
        application.emplace_back(PQconnectdb(conninfo.constData()), &PQfinish);
        QCOMPARE(PQstatus(application.back().get()), CONNECTION_OK);
    }
    // The profile's URL names the application: the tool's sessions must not pass for it.
    Profile profile = Profile::fromUrl(
            u"counted"_s, Environment::Development,
            *ConnectionUrl::parse(u"postgresql://orderflow@127.0.0.1:%1/%2?sslmode=disable"
                                  "&application_name=orderflow-api"_s.arg(server->port)
                                          .arg(database)));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    writeProfileWithPassword(profile, u"dev_password"_s);
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    // A test first: the Server page's refreshes recheck it but do not move its time.
    pages->startTest();
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
            findItem(tree, u"counted"_s)->data(1, Qt::UserRole).toDateTime().isValid(), 20000);
    const QDateTime testedAt = findItem(tree, u"counted"_s)->data(1, Qt::UserRole).toDateTime();
    auto *light = window.findChild<QLabel *>(u"statusLightLabel"_s);
    const QString testedState = light->property("state").toString();
    QVERIFY2(testedState == u"ok"_s || testedState == u"warning"_s, qPrintable(testedState));
    pages->setCurrentIndex(3); // Pool: its monitor connects first
    auto *pool = window.findChild<PoolMonitorView *>();
    QVERIFY(pool);
    std::optional<ActivitySample> sample;
    connect(pool, &PoolMonitorView::sampleShown, this,
            [&sample](const ActivitySample &shown) { sample = shown; });
    QTRY_VERIFY2_WITH_TIMEOUT(
            sample && sample->ok,
            qPrintable(pool->findChild<QLabel *>(u"samplerStatusLabel"_s)->text()), 20000);
    pages->setCurrentIndex(2); // Server: its session sees the monitor's
    auto *panel = window.findChild<ServerPanel *>();
    QVERIFY(panel);
    auto *bar = panel->findChild<CapacityBar *>(u"capacityBar"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bar->counts().maxConnections > 0, 20000);
    sample.reset();
    QTRY_VERIFY_WITH_TIMEOUT(sample && sample->ok, 20000); // one that sees the Server page's
    QSignalSpy refreshed(panel, &ServerPanel::refreshed);
    panel->session()->refreshNow();
    QVERIFY(refreshed.wait(10000));
    // With the server's texts in, no label asks for a width that would widen the window (the
    // version string and refresh time once took 744 px).
    for (const QLabel *label : window.findChildren<QLabel *>()) {
        if (label->isVisible())
            QVERIFY2(label->minimumSizeHint().width() <= 500,
                     qPrintable(label->objectName() + u": "_s + label->text()));
    }
    QCOMPARE(findItem(tree, u"counted"_s)->data(1, Qt::UserRole).toDateTime(), testedAt);
    QCOMPARE(light->property("state").toString(), testedState);

    const SlotCounts serverPage = bar->counts();
    const SlotCounts poolPage = sample->counts;
    QCOMPARE(serverPage.inDatabase, 3);
    QCOMPARE(poolPage.inDatabase, 3);
    QCOMPARE(sample->byApplication.value(u"orderflow-api"_s), 3);
    QVERIFY2(serverPage.toolSessions >= 2 && poolPage.toolSessions >= 2,
             qPrintable(u"%1, %2"_s.arg(serverPage.toolSessions).arg(poolPage.toolSessions)));
    // Both say it in the same words.
    const QString inDatabase = u"3 in database \u2068%1\u2069"_s.arg(database);
    QVERIFY(panel->findChild<QLabel *>(u"capacityLabel"_s)->text().contains(inDatabase));
    QVERIFY(pool->findChild<QLabel *>(u"samplerStatusLabel"_s)->text().contains(inDatabase));
    QVERIFY(panel->findChild<QLabel *>(u"toolSessionsLabel"_s)->text().contains(u"left out"_s));

    // A terminal at the same time: check counts its own session and the window's as the tool's.
    const TestEnvironment::ProcessResult check
            = TestEnvironment::run({u"check"_s, u"--profile"_s, u"counted"_s, u"--json"_s},
                                   TestEnvironment::processEnvironment(m_dir->path()));
    const QJsonObject connections = QJsonDocument::fromJson(check.out.toUtf8())
                                            .object()
                                            .value(u"connections"_s)
                                            .toObject();
    QCOMPARE(connections.value(u"in_database"_s).toInt(), 3);
    QVERIFY(connections.value(u"tool_sessions"_s).toInt() >= 3);
    application.clear();
    pages->setCurrentIndex(0);
    SecretStore secrets;
    bool deleted = false;
    secrets.deletePassword(profile.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
}

namespace {

// Where a reader meets a widget: its place on its page, and inside a scrolling body, its place
// in the body (whatever the scrolling shows now), outermost first.
QList<QPoint> readingPlace(QWidget *widget, QWidget *page)
{
    QList<QPoint> place;
    QWidget *inner = widget;
    for (QWidget *up = widget->parentWidget(); up && up != page; up = up->parentWidget()) {
        if (auto *scroll = qobject_cast<QScrollArea *>(up)) {
            place.prepend(inner->mapTo(scroll->widget(), QPoint(0, 0)));
            inner = scroll;
        }
    }
    place.prepend(inner->mapTo(page, QPoint(0, 0)));
    return place;
}

// Whether b comes after a in reading order: further down, or on the same line (12 px) to the
// right; a place inside a scrolling body decides only when the bodies are the same.
bool readsAfter(const QList<QPoint> &a, const QList<QPoint> &b)
{
    for (qsizetype level = 0; level < std::min(a.size(), b.size()); ++level) {
        const int dy = b[level].y() - a[level].y();
        const int dx = b[level].x() - a[level].x();
        if (dy > 12 || (std::abs(dy) <= 12 && dx > 0))
            return true;
        if (dy < -12 || (std::abs(dy) <= 12 && dx < 0))
            return false;
    }
    return true;
}

// Whether the widget shows in every scrolling body around it.
bool inSight(QWidget *widget)
{
    for (QWidget *up = widget->parentWidget(); up; up = up->parentWidget()) {
        if (auto *scroll = qobject_cast<QScrollArea *>(up)) {
            const QRect shown(widget->mapTo(scroll->viewport(), QPoint(0, 0)), widget->size());
            if (!scroll->viewport()->rect().intersects(shown))
                return false;
        }
    }
    return true;
}

QString describe(QWidget *widget)
{
    return widget->objectName().isEmpty() ? QString::fromLatin1(widget->metaObject()->className())
                                          : widget->objectName();
}

} // namespace

// On every page, Tab from the filter reaches every control once, in the order a reader meets
// them: the sidebar, the profile bar, the page tabs, then the page top to bottom, left to right.
void TestMainWindow::tabWalksTheWindowInReadingOrder()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const Profile alpha = writeDevelopmentProfile(u"alpha"_s, *server);
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    window.resize(1366, 768);
    QVERIFY(showAndSettle(window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.selectProfileByName(u"alpha"_s));
    auto *pages = window.findChild<ProfilePages *>(u"profileTabWidget"_s);
    auto *filter = window.findChild<QLineEdit *>(u"filterLineEdit"_s);
    const QStringList frame{u"filterLineEdit"_s, u"profileTree"_s,
                            u"addButton"_s,      u"duplicateButton"_s,
                            u"deleteButton"_s,   u"importButton"_s,
                            u"copyUrlButton"_s,  u"copyUrlWithPasswordButton"_s,
                            u"exportButton"_s,   u"qt_tabwidget_tabbar"_s};
    // A test run first, so that the Test page has its results and their buttons.
    pages->setCurrentIndex(1);
    pages->startTest();
    QTRY_VERIFY_WITH_TIMEOUT(findItem(window.findChild<QTreeWidget *>(u"profileTree"_s), u"alpha"_s)
                                     ->data(1, Qt::UserRole)
                                     .toDateTime()
                                     .isValid(),
                             20000);
    // The page's controls as Tab reaches them (after the frame's), in names.
    auto walk = [&](int index, QStringList &names) {
        pages->setCurrentIndex(index);
        QWidget *page = pages->currentWidget();
        if (index == 2) { // the Server page, once it has shown the server
            QTRY_VERIFY_WITH_TIMEOUT(window.findChild<CapacityBar *>(u"capacityBar"_s)
                                             && window.findChild<CapacityBar *>(u"capacityBar"_s)
                                                             ->counts()
                                                             .maxConnections
                                                     > 0,
                                     20000);
        }
        filter->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), filter);
        QList<QWidget *> chain;
        for (int step = 0; step < 300; ++step) {
            QWidget *focused = QApplication::focusWidget();
            QVERIFY(focused);
            if (focused == filter && !chain.isEmpty())
                break;
            // Tab may move between an editable table's cells before it leaves the table.
            if (!chain.isEmpty() && focused == chain.last()
                && qobject_cast<QAbstractItemView *>(focused)
                && qobject_cast<QAbstractItemView *>(focused)->tabKeyNavigation()) {
                QTest::keyClick(focused, Qt::Key_Tab);
                continue;
            }
            QVERIFY2(!chain.contains(focused), qPrintable(describe(focused)));
            QVERIFY2(inSight(focused), qPrintable(describe(focused) + u" is out of sight"_s));
            chain << focused;
            QTest::keyClick(focused, Qt::Key_Tab);
        }
        const QString tab = pages->tabText(index);
        names.clear();
        for (QWidget *widget : std::as_const(chain))
            names << describe(widget);
        QCOMPARE(names.mid(0, frame.size()), frame);

        // Every control in sight is reached.
        for (QWidget *widget : window.findChildren<QWidget *>()) {
            if (widget->isVisible() && widget->isEnabled()
                && (widget->focusPolicy() & Qt::TabFocus) == Qt::TabFocus && !widget->focusProxy()
                && !qobject_cast<QAbstractItemView *>(
                        widget->parentWidget() ? widget->parentWidget()->parentWidget() : nullptr))
                QVERIFY2(chain.contains(widget),
                         qPrintable(u"%1: %2 is not reached by Tab (%3)"_s.arg(
                                 tab, describe(widget), names.join(u", "_s))));
        }
        // The page's controls in reading order.
        for (qsizetype i = frame.size() + 1; i < chain.size(); ++i) {
            QVERIFY2(readsAfter(readingPlace(chain[i - 1], page), readingPlace(chain[i], page)),
                     qPrintable(u"%1: %2 comes before %3 (%4)"_s.arg(tab, describe(chain[i - 1]),
                                                                     describe(chain[i]),
                                                                     names.join(u", "_s))));
        }
        if (index == 0) {
            QCOMPARE(names.last(), u"saveButton"_s);
            // Back from Save into the form scrolled to its top: the last field comes into sight.
            window.findChild<QScrollArea *>(u"editorScrollArea"_s)
                    ->verticalScrollBar()
                    ->setValue(0);
            chain.last()->setFocus();
            QTest::keyClick(chain.last(), Qt::Key_Tab, Qt::ShiftModifier);
            QWidget *back = QApplication::focusWidget();
            // Revert is there (before Save) while the form has edits.
            if (describe(back) == u"revertButton"_s) {
                QTest::keyClick(back, Qt::Key_Tab, Qt::ShiftModifier);
                back = QApplication::focusWidget();
            }
            QCOMPARE(describe(back), u"notesTextEdit"_s);
            QVERIFY(inSight(back));
        }
    };
    for (int index = 0; index < pages->count(); ++index) {
        QStringList names;
        walk(index, names);
        if (QTest::currentTestFailed())
            return;
        if (index == 0)
            QVERIFY(names.contains(u"routeComboBox"_s));
    }

    // The Connection page with each route's rows: they come after the database, in order.
    auto *route = window.findChild<QComboBox *>(u"routeComboBox"_s);
    const QList<std::pair<int, QStringList>> routes{
            {route->findText(u"Through SSH"_s),
             {u"databaseLineEdit"_s, u"routeComboBox"_s, u"sshHostLineEdit"_s,
              u"jumpHostsLineEdit"_s, u"identityFileLineEdit"_s, u"identityFileBrowseButton"_s,
              // Its field is off while "None" is chosen.
              u"sshSecretComboBox"_s, u"sslModeComboBox"_s}},
            {route->findText(u"Through a tunnel command"_s),
             {u"databaseLineEdit"_s, u"routeComboBox"_s, u"tunnelCommandLineEdit"_s,
              u"sslModeComboBox"_s}}};
    window.findChild<QLineEdit *>(u"sshHostLineEdit"_s)->setText(u"bastion-eu"_s);
    window.findChild<QLineEdit *>(u"tunnelCommandLineEdit"_s)
            ->setText(u"kubectl port-forward svc/postgres {port}:5432"_s);
    for (const auto &[choice, rows] : routes) {
        route->setCurrentIndex(choice);
        QStringList names;
        walk(0, names);
        if (QTest::currentTestFailed())
            return;
        const qsizetype at = names.indexOf(rows.first());
        QVERIFY2(at >= 0 && names.mid(at, rows.size()) == rows, qPrintable(names.join(u", "_s)));
    }
    QTest::mouseClick(window.findChild<QPushButton *>(u"revertButton"_s), Qt::LeftButton);

    SecretStore secrets;
    bool deleted = false;
    secrets.deletePassword(alpha.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
