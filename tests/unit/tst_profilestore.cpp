#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "profiles/ProfileTemplates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void missingFileIsAFirstRun();
    void profilesSurviveASaveAndLoad();
    void theFileNeverHoldsAPassword();
    void aPasswordPlantedInTheFileIsIgnored();
    void theFileIsOwnerOnly();
    void saveReplacesTheFileAtomically();
    void aDamagedFileIsKeptAsideAndNotOverwritten_data();
    void aDamagedFileIsKeptAsideAndNotOverwritten();
    void namesAreUniqueIgnoringCase();
    void renameKeepsTheId();
    void templatesFollowTheDocument();
    void urlsWithoutComponentsGetTheDocumentDefaults();
    void configDirCanBeOverridden();
    void editorMergeTakesEachSidesOwnChangesAndNamesTheClashes();
    void aChangeAppliesToWhatIsOnDiskNotToAnOlderCopy();
    void anotherRepositorysWriteArrivesAsChangeSignals();
    void savedProfilesEqualWhatTheFileHolds();

private:
    QByteArray fileBytes() const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestProfileStore::cleanup()
{
    m_dir.reset();
}

QByteArray TestProfileStore::fileBytes() const
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void TestProfileStore::missingFileIsAFirstRun()
{
    ProfileStore store(m_dir->path());
    QCOMPARE(store.load().status, ProfileStore::LoadStatus::FirstRun);
    QVERIFY(store.profiles().isEmpty());
}

void TestProfileStore::profilesSurviveASaveAndLoad()
{
    ProfileStore store(m_dir->path());
    store.load();
    const auto url = ConnectionUrl::parse(
            u"postgresql+psycopg2://orderflow@[::1]:5433,db2:5434/orders?sslmode=verify-full"
            "&sslrootcert=/etc/ssl/ca.crt&application_name=api"_s);
    QVERIFY(url);
    Profile profile = Profile::fromUrl(u"Staging EU"_s, Environment::Staging, *url);
    profile.notes = u"Failover pair\nsecond line"_s;
    profile.pool.poolSize = 20;
    profile.pool.maxOverflow = 40;
    profile.pool.workers = 4;
    profile.pool.poolClass = PoolSettings::PoolClass::QueuePool;
    profile.pool.applicationName = u"orderflow-api"_s;
    profile.requiredExtensions = {u"pg_trgm"_s, u"uuid-ossp|pgcrypto"_s};
    profile.passwordChangedAt = QDateTime(QDate(2026, 11, 1), QTime(12, 0), Qt::UTC);
    profile.pgbouncer.enabled = true;
    profile.pgbouncer.host = u"127.0.0.1"_s;
    QVERIFY(store.add(profile));
    QVERIFY(store.add(Profile::create(u"Local"_s, Environment::Development)));
    QString error;
    QVERIFY2(store.save(&error), qPrintable(error));

    ProfileStore reloaded(m_dir->path());
    QCOMPARE(reloaded.load().status, ProfileStore::LoadStatus::Loaded);
    QCOMPARE(reloaded.profiles().size(), 2);
    QCOMPARE(reloaded.profiles().first(), profile);
    QCOMPARE(reloaded.profiles().first().pool.capacity(), 240);
    QCOMPARE(QJsonDocument::fromJson(fileBytes()).object().value(u"schema"_s).toInt(),
             ProfileStore::SchemaVersion);
}

void TestProfileStore::theFileNeverHoldsAPassword()
{
    ProfileStore store(m_dir->path());
    store.load();
    const auto url = ConnectionUrl::parse(
            u"postgresql://orderflow:Sup3r%40Secret@staging-db.internal/orderflow"_s);
    QVERIFY(url && url->hasPassword());
    Profile profile = Profile::fromUrl(u"staging"_s, Environment::Staging, *url);
    QVERIFY(!profile.params.contains(u"password"_s));
    // Even if a caller slips one in, it is not written.
    profile.params.insert(u"password"_s, u"Sup3r@Secret"_s);
    QVERIFY(store.add(profile));
    QVERIFY(store.save());
    const QByteArray bytes = fileBytes();
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains("Sup3r"));
    QVERIFY(!bytes.contains("password\""));
}

