#include "TestEnvironment.h"
#include "connection/ConnectionAttempt.h"
#include "connection/PgConnection.h"
#include "profiles/Profile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

/// Every failure the doctor names, produced for real against the servers and listeners that
/// the test scripts (and this test) start, plus a success.
class TestConnectionDoctor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void nothingListeningIsConnectionRefused();
    void socketFolderWithoutServerIsConnectionRefused();
    void listenerThatNeverAnswersTimesOut();
    void cancelStopsTheAttemptAtOnce();
    void listenerThatClosesAtOnceIsServerClosed();
    void wrongPasswordIsAuthFailed();
    void missingPasswordIsAuthFailed();
    void wrongPasswordOnProductionHasNoDestructiveStep();
    void wrongPasswordOnDevelopmentMarksTheDestructiveStep();
    void passwordFileOthersMayReadIsNamedWithItsChmod();
    void unknownDatabaseIsDatabaseNotFound();
    void tlsNotInUseIsSkipped();
    void unknownRoleIsRoleNotFound();
    void rejectLineIsHbaRejected();
    void hostsslOnlyServerWithoutSslIsSslRequired();
    void requiringSslFromAPlainServerIsSslUnavailable();
    void verifyFullWithoutRootCertificateIsSslVerifyFailed();
    void verifyFullWithTheWrongCaIsSslVerifyFailed();
    void verifyFullWithAnotherHostNameIsSslVerifyFailed();
    void exhaustedSlotsAreTooManyConnections();
    void invalidUrlIsInvalidUrl();
    void successReportsVersionTlsLatencyAndSources();
    void strayEnvironmentVariableIsFlagged();
    void stagesArriveInOrder();
    void productionSessionRefusesWritesWithReadOnlySqlTransaction();
    void onlyProductionSessionsAreReadOnly_data();
    void onlyProductionSessionsAreReadOnly();
    void readOnlyWinsOverTheProfilesOptionsAndKeepsTheRest();

private:
    AttemptResult attempt(const QString &url, int timeoutSeconds = 10);
    /// A profile of that environment tries a wrong password taken from the keychain.
    static AttemptResult wrongPasswordFor(Environment environment);
    /// A kept connection of the tool's own, made for a profile as the Test page makes it.
    static AttemptResult keptSession(const Profile &profile);
    static QString show(PGconn *conn, const char *setting);
    static void verifyCategory(const AttemptResult &result, DiagnosisCategory category,
                               ConnectionStage stage);
    static quint16 freePort();
};

void TestConnectionDoctor::initTestCase()
{
    // Only what each test gives counts: no stray PG* settings, no ~/.pgpass.
    for (const char *name : {"PGPASSWORD", "PGSSLMODE", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE",
                             "PGSERVICE", "PGSSLROOTCERT"})
        qunsetenv(name);
    qputenv("PGPASSFILE", "/nonexistent/orderflow-test-pgpass");
}

AttemptResult TestConnectionDoctor::attempt(const QString &url, int timeoutSeconds)
{
    ConnectionAttempt connectionAttempt;
    QSignalSpy finished(&connectionAttempt, &ConnectionAttempt::finished);
    ConnectionRequest request;
    request.text = url;
    request.timeoutSeconds = timeoutSeconds;
    connectionAttempt.start(request);
    if (!finished.wait((timeoutSeconds + 5) * 1000))
        return {};
    return finished.first().first().value<AttemptResult>();
}

