#include "MainWindow.h"
#include "ProfileEditor.h"
#include "ShownWindow.h"
#include "TestEnvironment.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTreeWidget>

#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;

/// The Connection page's route rows (directly, through SSH, through a tunnel command), the
/// profile bar and the sidebar that show the route, and the command line that reads and writes
/// the same profiles, driven through the real widgets offscreen.
class TestRouteEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void anSshRouteChosenInTheWindowIsSavedAndListedByTheCommandLine();
    void aRouteAddedInATerminalShowsAndNoWindowSaveRevertsIt();
    void anInvalidRouteIsShownAtItsFieldAndNothingIsSaved();
    void aTunnelCommandWithQuotedArgumentsRoundTrips();
    void switchingProfilesShowsEachRouteRowWhole();
    void theSshPassphraseTypedInTheWindowGoesToTheKeychainOnly();

private:
    /// A window on a new development profile "dev", shown; null when it did not load.
    std::unique_ptr<MainWindow> openOnDev();
    std::optional<Profile> saved(const QString &name) const;
    QByteArray profilesFile() const;
    TestEnvironment::ProcessResult runCli(const QStringList &arguments) const;
    /// The route of a profile as `profiles list --json` prints it (null for a direct route).
    QJsonValue listedRoute(const QString &name) const;
    static void chooseRoute(QWidget &window, const QString &text);
    static void type(QWidget &window, const QString &objectName, const QString &text);
    static bool shows(QWidget &window, const QString &objectName);
    static QTreeWidgetItem *findItem(QWidget &window, const QString &name);
    static void save(QWidget &window);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRouteEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

std::unique_ptr<MainWindow> TestRouteEditor::openOnDev()
{
    ProfileStore store(m_dir->path());
    store.load();
    if (!store.add(Profile::create(u"dev"_s, Environment::Development)) || !store.save())
        return nullptr;
    auto window = std::make_unique<MainWindow>(m_dir->path());
    if (!QTest::qWaitFor([&window]() { return window->repository()->isLoaded(); }))
        return nullptr;
    if (!showAndSettle(*window))
        return nullptr;
    if (!window->selectProfileByName(u"dev"_s))
        return nullptr;
    return window;
}

std::optional<Profile> TestRouteEditor::saved(const QString &name) const
{
    ProfileStore store(m_dir->path());
    store.load(ProfileStore::DamagedFile::LeaveInPlace);
    return store.findByName(name);
}

QByteArray TestRouteEditor::profilesFile() const
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

TestEnvironment::ProcessResult TestRouteEditor::runCli(const QStringList &arguments) const
{
    return TestEnvironment::run(arguments, TestEnvironment::processEnvironment(m_dir->path()));
}

QJsonValue TestRouteEditor::listedRoute(const QString &name) const
{
    const TestEnvironment::ProcessResult listed = runCli({u"profiles"_s, u"list"_s, u"--json"_s});
    if (listed.exitCode != 0)
        return u"exit code %1: %2"_s.arg(QString::number(listed.exitCode), listed.err);
    for (const QJsonValue &profile : QJsonDocument::fromJson(listed.out.toUtf8()).array()) {
        if (profile[u"name"_s].toString() == name)
            return profile[u"route"_s];
    }
    return u"not listed"_s;
}

void TestRouteEditor::chooseRoute(QWidget &window, const QString &text)
{
    auto *combo = window.findChild<QComboBox *>(u"routeComboBox"_s);
    QVERIFY(combo && combo->isVisible());
    const int index = combo->findText(text);
    QVERIFY2(index >= 0, qPrintable(text));
    // As the keyboard does: Up and Down step through the choices.
    combo->setFocus();
    while (combo->currentIndex() != index)
        QTest::keyClick(combo, combo->currentIndex() < index ? Qt::Key_Down : Qt::Key_Up);
}

