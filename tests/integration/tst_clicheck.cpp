#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;

/// `orderflow-dbadmin check` as scripts use it: the real executable against the test clusters.
class TestCliCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void refusedLocalPortNamesTheDocumentsSteps();
    void healthyServerWithoutRequiredExtensionsExits3();
    void requirementsMetExitsZero();
    void reportIsATicketWithoutThePassword();
    void textReportNumbersTheSteps();
    void invalidUrlExits2();
    void usageErrorsExit2();
    void unresolvableHostIsHostNotFoundWithoutDns();
    void profileUsesItsKeychainPassword();
    void profileWithoutReachableKeychainExits4();
    void productionWithoutVerifiedTlsExits3();
    void productionWithVerifiedTlsPasses();
    void monitorPrintsOneJsonLinePerSample();
    void monitorSurvivesAnUnreachableServer();
    void monitorReadsTheProfilesPgBouncer();
    void checkNamesPgBouncerMismatches_data();
    void checkNamesPgBouncerMismatches();
    void checkWithAnUnreadablePgBouncerKeepsItsExitCode();

private:
    struct Result
    {
        int exitCode = -1;
        QJsonObject json;
        QString out;
        QString err;
    };
    Result run(const QStringList &arguments, const QByteArray &input = {},
               const std::optional<QProcessEnvironment> &environment = std::nullopt,
               const QString &program = {});
    QProcessEnvironment environment() const;
    void setRequiredExtensions(const QString &profileName, const QStringList &extensions);
    /// Edits a saved profile's object in the profiles file (for what no switch sets).
    void editProfile(const QString &profileName, const std::function<void(QJsonObject &)> &edit);
    /// Names the test PgBouncer's admin console in a saved profile, as the Pool page does.
    void setPgBouncer(const QString &profileName, const QString &user = {});
    /// Saves the profile "pooled" (the cluster at port, with the SQLAlchemy driver) and names the
    /// test PgBouncer's console (as user, when given) in it.
    void addPooledProfile(int port, const QString &driver, const QString &user = {});
    std::unique_ptr<QTemporaryDir> m_config;
};

void TestCliCheck::init()
{
    m_config = std::make_unique<QTemporaryDir>();
}

QProcessEnvironment TestCliCheck::environment() const
{
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    for (const QString &name : {u"PGPASSWORD"_s, u"PGSSLMODE"_s, u"PGHOST"_s, u"PGPORT"_s})
        environment.remove(name);
    environment.insert(u"PGPASSFILE"_s, u"/nonexistent/pgpass"_s);
    return environment;
}

TestCliCheck::Result TestCliCheck::run(const QStringList &arguments, const QByteArray &input,
                                       const std::optional<QProcessEnvironment> &env,
                                       const QString &program)
{
    const TestEnvironment::ProcessResult ran
            = TestEnvironment::run(arguments, env.value_or(environment()), input, program);
    Result result;
    result.exitCode = ran.exitCode;
    result.out = ran.out;
    result.err = ran.err;
    result.json = QJsonDocument::fromJson(result.out.toUtf8()).object();
    return result;
}