void TestConnectionDoctor::verifyCategory(const AttemptResult &result, DiagnosisCategory category,
                                          ConnectionStage stage)
{
    QVERIFY2(!result.ok, "the attempt should have failed");
    QVERIFY(!result.cancelled);
    QVERIFY2(result.diagnosis.category == category,
             qPrintable(u"expected %1, got %2 at %3: %4"_s.arg(
                     DiagnosisTable::id(category), result.diagnosis.categoryId(),
                     ConnectionStages::id(result.diagnosis.stage), result.diagnosis.message)));
    QCOMPARE(ConnectionStages::id(result.diagnosis.stage), ConnectionStages::id(stage));
    // The hints are the category's, from the one table, in its order, written for the target
    // (evidence may add more).
    const QStringList own = DiagnosisTable::hints(category, result.diagnosis.context);
    QVERIFY(!own.isEmpty());
    QCOMPARE(result.diagnosis.hints().mid(result.diagnosis.leadingSteps.size(), own.size()), own);
    QVERIFY(!result.diagnosis.headline().isEmpty());
    // Every stage is listed; the failed one is the diagnosis's, and the ones after it are
    // skipped.
    QCOMPARE(result.stages.size(), ConnectionStages::all().size());
    bool afterFailure = false;
    for (const StageTiming &timing : result.stages) {
        if (afterFailure)
            QCOMPARE(timing.stateId(), u"skipped"_s);
        if (timing.state == StageState::Failed) {
            QCOMPARE(ConnectionStages::id(timing.stage), ConnectionStages::id(stage));
            afterFailure = true;
        }
    }
    QVERIFY2(afterFailure || category == DiagnosisCategory::InvalidUrl, "no stage failed");
}

quint16 TestConnectionDoctor::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

void TestConnectionDoctor::nothingListeningIsConnectionRefused()
{
    const quint16 port = freePort();
    const AttemptResult result
            = attempt(u"postgresql://orderflow:dev_password@localhost:%1/orderflow"_s.arg(port));
    verifyCategory(result, DiagnosisCategory::ConnectionRefused, ConnectionStage::Connect);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(
            u"Nothing listens on 127.0.0.1 port %1"_s.arg(port)));
    QVERIFY(!result.diagnosis.message.contains(u"dev_password"_s));
    QVERIFY(result.target.contains(u":***@"_s));
    // The steps name this target, not the document's localhost:5432.
    const QString steps = result.diagnosis.hints().join(u'\n');
    QVERIFY2(steps.contains(u"pg_isready -h localhost -p %1"_s.arg(port)), qPrintable(steps));
    QVERIFY(!steps.contains(u"5432"_s));
}

void TestConnectionDoctor::socketFolderWithoutServerIsConnectionRefused()
{
    QTemporaryDir empty;
    const AttemptResult result
            = attempt(u"postgresql://orderflow@/orderflow?host=%1&port=5439"_s.arg(empty.path()));
    verifyCategory(result, DiagnosisCategory::ConnectionRefused, ConnectionStage::Connect);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"no socket file"_s));
}

void TestConnectionDoctor::listenerThatNeverAnswersTimesOut()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QElapsedTimer clock;
    clock.start();
    const AttemptResult result = attempt(
            u"postgresql://orderflow:x@127.0.0.1:%1/orderflow"_s.arg(silent.serverPort()), 2);
    verifyCategory(result, DiagnosisCategory::Timeout, ConnectionStage::Tls);
    QVERIFY(clock.elapsed() >= 1900);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"did not answer"_s));
}

void TestConnectionDoctor::cancelStopsTheAttemptAtOnce()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionAttempt connectionAttempt;
    QSignalSpy finished(&connectionAttempt, &ConnectionAttempt::finished);
    ConnectionRequest request;
    request.text = u"postgresql://orderflow:x@127.0.0.1:%1/orderflow"_s.arg(silent.serverPort());
    request.timeoutSeconds = 30;
    connectionAttempt.start(request);
    QTest::qWait(300);
    QVERIFY(connectionAttempt.isRunning());
    connectionAttempt.cancel();
    QVERIFY(finished.wait(2000));
    const auto result = finished.first().first().value<AttemptResult>();
    QVERIFY(result.cancelled);
    QVERIFY(!result.ok);
    QVERIFY(!connectionAttempt.isRunning());
    QVERIFY(result.elapsedMs < 5000);
}

