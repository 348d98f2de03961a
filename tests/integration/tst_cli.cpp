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

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
