#include "ExportDialog.h"
#include "SecureClipboard.h"
#include "TestEnvironment.h"
#include "secrets/SecretStore.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

/// Export from the window and the clipboard's care with secrets.
class TestExportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void copiedSecretsAreMarkedAndCleared();
    void clearingLeavesSomethingElseAlone();
    void exportShowsNoPasswordUntilAsked();
    void passwordIntoAGitWorkingTreeIsWarned();
    void savingIntoAGitWorkingTreeAsksFirst();
    void aFileThatCannotBeWrittenSaysWhy();
};

void TestExportDialog::copiedSecretsAreMarkedAndCleared()
{
    SecureClipboard::copySecret(u"postgresql://u:SENTINEL@h/db"_s, 200);
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(mime->text(), u"postgresql://u:SENTINEL@h/db"_s);
    QCOMPARE(mime->data(u"x-kde-passwordManagerHint"_s), QByteArray("secret"));
    QVERIFY(mime->hasFormat(u"application/x-nspasteboard-concealed-type"_s));
    QVERIFY(mime->hasFormat(u"ExcludeClipboardContentFromMonitorProcessing"_s));
    QTRY_VERIFY_WITH_TIMEOUT(QGuiApplication::clipboard()->text().isEmpty(), 3000);
}

void TestExportDialog::clearingLeavesSomethingElseAlone()
{
    SecureClipboard::copySecret(u"SENTINEL-2"_s, 60000);
    SecureClipboard::copyText(u"something the user copied later"_s);
    QVERIFY(!SecureClipboard::clearSecret());
    QCOMPARE(QGuiApplication::clipboard()->text(), u"something the user copied later"_s);
}

void TestExportDialog::exportShowsNoPasswordUntilAsked()
{
    ORDERFLOW_REQUIRE_KEYRING();
    SecretStore secrets;
    Profile profile = Profile::fromUrl(
            u"Staging"_s, Environment::Staging,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@staging-db.internal/orderflow?sslmode=require"_s));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    bool written = false;
    secrets.writePassword(profile.id, u"SENTINEL-export"_s, this,
                          [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);

    ExportDialog dialog(profile, &secrets);
    auto *format = dialog.findChild<QComboBox *>(u"formatComboBox"_s);
    for (int i = 0; i < format->count(); ++i) {
        format->setCurrentIndex(i);
        QVERIFY(dialog.text().contains(u"staging-db.internal"_s));
        QVERIFY(!dialog.text().contains(u"SENTINEL"_s));
    }
    format->setCurrentIndex(format->findData(u"env"_s));
    dialog.findChild<QCheckBox *>(u"includePasswordCheckBox"_s)->setChecked(true);
    QTRY_VERIFY(dialog.text().contains(u"DB_PASSWORD=SENTINEL-export"_s));

    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(u"staging.env"_s);
    QSignalSpy saved(&dialog, &ExportDialog::saved);
    dialog.saveAfterGitCheck(path);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(saved.at(0).at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("SENTINEL-export"));
    struct stat info
    {
    };
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, mode_t(0600));
    secrets.deletePassword(profile.id, this, [](const SecretResult &) {});
    QTest::qWait(200);
}

void TestExportDialog::passwordIntoAGitWorkingTreeIsWarned()
{
    QTemporaryDir repo;
    ORDERFLOW_REQUIRE(TestEnvironment::initGitRepository(repo.path()), "git is not installed");
    const QString path = QDir(repo.path()).filePath(u".env"_s);
    QVERIFY(ExportDialog::gitWarning(path, true).contains(u".gitignore"_s));
    QVERIFY(ExportDialog::gitWarning(path, false).isEmpty());
    QFile ignore(QDir(repo.path()).filePath(u".gitignore"_s));
    QVERIFY(ignore.open(QIODevice::WriteOnly));
    ignore.write(".env\n");
    ignore.close();
    QVERIFY(ExportDialog::gitWarning(path, true).isEmpty());
}

void TestExportDialog::savingIntoAGitWorkingTreeAsksFirst()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QTemporaryDir repo;
    ORDERFLOW_REQUIRE(TestEnvironment::initGitRepository(repo.path()), "git is not installed");
    SecretStore secrets;
    Profile profile
            = Profile::fromUrl(u"git"_s, Environment::Staging,
                               *ConnectionUrl::parse(u"postgresql://app@db.internal/app"_s));
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    bool written = false;
    secrets.writePassword(profile.id, u"SENTINEL-git"_s, this,
                          [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    ExportDialog dialog(profile, &secrets);
    dialog.show();
    auto *format = dialog.findChild<QComboBox *>(u"formatComboBox"_s);
    format->setCurrentIndex(format->findData(u"env"_s));
    dialog.findChild<QCheckBox *>(u"includePasswordCheckBox"_s)->setChecked(true);
    QTRY_VERIFY(dialog.text().contains(u"SENTINEL-git"_s));

    // Cancel: nothing is written.
    const QString path = QDir(repo.path()).filePath(u".env"_s);
    dialog.saveAfterGitCheck(path);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog.findChild<QMessageBox *>(u"gitWarningMessageBox"_s)));
    QVERIFY(box->text().contains(u".gitignore"_s));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!dialog.findChild<QMessageBox *>(u"gitWarningMessageBox"_s));
    QVERIFY(!QFile::exists(path));

    // Save: written after the answer.
    dialog.saveAfterGitCheck(path);
    QTRY_VERIFY((box = dialog.findChild<QMessageBox *>(u"gitWarningMessageBox"_s)));
    box->button(QMessageBox::Save)->click();
    QTRY_VERIFY(QFile::exists(path));
    secrets.deletePassword(profile.id, this, [](const SecretResult &) {});
    QTest::qWait(200);
}

void TestExportDialog::aFileThatCannotBeWrittenSaysWhy()
{
    // A folder that does not exist: the reason comes back and is shown.
    Profile profile = Profile::fromUrl(u"nowhere"_s, Environment::Development,
                                       *ConnectionUrl::parse(u"postgresql://app@127.0.0.1/app"_s));
    SecretStore secrets;
    ExportDialog dialog(profile, &secrets);
    dialog.show();
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(u"missing/folder/app.env"_s);
    QSignalSpy saved(&dialog, &ExportDialog::saved);
    dialog.saveAfterGitCheck(path);
    QTRY_COMPARE(saved.size(), 1);
    const QString error = saved.at(0).at(1).toString();
    QVERIFY(!error.isEmpty());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog.findChild<QMessageBox *>(u"notSavedMessageBox"_s)));
    QVERIFY2(box->text().contains(path) && box->text().contains(error), qPrintable(box->text()));

    // Closed before the disk answers (the window deletes it on close): the window that opened
    // it still says so.
    QWidget window;
    window.show();
    auto *closed = new ExportDialog(profile, &secrets, &window);
    closed->show();
    closed->saveAfterGitCheck(path);
    delete closed;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>(u"notSavedMessageBox"_s)));
    QVERIFY2(box->text().contains(path), qPrintable(box->text()));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