void TestConnectionDoctor::listenerThatClosesAtOnceIsServerClosed()
{
    QTcpServer closing;
    connect(&closing, &QTcpServer::newConnection, this, [&closing]() {
        while (QTcpSocket *socket = closing.nextPendingConnection()) {
            socket->close();
            socket->deleteLater();
        }
    });
    QVERIFY(closing.listen(QHostAddress::LocalHost, 0));
    const AttemptResult result = attempt(
            u"postgresql://orderflow:x@127.0.0.1:%1/orderflow"_s.arg(closing.serverPort()), 5);
    verifyCategory(result, DiagnosisCategory::ServerClosed, result.diagnosis.stage);
    QVERIFY(result.diagnosis.stage <= ConnectionStage::Tls);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"closes them at once"_s));
}

void TestConnectionDoctor::wrongPasswordIsAuthFailed()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = attempt(
            u"postgresql://orderflow:Wr0ng-Passw0rd@localhost:%1/orderflow"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::AuthFailed, ConnectionStage::Auth);
    QCOMPARE(result.diagnosis.sqlstate, u"28P01"_s);
    QVERIFY(!result.diagnosis.message.contains(u"Wr0ng-Passw0rd"_s));
    QVERIFY(!result.diagnosis.message.contains(u"LOCATION"_s));
    // Which user, and where its password came from; never the password.
    const QString evidence = result.diagnosis.evidence.join(u' ');
    QVERIFY2(evidence.contains(u"The user tried was orderflow, with the password from the "
                               "connection string"_s),
             qPrintable(evidence));
    QVERIFY(!evidence.contains(u"Wr0ng"_s));
}

AttemptResult TestConnectionDoctor::wrongPasswordFor(Environment environment)
{
    const auto server = TestEnvironment::postgres();
    if (!server)
        return {};
    const Profile profile = Profile::fromUrl(
            u"profile"_s, environment,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    ConnectionAttempt connectionAttempt;
    QSignalSpy finished(&connectionAttempt, &ConnectionAttempt::finished);
    ConnectionRequest request;
    request.url = profile.connectionUrl();
    request.password = u"Wr0ng-SENTINEL"_s;
    request.passwordOrigin = u"keychain"_s;
    request.policy = profile.sessionPolicy();
    connectionAttempt.start(request);
    if (!finished.wait(15000))
        return {};
    return finished.first().first().value<AttemptResult>();
}

void TestConnectionDoctor::wrongPasswordOnProductionHasNoDestructiveStep()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    for (Environment environment :
         {Environment::Production, Environment::Staging, Environment::Other}) {
        const AttemptResult result = wrongPasswordFor(environment);
        verifyCategory(result, DiagnosisCategory::AuthFailed, ConnectionStage::Auth);
        const QString steps = result.diagnosis.hints().join(u'\n');
        for (const QString &destructive : {u"down -v"_s, u"dropdb"_s, u"DROP "_s})
            QVERIFY2(!steps.contains(destructive), qPrintable(steps));
        QVERIFY2(steps.contains(u"ALTER ROLE \"orderflow\" PASSWORD '...'"_s), qPrintable(steps));
        QVERIFY(steps.contains(u"keychain"_s));
        QVERIFY(result.diagnosis.evidence.join(u' ').contains(
                u"with the password from the keychain entry of this profile"_s));
        const QString everything
                = steps + result.diagnosis.evidence.join(u' ') + result.diagnosis.message;
        QVERIFY(!everything.contains(u"SENTINEL"_s));
    }
}

void TestConnectionDoctor::wrongPasswordOnDevelopmentMarksTheDestructiveStep()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    for (Environment environment : {Environment::Development, Environment::Test}) {
        const AttemptResult result = wrongPasswordFor(environment);
        verifyCategory(result, DiagnosisCategory::AuthFailed, ConnectionStage::Auth);
        const QStringList steps = result.diagnosis.hints();
        const auto recreate = std::find_if(steps.cbegin(), steps.cend(), [](const QString &step) {
            return step.contains(u"docker compose down -v"_s);
        });
        QVERIFY2(recreate != steps.cend(), qPrintable(steps.join(u'\n')));
        QVERIFY(recreate->contains(u"destroys data"_s));
    }
}