void TestRouteEditor::type(QWidget &window, const QString &objectName, const QString &text)
{
    auto *edit = window.findChild<QLineEdit *>(objectName);
    QVERIFY2(edit && edit->isVisible(), qPrintable(objectName));
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

bool TestRouteEditor::shows(QWidget &window, const QString &objectName)
{
    auto *widget = window.findChild<QWidget *>(objectName);
    return widget && widget->isVisible();
}

QTreeWidgetItem *TestRouteEditor::findItem(QWidget &window, const QString &name)
{
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    for (QTreeWidgetItem *item : tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive)) {
        if (item->parent())
            return item;
    }
    return nullptr;
}

void TestRouteEditor::save(QWidget &window)
{
    auto *button = window.findChild<QPushButton *>(u"saveButton"_s);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void TestRouteEditor::anSshRouteChosenInTheWindowIsSavedAndListedByTheCommandLine()
{
    const auto opened = openOnDev();
    QVERIFY(opened);
    MainWindow &window = *opened;

    // A direct route shows none of the route's rows, and nothing in the bar.
    for (const QString &row : {u"sshHostLineEdit"_s, u"jumpHostsLineEdit"_s,
                               u"identityFileLineEdit"_s, u"identityFileBrowseButton"_s,
                               u"tunnelCommandLineEdit"_s, u"routeNoteLabel"_s, u"routeLabel"_s})
        QVERIFY2(!shows(window, row), qPrintable(row));

    chooseRoute(window, u"Through SSH"_s);
    for (const QString &row :
         {u"sshHostLineEdit"_s, u"jumpHostsLineEdit"_s, u"identityFileLineEdit"_s,
          u"identityFileBrowseButton"_s, u"routeNoteLabel"_s})
        QVERIFY2(shows(window, row), qPrintable(row));
    QVERIFY(!shows(window, u"tunnelCommandLineEdit"_s));
    QVERIFY(window.findChild<QLabel *>(u"routeNoteLabel"_s)->text().contains(u"last SSH host"_s));
    // No host yet: said under the field, and Save waits for it.
    QVERIFY(shows(window, u"sshHostErrorLabel"_s));
    QVERIFY(!window.findChild<QPushButton *>(u"saveButton"_s)->isEnabled());

    type(window, u"sshHostLineEdit"_s, u"deploy@bastion-eu:2222"_s);
    QVERIFY(!shows(window, u"sshHostErrorLabel"_s));
    type(window, u"jumpHostsLineEdit"_s, u"jump-1, ops@jump-2"_s);

    // Browse opens a dialog without blocking, where the keys are, dot files included.
    const QString keys = QDir(m_dir->path()).filePath(u"keys"_s);
    QVERIFY(QDir().mkpath(keys));
    const QString key = QDir(keys).filePath(u"orderflow_ed25519"_s);
    QFile keyFile(key);
    QVERIFY(keyFile.open(QIODevice::WriteOnly));
    keyFile.close();
    type(window, u"identityFileLineEdit"_s, QDir(keys).filePath(u"old_key"_s));
    window.findChild<QPushButton *>(u"identityFileBrowseButton"_s)->click();
    QFileDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<QFileDialog *>(u"identityFileDialog"_s)));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->filter().testFlag(QDir::Hidden));
    QCOMPARE(QDir(dialog->directory()).canonicalPath(), QDir(keys).canonicalPath());
    dialog->selectFile(key);
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept")); // the Open button
    QTRY_COMPARE(window.findChild<QLineEdit *>(u"identityFileLineEdit"_s)->text(), key);

    // A URL pasted afterwards changes the connection, not the route.
    type(window, u"urlLineEdit"_s, u"postgresql://orderflow@db.internal:5432/orderflow"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"sshHostLineEdit"_s)->text(),
             u"deploy@bastion-eu:2222"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"identityFileLineEdit"_s)->text(), key);
    save(window);

    QTRY_VERIFY(saved(u"dev"_s).value_or(Profile()).route.kind == Route::Kind::Ssh);
    const QJsonObject inFile = QJsonDocument::fromJson(profilesFile())
                                       .object()[u"profiles"_s]
                                       .toArray()
                                       .first()[u"route"_s]
                                       .toObject();
    QCOMPARE(inFile,
             (QJsonObject{{u"kind"_s, u"ssh"_s},
                          {u"destination"_s, u"deploy@bastion-eu:2222"_s},
                          {u"jumps"_s, u"jump-1,ops@jump-2"_s},
                          {u"identity_file"_s, key}}));
    QCOMPARE(saved(u"dev"_s)->params.value(u"host"_s), u"db.internal"_s);
    const QString redacted = u"ssh deploy@bastion-eu:2222 -J jump-1,ops@jump-2 -i "_s + key;
    QCOMPARE(listedRoute(u"dev"_s),
             QJsonValue(QJsonObject{{u"kind"_s, u"ssh"_s},
                                    {u"route"_s, redacted},
                                    {u"ssh_secret"_s, QJsonValue()}}));

    // The bar names the first hop and the last, the whole route in its tooltip.
    auto *route = window.findChild<QLabel *>(u"routeLabel"_s);
    QTRY_VERIFY(route->isVisible());
    QCOMPARE(route->accessibleName(), u"via jump-1, then bastion-eu"_s);
    QCOMPARE(route->accessibleDescription(), redacted);
    QCOMPARE(QTextDocumentFragment::fromHtml(route->toolTip()).toPlainText(), redacted);
    // So does the sidebar, for the eye and for a screen reader.
    QTreeWidgetItem *item = findItem(window, u"dev"_s);
    QVERIFY2(QTextDocumentFragment::fromHtml(item->toolTip(0))
                     .toPlainText()
                     .endsWith(u"\nvia jump-1, then bastion-eu"_s),
             qPrintable(item->toolTip(0)));
    QCOMPARE(item->data(0, Qt::AccessibleDescriptionRole).toString(),
             u"via jump-1, then bastion-eu"_s);

    // Back to Directly: the rows and the bar's route go, and the file has no route.
    chooseRoute(window, u"Directly"_s);
    QVERIFY(!shows(window, u"sshHostLineEdit"_s));
    QVERIFY(!shows(window, u"routeNoteLabel"_s));
    save(window);
    QTRY_VERIFY(saved(u"dev"_s).value_or(Profile()).route.isDirect());
    QVERIFY(!profilesFile().contains("\"route\""));
    QTRY_VERIFY(!route->isVisible());
    QVERIFY(!findItem(window, u"dev"_s)->data(0, Qt::AccessibleDescriptionRole).isValid());
    QCOMPARE(listedRoute(u"dev"_s), QJsonValue());
}

