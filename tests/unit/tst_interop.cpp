#include "interop/EnvFile.h"
#include "interop/PgPassFile.h"
#include "interop/PgServiceFile.h"
#include "interop/ProfileExchange.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

using EnvMap = QMap<QString, QString>;

/// .env, pg_service.conf and .pgpass readers with awkward and malformed input, and every
/// export format read back to the same parameters.
class TestInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void envFilesAreReadLikeComposeReadsThem_data();
    void envFilesAreReadLikeComposeReadsThem();
    void malformedEnvFilesNameTheLine_data();
    void malformedEnvFilesNameTheLine();
    void envImportMakesProfilesAndKeepsPasswordsApart();
    void serviceFilesAreReadAndCheckedAgainstLibpq();
    void pgpassMatchesLikeLibpqAndRefusesOpenFiles();
    void everyExportReadsBackToTheSameParameters_data();
    void everyExportReadsBackToTheSameParameters();
    void exportsCarryNoPasswordUnlessGiven();
    void exportsSayTheRouteWhereTheFormatCan();

private:
    static Profile sample();
};

void TestInterop::envFilesAreReadLikeComposeReadsThem_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<EnvMap>("expected");
    QTest::newRow("seed .env")
            << QByteArray("# .env file in project "
                          "root\nDATABASE_URL=postgresql://orderflow:dev_password@localhost:5432/"
                          "orderflow\nDB_PASSWORD=dev_password\n")
            << EnvMap{{u"DATABASE_URL"_s,
                       u"postgresql://orderflow:dev_password@localhost:5432/orderflow"_s},
                      {u"DB_PASSWORD"_s, u"dev_password"_s}};
    QTest::newRow("export, quotes, comments")
            << QByteArray("export A=1\nB='single $A # kept'\nC=\"double $A \\\"q\\\" "
                          "\\n\"\nD=plain # comment\n  # indented comment\n")
            << EnvMap{{u"A"_s, u"1"_s},
                      {u"B"_s, u"single $A # kept"_s},
                      {u"C"_s, u"double 1 \"q\" \n"_s},
                      {u"D"_s, u"plain"_s}};
    QTest::newRow("windows line endings and blank values")
            << QByteArray("A=x\r\nEMPTY=\r\nQUOTED=\"\"\r\n\r\n")
            << EnvMap{{u"A"_s, u"x"_s}, {u"EMPTY"_s, QString()}, {u"QUOTED"_s, QString()}};
    QTest::newRow("references with defaults")
            << QByteArray("U=orderflow\nURL=postgresql://${U}@${HOST:-localhost}:5432/$U\n")
            << EnvMap{{u"U"_s, u"orderflow"_s},
                      {u"URL"_s, u"postgresql://orderflow@localhost:5432/orderflow"_s}};
    QTest::newRow("escaped dollar and multi-line")
            << QByteArray("P=\"a\\$b\"\nM=\"line1\nline2\"\nUNKNOWN_KEY.x=fine\n")
            << EnvMap{{u"P"_s, u"a$b"_s},
                      {u"M"_s, u"line1\nline2"_s},
                      {u"UNKNOWN_KEY.x"_s, u"fine"_s}};
}

void TestInterop::envFilesAreReadLikeComposeReadsThem()
{
    QFETCH(QByteArray, content);
    QFETCH(EnvMap, expected);
    const EnvFile::ParseResult result = EnvFile::parse(content);
    QVERIFY2(result.ok, qPrintable(result.error));
    EnvMap actual;
    for (const auto &entry : result.entries)
        actual.insert(entry.key, entry.value);
    QCOMPARE(actual, expected);
    // What we write, we read back the same.
    QList<std::pair<QString, QString>> pairs;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        pairs << std::make_pair(it.key(), it.value());
    const EnvFile::ParseResult again = EnvFile::parse(EnvFile::write(pairs).toUtf8());
    QVERIFY(again.ok);
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QCOMPARE(again.value(it.key()), it.value());
}