void TestCliCheck::editProfile(const QString &profileName,
                               const std::function<void(QJsonObject &)> &edit)
{
    // The command line has no switch for these (the window does): edit the file.
    QFile file(QDir(m_config->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonArray profiles = root.value(u"profiles"_s).toArray();
    for (qsizetype i = 0; i < profiles.size(); ++i) {
        QJsonObject profile = profiles.at(i).toObject();
        if (profile.value(u"name"_s).toString() == profileName)
            edit(profile);
        profiles.replace(i, profile);
    }
    root.insert(u"profiles"_s, profiles);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(root).toJson());
}

void TestCliCheck::setRequiredExtensions(const QString &profileName, const QStringList &extensions)
{
    editProfile(profileName, [&extensions](QJsonObject &profile) {
        profile.insert(u"required_extensions"_s, QJsonArray::fromStringList(extensions));
    });
}

void TestCliCheck::setPgBouncer(const QString &profileName, const QString &user)
{
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    editProfile(profileName, [bouncerPort, &user](QJsonObject &profile) {
        profile.insert(u"pgbouncer"_s,
                       QJsonObject{{u"enabled"_s, true},
                                   {u"host"_s, u"127.0.0.1"_s},
                                   {u"port"_s, bouncerPort},
                                   {u"user"_s, user},
                                   {u"dbname"_s, u"pgbouncer"_s}});
    });
}

void TestCliCheck::addPooledProfile(int port, const QString &driver, const QString &user)
{
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"pooled"_s, u"--url"_s,
                  u"postgresql+%1://orderflow@127.0.0.1:%2/orderflow"_s.arg(driver).arg(port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    setPgBouncer(u"pooled"_s, user);
}

void TestCliCheck::refusedLocalPortNamesTheDocumentsSteps()
{
    const Result result
            = run({u"check"_s, u"--url"_s,
                   u"postgresql://orderflow:dev_password@localhost:1/orderflow"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.json.value(u"ok"_s).toBool(true), false);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"connection_refused"_s);
    QCOMPARE(result.json.value(u"stage"_s).toString(), u"connect"_s);
    QVERIFY(result.json.value(u"sqlstate"_s).isNull());
    QVERIFY(result.json.value(u"server"_s).isNull());
    QVERIFY(result.json.value(u"extensions"_s).isNull());
    QVERIFY(result.json.value(u"connections"_s).isNull());
    // No profile, so no PgBouncer console to read.
    QVERIFY(result.json.contains(u"pooler"_s) && result.json.value(u"pooler"_s).isNull());
    QCOMPARE(result.json.value(u"target"_s).toString(),
             u"postgresql://orderflow:***@localhost:1/orderflow"_s);
    const QJsonArray hints = result.json.value(u"hints"_s).toArray();
    // A bare URL has no environment, so its data counts as precious: the document's steps with
    // this target's host and port, in the wording for a server someone else runs.
    QVERIFY(hints.contains(u"Check that the PostgreSQL server at localhost is running: ask its "
                           "operator or look at its service status"_s));
    QVERIFY(hints.contains(u"Verify port is not blocked: pg_isready -h localhost -p 1"_s));
    QVERIFY(hints.contains(u"Verify connection string hostname/port (now localhost, port 1)"_s));
    QCOMPARE(result.json.value(u"summary"_s).toString(),
             u"Nothing is accepting connections at that address and port."_s);
    QVERIFY(result.json.value(u"elapsed_ms"_s).toDouble() > 0);
    QVERIFY(!result.out.contains(u"dev_password"_s));
    QVERIFY(!result.err.contains(u"dev_password"_s));
}

void TestCliCheck::healthyServerWithoutRequiredExtensionsExits3()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    // The database has none of OrderFlow's extensions created, and pgvector is not packaged
    // for this server at all.
    const Result result = run(
            {u"check"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port),
             u"--json"_s, u"--timeout"_s, u"5"_s});
    QVERIFY2(result.exitCode == 3, qPrintable(result.out + result.err));
    QCOMPARE(result.json.value(u"ok"_s).toBool(true), false);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"ok"_s);
    const QJsonObject facts = result.json.value(u"server"_s).toObject();
    QVERIFY(facts.value(u"version_num"_s).toInt() >= 150000);
    QCOMPARE(facts.value(u"ssl"_s).toObject().value(u"in_use"_s).toBool(true), false);
    QVERIFY(result.json.value(u"latency_ms"_s).toDouble() >= 0);

    QMap<QString, QString> statuses;
    for (const QJsonValue &value : result.json.value(u"extensions"_s).toArray())
        statuses.insert(value.toObject().value(u"name"_s).toString(),
                        value.toObject().value(u"status"_s).toString());
    QCOMPARE(statuses.value(u"pg_trgm"_s), u"available"_s);
    QCOMPARE(statuses.value(u"vector"_s), u"missing"_s);
    QCOMPARE(statuses.value(u"pgcrypto"_s), u"available"_s);
    QMap<QString, bool> met;
    for (const QJsonValue &value : result.json.value(u"requirements"_s).toArray())
        met.insert(value.toObject().value(u"name"_s).toString(),
                   value.toObject().value(u"met"_s).toBool());
    QCOMPARE(met.value(u"pg_trgm"_s, true), false);
    QCOMPARE(met.value(u"vector"_s, true), false);
    QCOMPARE(met.value(u"uuid-ossp|pgcrypto"_s), true); // gen_random_uuid() is built in

    const QJsonObject connections = result.json.value(u"connections"_s).toObject();
    QCOMPARE(connections.value(u"database"_s).toString(), u"orderflow"_s);
    QCOMPARE(connections.value(u"max_connections"_s).toInt(), 40);
    QCOMPARE(connections.value(u"superuser_reserved"_s).toInt(), 3);
    QVERIFY(connections.value(u"total"_s).toInt() >= 1);
    QCOMPARE(connections.value(u"available"_s).toInt(),
             40 - 3 - connections.value(u"reserved"_s).toInt()
                     - connections.value(u"total"_s).toInt());
    QCOMPARE(
            result.json.value(u"stages"_s).toArray().last().toObject().value(u"stage"_s).toString(),
            u"checks"_s);

    // The one sentence that says why the exit code is 3, and each failed check's fix.
    QCOMPARE(result.json.value(u"summary"_s).toString(),
             u"Connected, but 2 required checks failed: pg_trgm missing, vector missing."_s);
    QStringList failed;
    for (const QJsonValue &value : result.json.value(u"checks"_s).toArray()) {
        const QJsonObject check = value.toObject();
        if (check.value(u"met"_s).toBool())
            continue;
        failed << check.value(u"name"_s).toString();
        QVERIFY(!check.value(u"fix"_s).toArray().isEmpty());
    }
    QCOMPARE(failed, QStringList({u"extension:pg_trgm"_s, u"extension:vector"_s}));
    // A plain server: TLS was not in use, so its stage is skipped, not ok; the checks stage
    // failed. A direct route opens no tunnel.
    for (const QJsonValue &value : result.json.value(u"stages"_s).toArray()) {
        const QJsonObject stage = value.toObject();
        const QString id = stage.value(u"stage"_s).toString();
        QCOMPARE(stage.value(u"state"_s).toString(),
                 id == u"tls"_s || id == u"tunnel"_s ? u"skipped"_s
                         : id == u"checks"_s         ? u"failed"_s
                                                     : u"ok"_s);
        QCOMPARE(stage.value(u"ok"_s).toBool(), id != u"checks"_s);
        QVERIFY(stage.value(u"ms"_s).isDouble());
    }
    const Result text = run(
            {u"check"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port)});
    QCOMPARE(text.exitCode, 3);
    QVERIFY2(text.out.startsWith(u"Summary: Connected, but 2 required checks failed: pg_trgm "
                                 "missing, vector missing.\n"_s),
             qPrintable(text.out));
    QVERIFY(text.out.contains(u"CREATE EXTENSION IF NOT EXISTS \"pg_trgm\";"_s));
    QVERIFY(text.out.contains(u"postgresql-15-pgvector"_s));
}