void TestRouteEditor::aRouteAddedInATerminalShowsAndNoWindowSaveRevertsIt()
{
    const auto opened = openOnDev();
    QVERIFY(opened);
    MainWindow &window = *opened;

    // A name that looks like HTML: the sidebar shows it as it is.
    const QString name = u"eu-replica <b>&</b>"_s;
    const TestEnvironment::ProcessResult added
            = runCli({u"profiles"_s, u"add"_s, name, u"--url"_s,
                      u"postgresql://orderflow@10.1.2.3:5432/orderflow"_s, u"--ssh"_s,
                      u"deploy@bastion-eu"_s, u"--ssh-jump"_s, u"jump-1"_s, u"--ssh-identity"_s,
                      u"~/.ssh/orderflow_ed25519"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QTRY_VERIFY(findItem(window, name));
    QCOMPARE(QTextDocumentFragment::fromHtml(findItem(window, name)->toolTip(0)).toPlainText(),
             u"%1 (Other)\npostgresql://orderflow@10.1.2.3:5432/orderflow\nvia jump-1, then "
             "bastion-eu"_s.arg(name));
    QVERIFY(window.selectProfileByName(name));

    auto *route = window.findChild<QLabel *>(u"routeLabel"_s);
    QTRY_VERIFY(route->isVisible());
    QCOMPARE(route->accessibleName(), u"via jump-1, then bastion-eu"_s);
    QCOMPARE(window.findChild<QComboBox *>(u"routeComboBox"_s)->currentText(), u"Through SSH"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"sshHostLineEdit"_s)->text(), u"deploy@bastion-eu"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"jumpHostsLineEdit"_s)->text(), u"jump-1"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"identityFileLineEdit"_s)->text(),
             u"~/.ssh/orderflow_ed25519"_s);
    // Filled, not edited.
    auto *editor = window.findChild<ProfileEditor *>(u"profileEditor"_s);
    QVERIFY(!editor->isDirty());
    const Route fromCli = saved(name)->route;

    // A save of another field keeps the route.
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"replica in eu-west"_s);
    save(window);
    QTRY_COMPARE(saved(name).value_or(Profile()).notes, u"replica in eu-west"_s);
    QVERIFY(saved(name)->route == fromCli);

    // Another writer changes the route while the form has an unsaved edit elsewhere: the form
    // takes the new route, and its save keeps it.
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"edited, not saved"_s);
    QVERIFY(editor->isDirty());
    {
        ProfileStore store(m_dir->path());
        store.load();
        Profile elsewhere = *store.findByName(name);
        elsewhere.route = *Route::ssh(u"deploy@bastion-eu"_s, u"jump-1,jump-2"_s,
                                      u"~/.ssh/orderflow_ed25519"_s, nullptr);
        QVERIFY(store.update(elsewhere));
        QVERIFY(store.save());
    }
    QTRY_COMPARE(window.findChild<QLineEdit *>(u"jumpHostsLineEdit"_s)->text(), u"jump-1,jump-2"_s);
    QVERIFY(!editor->hasConflict());
    QCOMPARE(window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->toPlainText(),
             u"edited, not saved"_s);
    save(window);
    QTRY_COMPARE(saved(name).value_or(Profile()).notes, u"edited, not saved"_s);
    QCOMPARE(saved(name)->route.jumpsText(), u"jump-1,jump-2"_s);
    QCOMPARE(listedRoute(name)[u"route"_s].toString(),
             u"ssh deploy@bastion-eu -J jump-1,jump-2 -i ~/.ssh/orderflow_ed25519"_s);
}