void TestConnectionDoctor::missingPasswordIsAuthFailed()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result
            = attempt(u"postgresql://orderflow@localhost:%1/orderflow"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::AuthFailed, ConnectionStage::Auth);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"No password was supplied"_s));
}

void TestConnectionDoctor::passwordFileOthersMayReadIsNamedWithItsChmod()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"pgpass"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("127.0.0.1:*:*:orderflow:dev_password\n");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    qputenv("PGPASSFILE", path.toUtf8());
    const QString url = u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port);
    const AttemptResult ignored = attempt(url);
    verifyCategory(ignored, DiagnosisCategory::AuthFailed, ConnectionStage::Auth);
    const QString evidence = ignored.diagnosis.evidence.join(u' ');
    QVERIFY2(evidence.contains(u"the password file %1 was ignored, because other users may "
                               "read it"_s.arg(path)),
             qPrintable(evidence));
    QCOMPARE(ignored.diagnosis.hints().first(),
             u"Make the password file private: chmod 0600 %1"_s.arg(path));

    // Once private, libpq uses it, and the evidence of a later failure says so.
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const AttemptResult used = attempt(url);
    QVERIFY2(used.ok, qPrintable(used.diagnosis.message));
    const AttemptResult wrongDatabase
            = attempt(u"postgresql://orderflow@127.0.0.1:%1/orderflow_nope"_s.arg(server->port));
    QCOMPARE(wrongDatabase.diagnosis.category, DiagnosisCategory::DatabaseNotFound);
    qputenv("PGPASSFILE", "/nonexistent/orderflow-test-pgpass");
}

void TestConnectionDoctor::unknownDatabaseIsDatabaseNotFound()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@localhost:%1/orderflow_test"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::DatabaseNotFound, ConnectionStage::Database);
    QCOMPARE(result.diagnosis.sqlstate, u"3D000"_s);
    // The databases the same credentials open, read from the maintenance database, and the
    // closest one suggested.
    const QString evidence = result.diagnosis.evidence.join(u'\n');
    QVERIFY2(evidence.contains(u"The databases orderflow may open on this server: "_s),
             qPrintable(evidence));
    QVERIFY(evidence.contains(u"orderflow"_s));
    QVERIFY(evidence.contains(u"postgres"_s));
    QVERIFY(!evidence.contains(u"template0"_s));
    const QString steps = result.diagnosis.hints().join(u'\n');
    // The likely fix leads.
    QVERIFY2(steps.startsWith(u"Did you mean orderflow? Change the database in the connection "
                              "string (now orderflow_test)"_s),
             qPrintable(steps));
    QVERIFY(steps.contains(u"CREATE DATABASE \"orderflow_test\";"_s));
    QVERIFY(steps.contains(u"-p %1"_s.arg(server->port)));
}

void TestConnectionDoctor::tlsNotInUseIsSkipped()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=prefer"_s.arg(
                    server->port));
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    QVERIFY(!result.server.sslInUse);
    for (const StageTiming &timing : result.stages) {
        if (timing.stage == ConnectionStage::Tls) {
            QCOMPARE(timing.stateId(), u"skipped"_s);
            QCOMPARE(timing.note(), u"TLS not in use"_s);
        } else if (timing.stage == ConnectionStage::Tunnel) {
            // A direct route opens none.
            QCOMPARE(timing.stateId(), u"skipped"_s);
        } else {
            QCOMPARE(timing.stateId(), u"ok"_s);
        }
    }
    const AttemptResult disabled = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=disable"_s.arg(
                    server->port));
    QVERIFY(disabled.ok);
    QCOMPARE(disabled.stages.at(int(ConnectionStage::Tls)).stateId(), u"skipped"_s);
}

void TestConnectionDoctor::unknownRoleIsRoleNotFound()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result
            = attempt(u"postgresql://ghost@127.0.0.1:%1/orderflow"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::RoleNotFound, result.diagnosis.stage);
    QCOMPARE(result.diagnosis.sqlstate, u"28000"_s);
}