void TestInterop::malformedEnvFilesNameTheLine_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::newRow("no equals") << QByteArray("A=1\nthis is not a setting\n") << 2;
    QTest::newRow("bad name") << QByteArray("A=1\nB=2\n9LIVES=x\n") << 3;
    QTest::newRow("unclosed quote")
            << QByteArray("# c\nDATABASE_URL=\"postgresql://u:secret@h/db\n") << 2;
    QTest::newRow("text after quote") << QByteArray("A='x' y\n") << 1;
}

void TestInterop::malformedEnvFilesNameTheLine()
{
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    const EnvFile::ParseResult result = EnvFile::parse(content);
    QVERIFY(!result.ok);
    QVERIFY(result.entries.isEmpty()); // nothing half-read
    QCOMPARE(result.errorLine, line);
    QVERIFY(result.error.contains(u"line %1"_s.arg(line)));
    QVERIFY(!result.error.contains(u"secret"_s));
    const auto imported = ProfileExchange::fromEnv(content);
    QVERIFY(!imported.ok);
    QVERIFY(imported.profiles.isEmpty());
}

void TestInterop::envImportMakesProfilesAndKeepsPasswordsApart()
{
    const QByteArray content
            = "DB_PASSWORD='p@ss:w/rd?'\n"
              "DATABASE_URL=postgresql://orderflow:${DB_PASSWORD}@localhost:5432/orderflow\n"
              "TEST_DATABASE_URL=postgresql://orderflow:dev_password@localhost:5432/"
              "orderflow_test\n"
              "REPORTING_URL=postgresql+psycopg2://reporter@replica:5433/"
              "orderflow?sslmode=require\n"
              "REDIS_URL=redis://localhost:6379\n";
    const auto result = ProfileExchange::fromEnv(content);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.profiles.size(), 3);
    QCOMPARE(result.profiles.at(0).profile.name, u"Development"_s);
    QCOMPARE(result.profiles.at(0).password.value_or(QString()), u"p@ss:w/rd?"_s);
    QCOMPARE(result.profiles.at(0).profile.params.value(u"host"_s), u"localhost"_s);
    QCOMPARE(result.profiles.at(1).profile.environment, Environment::Test);
    QCOMPARE(result.profiles.at(1).password.value_or(QString()), u"dev_password"_s);
    QCOMPARE(result.profiles.at(2).profile.name, u"reporting"_s);
    QCOMPARE(result.profiles.at(2).profile.driver, u"psycopg2"_s);
    QCOMPARE(result.profiles.at(2).profile.params.value(u"port"_s), u"5433"_s);
    for (const auto &imported : result.profiles)
        QVERIFY(!imported.profile.params.contains(u"password"_s));

    const auto bad
            = ProfileExchange::fromEnv("A=1\nDATABASE_URL=postgresql://u:hunter2@h:notaport/db\n");
    QVERIFY(!bad.ok);
    QCOMPARE(bad.errorLine, 2);
    QVERIFY(!bad.error.contains(u"hunter2"_s));
    // A typo that leaves user:password in the port, which the error quotes.
    const auto typo
            = ProfileExchange::fromEnv("DATABASE_URL=postgresql://u@h:x:hunter22secret@/db\n");
    QVERIFY(!typo.ok);
    QVERIFY2(!typo.error.contains(u"hunter22secret"_s), qPrintable(typo.error));
    // An unclosed quote swallows the next lines, a password among them (found by fuzz_envfile).
    const auto unclosed = ProfileExchange::fromEnv(
            "DATABASE_URL=\"postgresql://u@h:5432/db\nDB_PASSWORD=hunter22secret\nA=\"\n");
    QVERIFY(!unclosed.ok);
    QCOMPARE(unclosed.errorLine, 1);
    QVERIFY2(unclosed.error.contains(u"closing quote"_s), qPrintable(unclosed.error));
    QVERIFY2(!unclosed.error.contains(u"hunter22secret"_s), qPrintable(unclosed.error));
    // A password variable where libpq reads the port.
    const auto misplaced = ProfileExchange::fromEnv(
            "DB_PASSWORD=hunter22secret\nDATABASE_URL=postgresql://u@h:${DB_PASSWORD}/db\n");
    QVERIFY(!misplaced.ok);
    QVERIFY2(!misplaced.error.contains(u"hunter22secret"_s), qPrintable(misplaced.error));
}

