#include "CatalogueExamples.h"
#include "interop/Catalogue.h"
#include "interop/JsonLines.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

/// The team catalogue's file: stable text, no password in either direction, members of newer
/// versions kept, and what an import would do.
class TestCatalogue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theTextIsStableSortedAndIndentedByTwo();
    void theCatalogueHoldsNoStateOfThisMachine();
    void aPasswordAnywhereIsRefusedWithItsLine_data();
    void aPasswordAnywhereIsRefusedWithItsLine();
    void referencesToPasswordsAreNotPasswords();
    void exportRefusesAProfileThatWouldShowASecret();
    void aNewerSchemaIsRefusedAndAnOlderOneKept();
    void damagedEntriesAreRefusedWithTheirLine_data();
    void damagedEntriesAreRefusedWithTheirLine();
    void membersOfANewerVersionSurviveAnExportOverTheCatalogue();
    void thePlanSaysWhatIsAddedChangedAndUnchanged();
    void aNameTakenByAnotherSavedProfileIsAProblem();
    void jsonLinesFindMembersAndElements();

private:
    /// A catalogue of one profile with member set in its entry.
    static QByteArray withMember(const QString &member, const QJsonValue &value);
};

QByteArray TestCatalogue::withMember(const QString &member, const QJsonValue &value)
{
    QJsonObject entry = Profile::create(u"staging"_s, Environment::Staging).toJson();
    entry.insert(member, value);
    const QJsonObject root{{u"schema"_s, 1}, {u"profiles"_s, QJsonArray{entry}}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

void TestCatalogue::theTextIsStableSortedAndIndentedByTwo()
{
    const QList<Profile> profiles{
            CatalogueExamples::everyMemberSet(u"staging"_s, Environment::Staging),
            Profile::create(u"Development"_s, Environment::Development),
            Profile::create(u"production"_s, Environment::Production)};
    const Catalogue::Result first = Catalogue::encode(profiles);
    QVERIFY2(first.ok, qPrintable(first.error));
    const QByteArray &text = first.bytes;
    QVERIFY(text.startsWith("{\n  \"profiles\": [\n    {\n      \""));
    QVERIFY(text.endsWith("}\n"));
    QVERIFY(!text.endsWith("\n\n"));
    for (const QByteArray &line : text.split('\n')) {
        qsizetype spaces = 0;
        while (spaces < line.size() && line.at(spaces) == ' ')
            ++spaces;
        QVERIFY2(spaces % 2 == 0, line.constData());
    }
    // By name, ignoring case, whatever order the profiles were saved in.
    QCOMPARE(first.profiles.at(0).name, u"Development"_s);
    QCOMPARE(first.profiles.at(1).name, u"production"_s);
    QCOMPARE(first.profiles.at(2).name, u"staging"_s);
    QList<Profile> reversed(profiles.crbegin(), profiles.crend());
    QCOMPARE(Catalogue::encode(reversed).bytes, text);
    // Read back and written again: the same bytes.
    const Catalogue::Result read = Catalogue::decode(text);
    QVERIFY2(read.ok, qPrintable(read.error));
    QCOMPARE(Catalogue::encode(read.profiles).bytes, text);
    // Keys sorted: each entry's members in the order of their names.
    QVERIFY(text.indexOf("\"environment\"") < text.indexOf("\"id\""));
    QVERIFY(text.indexOf("\"id\"") < text.indexOf("\"name\""));
}

void TestCatalogue::theCatalogueHoldsNoStateOfThisMachine()
{
    const Profile profile = CatalogueExamples::everyMemberSet(u"staging"_s, Environment::Staging);
    const Catalogue::Result encoded = Catalogue::encode({profile});
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    for (const char *local : {"password_changed_at", "fingerprint", "ssh_secret"})
        QVERIFY2(!encoded.bytes.contains(local), local);
    // Where the password comes from is said even for the keychain, the default.
    QVERIFY(encoded.bytes.contains("\"password_source\": \"command\""));
    Profile keychain = Profile::create(u"dev"_s, Environment::Development);
    QVERIFY(Catalogue::encode({keychain}).bytes.contains("\"password_source\": \"keychain\""));

    const Catalogue::Result read = Catalogue::decode(encoded.bytes);
    QVERIFY2(read.ok, qPrintable(read.error));
    QCOMPARE(read.profiles.size(), 1);
    QCOMPARE(read.profiles.first(), Catalogue::shared(profile));
    // Every member a profile writes is one the catalogue knows as a profile's.
    QVERIFY2(read.otherMembers.isEmpty(), qPrintable(read.otherMembers.join(u", "_s)));
    QVERIFY(!read.profiles.first().hasStoredPassword());
    QVERIFY(read.profiles.first().fingerprint.isEmpty());
    QCOMPARE(read.profiles.first().sshSecret, SshSecret::None);
}

void TestCatalogue::aPasswordAnywhereIsRefusedWithItsLine_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("needle");

    QTest::newRow("password member") << u"password"_s << QJsonValue(u"hunter2"_s) << u"hunter2"_s;
    QTest::newRow("nested password member")
            << u"vault"_s
            << QJsonValue(
                       QJsonObject{{u"path"_s, u"secret/db"_s},
                                   {u"fallback"_s, QJsonObject{{u"DB_Password"_s, u"hunter2"_s}}}})
            << u"hunter2"_s;
    QTest::newRow("empty password member")
            << u"extra"_s << QJsonValue(QJsonObject{{u"password"_s, QString()}})
            << u"\"password\""_s;
    QTest::newRow("URL userinfo") << u"replica"_s
                                  << QJsonValue(u"postgresql://app:hunter2@replica:5432/db"_s)
                                  << u"hunter2"_s;
    QTest::newRow("URL in a list")
            << u"mirrors"_s
            << QJsonValue(QJsonArray{u"https://example.org"_s, u"ssh://git:hunter2@mirror"_s})
            << u"hunter2"_s;
    QTest::newRow("conninfo password=")
            << u"service"_s << QJsonValue(u"host=replica port=5432 password=hunter2 dbname=db"_s)
            << u"hunter2"_s;
    QTest::newRow("quoted conninfo password")
            << u"service"_s << QJsonValue(u"host=replica password = 'hunter 2'"_s) << u"hunter 2"_s;
    QTest::newRow("PGPASSWORD in notes")
            << u"howto"_s << QJsonValue(u"Run: PGPASSWORD=hunter2 psql -h replica"_s)
            << u"hunter2"_s;
    QTest::newRow("SSH passphrase member")
            << u"ssh_passphrase"_s << QJsonValue(u"hunter2"_s) << u"hunter2"_s;
    QTest::newRow("SSH private key")
            << u"key"_s
            << QJsonValue(u"-----BEGIN OPENSSH PRIVATE KEY-----\nhunter2\n"_s
                          u"-----END OPENSSH PRIVATE KEY-----"_s)
            << u"hunter2"_s;
}

void TestCatalogue::aPasswordAnywhereIsRefusedWithItsLine()
{
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QFETCH(QString, needle);
    const QByteArray text = withMember(member, value);
    const int line = int(text.left(text.indexOf(needle.toUtf8())).count('\n')) + 1;
    QVERIFY(line > 1);
    const Catalogue::Result read = Catalogue::decode(text);
    QVERIFY(!read.ok);
    QCOMPARE(read.errorLine, line);
    QVERIFY2(read.error.startsWith(u"line %1: "_s.arg(line)), qPrintable(read.error));
    QVERIFY2(!read.error.contains(u"hunter"_s), qPrintable(read.error));
    QVERIFY(read.profiles.isEmpty());
}

void TestCatalogue::referencesToPasswordsAreNotPasswords()
{
    for (const QString &text :
         {u"postgresql://app:***@replica/db"_s, u"postgresql://app:${DB_PASSWORD}@replica/db"_s,
          u"DB_PASSWORD=$DB_PASSWORD docker compose up"_s, u"password=*** is redacted"_s,
          u"the password is in the vault"_s, u"vault read -field=password secret/db"_s}) {
        const Catalogue::Result read = Catalogue::decode(withMember(u"howto"_s, text));
        QVERIFY2(read.ok, qPrintable(text + u": "_s + read.error));
    }
    // Members that say where a password comes from are not passwords either.
    Profile profile = CatalogueExamples::everyMemberSet(u"staging"_s, Environment::Staging);
    QVERIFY(Catalogue::decode(Catalogue::encode({profile}).bytes).ok);
}

void TestCatalogue::exportRefusesAProfileThatWouldShowASecret()
{
    Profile tokened = Profile::create(u"cloud"_s, Environment::Staging);
    tokened.route = *Route::tunnelCommand(u"cloud-proxy --port {port} --token abc123"_s, nullptr);
    Profile noted = Profile::create(u"noted"_s, Environment::Staging);
    noted.notes = u"fallback: postgresql://app:abc123@replica/db"_s;
    Profile sshPassword = Profile::create(u"bastion"_s, Environment::Staging);
    sshPassword.route = *Route::ssh(u"deploy:abc123@bastion"_s, {}, {}, nullptr);
    for (const Profile &profile : {tokened, noted, sshPassword}) {
        const Catalogue::Result encoded
                = Catalogue::encode({Profile::create(u"dev"_s, Environment::Development), profile});
        QVERIFY2(!encoded.ok, qPrintable(profile.name));
        QVERIFY2(encoded.error.contains(u"\"%1\""_s.arg(profile.name)), qPrintable(encoded.error));
        QVERIFY(!encoded.error.contains(u"abc123"_s));
        QVERIFY(encoded.bytes.isEmpty());
    }
    // An import refuses the same route, at its line.
    QByteArray text = Catalogue::encode({Profile::create(u"cloud"_s, Environment::Staging)}).bytes;
    QJsonObject root = QJsonDocument::fromJson(text).object();
    QJsonArray profiles = root.value(u"profiles"_s).toArray();
    QJsonObject entry = profiles.at(0).toObject();
    entry.insert(u"route"_s, tokened.route.toJson());
    profiles.replace(0, entry);
    root.insert(u"profiles"_s, profiles);
    text = QJsonDocument(root).toJson();
    const Catalogue::Result read = Catalogue::decode(text);
    QVERIFY(!read.ok);
    QCOMPARE(read.errorLine, int(text.left(text.indexOf("\"route\"")).count('\n')) + 1);
}

void TestCatalogue::aNewerSchemaIsRefusedAndAnOlderOneKept()
{
    QByteArray text
            = Catalogue::encode({Profile::create(u"dev"_s, Environment::Development)}).bytes;
    text.replace("\"schema\": 1", "\"schema\": 2");
    Catalogue::Result read = Catalogue::decode(text);
    QVERIFY(!read.ok);
    QVERIFY2(read.error.contains(u"schema 2"_s) && read.error.contains(u"newer version"_s),
             qPrintable(read.error));
    QCOMPARE(read.errorLine, int(text.left(text.indexOf("\"schema\"")).count('\n')) + 1);
    text.replace("\"schema\": 2", "\"schema\": \"one\"");
    read = Catalogue::decode(text);
    QVERIFY(!read.ok);
    QVERIFY2(read.error.contains(u"not a profile catalogue"_s), qPrintable(read.error));
}

void TestCatalogue::damagedEntriesAreRefusedWithTheirLine_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    // An id names keychain entries: "<id>/ssh" would name another profile's SSH secret.
    const QString other = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QTest::newRow("keychain name as id") << u"id"_s << QJsonValue(other + u"/ssh"_s) << u"UUID"_s;
    QTest::newRow("unknown environment")
            << u"environment"_s << QJsonValue(u"qa"_s) << u"unknown environment"_s;
    QTest::newRow("line break in name")
            << u"name"_s << QJsonValue(u"staging\nproduction"_s) << u"line break"_s;
}

