#include "SeedExamples.h"
#include "TestEnvironment.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

using ParamMap = QMap<QString, QString>;

/// The command line as scripts use it: the real executable, run as a process.
class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void versionAndHelp();
    void unknownCommandIsAUsageError();
    void urlJsonReportsEverySeedExample_data();
    void urlJsonReportsEverySeedExample();
    void urlTextOutputHidesThePassword();
    void invalidUrlPrintsValidFalseAndExits2();
    void profilesAddStoresThePasswordInTheKeyringOnly();
    void profilesAddReadsThePasswordFromStdin();
    void profilesAddRejectsDuplicatesAndBadInput();
    void profilesRemoveDeletesTheKeyringEntry();
    void profilesListReportsADamagedFile();
    void keychainUnavailableExitsWith4AndSavesNothing();
    void importEnvPutsPasswordsInTheKeyringOnly();
    void malformedImportsChangeNothing();
    void exportWritesEveryFormatAndPasswordsOnlyOnRequest();
    void exportedServiceFileConnectsThroughLibpq();

private:
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Result run(const QStringList &arguments, const QByteArray &input = {},
               const std::optional<QProcessEnvironment> &environment = std::nullopt);
    QByteArray profilesFile() const;
    QString secretToolLookup(const QString &key);

    std::unique_ptr<QTemporaryDir> m_config;
};

void TestCli::init()
{
    m_config = std::make_unique<QTemporaryDir>();
}

void TestCli::cleanup()
{
    m_config.reset();
}

