#include "CatalogueExamples.h"
#include "CatalogueImportDialog.h"
#include "MainWindow.h"
#include "interop/Catalogue.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;

/// File > Import Team Catalogue... and Export Team Catalogue..., driven through the real window
/// offscreen: the changes are shown first and written only on confirmation.
class TestCatalogueWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void theImportShowsTheChangesAndAppliesThemOnlyWhenConfirmed();
    void aProductionProfileLeavesProductionOnlyWithItsNameTyped();
    void theExportWritesTheCatalogueChosen();
    void aCatalogueHoldingAPasswordIsRefusedInTheBanner();

private:
    void save(const QList<Profile> &profiles);
    QByteArray profilesFile() const;
    QString writeFile(const QString &name, const QByteArray &text);
    /// Chooses File > text, then path in the file dialog it opens (of that object name).
    void chooseFile(MainWindow &window, const QString &text, const QString &dialogName,
                    const QString &path);
    /// Chooses File > Import Team Catalogue... and path; the import dialog once it is open.
    CatalogueImportDialog *importDialog(MainWindow &window, const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCatalogueWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestCatalogueWindow::cleanup()
{
    m_dir.reset();
}

void TestCatalogueWindow::save(const QList<Profile> &profiles)
{
    ProfileStore store(m_dir->path());
    store.load();
    for (const Profile &profile : profiles)
        QVERIFY(store.add(profile));
    QVERIFY(store.save());
}

QByteArray TestCatalogueWindow::profilesFile() const
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString TestCatalogueWindow::writeFile(const QString &name, const QByteArray &text)
{
    QString path = QDir(m_dir->path()).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestCatalogueWindow::chooseFile(MainWindow &window, const QString &text,
                                     const QString &dialogName, const QString &path)
{
    QAction *command = nullptr;
    for (QAction *menu : window.menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (action->text().remove(u'&') == text)
                command = action;
        }
    }
    QVERIFY2(command, qPrintable(text));
    QVERIFY(command->isEnabled());
    command->trigger();
    QFileDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<QFileDialog *>(dialogName)));
    // Opened, not run in a loop of its own.
    QVERIFY(dialog->isVisible());
    dialog->setDirectory(QFileInfo(path).absolutePath());
    dialog->selectFile(QFileInfo(path).fileName());
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept"));
}

CatalogueImportDialog *TestCatalogueWindow::importDialog(MainWindow &window, const QString &path)
{
    chooseFile(window, u"Import Team Catalogue..."_s, u"catalogueImportFileDialog"_s, path);
    CatalogueImportDialog *dialog = nullptr;
    [&]() {
        QTRY_VERIFY((dialog = window.findChild<CatalogueImportDialog *>()));
    }();
    return dialog;
}

void TestCatalogueWindow::theImportShowsTheChangesAndAppliesThemOnlyWhenConfirmed()
{
    const Profile same = Profile::create(u"Development"_s, Environment::Development);
    const Profile staging = CatalogueExamples::everyMemberSet(u"Staging"_s, Environment::Staging);
    const Profile mine = Profile::create(u"mine"_s, Environment::Other);
    save({same, staging, mine});
    Profile moved = staging;
    moved.params.insert(u"host"_s, u"db2.internal"_s);
    moved.notes = u"Moved to db2."_s;
    const Profile added = Profile::create(u"Test"_s, Environment::Test);
    // With a member of a newer version, which the dialog names.
    QByteArray text = Catalogue::encode({same, moved, added}).bytes;
    text.replace("\"schema\": 1", "\"reviewers\": [\"@db-team\"],\n  \"schema\": 1");
    const QString path = writeFile(u"team.json"_s, text);
    const QByteArray before = profilesFile();

    MainWindow window(m_dir->path());
    window.show();
    QTRY_VERIFY(window.repository()->isLoaded());
    CatalogueImportDialog *dialog = importDialog(window, path);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *tree = dialog->findChild<QTreeWidget *>(u"catalogueChangesTree"_s);
    QCOMPARE(tree->topLevelItemCount(), 3);
    const auto row = [tree](int index) {
        const QTreeWidgetItem *item = tree->topLevelItem(index);
        return QStringList{item->text(0), item->text(1), item->text(2)};
    };
    QCOMPARE(row(0), (QStringList{u"Unchanged"_s, u"Development (Development)"_s, QString()}));
    QCOMPARE(row(1), (QStringList{u"Changed"_s, u"Staging (Staging)"_s, u"notes, params.host"_s}));
    QCOMPARE(row(2),
             (QStringList{u"Added"_s, u"Test (Test)"_s, u"password: not in this keychain yet"_s}));
    QVERIFY(dialog->findChild<QLabel *>(u"catalogueSummaryLabel"_s)
                    ->text()
                    .contains(u"1 added, 1 changed, 1 unchanged"_s));
    QVERIFY(dialog->findChild<QLabel *>(u"catalogueSummaryLabel"_s)
                    ->text()
                    .contains(u"does not know reviewers"_s));
    // Shown, not yet written; Cancel writes nothing.
    QCOMPARE(profilesFile(), before);
    dialog->reject();
    QTRY_VERIFY(!window.findChild<CatalogueImportDialog *>());
    QCOMPARE(profilesFile(), before);
    QCOMPARE(window.repository()->profiles().size(), 3);

    // Again, confirmed this time.
    dialog = importDialog(window, path);
    QVERIFY(dialog);
    auto *importButton = dialog->findChild<QPushButton *>(u"importCatalogueButton"_s);
    QVERIFY(importButton->isEnabled());
    importButton->click();
    QTRY_COMPARE(window.repository()->profiles().size(), 4);
    QTRY_VERIFY(window.findChild<QLabel *>(u"messageLabel"_s)
                        ->text()
                        .contains(u"1 added, 1 changed, 1 unchanged"_s));
    const auto updated = window.repository()->findById(staging.id);
    QVERIFY(updated);
    QCOMPARE(updated->params.value(u"host"_s), u"db2.internal"_s);
    QCOMPARE(updated->notes, u"Moved to db2."_s);
    QVERIFY(updated->hasStoredPassword()); // this machine's own state stays
    QVERIFY(window.repository()->findById(mine.id));
    QVERIFY(!window.repository()->findById(added.id)->hasStoredPassword());

    // Nothing left to import: the dialog says so and offers no Import.
    dialog = importDialog(window, path);
    QVERIFY(dialog);
    QVERIFY(!dialog->findChild<QPushButton *>(u"importCatalogueButton"_s)->isEnabled());
    QVERIFY(dialog->findChild<QLabel *>(u"catalogueProblemLabel"_s)
                    ->text()
                    .startsWith(u"Nothing to import"_s));
    dialog->reject();
}