void TestCliCheck::reportIsATicketWithoutThePassword()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const Result failed = run(
            {u"check"_s, u"--report"_s, u"--url"_s,
             u"postgresql://orderflow:pw-SENTINEL@127.0.0.1:%1/orderflow"_s.arg(server->port)});
    QCOMPARE(failed.exitCode, 1);
    const Result passed = run(
            {u"check"_s, u"--report"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port)});
    QCOMPARE(passed.exitCode, 3);
    for (const Result &result : {failed, passed}) {
        for (const QString &line :
             {u"OrderFlow DB Admin connection report\n"_s, u"\nProduct: OrderFlow DB Admin "_s,
              u"\nlibpq: "_s, u"\nQt: 6."_s, u"\nOS: "_s, u"\nTime (UTC): 20"_s,
              u"\nProfile: none (a connection string)\n"_s, u"\nSummary: "_s, u"\nStages:\n"_s,
              u"Target: postgresql://orderflow:***@127.0.0.1:%1/orderflow"_s.arg(server->port)})
            QVERIFY2(result.out.contains(line), qPrintable(line + u" not in:\n"_s + result.out));
        QVERIFY(!result.out.contains(u"SENTINEL"_s));
        QVERIFY(!result.out.contains(u"dev_password"_s));
        QVERIFY(!result.err.contains(u"SENTINEL"_s));
    }
    QVERIFY(failed.out.contains(u"\nCategory: auth_failed, at stage auth\n"_s));
    QVERIFY(failed.out.contains(u"The user tried was orderflow, with the password from the "
                                "connection string"_s));
    QVERIFY(failed.out.contains(u"\nWhat to do:\n  1. "_s));
    QVERIFY(passed.out.contains(u"  skipped  tls"_s));
    QVERIFY(passed.out.contains(u"\nFailed required check: required extension "_s));
    QCOMPARE(run({u"check"_s, u"--report"_s, u"--json"_s, u"--url"_s, u"postgresql://x@y/z"_s})
                     .exitCode,
             2);
}

