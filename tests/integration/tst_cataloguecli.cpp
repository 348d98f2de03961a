#include "CatalogueExamples.h"
#include "TestEnvironment.h"
#include "interop/Catalogue.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "usecases/ProfileActions.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

/// profiles export-catalogue and import-catalogue as a team uses them: the real executable,
/// two config folders (two people), the real keyring.
class TestCatalogueCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void aCatalogueCarriesEveryProfileToAnotherMachineAndBackByteForByte();
    void anImportNeverNeedsTheKeychain();
    void aPasswordInTheCatalogueIsRefusedWithItsLineAndNothingIsWritten_data();
    void aPasswordInTheCatalogueIsRefusedWithItsLineAndNothingIsWritten();
    void aDryRunShowsWhatChangesAndWritesNothing();
    void aProductionProfileLeavesProductionOnlyWithItsNameTyped();
    void aCatalogueOfANewerVersionIsRefused();
    void membersOfANewerVersionSurviveAnExportOverTheCatalogue();
    void anImportKeepsWhatOthersSavedMeanwhile();

private:
    using Result = TestEnvironment::ProcessResult;
    /// The command line with its config folder in dir.
    Result run(const QTemporaryDir &dir, const QStringList &arguments,
               const QByteArray &input = {});
    static QByteArray read(const QString &path);
    static QString profilesPath(const QTemporaryDir &dir);
    static void save(const QTemporaryDir &dir, const QList<Profile> &profiles);
    static QList<Profile> saved(const QTemporaryDir &dir);
    /// A catalogue in m_files with text.
    QString catalogueFile(const QByteArray &text);

    std::unique_ptr<QTemporaryDir> m_alice;
    std::unique_ptr<QTemporaryDir> m_bob;
    std::unique_ptr<QTemporaryDir> m_files;
};

void TestCatalogueCli::init()
{
    m_alice = std::make_unique<QTemporaryDir>();
    m_bob = std::make_unique<QTemporaryDir>();
    m_files = std::make_unique<QTemporaryDir>();
}

void TestCatalogueCli::cleanup()
{
    m_alice.reset();
    m_bob.reset();
    m_files.reset();
}

TestCatalogueCli::Result TestCatalogueCli::run(const QTemporaryDir &dir,
                                               const QStringList &arguments,
                                               const QByteArray &input)
{
    return TestEnvironment::run(arguments, TestEnvironment::processEnvironment(dir.path()), input);
}

QByteArray TestCatalogueCli::read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString TestCatalogueCli::profilesPath(const QTemporaryDir &dir)
{
    return QDir(dir.path()).filePath(u"profiles.json"_s);
}

void TestCatalogueCli::save(const QTemporaryDir &dir, const QList<Profile> &profiles)
{
    ProfileStore store(dir.path());
    store.load();
    for (const Profile &profile : profiles)
        QVERIFY(store.add(profile));
    QVERIFY(store.save());
}

QList<Profile> TestCatalogueCli::saved(const QTemporaryDir &dir)
{
    ProfileStore store(dir.path());
    store.load(ProfileStore::DamagedFile::LeaveInPlace);
    return store.profiles();
}