TestCli::Result TestCli::run(const QStringList &arguments, const QByteArray &input,
                             const std::optional<QProcessEnvironment> &environment)
{
    QProcess process;
    process.setProcessEnvironment(
            environment.value_or(TestEnvironment::processEnvironment(m_config->path())));
    process.start(TestEnvironment::executable(), arguments);
    if (!process.waitForStarted(10000))
        return {};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

QByteArray TestCli::profilesFile() const
{
    QFile file(QDir(m_config->path()).filePath(u"profiles.json"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString TestCli::secretToolLookup(const QString &key)
{
    QProcess tool;
    tool.start(u"secret-tool"_s,
               {u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key});
    tool.waitForFinished(10000);
    return QString::fromUtf8(tool.readAllStandardOutput());
}

void TestCli::versionAndHelp()
{
    const Result version = run({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(u"orderflow-dbadmin " ORDERFLOW_VERSION ""_s));
    const Result help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const QString &command : {u"url --url"_s, u"profiles list"_s, u"profiles add"_s,
                                   u"profiles remove"_s, u"Exit codes"_s})
        QVERIFY2(help.out.contains(command), qPrintable(command));
}

void TestCli::unknownCommandIsAUsageError()
{
    const Result result = run({u"frobnicate"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(u"unknown command"_s));
    QCOMPARE(run({u"url"_s}).exitCode, 2);
    QCOMPARE(run({u"url"_s, u"--url"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"list"_s, u"--bogus"_s}).exitCode, 2);
}

void TestCli::urlJsonReportsEverySeedExample_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ParamMap>("expected");
    QTest::addColumn<QString>("driver");
    for (const SeedExample &example : seedExamples())
        QTest::newRow(example.tag) << example.url << example.params << example.driver;
}

void TestCli::urlJsonReportsEverySeedExample()
{
    QFETCH(QString, url);
    QFETCH(ParamMap, expected);
    QFETCH(QString, driver);
    const Result result = run({u"url"_s, u"--url"_s, url, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(object.value(u"valid"_s).toBool(), true);
    if (driver.isEmpty())
        QVERIFY(object.value(u"driver"_s).isNull());
    else
        QCOMPARE(object.value(u"driver"_s).toString(), driver);

    const QJsonObject params = object.value(u"params"_s).toObject();
    QCOMPARE(params.keys(), expected.keys());
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const QString want = it.key() == u"password"_s ? u"***"_s : it.value();
        QCOMPARE(params.value(it.key()).toString(), want);
    }
    const QString redacted = object.value(u"redacted"_s).toString();
    if (expected.contains(u"password"_s)) {
        QVERIFY(redacted.contains(u":***@"_s));
        // The keyword itself may spell the password ("pass", "password"): look past it.
        const QString withoutKeyword = QString(result.out).remove(u"\"password\""_s);
        QVERIFY(!withoutKeyword.contains(expected.value(u"password"_s)));
    }
}

void TestCli::urlTextOutputHidesThePassword()
{
    const Result result = run(
            {u"url"_s, u"--url"_s, u"postgresql://orderflow:t0ps3cret@localhost/orderflow"_s});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains(u"postgresql://orderflow:***@localhost/orderflow"_s));
    QVERIFY(!result.out.contains(u"t0ps3cret"_s));
    QVERIFY(!result.err.contains(u"t0ps3cret"_s));
}

void TestCli::invalidUrlPrintsValidFalseAndExits2()
{
    for (const QString &bad : {u"postgresql://u:t0ps3cret@host/db?nonsense=1"_s,
                               u"postgresql://u:t0ps3cret@host:notaport/db"_s,
                               u"mysql://u:t0ps3cret@host/db"_s, u""_s}) {
        const Result result = run({u"url"_s, u"--url"_s, bad, u"--json"_s});
        QCOMPARE(result.exitCode, 2);
        const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(object.value(u"valid"_s).toBool(true), false);
        QVERIFY(!object.value(u"error"_s).toString().isEmpty());
        QVERIFY2(!result.out.contains(u"t0ps3cret"_s), qPrintable(result.out));
    }
}

void TestCli::profilesAddStoresThePasswordInTheKeyringOnly()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString url
            = u"postgresql://orderflow:s3cret@staging-db.internal:5432/orderflow?sslmode=require"_s;
    const Result added = run({u"profiles"_s, u"add"_s, u"staging"_s, u"--url"_s, url,
                              u"--environment"_s, u"staging"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(!added.out.contains(u"s3cret"_s));

    const QByteArray file = profilesFile();
    QVERIFY(file.contains("staging-db.internal"));
    QVERIFY(!file.contains("s3cret"));
    struct stat info
    {
    };
    QCOMPARE(::stat(QFile::encodeName(QDir(m_config->path()).filePath(u"profiles.json"_s))
                            .constData(),
                    &info),
             0);
    QCOMPARE(info.st_mode & 0777, mode_t(0600));

    const Result listed = run({u"profiles"_s, u"list"_s, u"--json"_s});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(listed.out.toUtf8()).array();
    QCOMPARE(array.size(), 1);
    const QJsonObject profile = array.first().toObject();
    QCOMPARE(profile.value(u"name"_s).toString(), u"staging"_s);
    QCOMPARE(profile.value(u"environment"_s).toString(), u"staging"_s);
    QCOMPARE(profile.value(u"url"_s).toString(),
             u"postgresql://orderflow:***@staging-db.internal:5432/orderflow?sslmode=require"_s);
    QVERIFY(!listed.out.contains(u"s3cret"_s));

    const QString id = profile.value(u"id"_s).toString();
    QCOMPARE(secretToolLookup(SecretStore::keyFor(id)), u"s3cret"_s);

    const Result text = run({u"profiles"_s, u"list"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(u"staging"_s));
    QVERIFY(!text.out.contains(u"s3cret"_s));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"staging"_s}).exitCode, 0);
}

void TestCli::profilesAddReadsThePasswordFromStdin()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const Result added
            = run({u"profiles"_s, u"add"_s, u"Production EU"_s, u"--url"_s,
                   u"postgresql://orderflow@127.0.0.1:5432/orderflow?sslmode=verify-full"_s,
                   u"--password-stdin"_s},
                  "fr0m-stdin ü\n");
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(added.out.contains(u"(production)"_s)); // guessed from the name
    const QJsonArray array
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    const QString id = array.first().toObject().value(u"id"_s).toString();
    QCOMPARE(secretToolLookup(SecretStore::keyFor(id)), u"fr0m-stdin ü"_s);
    QVERIFY(!profilesFile().contains("fr0m-stdin"));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"production eu"_s}).exitCode, 0);

    const Result empty = run({u"profiles"_s, u"add"_s, u"x"_s, u"--url"_s, u"postgresql://h/db"_s,
                              u"--password-stdin"_s},
                             "");
    QCOMPARE(empty.exitCode, 2);
}