void TestCatalogue::damagedEntriesAreRefusedWithTheirLine()
{
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    const QByteArray text = withMember(member, value);
    const Catalogue::Result read = Catalogue::decode(text);
    QVERIFY(!read.ok);
    QVERIFY2(read.error.contains(expected), qPrintable(read.error));
    QVERIFY(read.errorLine > 2);
}

void TestCatalogue::membersOfANewerVersionSurviveAnExportOverTheCatalogue()
{
    const Profile dev = Profile::create(u"dev"_s, Environment::Development);
    QByteArray text = Catalogue::encode({dev}).bytes;
    text.replace("\"environment\"",
                 "\"maintenance_window\": {\"day\": \"sunday\", \"hours\": [2, 4]},\n"
                 "      \"environment\"");
    text.replace("\"schema\": 1", "\"schema\": 1,\n  \"reviewers\": [\"@db-team\"]");
    const Catalogue::Result read = Catalogue::decode(text);
    QVERIFY2(read.ok, qPrintable(read.error));
    QCOMPARE(read.otherMembers, (QStringList{u"maintenance_window"_s, u"reviewers"_s}));

    // Exported again over it, with a profile changed and one added: both members stay.
    QList<Profile> profiles = read.profiles;
    profiles.first().notes = u"Changed here."_s;
    profiles << Profile::create(u"test"_s, Environment::Test);
    const QJsonObject previous = QJsonDocument::fromJson(text).object();
    const QByteArray again = Catalogue::encode(profiles, previous).bytes;
    const QJsonObject root = QJsonDocument::fromJson(again).object();
    QCOMPARE(root.value(u"reviewers"_s).toArray().first().toString(), u"@db-team"_s);
    const QJsonObject entry = root.value(u"profiles"_s).toArray().first().toObject();
    QCOMPARE(entry.value(u"maintenance_window"_s).toObject().value(u"day"_s).toString(),
             u"sunday"_s);
    QCOMPARE(entry.value(u"notes"_s).toString(), u"Changed here."_s);
    QVERIFY(!root.value(u"profiles"_s)
                     .toArray()
                     .at(1)
                     .toObject()
                     .contains(u"maintenance_window"_s));
    // Stable too: the same export again gives the same bytes.
    QCOMPARE(Catalogue::encode(profiles, QJsonDocument::fromJson(again).object()).bytes, again);
    // Known members come from the profiles, never from the old file; a file this version does
    // not read hands on nothing.
    QJsonObject newer = previous;
    newer.insert(u"schema"_s, 2);
    QVERIFY(!Catalogue::encode(profiles, newer).bytes.contains("reviewers"));
}