void TestConnectionDoctor::rejectLineIsHbaRejected()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = attempt(
            u"postgresql://blocked:blocked_password@127.0.0.1:%1/orderflow"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::HbaRejected, ConnectionStage::Auth);
    QCOMPARE(result.diagnosis.sqlstate, u"28000"_s);
}

void TestConnectionDoctor::hostsslOnlyServerWithoutSslIsSslRequired()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=disable"_s.arg(
                    server->port));
    verifyCategory(result, DiagnosisCategory::SslRequired, ConnectionStage::Auth);
    // A bare URL's data counts as precious: verified TLS, not merely "require", and never
    // "turn the server's requirement off".
    QVERIFY(result.diagnosis.hints().first().contains(u"sslmode=verify-full"_s));
    QVERIFY(result.diagnosis.hints().first().contains(u"now sslmode=disable"_s));
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"hostssl"_s));
}

void TestConnectionDoctor::requiringSslFromAPlainServerIsSslUnavailable()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=require"_s.arg(
                    server->port));
    verifyCategory(result, DiagnosisCategory::SslUnavailable, ConnectionStage::Tls);
    QVERIFY(result.diagnosis.evidence.join(u' ').contains(u"does not offer TLS"_s));
}

void TestConnectionDoctor::verifyFullWithoutRootCertificateIsSslVerifyFailed()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    const AttemptResult result
            = attempt(u"postgresql://orderflow:dev_password@localhost:%1/orderflow"
                      "?sslmode=verify-full&sslrootcert=/nonexistent/root.crt"_s.arg(server->port));
    verifyCategory(result, DiagnosisCategory::SslVerifyFailed, ConnectionStage::Tls);
    QVERIFY(result.diagnosis.message.contains(u"/nonexistent/root.crt"_s));
}

void TestConnectionDoctor::verifyFullWithTheWrongCaIsSslVerifyFailed()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    QVERIFY(!server->otherCaFile.isEmpty());
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@localhost:%1/orderflow?sslmode=verify-full"
            "&sslrootcert=%2"_s.arg(server->port)
                    .arg(server->otherCaFile));
    verifyCategory(result, DiagnosisCategory::SslVerifyFailed, ConnectionStage::Tls);
}

void TestConnectionDoctor::verifyFullWithAnotherHostNameIsSslVerifyFailed()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=verify-full"
            "&sslrootcert=%2"_s.arg(server->port)
                    .arg(server->caFile));
    verifyCategory(result, DiagnosisCategory::SslVerifyFailed, ConnectionStage::Tls);
    QVERIFY(result.diagnosis.message.contains(u"localhost"_s));
}

void TestConnectionDoctor::exhaustedSlotsAreTooManyConnections()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_TINYPG");
    const QString url
            = u"postgresql://orderflow:dev_password@localhost:%1/orderflow"_s.arg(server->port);
    // A first look teaches the doctor this server's limits.
    QVERIFY(attempt(url).ok);

    // max_connections 6 with 3 reserved for superusers: three sessions fill what is left.
    const QByteArray conninfo = u"host=127.0.0.1 port=%1 user=orderflow password=dev_password "
                                "dbname=orderflow"_s.arg(server->port)
                                        .toUtf8();
    std::vector<std::unique_ptr<PGconn, decltype(&PQfinish)>> held;
    for (int i = 0; i < 3; ++i) {
        held.emplace_back(PQconnectdb(conninfo.constData()), &PQfinish);
        QVERIFY2(PQstatus(held.back().get()) == CONNECTION_OK, PQerrorMessage(held.back().get()));
    }
    const AttemptResult result = attempt(url);
    verifyCategory(result, DiagnosisCategory::TooManyConnections, result.diagnosis.stage);
    QCOMPARE(result.diagnosis.sqlstate, u"53300"_s);
    QVERIFY2(result.diagnosis.evidence.join(u' ').contains(u"max_connections = 6"_s),
             qPrintable(result.diagnosis.evidence.join(u' ')));
}