void TestCli::profilesAddRejectsDuplicatesAndBadInput()
{
    const QStringList add{u"profiles"_s, u"add"_s, u"dev"_s, u"--url"_s,
                          u"postgresql://orderflow@localhost/orderflow"_s};
    QCOMPARE(run(add).exitCode, 0);
    const Result duplicate = run(add);
    QCOMPARE(duplicate.exitCode, 2);
    QVERIFY(duplicate.err.contains(u"already exists"_s));

    const Result badUrl = run({u"profiles"_s, u"add"_s, u"bad"_s, u"--url"_s,
                               u"postgresql://orderflow:pw123456@h/db?sslmode=sometimes"_s});
    QCOMPARE(badUrl.exitCode, 2);
    QVERIFY(!badUrl.err.contains(u"pw123456"_s));
    const Result badEnvironment = run({u"profiles"_s, u"add"_s, u"bad"_s, u"--url"_s,
                                       u"postgresql://h/db"_s, u"--environment"_s, u"moon"_s});
    QCOMPARE(badEnvironment.exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"--url"_s, u"postgresql://h/db"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"nobody"_s}).exitCode, 2);

    const QJsonArray array
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(array.size(), 1);
    QCOMPARE(array.first().toObject().value(u"environment"_s).toString(), u"development"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"DEV"_s}).exitCode, 0);
    QCOMPARE(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.trimmed(), u"[]"_s);
}

void TestCli::profilesRemoveDeletesTheKeyringEntry()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"temp"_s, u"--url"_s,
                  u"postgresql://orderflow:remove-me@localhost/orderflow"_s})
                     .exitCode,
             0);
    const QString id
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array()
                      .first()
                      .toObject()
                      .value(u"id"_s)
                      .toString();
    QCOMPARE(secretToolLookup(SecretStore::keyFor(id)), u"remove-me"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"temp"_s}).exitCode, 0);
    QCOMPARE(secretToolLookup(SecretStore::keyFor(id)), QString());
    QVERIFY(!profilesFile().contains("temp"));
}

void TestCli::profilesListReportsADamagedFile()
{
    QFile file(QDir(m_config->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ this is not json");
    file.close();
    const Result result = run({u"profiles"_s, u"list"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out.trimmed(), u"[]"_s);
    QVERIFY(result.err.contains(u"kept as"_s));
    const QStringList aside
            = QDir(m_config->path()).entryList({u"profiles.json.unreadable-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
}

void TestCli::keychainUnavailableExitsWith4AndSavesNothing()
{
    // No session bus and no display: QtKeychain cannot reach any Secret Service.
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    environment.remove(u"DISPLAY"_s);
    environment.remove(u"WAYLAND_DISPLAY"_s);
    environment.insert(u"XDG_RUNTIME_DIR"_s, m_config->path());
    const Result result = run({u"profiles"_s, u"add"_s, u"staging"_s, u"--url"_s,
                               u"postgresql://orderflow:n0bus-secret@localhost/orderflow"_s},
                              {}, environment);
    QCOMPARE(result.exitCode, 4);
    QVERIFY2(result.err.contains(u"keychain"_s), qPrintable(result.err));
    QVERIFY(result.err.contains(u"not saved"_s));
    QVERIFY(!result.err.contains(u"n0bus-secret"_s));
    QVERIFY(!profilesFile().contains("staging"));

    // A profile without a password needs no keychain.
    const Result plain = run({u"profiles"_s, u"add"_s, u"plain"_s, u"--url"_s,
                              u"postgresql://orderflow@localhost/orderflow"_s},
                             {}, environment);
    QCOMPARE(plain.exitCode, 0);
}

void TestCli::importEnvPutsPasswordsInTheKeyringOnly()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString path = QDir(m_config->path()).filePath(u"app.env"_s);
    QFile env(path);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("# OrderFlow\r\nexport DB_PASSWORD=\"SENTINEL-@:/pw\"\r\n"
              "DATABASE_URL=postgresql://orderflow:${DB_PASSWORD}@localhost:5432/orderflow\r\n"
              "TEST_DATABASE_URL='postgresql://orderflow@localhost:5432/orderflow_test'\r\n");
    env.close();
    const Result imported = run({u"import"_s, u"--env"_s, path});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains(u"Development"_s) && imported.out.contains(u"Test"_s));
    QVERIFY(!imported.out.contains(u"SENTINEL"_s));
    QVERIFY(!profilesFile().contains("SENTINEL"));
    const QJsonArray list
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(list.size(), 2);
    for (const QJsonValue &value : list)
        QCOMPARE(secretToolLookup(SecretStore::keyFor(value.toObject().value(u"id"_s).toString())),
                 u"SENTINEL-@:/pw"_s);
    // Importing the same file again would duplicate names: refused, nothing changes.
    const QByteArray before = profilesFile();
    const Result again = run({u"import"_s, u"--env"_s, path});
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains(u"already exists"_s));
    QCOMPARE(profilesFile(), before);
    for (const QString &name : {u"Development"_s, u"Test"_s})
        QCOMPARE(run({u"profiles"_s, u"remove"_s, name}).exitCode, 0);
}

void TestCli::malformedImportsChangeNothing()
{
    const QString envPath = QDir(m_config->path()).filePath(u"bad.env"_s);
    QFile env(envPath);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("DATABASE_URL=postgresql://orderflow@localhost/"
              "orderflow\nTEST_DATABASE_URL=\"postgresql://x:SENTINEL@h/db\n");
    env.close();
    const Result result = run({u"import"_s, u"--env"_s, envPath});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(u"line 2"_s));
    QVERIFY(result.err.contains(u"nothing was imported"_s));
    QVERIFY(!result.err.contains(u"SENTINEL"_s));
    QVERIFY(profilesFile().isEmpty());

    const QString servicePath = QDir(m_config->path()).filePath(u"pg_service.conf"_s);
    QFile service(servicePath);
    QVERIFY(service.open(QIODevice::WriteOnly));
    service.write("[good]\nhost=localhost\n[bad]\nhots=typo\n");
    service.close();
    const Result bad = run({u"import"_s, u"--pg-service"_s, servicePath});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains(u"line 4"_s));
    QVERIFY(profilesFile().isEmpty());
    QCOMPARE(run({u"import"_s, u"--pg-service"_s, u"/nonexistent/file"_s}).exitCode, 2);
    QCOMPARE(run({u"import"_s}).exitCode, 2);
}