void TestCatalogue::thePlanSaysWhatIsAddedChangedAndUnchanged()
{
    const Profile same = Profile::create(u"Development"_s, Environment::Development);
    const Profile local = CatalogueExamples::everyMemberSet(u"Staging"_s, Environment::Staging);
    const Profile kept = Profile::create(u"mine"_s, Environment::Other);
    Profile changed = Catalogue::shared(local);
    changed.params.insert(u"host"_s, u"db2.internal"_s);
    changed.notes = u"Moved to db2."_s;
    const Profile added = Profile::create(u"Test"_s, Environment::Test);

    const Catalogue::Plan plan = Catalogue::plan({same, changed, added}, {same, local, kept});
    QVERIFY(plan.problems.isEmpty());
    QCOMPARE(plan.changes.size(), 3);
    QCOMPARE(plan.changes.at(0).kind, Catalogue::Change::Kind::Unchanged);
    QCOMPARE(plan.changes.at(1).kind, Catalogue::Change::Kind::Changed);
    QCOMPARE(plan.changes.at(1).fields, (QStringList{u"notes"_s, u"params.host"_s}));
    // This machine's own state stays with the changed profile.
    const Profile &merged = plan.changes.at(1).profile;
    QCOMPARE(merged.passwordChangedAt, local.passwordChangedAt);
    QCOMPARE(merged.fingerprint, local.fingerprint);
    QCOMPARE(merged.sshSecret, local.sshSecret);
    QCOMPARE(merged.params.value(u"host"_s), u"db2.internal"_s);
    QCOMPARE(plan.changes.at(2).kind, Catalogue::Change::Kind::Added);
    QCOMPARE(Catalogue::passwordNote(plan.changes.at(2).profile),
             u"password: not in this keychain yet"_s);
    QCOMPARE(Catalogue::summary(plan), u"1 added, 1 changed, 1 unchanged"_s);
}