void TestConnectionDoctor::invalidUrlIsInvalidUrl()
{
    const AttemptResult result = attempt(u"postgresql://orderflow:s3cret@host:99999/db"_s);
    verifyCategory(result, DiagnosisCategory::InvalidUrl, ConnectionStage::Parse);
    QVERIFY(!result.diagnosis.message.contains(u"s3cret"_s));
    const AttemptResult garbage = attempt(u"postgresql://u@h/db?nonsense=1"_s);
    verifyCategory(garbage, DiagnosisCategory::InvalidUrl, ConnectionStage::Parse);
}

void TestConnectionDoctor::successReportsVersionTlsLatencyAndSources()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@localhost:%1/orderflow?sslmode=verify-full"
            "&sslrootcert=%2"_s.arg(server->port)
                    .arg(server->caFile));
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    QCOMPARE(result.diagnosis.category, DiagnosisCategory::Ok);
    QVERIFY(result.server.versionNum >= 150000);
    QVERIFY(result.server.version.startsWith(u"15"_s));
    QVERIFY(result.server.sslInUse);
    QVERIFY(result.server.sslProtocol.startsWith(u"TLSv1."_s));
    QVERIFY(!result.server.sslCipher.isEmpty());
    QCOMPARE(result.server.certificateSubject, u"/CN=localhost"_s);
    QCOMPARE(result.server.certificateIssuer, u"/CN=OrderFlow Test CA"_s);
    QVERIFY(result.server.certificateNotAfter > QDateTime::currentDateTimeUtc());
    QVERIFY(result.latencyMs > 0);
    QCOMPARE(result.server.maxConnections, 40);
    QCOMPARE(result.server.superuserReservedConnections, 3);

    QStringList passed;
    for (const StageTiming &timing : result.stages) {
        if (timing.state == StageState::Ok) {
            QVERIFY(timing.milliseconds >= 0);
            passed << ConnectionStages::id(timing.stage);
        }
    }
    QCOMPARE(passed.first(), u"parse"_s);
    QCOMPARE(passed.last(), u"checks"_s);
    QVERIFY(passed.contains(u"tls"_s));
    QVERIFY(passed.contains(u"auth"_s));

    bool sawSslmode = false;
    for (const ParameterSource &source : result.parameters) {
        if (source.keyword == u"sslmode"_s) {
            sawSslmode = true;
            QCOMPARE(source.value, u"verify-full"_s);
            QCOMPARE(source.originId(), u"profile"_s);
        }
        if (source.keyword == u"password"_s)
            QCOMPARE(source.value, u"***"_s);
    }
    QVERIFY(sawSslmode);
}

void TestConnectionDoctor::strayEnvironmentVariableIsFlagged()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_SSLPG");
    // The URL sets no sslmode, so PGSSLMODE=disable silently applies, and the hostssl-only
    // server turns the connection away.
    qputenv("PGSSLMODE", "disable");
    const AttemptResult result = attempt(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port));
    qunsetenv("PGSSLMODE");
    verifyCategory(result, DiagnosisCategory::SslRequired, ConnectionStage::Auth);
    QVERIFY2(result.warnings.join(u' ').contains(u"PGSSLMODE=disable"_s),
             qPrintable(result.warnings.join(u' ')));
}

void TestConnectionDoctor::stagesArriveInOrder()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    ConnectionAttempt connectionAttempt;
    QSignalSpy started(&connectionAttempt, &ConnectionAttempt::stageStarted);
    QSignalSpy finished(&connectionAttempt, &ConnectionAttempt::finished);
    ConnectionRequest request;
    request.text
            = u"postgresql://orderflow:dev_password@localhost:%1/orderflow"_s.arg(server->port);
    connectionAttempt.start(request);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.first().first().value<AttemptResult>().ok);
    int previous = -1;
    for (const QList<QVariant> &signal : std::as_const(started)) {
        const int stage = int(signal.first().value<ConnectionStage>());
        QVERIFY(stage > previous);
        previous = stage;
    }
    QCOMPARE(previous, int(ConnectionStage::Checks));
}