void TestProfileStore::aPasswordPlantedInTheFileIsIgnored()
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": 1, "profiles": [{"id": "x1", "name": "planted",
        "environment": "test", "params": {"host": "localhost", "password": "planted-secret"}}]})");
    file.close();
    ProfileStore store(m_dir->path());
    QCOMPARE(store.load().status, ProfileStore::LoadStatus::Loaded);
    QVERIFY(!store.profiles().first().params.contains(u"password"_s));
    QVERIFY(store.save());
    QVERIFY(!fileBytes().contains("planted-secret"));
}

void TestProfileStore::theFileIsOwnerOnly()
{
    ProfileStore store(QDir(m_dir->path()).filePath(u"nested/config"_s));
    store.load();
    QVERIFY(store.add(Profile::create(u"a"_s, Environment::Test)));
    QVERIFY(store.save());
#ifdef Q_OS_WIN
    QSKIP("Windows keeps access rights in ACLs, not in the mode bits this test reads");
#endif
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
            | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
            | QFileDevice::ExeOther;
    const QFileDevice::Permissions owner
            = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    QCOMPARE(QFileInfo(store.filePath()).permissions() & (owner | others),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFileInfo(store.directory()).permissions() & others, QFileDevice::Permissions());
}

void TestProfileStore::saveReplacesTheFileAtomically()
{
    ProfileStore store(m_dir->path());
    store.load();
    QVERIFY(store.add(Profile::create(u"first"_s, Environment::Development)));
    QVERIFY(store.save());
    const QByteArray before = fileBytes();

    // A hard link shares the old inode: a save that truncated and rewrote the file in place
    // would change what the link shows; a rename onto the name leaves it untouched.
    const QString link = QDir(m_dir->path()).filePath(u"old-inode.json"_s);
    QCOMPARE(::link(QFile::encodeName(store.filePath()).constData(),
                    QFile::encodeName(link).constData()),
             0);
    QVERIFY(store.add(Profile::create(u"second"_s, Environment::Development)));
    QVERIFY(store.save());

    QFile old(link);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), before);
    QVERIFY(fileBytes().contains("second"));
    const QStringList leftovers = QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(leftovers, QStringList({u"old-inode.json"_s, u"profiles.json"_s}));
}

void TestProfileStore::aDamagedFileIsKeptAsideAndNotOverwritten_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("truncated json") << QByteArray(R"({"schema": 1, "profiles": [{"id": )");
    QTest::newRow("not an object") << QByteArray("[1, 2, 3]");
    QTest::newRow("newer schema") << QByteArray(R"({"schema": 7, "profiles": []})");
    QTest::newRow("no schema") << QByteArray(R"({"profiles": []})");
    QTest::newRow("bad environment")
            << QByteArray(R"({"schema": 1, "profiles": [{"id": "a", "name": "a",
                             "environment": "moon", "params": {}}]})");
    QTest::newRow("binary garbage") << QByteArray("\x00\xff\xfe garbage", 12);
}