void TestCliCheck::requirementsMetExitsZero()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"trgm-only"_s, u"--url"_s,
                  u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    setRequiredExtensions(u"trgm-only"_s, {u"plpgsql"_s, u"uuid-ossp|pgcrypto"_s});
    const Result result = run({u"check"_s, u"--profile"_s, u"trgm-only"_s, u"--json"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    QCOMPARE(result.json.value(u"ok"_s).toBool(), true);
    const QJsonObject first = result.json.value(u"extensions"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"name"_s).toString(), u"plpgsql"_s);
    QCOMPARE(first.value(u"status"_s).toString(), u"installed"_s);
    QVERIFY(!first.value(u"installed_version"_s).toString().isEmpty());
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"trgm-only"_s}).exitCode, 0);
}

void TestCliCheck::textReportNumbersTheSteps()
{
    const Result result = run({u"check"_s, u"--url"_s, u"postgresql://orderflow@localhost:1/x"_s});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.contains(u"connection_refused"_s));
    QVERIFY(result.out.contains(u"What to do:"_s));
    // Numbered from 1; a "Did you mean port ...?" may lead when a test server runs here.
    QVERIFY2(result.out.contains(u"What to do:\n  1. "_s), qPrintable(result.out));
    QVERIFY(result.out.contains(u". Check that the PostgreSQL server at localhost is running"_s));
}

void TestCliCheck::invalidUrlExits2()
{
    const Result result
            = run({u"check"_s, u"--url"_s, u"postgresql://u:pw@h:99999/db"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"invalid_url"_s);
    QCOMPARE(result.json.value(u"stage"_s).toString(), u"parse"_s);
}

void TestCliCheck::usageErrorsExit2()
{
    QCOMPARE(run({u"check"_s}).exitCode, 2);
    QCOMPARE(run({u"check"_s, u"--url"_s, u"postgresql://h/d"_s, u"--profile"_s, u"x"_s}).exitCode,
             2);
    QCOMPARE(run({u"check"_s, u"--url"_s, u"postgresql://h/d"_s, u"--timeout"_s, u"0"_s}).exitCode,
             2);
    QCOMPARE(run({u"check"_s, u"--profile"_s, u"nobody"_s}).exitCode, 2);
}

void TestCliCheck::unresolvableHostIsHostNotFoundWithoutDns()
{
    // Name lookup confined to /etc/hosts in a private mount namespace: no DNS query leaves.
    const QString unshare = QStandardPaths::findExecutable(u"unshare"_s);
    ORDERFLOW_REQUIRE(::geteuid() == 0 && !unshare.isEmpty(),
                      "needs root and unshare to confine name lookup to /etc/hosts");
    QTemporaryDir dir;
    const QString nsswitch = QDir(dir.path()).filePath(u"nsswitch.conf"_s);
    QFile file(nsswitch);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("passwd: files\ngroup: files\nhosts: files\n");
    file.close();
    // Some sandboxes (a chroot, a container without CAP_SYS_ADMIN) cannot do this: skip there.
    QProcess probe;
    probe.start(unshare,
                {u"-m"_s, u"sh"_s, u"-c"_s,
                 u"mount --bind \"$0\" /etc/nsswitch.conf && echo confined"_s, nsswitch});
    probe.waitForFinished(10000);
    const bool confined = probe.readAllStandardOutput().contains("confined");
    ORDERFLOW_REQUIRE(confined,
                      qPrintable(u"cannot confine name lookup here: "_s
                                 + QString::fromUtf8(probe.readAllStandardError())));
    const Result result = run(
            {u"-m"_s, u"sh"_s, u"-c"_s, u"mount --bind \"$0\" /etc/nsswitch.conf && exec \"$@\""_s,
             nsswitch, TestEnvironment::executable(), u"check"_s, u"--url"_s,
             u"postgresql://orderflow@no-such-host.invalid:5432/orderflow"_s, u"--json"_s},
            {}, std::nullopt, unshare);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"host_not_found"_s);
    QCOMPARE(result.json.value(u"stage"_s).toString(), u"resolve"_s);
    QVERIFY(result.json.value(u"message"_s).toString().contains(u"no-such-host.invalid"_s));
    QVERIFY(result.json.value(u"hints"_s).toArray().first().toString().contains(u"typos"_s));
}