void TestRouteEditor::anInvalidRouteIsShownAtItsFieldAndNothingIsSaved()
{
    const auto opened = openOnDev();
    QVERIFY(opened);
    MainWindow &window = *opened;
    const QByteArray before = profilesFile();
    auto *editor = window.findChild<ProfileEditor *>(u"profileEditor"_s);
    auto *saveButton = window.findChild<QPushButton *>(u"saveButton"_s);
    auto errorAt = [&window](const QString &objectName) {
        auto *label = window.findChild<QLabel *>(objectName);
        return label->isVisible() ? label->text() : QString();
    };
    // Refused as an invalid port is: no Save button, and a save asked for anyway (Ctrl+S, the
    // question on switching profiles) writes nothing.
    auto refused = [&]() {
        if (saveButton->isEnabled() || editor->problems().isEmpty())
            return false;
        editor->save();
        QTest::qWait(100);
        return profilesFile() == before;
    };

    // An option smuggled in as a host: ssh would run the command.
    chooseRoute(window, u"Through SSH"_s);
    type(window, u"sshHostLineEdit"_s, u"-oProxyCommand=id"_s);
    QVERIFY2(errorAt(u"sshHostErrorLabel"_s).contains(u"-oProxyCommand=id"_s),
             qPrintable(errorAt(u"sshHostErrorLabel"_s)));
    QVERIFY(errorAt(u"sshHostErrorLabel"_s).contains(u"option"_s));
    QVERIFY(refused());

    // The same in a jump host, and white space in a host.
    type(window, u"sshHostLineEdit"_s, u"bastion-eu"_s);
    QVERIFY(errorAt(u"sshHostErrorLabel"_s).isEmpty());
    QVERIFY(saveButton->isEnabled());
    type(window, u"jumpHostsLineEdit"_s, u"jump-1,-J evil"_s);
    QVERIFY(!errorAt(u"jumpHostsErrorLabel"_s).isEmpty());
    QVERIFY(refused());
    type(window, u"jumpHostsLineEdit"_s, u"jump-1"_s);
    QVERIFY(errorAt(u"jumpHostsErrorLabel"_s).isEmpty());
    type(window, u"sshHostLineEdit"_s, u"bastion eu"_s);
    QVERIFY(!errorAt(u"sshHostErrorLabel"_s).isEmpty());
    QVERIFY(refused());

    // A tunnel command without {port}: it would listen where nothing looks.
    chooseRoute(window, u"Through a tunnel command"_s);
    QVERIFY(errorAt(u"sshHostErrorLabel"_s).isEmpty()); // that row is gone with its error
    QVERIFY(!shows(window, u"sshHostLineEdit"_s));
    QVERIFY(!errorAt(u"tunnelCommandErrorLabel"_s).isEmpty()); // empty: give one
    QVERIFY(refused());
    type(window, u"tunnelCommandLineEdit"_s, u"kubectl port-forward svc/postgres 5432"_s);
    QVERIFY2(errorAt(u"tunnelCommandErrorLabel"_s).contains(u"{port}"_s),
             qPrintable(errorAt(u"tunnelCommandErrorLabel"_s)));
    QVERIFY(refused());
    QVERIFY(window.findChild<QLabel *>(u"routeNoteLabel"_s)->text().contains(u"tunnel"_s));

    // Directly again: nothing in the way, and the typed route is not lost until the form is
    // saved or reverted.
    chooseRoute(window, u"Directly"_s);
    QVERIFY(editor->problems().isEmpty());
    QVERIFY(saveButton->isEnabled());
    chooseRoute(window, u"Through a tunnel command"_s);
    QCOMPARE(window.findChild<QLineEdit *>(u"tunnelCommandLineEdit"_s)->text(),
             u"kubectl port-forward svc/postgres 5432"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"revertButton"_s), Qt::LeftButton);
    QCOMPARE(window.findChild<QComboBox *>(u"routeComboBox"_s)->currentText(), u"Directly"_s);
    QVERIFY(errorAt(u"tunnelCommandErrorLabel"_s).isEmpty());
    QCOMPARE(profilesFile(), before);
    QVERIFY(saved(u"dev"_s)->route.isDirect());
}