void TestCli::exportWritesEveryFormatAndPasswordsOnlyOnRequest()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"Staging"_s, u"--url"_s,
                  u"postgresql://orderflow@staging-db.internal:5432/orderflow?sslmode=require"_s,
                  u"--password-stdin"_s},
                 "SENTINEL-export\n")
                     .exitCode,
             0);
    for (const QString &format :
         {u"env"_s, u"pg-service"_s, u"compose"_s, u"sqlalchemy"_s, u"psql"_s}) {
        const Result plain = run({u"export"_s, u"Staging"_s, u"--format"_s, format});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY(plain.out.contains(u"staging-db.internal"_s));
        QVERIFY2(!plain.out.contains(u"SENTINEL"_s), qPrintable(format));
        const Result secret
                = run({u"export"_s, u"Staging"_s, u"--format"_s, format, u"--with-password"_s});
        QCOMPARE(secret.exitCode, 0);
        QVERIFY2(secret.out.contains(u"SENTINEL-export"_s), qPrintable(format));
        QVERIFY(secret.err.contains(u"contains the password"_s));
    }
    QCOMPARE(run({u"export"_s, u"Staging"_s, u"--format"_s, u"yaml"_s}).exitCode, 2);
    QCOMPARE(run({u"export"_s, u"Nobody"_s, u"--format"_s, u"env"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"Staging"_s}).exitCode, 0);
}

void TestCli::exportedServiceFileConnectsThroughLibpq()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"Local Dev"_s, u"--url"_s,
                  u"postgresql://orderflow@127.0.0.1:%1/orderflow?application_name=from-service"_s
                          .arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    const Result exported = run(
            {u"export"_s, u"Local Dev"_s, u"--format"_s, u"pg-service"_s, u"--with-password"_s});
    QCOMPARE(exported.exitCode, 0);
    const QString path = QDir(m_config->path()).filePath(u"exported_service.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(exported.out.toUtf8());
    file.close();
    // libpq reads the file itself: the service name alone reaches the server.
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    environment.insert(u"PGSERVICEFILE"_s, path);
    environment.remove(u"PGPASSWORD"_s);
    const Result check
            = run({u"check"_s, u"--url"_s, u"service=local-dev"_s, u"--json"_s}, {}, environment);
    const QJsonObject object = QJsonDocument::fromJson(check.out.toUtf8()).object();
    QCOMPARE(object.value(u"category"_s).toString(), u"ok"_s);
    bool fromService = false;
    for (const QJsonValue &value : object.value(u"parameters"_s).toArray()) {
        const QJsonObject parameter = value.toObject();
        if (parameter.value(u"keyword"_s).toString() == u"application_name"_s) {
            QCOMPARE(parameter.value(u"value"_s).toString(), u"from-service"_s);
            fromService = parameter.value(u"source"_s).toString() == u"service"_s;
        }
    }
    QVERIFY(fromService);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"Local Dev"_s}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