void TestCliCheck::profileUsesItsKeychainPassword()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"local"_s, u"--environment"_s, u"development"_s,
                  u"--url"_s, u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    setRequiredExtensions(u"local"_s, {});
    const Result result = run({u"check"_s, u"--profile"_s, u"local"_s, u"--json"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    QCOMPARE(result.json.value(u"category"_s).toString(), u"ok"_s);
    QCOMPARE(result.json.value(u"target"_s).toString(),
             u"postgresql://orderflow:***@127.0.0.1:%1/orderflow"_s.arg(server->port));
    QVERIFY(!result.out.contains(u"dev_password"_s));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"local"_s}).exitCode, 0);
}

void TestCliCheck::profileWithoutReachableKeychainExits4()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"stored"_s, u"--url"_s,
                  u"postgresql://orderflow@127.0.0.1:1/orderflow"_s, u"--password-stdin"_s},
                 "secret-in-keyring\n")
                     .exitCode,
             0);
    QProcessEnvironment noBus = environment();
    noBus.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    noBus.remove(u"DISPLAY"_s);
    noBus.insert(u"XDG_RUNTIME_DIR"_s, m_config->path());
    const Result result = run({u"check"_s, u"--profile"_s, u"stored"_s, u"--json"_s}, {}, noBus);
    QCOMPARE(result.exitCode, 4);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"keychain_unavailable"_s);
    QVERIFY(!result.json.value(u"hints"_s).toArray().isEmpty());
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"stored"_s}).exitCode, 0);
}

void TestCliCheck::productionWithoutVerifiedTlsExits3()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"prod"_s, u"--environment"_s, u"production"_s,
                  u"--url"_s, u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    const Result result = run({u"check"_s, u"--profile"_s, u"prod"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.json.value(u"ok"_s).toBool(true), false);
    QCOMPARE(result.json.value(u"category"_s).toString(), u"ok"_s);
    const QJsonObject check = result.json.value(u"checks"_s).toArray().first().toObject();
    QCOMPARE(check.value(u"name"_s).toString(), u"verified_tls"_s);
    QCOMPARE(check.value(u"met"_s).toBool(true), false);
    QVERIFY2(result.json.value(u"summary"_s)
                     .toString()
                     .startsWith(u"Connected, but 3 required checks failed: TLS not in use, "_s),
             qPrintable(result.json.value(u"summary"_s).toString()));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"prod"_s, u"--confirm"_s, u"prod"_s}).exitCode, 0);
}

void TestCliCheck::productionWithVerifiedTlsPasses()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    QCOMPARE(
            run({u"profiles"_s, u"add"_s, u"prod-tls"_s, u"--environment"_s, u"production"_s,
                 u"--url"_s,
                 u"postgresql://orderflow@localhost:%1/orderflow?sslmode=verify-full&sslrootcert=%2"_s
                         .arg(server->port)
                         .arg(server->caFile),
                 u"--password-stdin"_s},
                "dev_password\n")
                    .exitCode,
            0);
    setRequiredExtensions(u"prod-tls"_s, {});
    const Result result = run({u"check"_s, u"--profile"_s, u"prod-tls"_s, u"--json"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    QCOMPARE(result.json.value(u"checks"_s).toArray().first().toObject().value(u"met"_s).toBool(),
             true);
    const QJsonObject ssl = result.json.value(u"server"_s).toObject().value(u"ssl"_s).toObject();
    QCOMPARE(ssl.value(u"in_use"_s).toBool(), true);
    QCOMPARE(ssl.value(u"certificate_subject"_s).toString(), u"/CN=localhost"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"prod-tls"_s, u"--confirm"_s, u"prod-tls"_s})
                     .exitCode,
             0);
}