void TestRouteEditor::aTunnelCommandWithQuotedArgumentsRoundTrips()
{
    {
        const auto opened = openOnDev();
        QVERIFY(opened);
        MainWindow &window = *opened;
        chooseRoute(window, u"Through a tunnel command"_s);
        QCOMPARE(window.findChild<QLineEdit *>(u"tunnelCommandLineEdit"_s)->placeholderText(),
                 u"kubectl port-forward svc/postgres {port}:5432"_s);
        type(window, u"tunnelCommandLineEdit"_s,
             u"/opt/aws/bin/aws ssm start-session --target \"i-0abc 1\" --parameters "
             "\"localPortNumber={port},portNumber=5432\" --note it's --token \"s3cret value\""_s);
        QVERIFY(!shows(window, u"tunnelCommandErrorLabel"_s));
        save(window);
        QTRY_VERIFY(saved(u"dev"_s).value_or(Profile()).route.kind == Route::Kind::Command);
        // Shown by the program's name, the secret argument hidden.
        auto *route = window.findChild<QLabel *>(u"routeLabel"_s);
        QTRY_VERIFY(route->isVisible());
        QCOMPARE(route->accessibleName(), u"via aws"_s);
        QVERIFY2(!route->toolTip().contains(u"s3cret"_s), qPrintable(route->toolTip()));
        QVERIFY(QTextDocumentFragment::fromHtml(route->toolTip())
                        .toPlainText()
                        .endsWith(u"--token ***"_s));
    }
    const QStringList arguments{u"/opt/aws/bin/aws"_s,
                                u"ssm"_s,
                                u"start-session"_s,
                                u"--target"_s,
                                u"i-0abc 1"_s,
                                u"--parameters"_s,
                                u"localPortNumber={port},portNumber=5432"_s,
                                u"--note"_s,
                                u"it's"_s,
                                u"--token"_s,
                                u"s3cret value"_s};
    QCOMPARE(saved(u"dev"_s)->route.command, arguments);
    const QJsonValue listed = listedRoute(u"dev"_s);
    QCOMPARE(listed[u"kind"_s].toString(), u"command"_s);
    QVERIFY2(!listed[u"route"_s].toString().contains(u"s3cret"_s),
             qPrintable(listed[u"route"_s].toString()));

    // A new window shows the command as one line that reads back to the same arguments, and
    // showing it is not an edit.
    MainWindow again(m_dir->path());
    QTRY_VERIFY(again.repository()->isLoaded());
    QVERIFY(showAndSettle(again));
    QVERIFY(again.selectProfileByName(u"dev"_s));
    QCOMPARE(again.findChild<QComboBox *>(u"routeComboBox"_s)->currentText(),
             u"Through a tunnel command"_s);
    const QString line = again.findChild<QLineEdit *>(u"tunnelCommandLineEdit"_s)->text();
    QVERIFY2(line.contains(u"\"i-0abc 1\""_s), qPrintable(line));
    QCOMPARE(Route::tunnelCommand(line, nullptr).value_or(Route()).command, arguments);
    auto *editor = again.findChild<ProfileEditor *>(u"profileEditor"_s);
    QVERIFY(!editor->isDirty());
    QVERIFY(editor->editedProfile().route == saved(u"dev"_s)->route);

    // Edited in place and saved again: still the same arguments but the one changed.
    auto *edit = again.findChild<QLineEdit *>(u"tunnelCommandLineEdit"_s);
    edit->setFocus();
    edit->end(false);
    QTest::keyClicks(edit, u" --region \"eu west 1\""_s);
    save(again);
    const QStringList longer = arguments + QStringList{u"--region"_s, u"eu west 1"_s};
    QTRY_COMPARE(saved(u"dev"_s).value_or(Profile()).route.command, longer);
}