QString TestCatalogueCli::catalogueFile(const QByteArray &text)
{
    QString path = QDir(m_files->path()).filePath(u"catalogue.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestCatalogueCli::aCatalogueCarriesEveryProfileToAnotherMachineAndBackByteForByte()
{
    ORDERFLOW_REQUIRE_KEYRING();
    Profile tunnelled = Profile::create(u"Preview"_s, Environment::Other);
    tunnelled.route
            = *Route::tunnelCommand(u"kubectl port-forward svc/postgres {port}:5432"_s, nullptr);
    tunnelled.passwordSource = PasswordSource::Libpq;
    save(*m_alice,
         {CatalogueExamples::everyMemberSet(u"Staging"_s, Environment::Staging),
          Profile::create(u"Development"_s, Environment::Development), tunnelled});
    const QString password = u"catalogue-%1"_s.arg(QRandomGenerator::global()->generate());
    const Result added = run(*m_alice,
                             {u"profiles"_s, u"add"_s, u"Production"_s, u"--url"_s,
                              u"postgresql://app@db.internal:5432/orderflow?sslmode=verify-full"_s,
                              u"--environment"_s, u"production"_s, u"--password-stdin"_s},
                             password.toUtf8() + '\n');
    QCOMPARE(added.exitCode, 0);
    const QList<Profile> alices = saved(*m_alice);
    QCOMPARE(alices.size(), 4);

    const QString file = QDir(m_files->path()).filePath(u"team.json"_s);
    const Result exported = run(*m_alice, {u"profiles"_s, u"export-catalogue"_s, file});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    QVERIFY2(exported.out.contains(u"profiles in it: 4."_s), qPrintable(exported.out));
    const QByteArray catalogue = read(file);
    QVERIFY(!catalogue.contains(password.toUtf8()));
    QVERIFY(!catalogue.contains("password_changed_at"));

    const Result imported = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY2(imported.out.contains(u"added      \"Production\" (production): password: not in "
                                   u"this keychain yet"_s),
             qPrintable(imported.out));
    QVERIFY2(imported.out.contains(u"added      \"Staging\" (staging): password: printed by its "
                                   u"password command"_s),
             qPrintable(imported.out));
    QVERIFY(imported.out.contains(u"4 added, 0 changed, 0 unchanged"_s));

    // Every member but this machine's own: the password's date, the remembered cluster, what
    // the keychain holds for SSH.
    const QList<Profile> bobs = saved(*m_bob);
    QCOMPARE(bobs.size(), alices.size());
    for (const Profile &alice : alices) {
        const auto bob = std::find_if(bobs.cbegin(), bobs.cend(),
                                      [&](const Profile &p) { return p.id == alice.id; });
        QVERIFY2(bob != bobs.cend(), qPrintable(alice.name));
        QCOMPARE(*bob, Catalogue::shared(alice));
        QVERIFY(!bob->hasStoredPassword());
    }
    // The keychain entry of Alice's profile is as it was: the import neither copied nor
    // removed it.
    const Profile production = *std::find_if(alices.cbegin(), alices.cend(), [](const Profile &p) {
        return p.name == u"Production"_s;
    });
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(production.id)), password);

    // Bob's export of the same profiles: the same bytes.
    const QString again = QDir(m_files->path()).filePath(u"again.json"_s);
    QCOMPARE(run(*m_bob, {u"profiles"_s, u"export-catalogue"_s, again}).exitCode, 0);
    QCOMPARE(read(again), catalogue);

    // Imported again: nothing changes, and the file is not even written again (a save
    // replaces it with a new file, which has a new inode).
    const QByteArray before = read(profilesPath(*m_bob));
    const auto inode = [this]() {
        struct stat status
        {
        };
        return ::stat(QFile::encodeName(profilesPath(*m_bob)).constData(), &status) == 0
                ? status.st_ino
                : ino_t(0);
    };
    const ino_t inodeBefore = inode();
    QVERIFY(inodeBefore != 0);
    const Result twice = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file});
    QCOMPARE(twice.exitCode, 0);
    QVERIFY2(twice.out.contains(u"0 added, 0 changed, 4 unchanged"_s), qPrintable(twice.out));
    QCOMPARE(saved(*m_bob), bobs);
    QCOMPARE(read(profilesPath(*m_bob)), before);
    QCOMPARE(inode(), inodeBefore);
}

void TestCatalogueCli::anImportNeverNeedsTheKeychain()
{
    save(*m_alice, {Profile::create(u"Development"_s, Environment::Development)});
    const QString file = QDir(m_files->path()).filePath(u"team.json"_s);
    QCOMPARE(run(*m_alice, {u"profiles"_s, u"export-catalogue"_s, file}).exitCode, 0);
    // No session bus: any keychain call would fail (exit 4, as tst_cli shows).
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_bob->path());
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    environment.remove(u"DISPLAY"_s);
    environment.remove(u"WAYLAND_DISPLAY"_s);
    environment.insert(u"XDG_RUNTIME_DIR"_s, m_files->path());
    const Result imported
            = TestEnvironment::run({u"profiles"_s, u"import-catalogue"_s, file}, environment);
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QCOMPARE(saved(*m_bob).size(), 1);
}

void TestCatalogueCli::aPasswordInTheCatalogueIsRefusedWithItsLineAndNothingIsWritten_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("needle");
    QTest::newRow("URL userinfo") << u"notes"_s
                                  << QJsonValue(u"Fallback: postgresql://app:hunter2@replica/db"_s)
                                  << u"hunter2"_s;
    QTest::newRow("nested password member")
            << u"vault"_s
            << QJsonValue(QJsonObject{{u"mount"_s, u"db"_s},
                                      {u"cached"_s, QJsonObject{{u"password"_s, u"hunter2"_s}}}})
            << u"hunter2"_s;
    QTest::newRow("conninfo password=")
            << u"service"_s << QJsonValue(u"host=replica dbname=db password=hunter2"_s)
            << u"hunter2"_s;
    QTest::newRow("SSH passphrase")
            << u"ssh_passphrase"_s << QJsonValue(u"hunter2"_s) << u"hunter2"_s;
}