void TestProfileStore::aDamagedFileIsKeptAsideAndNotOverwritten()
{
    QFETCH(QByteArray, content);
    const QString path = QDir(m_dir->path()).filePath(u"profiles.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();

    ProfileStore store(m_dir->path());
    const ProfileStore::LoadResult result = store.load();
    QCOMPARE(result.status, ProfileStore::LoadStatus::SetAside);
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(!result.message.isEmpty());
    QVERIFY(result.message.contains(QDir::toNativeSeparators(result.setAsidePath)));
    QVERIFY(!QFile::exists(path));

    QFile aside(result.setAsidePath);
    QVERIFY(aside.open(QIODevice::ReadOnly));
    QCOMPARE(aside.readAll(), content);
    aside.close();

    // Saving afterwards writes a new file and leaves the kept copy alone.
    QVERIFY(store.add(Profile::create(u"fresh"_s, Environment::Development)));
    QVERIFY(store.save());
    QVERIFY(aside.open(QIODevice::ReadOnly));
    QCOMPARE(aside.readAll(), content);
}

void TestProfileStore::namesAreUniqueIgnoringCase()
{
    ProfileStore store(m_dir->path());
    store.load();
    QVERIFY(store.add(Profile::create(u"Staging"_s, Environment::Staging)));
    QString error;
    QVERIFY(!store.add(Profile::create(u"staging"_s, Environment::Staging), &error));
    QVERIFY(error.contains(u"already exists"_s));
    QVERIFY(!store.add(Profile::create(u"  "_s, Environment::Staging), &error));
}

void TestProfileStore::renameKeepsTheId()
{
    ProfileStore store(m_dir->path());
    store.load();
    Profile profile = Profile::create(u"old name"_s, Environment::Test);
    QVERIFY(store.add(profile));
    QVERIFY(store.add(Profile::create(u"other"_s, Environment::Test)));
    profile.name = u"new name"_s;
    QVERIFY(store.update(profile));
    QCOMPARE(store.findByName(u"new name"_s)->id, profile.id);
    QVERIFY(!store.findByName(u"old name"_s));
    profile.name = u"OTHER"_s;
    QVERIFY(!store.update(profile));
    QVERIFY(store.remove(profile.id));
    QVERIFY(!store.findById(profile.id));
}

void TestProfileStore::templatesFollowTheDocument()
{
    const QList<Profile> templates = ProfileTemplates::all();
    QCOMPARE(templates.size(), 4);
    QStringList names;
    for (const Profile &profile : templates) {
        names << profile.name;
        QVERIFY(!profile.hasStoredPassword());
        QVERIFY(!profile.params.contains(u"password"_s));
        QCOMPARE(profile.params.value(u"user"_s), u"orderflow"_s);
        QCOMPARE(profile.params.value(u"port"_s), u"5432"_s);
        QCOMPARE(profile.requiredExtensions, Profile::defaultRequiredExtensions());
        QCOMPARE(profile.pool.poolSize, 5);
        QCOMPARE(profile.pool.maxOverflow, 10);
    }
    QCOMPARE(names, QStringList({u"Development"_s, u"Staging"_s, u"Production"_s, u"Test"_s}));
    QCOMPARE(templates.at(0).environment, Environment::Development);
    QCOMPARE(templates.at(1).params.value(u"sslmode"_s), u"require"_s);
    QCOMPARE(templates.at(2).environment, Environment::Production);
    QCOMPARE(templates.at(2).params.value(u"connect_timeout"_s), u"10"_s);
    QCOMPARE(templates.at(3).params.value(u"dbname"_s), u"orderflow_test"_s);
}

void TestProfileStore::urlsWithoutComponentsGetTheDocumentDefaults()
{
    const auto url = ConnectionUrl::parse(u"postgresql://"_s);
    QVERIFY(url);
    const Profile profile = Profile::fromUrl(u"bare"_s, Environment::Other, *url);
    QCOMPARE(profile.params.value(u"user"_s), u"orderflow"_s);
    QCOMPARE(profile.params.value(u"host"_s), u"localhost"_s);
    QCOMPARE(profile.params.value(u"port"_s), u"5432"_s);
    QCOMPARE(profile.params.value(u"dbname"_s), u"orderflow"_s);
    QCOMPARE(profile.redactedUrl(), u"postgresql://orderflow@localhost:5432/orderflow"_s);
}

void TestProfileStore::configDirCanBeOverridden()
{
    qputenv("ORDERFLOW_DBADMIN_CONFIG_DIR", m_dir->path().toUtf8());
    QCOMPARE(ProfileStore::defaultDirectory(), m_dir->path());
    qunsetenv("ORDERFLOW_DBADMIN_CONFIG_DIR");
    QVERIFY(ProfileStore::defaultDirectory() != m_dir->path());
}

void TestProfileStore::editorMergeTakesEachSidesOwnChangesAndNamesTheClashes()
{
    Profile base = Profile::create(u"base"_s, Environment::Staging);
    base.pool.poolSize = 5;
    Profile mine = base;
    mine.params[u"host"_s] = u"mine.internal"_s;
    mine.notes = u"my notes"_s;
    Profile theirs = base;
    theirs.notes = u"their notes"_s;
    theirs.color = u"#123456"_s;
    theirs.pool.poolSize = 9;

    const Profile::EditorMerge merge = Profile::mergeEditorFields(base, mine, theirs);
    QCOMPARE(merge.merged.params.value(u"host"_s), u"mine.internal"_s); // mine only
    QCOMPARE(merge.merged.color, u"#123456"_s); // theirs only
    QCOMPARE(merge.merged.notes, u"my notes"_s); // both: mine, named
    QCOMPARE(merge.conflicts, QStringList{u"notes"_s});
    QCOMPARE(merge.merged.pool.poolSize, 9); // not an editor field: theirs

    theirs.notes = mine.notes; // the same change on both sides is no clash
    QVERIFY(Profile::mergeEditorFields(base, mine, theirs).conflicts.isEmpty());
}

void TestProfileStore::aChangeAppliesToWhatIsOnDiskNotToAnOlderCopy()
{
    ProfileRepository window(m_dir->path());
    ProfileRepository terminal(m_dir->path());
    window.load();
    QTRY_VERIFY(window.isLoaded());
    bool done = false;
    const Profile first = Profile::create(u"first"_s, Environment::Development);
    window.change(
            [first](ProfileStore &store) {
                store.add(first);
                return ProfileChangeResult();
            },
            this, [&](const ProfileChangeResult &result) { done = result.ok(); });
    QTRY_VERIFY(done);

    // Another writer, unknown to the first repository's copy.
    done = false;
    terminal.change(
            [](ProfileStore &store) {
                store.add(Profile::create(u"second"_s, Environment::Staging));
                return ProfileChangeResult();
            },
            this, [&](const ProfileChangeResult &result) { done = result.ok(); });
    QTRY_VERIFY(done);

    // An edit through the first, whose copy lacks "second", keeps it.
    done = false;
    window.edit(
            first.id, [](Profile &profile) { profile.pool.poolSize = 12; }, this,
            [&](const ProfileChangeResult &result) { done = result.ok(); });
    QTRY_VERIFY(done);
    ProfileStore store(m_dir->path());
    store.load();
    QCOMPARE(store.profiles().size(), 2);
    QCOMPARE(store.findByName(u"first"_s)->pool.poolSize, 12);
    QVERIFY(store.findByName(u"second"_s));
    QVERIFY(window.findByName(u"second"_s)); // and the first now knows it

    // An edit of a profile removed meanwhile says so and writes nothing.
    QVERIFY(store.remove(first.id));
    QVERIFY(store.save());
    ProfileChangeResult removed;
    done = false;
    window.edit(
            first.id, [](Profile &profile) { profile.notes = u"lost?"_s; }, this,
            [&](const ProfileChangeResult &result) {
                removed = result;
                done = true;
            });
    QTRY_VERIFY(done);
    QCOMPARE(removed.status, ProfileChangeResult::Status::NotFound);
    store.load();
    QCOMPARE(store.profiles().size(), 1);
}

void TestProfileStore::anotherRepositorysWriteArrivesAsChangeSignals()
{
    ProfileRepository watching(m_dir->path());
    watching.watchFile();
    watching.load();
    QTRY_VERIFY(watching.isLoaded());
    QSignalSpy changed(&watching, &ProfileRepository::profileChanged);
    QSignalSpy removed(&watching, &ProfileRepository::profileRemoved);
    const Profile added = Profile::create(u"from elsewhere"_s, Environment::Test);

    ProfileStore other(m_dir->path());
    other.load();
    QVERIFY(other.add(added));
    QVERIFY(other.save());
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toString(), added.id);
    QVERIFY(watching.findById(added.id));

    QVERIFY(other.remove(added.id));
    QVERIFY(other.save());
    QTRY_COMPARE(removed.size(), 1);
    QVERIFY(!watching.findById(added.id));

    // A damaged file written meanwhile is reported, and what was known stays known.
    QSignalSpy problems(&watching, &ProfileRepository::problemReported);
    QFile file(other.filePath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ half a file");
    file.close();
    QTRY_VERIFY(!problems.isEmpty());
    QVERIFY(problems.last().first().toString().contains(u"cannot be read"_s));
    QVERIFY(QFile::exists(other.filePath())); // left for the next writer to set aside
}

void TestProfileStore::savedProfilesEqualWhatTheFileHolds()
{
    ProfileStore store(m_dir->path());
    Profile profile = Profile::create(u"dated"_s, Environment::Development);
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc(); // has milliseconds
    QVERIFY(store.add(profile));
    QVERIFY(store.save());
    ProfileStore reread(m_dir->path());
    reread.load();
    // Otherwise every save would look like a change made elsewhere.
    QCOMPARE(store.profiles(), reread.profiles());
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