void TestRouteEditor::switchingProfilesShowsEachRouteRowWhole()
{
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"dev"_s, u"--url"_s,
                     u"postgresql://orderflow@localhost:5432/orderflow"_s})
                     .exitCode,
             0);
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"eu"_s, u"--url"_s,
                     u"postgresql://orderflow@10.1.2.3:5432/orderflow"_s, u"--ssh"_s,
                     u"deploy@bastion-eu"_s})
                     .exitCode,
             0);
    QCOMPARE(runCli({u"profiles"_s, u"add"_s, u"k8s"_s, u"--url"_s,
                     u"postgresql://orderflow@localhost:5432/orderflow"_s, u"--tunnel-command"_s,
                     u"kubectl port-forward svc/postgres {port}:5432"_s})
                     .exitCode,
             0);
    MainWindow window(m_dir->path());
    QTRY_VERIFY(window.repository()->isLoaded());
    QVERIFY(showAndSettle(window));
    const QStringList sshRows{u"sshHostLineEdit"_s, u"jumpHostsLineEdit"_s,
                              u"identityFileLineEdit"_s, u"identityFileBrowseButton"_s};
    // Each kind after each other: a row shown again once had no height left.
    const QList<std::pair<QString, QStringList>> visits{
            {u"eu"_s, sshRows}, {u"k8s"_s, {u"tunnelCommandLineEdit"_s}},
            {u"dev"_s, {}},     {u"eu"_s, sshRows},
            {u"dev"_s, {}},     {u"k8s"_s, {u"tunnelCommandLineEdit"_s}},
            {u"eu"_s, sshRows}};
    for (const auto &[name, rows] : visits) {
        QVERIFY(window.selectProfileByName(name));
        QTest::qWait(20);
        for (const QString &row : sshRows + QStringList{u"tunnelCommandLineEdit"_s}) {
            auto *widget = window.findChild<QWidget *>(row);
            const QString where = name + u": "_s + row;
            QCOMPARE(widget->isVisible(), rows.contains(row));
            if (rows.contains(row)) {
                QTRY_VERIFY2(widget->height() >= widget->minimumSizeHint().height(),
                             qPrintable(where));
            }
            // A field's label (Alt+its letter focuses it) shows and hides with it.
            for (const QLabel *label : window.findChildren<QLabel *>()) {
                if (label->buddy() == widget)
                    QVERIFY2(label->isVisible() == rows.contains(row), qPrintable(where));
            }
        }
        QCOMPARE(shows(window, u"routeNoteLabel"_s), name != u"dev"_s);
        // The note under the rows is as wide as the fields and as tall as its wrapped text.
        auto *note = window.findChild<QLabel *>(u"routeNoteLabel"_s);
        if (note->isVisible()) {
            QTRY_COMPARE(note->height(), note->heightForWidth(note->width()));
            QCOMPARE(note->width(), window.findChild<QLineEdit *>(rows.first())->width());
        }
    }
}