void TestCatalogue::aNameTakenByAnotherSavedProfileIsAProblem()
{
    const Profile saved = Profile::create(u"Staging"_s, Environment::Staging);
    const Profile other = Profile::create(u"staging"_s, Environment::Staging);
    const Catalogue::Plan plan = Catalogue::plan({other}, {saved});
    QCOMPARE(plan.problems.size(), 1);
    QVERIFY2(plan.problems.first().contains(u"\"Staging\""_s), qPrintable(plan.problems.first()));
}

void TestCatalogue::jsonLinesFindMembersAndElements()
{
    const QByteArray text = "{\n \"a\": [\n  1,\n  {\"b\": \"x\\\"y\"},\n  \"z\"\n ],\n"
                            " \"c\": {}\n}\n";
    const JsonLines lines = JsonLines::scan(text);
    QCOMPARE(lines.lineOf(u"a"_s), 2);
    QCOMPARE(lines.lineOf(u"a/0"_s), 3);
    QCOMPARE(lines.lineOf(u"a/1"_s), 4);
    QCOMPARE(lines.lineOf(u"a/1/b"_s), 4);
    QCOMPARE(lines.lineOf(u"a/2"_s), 5);
    QCOMPARE(lines.lineOf(u"c"_s), 7);
    QCOMPARE(lines.lineOf(u"d"_s), 0);
    bool found = false;
    for (const JsonLines::Text &each : lines.texts())
        found = found || (each.text == u"x\"y"_s && each.path == u"a/1/b"_s && !each.isName);
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestCatalogue)
#include "tst_catalogue.moc"