void TestCatalogueCli::aPasswordInTheCatalogueIsRefusedWithItsLineAndNothingIsWritten()
{
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QFETCH(QString, needle);
    save(*m_bob, {Profile::create(u"mine"_s, Environment::Development)});
    const QByteArray profilesBefore = read(profilesPath(*m_bob));

    QJsonObject entry
            = Catalogue::shared(Profile::create(u"Staging"_s, Environment::Staging)).toJson();
    entry.insert(member, value);
    const QByteArray text
            = QJsonDocument(QJsonObject{{u"schema"_s, 1}, {u"profiles"_s, QJsonArray{entry}}})
                      .toJson();
    const int line = int(text.left(text.indexOf(needle.toUtf8())).count('\n')) + 1;
    const QString file = catalogueFile(text);
    for (const QStringList &arguments :
         {QStringList{u"profiles"_s, u"import-catalogue"_s, file},
          QStringList{u"profiles"_s, u"import-catalogue"_s, file, u"--dry-run"_s}}) {
        const Result refused = run(*m_bob, arguments);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u": line %1: "_s.arg(line)), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(u"nothing was imported"_s), qPrintable(refused.err));
        QVERIFY(!refused.out.contains(u"hunter2"_s) && !refused.err.contains(u"hunter2"_s));
        QCOMPARE(read(profilesPath(*m_bob)), profilesBefore);
    }
}

void TestCatalogueCli::aDryRunShowsWhatChangesAndWritesNothing()
{
    const Profile same = Profile::create(u"Development"_s, Environment::Development);
    const Profile staging = CatalogueExamples::everyMemberSet(u"Staging"_s, Environment::Staging);
    const Profile mine = Profile::create(u"mine"_s, Environment::Other);
    save(*m_bob, {same, staging, mine});
    Profile moved = staging;
    moved.params.insert(u"host"_s, u"db2.internal"_s);
    moved.notes = u"Moved to db2."_s;
    const Profile added = Profile::create(u"Test"_s, Environment::Test);
    const QString file = catalogueFile(Catalogue::encode({same, moved, added}).bytes);

    const QByteArray before = read(profilesPath(*m_bob));
    const Profile stagingSaved = saved(*m_bob).at(1);
    const Result dryRun = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file, u"--dry-run"_s});
    QVERIFY2(dryRun.exitCode == 0, qPrintable(dryRun.err));
    QCOMPARE(dryRun.out,
             u"unchanged  \"Development\" (development)\n"
             u"changed    \"Staging\" (staging): notes, params.host\n"
             u"added      \"Test\" (test): password: not in this keychain yet\n"
             u"1 added, 1 changed, 1 unchanged; nothing was changed (--dry-run).\n"_s);
    QCOMPARE(read(profilesPath(*m_bob)), before);

    const Result imported = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains(u"1 added, 1 changed, 1 unchanged"_s));
    const QList<Profile> after = saved(*m_bob);
    QCOMPARE(after.size(), 4); // "mine" stays: an import never removes
    const auto find = [&after](const QString &name) {
        return *std::find_if(after.cbegin(), after.cend(),
                             [&](const Profile &p) { return p.name == name; });
    };
    QCOMPARE(find(u"mine"_s), mine);
    const Profile updated = find(u"Staging"_s);
    QCOMPARE(updated.params.value(u"host"_s), u"db2.internal"_s);
    QCOMPARE(updated.notes, u"Moved to db2."_s);
    // This machine's own state stays.
    QCOMPARE(updated.passwordChangedAt, stagingSaved.passwordChangedAt);
    QCOMPARE(updated.fingerprint, stagingSaved.fingerprint);
    QCOMPARE(updated.sshSecret, SshSecret::Passphrase);
}

void TestCatalogueCli::aProductionProfileLeavesProductionOnlyWithItsNameTyped()
{
    const Profile production = Profile::create(u"Prod EU"_s, Environment::Production);
    save(*m_bob, {production});
    Profile demoted = production;
    demoted.environment = Environment::Development;
    const QString file = catalogueFile(Catalogue::encode({demoted}).bytes);
    const QByteArray before = read(profilesPath(*m_bob));

    // The dry run says what it would take, and succeeds.
    const Result dryRun = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file, u"--dry-run"_s});
    QCOMPARE(dryRun.exitCode, 0);
    QVERIFY2(dryRun.err.contains(u"--confirm 'Prod EU'"_s), qPrintable(dryRun.err));
    // Without the name, or with another, nothing is imported.
    for (const QStringList &extra : {QStringList(), QStringList({u"--confirm"_s, u"Prod"_s})}) {
        const Result refused
                = run(*m_bob, QStringList({u"profiles"_s, u"import-catalogue"_s, file}) + extra);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u"read-only guard"_s), qPrintable(refused.err));
        QVERIFY(refused.err.contains(u"nothing was imported"_s));
        QCOMPARE(read(profilesPath(*m_bob)), before);
    }
    const Result confirmed = run(
            *m_bob, {u"profiles"_s, u"import-catalogue"_s, file, u"--confirm"_s, u"Prod EU"_s});
    QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.err));
    QCOMPARE(saved(*m_bob).first().environment, Environment::Development);
}