void TestCliCheck::monitorPrintsOneJsonLinePerSample()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const Result result = run(
            {u"monitor"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port),
             u"--interval"_s, u"200"_s, u"--samples"_s, u"3"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = result.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    QDateTime previous;
    for (const QString &line : lines) {
        const QJsonObject sample = QJsonDocument::fromJson(line.toUtf8()).object();
        QCOMPARE(sample.value(u"ok"_s).toBool(), true);
        const QDateTime t
                = QDateTime::fromString(sample.value(u"t"_s).toString(), Qt::ISODateWithMs);
        QVERIFY(t.isValid());
        QCOMPARE(t.timeSpec(), Qt::UTC);
        if (previous.isValid())
            QVERIFY(t > previous);
        previous = t;
        const QJsonObject connections = sample.value(u"connections"_s).toObject();
        QCOMPARE(connections.value(u"database"_s).toString(), u"orderflow"_s);
        QCOMPARE(connections.value(u"max_connections"_s).toInt(), 40);
        QVERIFY(connections.contains(u"by_state"_s));
        QVERIFY(sample.value(u"by_application"_s).isObject());
        QCOMPARE(sample.value(u"pool"_s).toObject().value(u"capacity"_s).toInt(), 15);
    }
    const Result table = run(
            {u"monitor"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port),
             u"--interval"_s, u"200"_s, u"--samples"_s, u"2"_s});
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(table.out.trimmed().split(u'\n').size(), 3); // heading and two rows
    QCOMPARE(run({u"monitor"_s, u"--url"_s, u"postgresql://h/d"_s, u"--interval"_s, u"5"_s})
                     .exitCode,
             2);
    // An unknown profile is said on stderr, with no table heading above it.
    const Result unknown = run({u"monitor"_s, u"--profile"_s, u"nobody here"_s});
    QVERIFY(unknown.exitCode != 0);
    QVERIFY(unknown.err.contains(u"nobody here"_s));
    QCOMPARE(unknown.out, QString());
}

void TestCliCheck::monitorSurvivesAnUnreachableServer()
{
    const Result result = run({u"monitor"_s, u"--url"_s,
                               u"postgresql://orderflow:s3cret@127.0.0.1:1/orderflow"_s,
                               u"--interval"_s, u"100"_s, u"--samples"_s, u"3"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = result.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    for (const QString &line : lines) {
        const QJsonObject sample = QJsonDocument::fromJson(line.toUtf8()).object();
        QCOMPARE(sample.value(u"ok"_s).toBool(true), false);
        QCOMPARE(sample.value(u"category"_s).toString(), u"connection_refused"_s);
        QVERIFY(!sample.value(u"message"_s).toString().isEmpty());
    }
    QVERIFY(!result.out.contains(u"s3cret"_s));
}

void TestCliCheck::monitorReadsTheProfilesPgBouncer()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    ORDERFLOW_REQUIRE(bouncerPort > 0, "no test PgBouncer: run through tests/scripts/run-tests.sh");
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"pooled"_s, u"--url"_s,
                  u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    setPgBouncer(u"pooled"_s);
    const Result result = run({u"monitor"_s, u"--profile"_s, u"pooled"_s, u"--interval"_s, u"200"_s,
                               u"--samples"_s, u"2"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    const QJsonObject sample
            = QJsonDocument::fromJson(result.out.trimmed().split(u'\n').last().toUtf8()).object();
    QCOMPARE(sample.value(u"ok"_s).toBool(), true);
    const QJsonObject bouncer = sample.value(u"pgbouncer"_s).toObject();
    QVERIFY2(bouncer.value(u"ok"_s).toBool(), qPrintable(result.out));
    // Pools appear once a client used them; the admin console's own is always there.
    const QJsonArray pools = bouncer.value(u"pools"_s).toArray();
    QVERIFY(!pools.isEmpty());
    QVERIFY(pools.first().toObject().contains(u"cl_waiting"_s));
    QVERIFY(!bouncer.value(u"stats"_s).toArray().isEmpty());
    QVERIFY(!result.out.contains(u"dev_password"_s));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"pooled"_s}).exitCode, 0);
}

void TestCliCheck::checkNamesPgBouncerMismatches_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<int>("workers");
    // The finding ids expected, in order.
    QTest::addColumn<QStringList>("findings");
    QTest::addColumn<QString>("fixNames");
    QTest::newRow("psycopg 3, 8 x (5 + 10) = 120 > 50")
            << u"psycopg"_s << 8
            << QStringList{u"pooler-max-client-conn"_s, u"pooler-prepared-statements"_s}
            << u"connect_args={\"prepare_threshold\": None}"_s;
    QTest::newRow("asyncpg, 3 x (5 + 10) = 45 <= 50")
            << u"asyncpg"_s << 3 << QStringList{u"pooler-prepared-statements"_s}
            << u"connect_args={\"statement_cache_size\": 0}"_s;
    QTest::newRow("psycopg2, 1 x (5 + 10)") << u"psycopg2"_s << 1 << QStringList() << QString();
}