void TestInterop::serviceFilesAreReadAndCheckedAgainstLibpq()
{
    const QByteArray content
            = "# services\r\n[staging]\r\nhost=staging-db.internal\r\nport=5432\r\n"
              "dbname=orderflow\r\nuser=orderflow\r\nsslmode=require\r\n\r\n"
              "[prod]\nhost = prod-db.internal\npassword=s3cret\n";
    const auto result = ProfileExchange::fromPgService(content);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.profiles.size(), 2);
    QCOMPARE(result.profiles.at(0).profile.params.value(u"sslmode"_s), u"require"_s);
    QCOMPARE(result.profiles.at(0).profile.environment, Environment::Staging);
    QCOMPARE(result.profiles.at(1).profile.environment, Environment::Production);
    QCOMPARE(result.profiles.at(1).password.value_or(QString()), u"s3cret"_s);
    QVERIFY(!result.profiles.at(1).profile.params.contains(u"password"_s));

    const auto unknown = PgServiceFile::parse("[a]\nhost=x\nfrobnicate=1\n");
    QVERIFY(!unknown.ok);
    QCOMPARE(unknown.errorLine, 3);
    const auto orphan = PgServiceFile::parse("host=x\n[a]\n");
    QVERIFY(!orphan.ok);
    QCOMPARE(orphan.errorLine, 1);
    const auto badSection = PgServiceFile::parse("[a\nhost=x\n");
    QCOMPARE(badSection.errorLine, 1);

    // A line libpq would refuse (and with it the whole file) is left out, named.
    const QString fits(1021 - 17, u'x'); // "application_name=" and this: 1021 bytes
    const QString tooLong(1022 - 8, u'x'); // "options=" and this: 1022 bytes
    const QString written = PgServiceFile::write(
            {{u"a"_s, {{u"application_name"_s, fits}, {u"options"_s, tooLong}}, 1}});
    QVERIFY(written.contains(u"application_name="_s + fits + u'\n'));
    QVERIFY(!written.contains(tooLong));
    QVERIFY(written.contains(u"# options left out: libpq reads lines of at most 1021 bytes"_s));
    const auto badPort = ProfileExchange::fromPgService("[a]\nport=abc\n");
    QVERIFY(!badPort.ok);
    QVERIFY(badPort.profiles.isEmpty());
}

void TestInterop::pgpassMatchesLikeLibpqAndRefusesOpenFiles()
{
    const auto result = PgPassFile::parse(
            "# comment\r\nprod-db.internal:5432:orderflow:orderflow:pr\\:od\\\\pw\r\n"
            "*:*:*:orderflow:fallback\nlocalhost:5432:*:*:local\n");
    QVERIFY(result.ok);
    QCOMPARE(result.entries.size(), 3);
    QCOMPARE(
            result.find(u"prod-db.internal"_s, u"5432"_s, u"orderflow"_s, u"orderflow"_s)->password,
            u"pr:od\\pw"_s);
    QCOMPARE(result.find(u"other"_s, u"1"_s, u"x"_s, u"orderflow"_s)->password, u"fallback"_s);
    QCOMPARE(result.find(u"/var/run/postgresql"_s, u"5432"_s, u"x"_s, u"postgres"_s)->password,
             u"local"_s);
    QVERIFY(!result.find(u"other"_s, u"1"_s, u"x"_s, u"postgres"_s));
    QVERIFY(!PgPassFile::parse("only:three:fields\n").ok);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"pgpass"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("h:5432:d:u:pw\n");
    file.close();
    QFile::setPermissions(path,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                                  | QFileDevice::ReadOther);
    const auto open = PgPassFile::read(path);
    QVERIFY(!open.ok);
    QVERIFY(open.error.contains(u"chmod 0600"_s));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(PgPassFile::read(path).ok);
}