QTEST_MAIN(TestRouteEditor)
#include "tst_routeeditor.moc"

namespace {

QString keychainEntry(const QString &key)
{
    QProcess tool;
    tool.start(u"secret-tool"_s,
               {u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key});
    tool.waitForFinished(10000);
    return QString::fromUtf8(tool.readAllStandardOutput());
}

} // namespace

void TestRouteEditor::theSshPassphraseTypedInTheWindowGoesToTheKeychainOnly()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const auto opened = openOnDev();
    QVERIFY(opened);
    MainWindow &window = *opened;
    const QString id = saved(u"dev"_s)->id;
    const QString entry = SecretStore::keyFor(SecretStore::sshSecretId(id));
    auto *kind = window.findChild<QComboBox *>(u"sshSecretComboBox"_s);
    QVERIFY(kind && !kind->isVisible());

    chooseRoute(window, u"Through SSH"_s);
    type(window, u"sshHostLineEdit"_s, u"deploy@bastion-eu"_s);
    QVERIFY(kind->isVisible());
    // None: the field is off; a kind chosen without the secret typed blocks Save.
    QVERIFY(!window.findChild<QLineEdit *>(u"sshSecretLineEdit"_s)->isEnabled());
    kind->setCurrentIndex(kind->findData(int(SshSecret::Passphrase)));
    QVERIFY(shows(window, u"sshSecretErrorLabel"_s));
    QVERIFY(!window.findChild<QPushButton *>(u"saveButton"_s)->isEnabled());
    type(window, u"sshSecretLineEdit"_s, u"window phrase"_s);
    QVERIFY(!shows(window, u"sshSecretErrorLabel"_s));
    save(window);
    QTRY_COMPARE(keychainEntry(entry), u"window phrase"_s);
    QTRY_COMPARE(listedRoute(u"dev"_s)[u"ssh_secret"_s].toString(), u"passphrase"_s);
    QVERIFY(!profilesFile().contains("window phrase"));
    // Saved: the field is empty again, and says where the passphrase is.
    auto *secret = window.findChild<QLineEdit *>(u"sshSecretLineEdit"_s);
    QTRY_VERIFY(secret->text().isEmpty());
    QTRY_VERIFY2(secret->placeholderText().contains(u"saved in the keychain"_s),
                 qPrintable(secret->placeholderText()));
    QCOMPARE(kind->currentData().toInt(), int(SshSecret::Passphrase));

    // Another program records an SSH password instead (its entry, then the file), while this
    // window edits the notes: the window follows, and its Save keeps what the other saved.
    QProcess store;
    store.start(u"secret-tool"_s,
                {u"store"_s, u"--label=ssh"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                 entry});
    QVERIFY(store.waitForStarted());
    store.write("elsewhere");
    store.closeWriteChannel();
    QVERIFY(store.waitForFinished());
    window.findChild<QPlainTextEdit *>(u"notesTextEdit"_s)->setPlainText(u"bastion only"_s);
    {
        ProfileStore other(m_dir->path());
        other.load();
        Profile changed = *other.findByName(u"dev"_s);
        changed.sshSecret = SshSecret::Password;
        QVERIFY(other.update(changed) && other.save());
    }
    QTRY_COMPARE(kind->currentData().toInt(), int(SshSecret::Password));
    save(window);
    QTRY_COMPARE(saved(u"dev"_s)->notes, u"bastion only"_s);
    QCOMPARE(saved(u"dev"_s)->sshSecret, SshSecret::Password);
    QCOMPARE(keychainEntry(entry), u"elsewhere"_s);
    chooseRoute(window, u"Directly"_s);
    save(window);
    QTRY_COMPARE(keychainEntry(entry), QString());
    QTRY_COMPARE(saved(u"dev"_s)->sshSecret, SshSecret::None);
}