AttemptResult TestConnectionDoctor::keptSession(const Profile &profile)
{
    ConnectionAttempt connectionAttempt;
    QSignalSpy finished(&connectionAttempt, &ConnectionAttempt::finished);
    ConnectionRequest request;
    request.url = profile.connectionUrl();
    request.password = u"dev_password"_s;
    request.keepConnection = true;
    request.policy = profile.sessionPolicy();
    connectionAttempt.start(request);
    if (!finished.wait(15000))
        return {};
    return finished.first().first().value<AttemptResult>();
}

QString TestConnectionDoctor::show(PGconn *conn, const char *setting)
{
    const QByteArray sql = QByteArray("SHOW ") + setting;
    PgResult result(PQexec(conn, sql.constData()));
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK)
        return QString::fromUtf8(PQresultErrorMessage(result.get()));
    return QString::fromUtf8(PQgetvalue(result.get(), 0, 0));
}

void TestConnectionDoctor::productionSessionRefusesWritesWithReadOnlySqlTransaction()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const Profile production = Profile::fromUrl(
            u"prod-eu"_s, Environment::Production,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    const AttemptResult result = keptSession(production);
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    QVERIFY(result.connection && result.connection->isOk());
    PGconn *conn = result.connection->get();
    QCOMPARE(show(conn, "default_transaction_read_only"), u"on"_s);
    PgResult write(PQexec(conn, "CREATE TABLE written_by_the_tool (id int)"));
    QCOMPARE(PQresultStatus(write.get()), PGRES_FATAL_ERROR);
    QCOMPARE(QString::fromUtf8(PQresultErrorField(write.get(), PG_DIAG_SQLSTATE)), u"25006"_s);
    QCOMPARE(server->superuserQuery(u"SELECT to_regclass('written_by_the_tool') IS NULL"_s,
                                    u"orderflow"_s),
             u"t"_s);
    // The option is for the session only: what the user sees and copies does not carry it.
    QVERIFY(!result.target.contains(u"read_only"_s));
    QVERIFY(!production.redactedUrl().contains(u"read_only"_s));
}

void TestConnectionDoctor::onlyProductionSessionsAreReadOnly_data()
{
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<QString>("readOnly");
    QTest::newRow("production") << Environment::Production << u"on"_s;
    QTest::newRow("staging") << Environment::Staging << u"off"_s;
    QTest::newRow("development") << Environment::Development << u"off"_s;
    QTest::newRow("test") << Environment::Test << u"off"_s;
    QTest::newRow("other") << Environment::Other << u"off"_s;
}

void TestConnectionDoctor::onlyProductionSessionsAreReadOnly()
{
    QFETCH(Environment, environment);
    QFETCH(QString, readOnly);
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const AttemptResult result = keptSession(Profile::fromUrl(
            u"profile"_s, environment,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port))));
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    QCOMPARE(show(result.connection->get(), "default_transaction_read_only"), readOnly);
}

void TestConnectionDoctor::readOnlyWinsOverTheProfilesOptionsAndKeepsTheRest()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QString error;
    const auto url = ConnectionUrl::parse(
            u"host=127.0.0.1 port=%1 user=orderflow dbname=orderflow "
            "options='-c statement_timeout=4321 -c default_transaction_read_only=off'"_s.arg(
                    server->port),
            &error);
    QVERIFY2(url, qPrintable(error));
    const AttemptResult result
            = keptSession(Profile::fromUrl(u"prod-eu"_s, Environment::Production, *url));
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    QCOMPARE(show(result.connection->get(), "default_transaction_read_only"), u"on"_s);
    QCOMPARE(show(result.connection->get(), "statement_timeout"), u"4321ms"_s);
}

QTEST_GUILESS_MAIN(TestConnectionDoctor)
#include "tst_connectiondoctor.moc"