Profile TestInterop::sample()
{
    const auto url = ConnectionUrl::parse(
            u"postgresql+psycopg2://ord%40r:x@[::1]:5433,db2.internal:5434/"
            u"order%20flow?sslmode=verify-full"
            "&sslrootcert=/etc/ssl/ca.crt&application_name=orderflow%20api&connect_timeout=10"_s);
    return Profile::fromUrl(u"Prod EU"_s, Environment::Production, *url);
}

void TestInterop::everyExportReadsBackToTheSameParameters_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("withPassword");
    for (const QString &format : ProfileExchange::formatIds()) {
        QTest::newRow(qPrintable(format)) << format << false;
        QTest::newRow(qPrintable(format + u" with password"_s)) << format << true;
    }
}

void TestInterop::everyExportReadsBackToTheSameParameters()
{
    QFETCH(QString, format);
    QFETCH(bool, withPassword);
    const Profile profile = sample();
    const QString password = u"p@ss:'\"w/rd ü"_s;
    const QString text = ProfileExchange::write(profile, *ProfileExchange::formatFromId(format),
                                                withPassword ? std::optional<QString>(password)
                                                             : std::nullopt);
    QMap<QString, QString> expected = profile.params;
    if (withPassword)
        expected.insert(u"password"_s, password);

    QMap<QString, QString> actual;
    std::optional<QString> readPassword;
    if (format == u"env"_s) {
        const auto imported = ProfileExchange::fromEnv(text.toUtf8());
        QVERIFY2(imported.ok, qPrintable(imported.error + u"\n"_s + text));
        actual = imported.profiles.first().profile.params;
        readPassword = imported.profiles.first().password;
    } else if (format == u"pg-service"_s) {
        const auto imported = ProfileExchange::fromPgService(text.toUtf8());
        QVERIFY2(imported.ok, qPrintable(imported.error));
        actual = imported.profiles.first().profile.params;
        readPassword = imported.profiles.first().password;
    } else if (format == u"compose"_s) {
        // Compose substitutes ${DB_PASSWORD} from the environment or .env.
        QString url = text.section(u"DATABASE_URL="_s, 1).section(u'"', 0, 0);
        QVERIFY(url.contains(u"${DB_PASSWORD}"_s));
        url.replace(u"${DB_PASSWORD}"_s, QString::fromLatin1(QUrl::toPercentEncoding(password)));
        const auto parsed = ConnectionUrl::parse(url);
        QVERIFY(parsed);
        actual = parsed->withoutPassword().params();
        expected.remove(u"password"_s);
        QCOMPARE(parsed->password(), password);
        // Its value as YAML reads it: tst_exportconsumers.
        QCOMPARE(text.contains(u"DB_PASSWORD="_s), withPassword);
    } else if (format == u"sqlalchemy"_s) {
        static const QRegularExpression literal(
                u"os\\.environ\\.get\\(\"DATABASE_URL\", \"([^\"]*)\"\\)"_s);
        const auto match = literal.match(text);
        QVERIFY(match.hasMatch());
        const auto parsed = ConnectionUrl::parse(match.captured(1));
        QVERIFY(parsed);
        actual = parsed->params();
        QCOMPARE(parsed->driver(), u"psycopg2"_s);
        QVERIFY(text.contains(u"pool_size=5,"_s));
    } else if (format == u"psql"_s) {
        static const QRegularExpression quoted(u"psql '([^']*)'"_s);
        const auto match = quoted.match(text);
        QVERIFY(match.hasMatch());
        const auto parsed = ConnectionUrl::parse(match.captured(1));
        QVERIFY(parsed);
        QVERIFY(parsed->driver().isEmpty()); // psql refuses postgresql+driver://
        actual = parsed->params();
        if (withPassword) {
            QVERIFY(text.startsWith(u"PGPASSWORD='p@ss:'\\''\"w/rd ü' psql"_s));
            actual.insert(u"password"_s, password);
        }
    }
    if (readPassword)
        actual.insert(u"password"_s, *readPassword);
    QCOMPARE(actual, expected);
}