// The test PgBouncer pools by transaction with max_client_conn 50 and default_pool_size 1.
void TestCliCheck::checkNamesPgBouncerMismatches()
{
    QFETCH(QString, driver);
    QFETCH(int, workers);
    QFETCH(QStringList, findings);
    QFETCH(QString, fixNames);
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    ORDERFLOW_REQUIRE(qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT") > 0,
                      "no test PgBouncer: run through tests/scripts/run-tests.sh");
    addPooledProfile(server->port, driver);
    setRequiredExtensions(u"pooled"_s, {u"plpgsql"_s});
    editProfile(u"pooled"_s, [workers](QJsonObject &profile) {
        QJsonObject pool = profile.value(u"pool"_s).toObject();
        pool.insert(u"workers"_s, workers);
        profile.insert(u"pool"_s, pool);
    });

    const Result result = run({u"check"_s, u"--profile"_s, u"pooled"_s, u"--json"_s});
    // The findings are reported; the exit code is the database connection's.
    QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    const QJsonObject pooler = result.json.value(u"pooler"_s).toObject();
    QVERIFY2(pooler.value(u"read"_s).toBool(), qPrintable(result.out));
    QCOMPARE(pooler.value(u"pool_mode"_s).toString(), u"transaction"_s);
    QCOMPARE(pooler.value(u"max_client_conn"_s).toInt(), 50);
    QCOMPARE(pooler.value(u"default_pool_size"_s).toInt(), 1);
    QCOMPARE(pooler.value(u"pool_size"_s).toInt(), 1);
    QCOMPARE(pooler.value(u"database"_s).toString(), u"orderflow"_s);
    // PgBouncer 1.18 has no max_prepared_statements.
    QVERIFY(pooler.value(u"max_prepared_statements"_s).isNull());
    QCOMPARE(pooler.value(u"client_connections"_s).toInt(), workers * 15);
    QStringList ids;
    QString fixes;
    for (const QJsonValue &value : pooler.value(u"findings"_s).toArray()) {
        const QJsonObject finding = value.toObject();
        ids << finding.value(u"id"_s).toString();
        fixes += finding.value(u"fix"_s).toString();
        QVERIFY(!finding.value(u"message"_s).toString().isEmpty());
        QVERIFY(!finding.value(u"severity"_s).toString().isEmpty());
    }
    QCOMPARE(ids, findings);
    QVERIFY2(fixes.contains(fixNames), qPrintable(fixes));
    QVERIFY(!result.out.contains(u"dev_password"_s));

    // The text output lists the same findings.
    const Result text = run({u"check"_s, u"--profile"_s, u"pooled"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"PgBouncer:"_s), qPrintable(text.out));
    if (!fixNames.isEmpty())
        QVERIFY2(text.out.contains(fixNames), qPrintable(text.out));
    else
        QVERIFY2(text.out.contains(u"fit this profile's"_s), qPrintable(text.out));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"pooled"_s}).exitCode, 0);
}

void TestCliCheck::checkWithAnUnreadablePgBouncerKeepsItsExitCode()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    ORDERFLOW_REQUIRE(qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT") > 0,
                      "no test PgBouncer: run through tests/scripts/run-tests.sh");
    // PgBouncer knows no such user: the console refuses the profile's password for it.
    addPooledProfile(server->port, u"psycopg"_s, u"not_an_admin"_s);
    const Result result = run({u"check"_s, u"--profile"_s, u"pooled"_s, u"--json"_s});
    // The database's extensions are missing (exit 3), as without PgBouncer.
    QVERIFY2(result.exitCode == 3, qPrintable(result.out + result.err));
    QCOMPARE(result.json.value(u"category"_s).toString(), u"ok"_s);
    const QJsonObject pooler = result.json.value(u"pooler"_s).toObject();
    QCOMPARE(pooler.value(u"read"_s).toBool(true), false);
    QVERIFY(pooler.value(u"pool_mode"_s).isNull());
    const QJsonArray findings = pooler.value(u"findings"_s).toArray();
    QCOMPARE(findings.size(), 1);
    const QJsonObject finding = findings.first().toObject();
    QCOMPARE(finding.value(u"id"_s).toString(), u"pooler-unreadable"_s);
    QVERIFY2(finding.value(u"evidence"_s).toString().contains(u"authentication failed"_s),
             qPrintable(finding.value(u"evidence"_s).toString()));
    QVERIFY(finding.value(u"fix"_s).toString().contains(u"not_an_admin"_s));
    QVERIFY(!result.out.contains(u"dev_password"_s));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"pooled"_s}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCliCheck)
#include "tst_clicheck.moc"