void TestCatalogueWindow::aProductionProfileLeavesProductionOnlyWithItsNameTyped()
{
    const Profile production = Profile::create(u"Prod EU"_s, Environment::Production);
    save({production});
    Profile demoted = production;
    demoted.environment = Environment::Development;
    const QString path = writeFile(u"team.json"_s, Catalogue::encode({demoted}).bytes);

    MainWindow window(m_dir->path());
    window.show();
    QTRY_VERIFY(window.repository()->isLoaded());
    CatalogueImportDialog *dialog = importDialog(window, path);
    QVERIFY(dialog);
    auto *importButton = dialog->findChild<QPushButton *>(u"importCatalogueButton"_s);
    auto *name = dialog->findChild<QLineEdit *>(u"confirmProductionLineEdit"_s);
    QVERIFY(name);
    QVERIFY(!importButton->isEnabled());
    QTest::keyClicks(name, u"Prod"_s);
    QVERIFY(!importButton->isEnabled());
    QTest::keyClicks(name, u" EU"_s);
    QVERIFY(importButton->isEnabled());
    importButton->click();
    QTRY_COMPARE(window.repository()->findById(production.id)->environment,
                 Environment::Development);
}

void TestCatalogueWindow::theExportWritesTheCatalogueChosen()
{
    save({CatalogueExamples::everyMemberSet(u"Staging"_s, Environment::Staging),
          Profile::create(u"Development"_s, Environment::Development)});
    MainWindow window(m_dir->path());
    window.show();
    QTRY_VERIFY(window.repository()->isLoaded());
    const QString path = QDir(m_dir->path()).filePath(u"team.json"_s);
    chooseFile(window, u"Export Team Catalogue..."_s, u"catalogueExportFileDialog"_s, path);
    QTRY_VERIFY(window.findChild<QLabel *>(u"messageLabel"_s)
                        ->text()
                        .contains(u"profiles in it: 2."_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), Catalogue::encode(window.repository()->profiles()).bytes);
}

void TestCatalogueWindow::aCatalogueHoldingAPasswordIsRefusedInTheBanner()
{
    save({Profile::create(u"mine"_s, Environment::Other)});
    QByteArray text
            = Catalogue::encode({Profile::create(u"Staging"_s, Environment::Staging)}).bytes;
    text.replace("\"name\": \"Staging\"",
                 "\"name\": \"Staging\",\n      \"notes\": \"postgresql://app:hunter2@db/x\"");
    const int line = int(text.left(text.indexOf("hunter2")).count('\n')) + 1;
    const QString path = writeFile(u"team.json"_s, text);
    const QByteArray before = profilesFile();
    MainWindow window(m_dir->path());
    window.show();
    QTRY_VERIFY(window.repository()->isLoaded());
    chooseFile(window, u"Import Team Catalogue..."_s, u"catalogueImportFileDialog"_s, path);
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QTRY_VERIFY(banner->text().contains(u"nothing was imported"_s));
    QVERIFY2(banner->text().contains(u"line %1:"_s.arg(line)), qPrintable(banner->text()));
    QVERIFY(!banner->text().contains(u"hunter2"_s));
    QVERIFY(!window.findChild<CatalogueImportDialog *>());
    QCOMPARE(profilesFile(), before);
}

QTEST_MAIN(TestCatalogueWindow)
#include "tst_cataloguewindow.moc"