void TestInterop::exportsCarryNoPasswordUnlessGiven()
{
    const Profile profile = sample();
    for (const QString &format : ProfileExchange::formatIds()) {
        const QString text
                = ProfileExchange::write(profile, *ProfileExchange::formatFromId(format));
        QVERIFY2(!text.contains(u"SENTINEL"_s), qPrintable(format));
        const QString withPassword = ProfileExchange::write(
                profile, *ProfileExchange::formatFromId(format), u"SENTINEL-pw"_s);
        QVERIFY2(withPassword.contains(u"SENTINEL-pw"_s), qPrintable(format));
    }
}

void TestInterop::exportsSayTheRouteWhereTheFormatCan()
{
    Profile profile = sample();
    profile.params.insert(u"host"_s, u"db.internal"_s);
    profile.params.insert(u"port"_s, u"5433"_s);
    profile.route
            = *Route::ssh(u"deploy@bastion-eu:2222"_s, u"jump-1"_s, u"/keys/my key"_s, nullptr);
    // psql: the ssh line first (the port with -p: ssh reads host:port as a name), then psql
    // through the tunnel's local end, with the server's name kept for verify-full.
    const QString psql = ProfileExchange::write(profile, ProfileExchange::Format::Psql);
    const QStringList lines = psql.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(u"# "_s), qPrintable(psql));
    QCOMPARE(lines.at(1),
             u"ssh -N -L 127.0.0.1:15432:db.internal:5433 -J jump-1 -i '/keys/my key' "
             "-p 2222 deploy@bastion-eu &"_s);
    QVERIFY2(lines.at(2).contains(u"@db.internal:15432/"_s)
                     && lines.at(2).contains(u"hostaddr=127.0.0.1"_s),
             qPrintable(lines.at(2)));
    // A host list (libpq tries each in turn) reaches the first through the tunnel: one host,
    // one hostaddr and one port, or libpq refuses the line ("could not match 2 host names to
    // 1 hostaddr values").
    Profile listed = profile;
    listed.params.insert(u"host"_s, u"db1.internal,db2.internal"_s);
    listed.params.insert(u"port"_s, u"5432,5433"_s);
    static const QRegularExpression quoted(u"psql '([^']*)'"_s);
    const QString listedPsql = ProfileExchange::write(listed, ProfileExchange::Format::Psql);
    const auto through = ConnectionUrl::parse(quoted.match(listedPsql).captured(1));
    QVERIFY2(through, qPrintable(listedPsql));
    QCOMPARE(through->value(u"host"_s), u"db1.internal"_s);
    QCOMPARE(through->value(u"hostaddr"_s), u"127.0.0.1"_s);
    QCOMPARE(through->value(u"port"_s), u"15432"_s);
    // compose: a comment, the URL as it is.
    const QString compose = ProfileExchange::write(profile, ProfileExchange::Format::Compose);
    QVERIFY2(compose.startsWith(u"# The server is reached via jump-1, then bastion-eu"_s),
             qPrintable(compose));
    QVERIFY(compose.contains(u"@db.internal:5433/"_s));

    // A tunnel command's secret-looking values stay *** unless the export carries secrets.
    profile.route = *Route::tunnelCommand(
            u"kubectl --token SENTINEL port-forward svc/pg {port}:5432"_s, nullptr);
    const QString plain = ProfileExchange::write(profile, ProfileExchange::Format::Psql);
    QVERIFY2(plain.contains(u"kubectl --token '***' port-forward svc/pg 15432:5432 &"_s),
             qPrintable(plain));
    for (const QString &format : ProfileExchange::formatIds())
        QVERIFY2(!ProfileExchange::write(profile, *ProfileExchange::formatFromId(format))
                          .contains(u"SENTINEL"_s),
                 qPrintable(format));
    QVERIFY(ProfileExchange::write(profile, ProfileExchange::Format::Psql, u"pw"_s)
                    .contains(u"--token SENTINEL"_s));
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