void TestCatalogueCli::aCatalogueOfANewerVersionIsRefused()
{
    QByteArray text
            = Catalogue::encode({Profile::create(u"dev"_s, Environment::Development)}).bytes;
    text.replace("\"schema\": 1", "\"schema\": 2");
    const Result refused = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, catalogueFile(text)});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"schema 2, which a newer version"_s), qPrintable(refused.err));
    QVERIFY(!QFile::exists(profilesPath(*m_bob)));
}

void TestCatalogueCli::membersOfANewerVersionSurviveAnExportOverTheCatalogue()
{
    save(*m_alice, {Profile::create(u"Development"_s, Environment::Development)});
    const QString file = QDir(m_files->path()).filePath(u"team.json"_s);
    QCOMPARE(run(*m_alice, {u"profiles"_s, u"export-catalogue"_s, file}).exitCode, 0);
    QByteArray text = read(file);
    text.replace("\"environment\"", "\"owner_team\": \"payments\",\n      \"environment\"");
    catalogueFile(text);
    QVERIFY(QFile::remove(file));
    QVERIFY(QFile::rename(QDir(m_files->path()).filePath(u"catalogue.json"_s), file));

    const Result imported = run(*m_bob, {u"profiles"_s, u"import-catalogue"_s, file});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY2(imported.err.contains(u"owner_team"_s), qPrintable(imported.err));
    // Bob changes the profile and exports over the team's file: the member stays.
    ProfileStore store(m_bob->path());
    store.load();
    Profile development = store.profiles().first();
    development.notes = u"Seeded nightly."_s;
    QVERIFY(store.update(development));
    QVERIFY(store.save());
    QCOMPARE(run(*m_bob, {u"profiles"_s, u"export-catalogue"_s, file}).exitCode, 0);
    const QJsonObject entry = QJsonDocument::fromJson(read(file))
                                      .object()
                                      .value(u"profiles"_s)
                                      .toArray()
                                      .first()
                                      .toObject();
    QCOMPARE(entry.value(u"owner_team"_s).toString(), u"payments"_s);
    QCOMPARE(entry.value(u"notes"_s).toString(), u"Seeded nightly."_s);
}

void TestCatalogueCli::anImportKeepsWhatOthersSavedMeanwhile()
{
    Profile staging = Profile::create(u"Staging"_s, Environment::Staging);
    save(*m_bob, {staging});
    Profile moved = staging;
    moved.notes = u"Moved."_s;
    const QList<Profile> catalogue{moved, Profile::create(u"Test"_s, Environment::Test)};

    ProfileRepository repository(m_bob->path());
    SecretStore secrets;
    ProfileActions actions(&repository, &secrets);
    QSignalSpy loaded(&repository, &ProfileRepository::loaded);
    repository.load();
    QVERIFY(loaded.wait());
    const Catalogue::Plan shown = Catalogue::plan(catalogue, repository.profiles());

    // Another process adds a profile between the comparison and the import: it stays.
    QCOMPARE(run(*m_bob,
                 {u"profiles"_s, u"add"_s, u"Other"_s, u"--url"_s,
                  u"postgresql://app@localhost/other"_s})
                     .exitCode,
             0);
    std::optional<ProfileActionResult> result;
    actions.importCatalogue(shown, this, [&](const ProfileActionResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY2(result->ok(), qPrintable(result->errorText()));
    QStringList names;
    for (const Profile &profile : saved(*m_bob))
        names << profile.name;
    names.sort();
    QCOMPARE(names, (QStringList{u"Other"_s, u"Staging"_s, u"Test"_s}));

    // Another process changes a profile the catalogue holds after the comparison: the import
    // refuses rather than revert that change, and writes nothing.
    moved.notes = u"Moved again."_s;
    const Catalogue::Plan second = Catalogue::plan({moved}, repository.profiles());
    ProfileStore store(m_bob->path());
    store.load();
    Profile elsewhere = *store.findById(staging.id);
    elsewhere.params.insert(u"port"_s, u"6432"_s);
    QVERIFY(store.update(elsewhere));
    QVERIFY(store.save());
    const QByteArray before = read(profilesPath(*m_bob));
    result.reset();
    actions.importCatalogue(second, this, [&](const ProfileActionResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->status, ProfileActionResult::Status::Conflict);
    QCOMPARE(read(profilesPath(*m_bob)), before);
}

QTEST_GUILESS_MAIN(TestCatalogueCli)
#include "tst_cataloguecli.moc"
