#include "TestEnvironment.h"
#include "pool/ActivitySampler.h"
#include "profiles/Profile.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

/// The pool monitor's sampler against real servers: counts that follow connections, an
/// outage and recovery of a server the test stops and starts, PgBouncer's pools, the clock.
class TestActivitySampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsFollowConnectionsOpenedAndClosed();
    void theToolsSessionsCountApartByName();
    void sessionsInOtherDatabasesCountOnlyInTheTotal();
    void otherRolesSessionsCountWithAnUnknownState();
    void samplingGoesOnWhenThePreparedStatementIsGone();
    void timestampsComeFromTheGivenClock();
    void backoffDoublesUpToTheCap();
    void outageIsReportedAndSamplingResumes();
    void aPasswordCommandRunsAgainForEachNewConnection();
    void pgbouncerShowsAWaitingClient();
    void serverReportsTheSamplerSessionReadOnlyOnlyForProduction_data();
    void serverReportsTheSamplerSessionReadOnlyOnlyForProduction();

private:
    static PGconn *open(int port, const QString &database, const QString &application);
    /// A sampler of the orderflow database at 200 ms whose samples land in *samples.
    static void startSampler(ActivitySampler &sampler, int port, QList<ActivitySample> *samples);
    /// The first count samples of such a sampler (fewer if they take over 10 s).
    static QList<ActivitySample> firstSamples(int port, int count);
    static bool cluster(const QString &action, const QString &directory);
};

PGconn *TestActivitySampler::open(int port, const QString &database, const QString &application)
{
    const QByteArray conninfo = u"host=127.0.0.1 port=%1 user=orderflow password=dev_password "
                                "dbname=%2 application_name=%3"_s.arg(port)
                                        .arg(database, application)
                                        .toUtf8();
    return PQconnectdb(conninfo.constData());
}

void TestActivitySampler::startSampler(ActivitySampler &sampler, int port,
                                       QList<ActivitySample> *samples)
{
    sampler.setInterval(200);
    sampler.setTarget(
            *ConnectionUrl::parse(
                    u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(port)),
            std::nullopt);
    connect(&sampler, &ActivitySampler::sampleReceived, &sampler,
            [samples](const ActivitySample &sample) { samples->append(sample); });
    sampler.start();
}

QList<ActivitySample> TestActivitySampler::firstSamples(int port, int count)
{
    ActivitySampler sampler;
    QList<ActivitySample> samples;
    startSampler(sampler, port, &samples);
    // A timeout shows as fewer samples, which the caller checks.
    (void)QTest::qWaitFor([&]() { return samples.size() >= count; }, 10000);
    sampler.stop();
    return samples;
}

bool TestActivitySampler::cluster(const QString &action, const QString &directory)
{
    QProcess script;
    script.start(u"bash"_s,
                 {QStringLiteral(ORDERFLOW_SOURCE_DIR) + u"/tests/scripts/pg-cluster.sh"_s, action,
                  directory});
    return script.waitForFinished(60000) && script.exitCode() == 0;
}

void TestActivitySampler::countsFollowConnectionsOpenedAndClosed()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    ActivitySampler sampler;
    sampler.setInterval(200);
    sampler.setTarget(
            *ConnectionUrl::parse(
                    u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?application_name=sampler-self"_s
                            .arg(server->port)),
            std::nullopt);
    std::optional<ActivitySample> last;
    connect(&sampler, &ActivitySampler::sampleReceived, this,
            [&](const ActivitySample &sample) { last = sample; });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(last && last->ok, 10000);
    const int before = last->byApplication.value(u"sampler-test"_s);
    QCOMPARE(before, 0);

    std::vector<PGconn *> connections;
    for (int i = 0; i < 3; ++i) {
        connections.push_back(open(server->port, u"orderflow"_s, u"sampler-test"_s));
        QCOMPARE(PQstatus(connections.back()), CONNECTION_OK);
    }
    QTRY_VERIFY_WITH_TIMEOUT(last->byApplication.value(u"sampler-test"_s) == 3, 5000);
    QVERIFY(last->counts.inDatabase >= 3);
    QVERIFY(last->byState.value(u"idle"_s) >= 3);
    // The sampler's own session is never counted in the database's numbers, whatever the URL
    // names it: it counts as the tool's.
    QCOMPARE(last->byApplication.value(u"sampler-self"_s), 0);
    QVERIFY(last->counts.toolSessions >= 1);
    QVERIFY(last->counts.total >= 4);
    PQfinish(connections[0]);
    PQfinish(connections[1]);
    QTRY_VERIFY_WITH_TIMEOUT(last->byApplication.value(u"sampler-test"_s) == 1, 5000);
    PQfinish(connections[2]);
    QTRY_VERIFY_WITH_TIMEOUT(last->byApplication.value(u"sampler-test"_s) == 0, 5000);
    QCOMPARE(last->counts.maxConnections, 40);
    QCOMPARE(last->serverCapacity(), 37);
}

// Sessions named as the tool's (another window's Server page, a monitor, one behind PgBouncer's
// application_name_add_host) count apart from the database's, both in the first tick (from the
// snapshot) and in the sampler's own statement; and the sampler's session is named the
// monitor's, whatever the URL says.
void TestActivitySampler::theToolsSessionsCountApartByName()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    std::vector<PGconn *> tool;
    const QStringList names{SlotCounts::serverSessionName(), SlotCounts::monitorSessionName(),
                            SlotCounts::serverSessionName() + u" - 10.0.0.5:51234"_s};
    for (const QString &name : names) {
        tool.push_back(open(server->port, u"orderflow"_s, u"'"_s + name + u"'"_s));
        QCOMPARE(PQstatus(tool.back()), CONNECTION_OK);
    }
    const QList<ActivitySample> samples = firstSamples(server->port, 3);
    QVERIFY(samples.size() >= 3);
    for (const ActivitySample &sample : samples) {
        QVERIFY(sample.ok);
        QVERIFY2(sample.counts.toolSessions >= 4,
                 qPrintable(u"tool sessions %1"_s.arg(sample.counts.toolSessions)));
        for (const QString &name : sample.byApplication.keys())
            QVERIFY2(!name.startsWith(SlotCounts::serverSessionName()), qPrintable(name));
    }
    for (PGconn *conn : tool)
        PQfinish(conn);

    // From outside: the sampler's session carries the monitor's name.
    ActivitySampler sampler;
    QList<ActivitySample> seen;
    sampler.setInterval(200);
    sampler.setTarget(
            *ConnectionUrl::parse(u"postgresql://orderflow:dev_password@127.0.0.1:%1/"
                                  "orderflow?application_name=sampler-self"_s.arg(server->port)),
            std::nullopt);
    connect(&sampler, &ActivitySampler::sampleReceived, &sampler,
            [&seen](const ActivitySample &sample) { seen.append(sample); });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty() && seen.last().ok, 10000);
    const QString named = server->superuserQuery(
            u"SELECT count(*) FROM pg_stat_activity WHERE application_name = '%1'"_s.arg(
                    SlotCounts::monitorSessionName()));
    sampler.stop();
    QVERIFY2(named.toInt() >= 1, qPrintable(named));
}

void TestActivitySampler::sessionsInOtherDatabasesCountOnlyInTheTotal()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    std::vector<PGconn *> elsewhere;
    for (int i = 0; i < 2; ++i) {
        elsewhere.push_back(open(server->port, u"postgres"_s, u"sampler-elsewhere"_s));
        QCOMPARE(PQstatus(elsewhere.back()), CONNECTION_OK);
    }
    // Ticks after the first (which comes from the connection's snapshot) run the sampler's own
    // statement: both must agree.
    const QList<ActivitySample> samples = firstSamples(server->port, 3);
    QVERIFY(samples.size() >= 3);
    for (const ActivitySample &sample : samples) {
        QVERIFY(sample.ok);
        QCOMPARE(sample.byApplication.value(u"sampler-elsewhere"_s), 0);
        // The sampler's own session and the two elsewhere hold slots outside the counts.
        QVERIFY2(sample.counts.total - sample.counts.inDatabase >= 3,
                 qPrintable(u"total %1, in database %2"_s.arg(sample.counts.total)
                                    .arg(sample.counts.inDatabase)));
    }
    for (PGconn *conn : elsewhere)
        PQfinish(conn);
}

void TestActivitySampler::otherRolesSessionsCountWithAnUnknownState()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    // The sampler's role has no pg_read_all_stats: a superuser's session shows it no state.
    const QByteArray conninfo = u"host=127.0.0.1 port=%1 user=%2 password=%3 dbname=orderflow "
                                "application_name=sampler-other-role"_s.arg(server->port)
                                        .arg(server->superuser, server->superuserPassword)
                                        .toUtf8();
    PGconn *other = PQconnectdb(conninfo.constData());
    QCOMPARE(PQstatus(other), CONNECTION_OK);
    const QList<ActivitySample> samples = firstSamples(server->port, 3);
    QVERIFY(samples.size() >= 3);
    for (const ActivitySample &sample : samples) {
        QVERIFY(sample.ok);
        QCOMPARE(sample.byApplication.value(u"sampler-other-role"_s), 1);
        QVERIFY(sample.byState.value(u"unknown"_s) >= 1);
    }
    PQfinish(other);
}

void TestActivitySampler::samplingGoesOnWhenThePreparedStatementIsGone()
{
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    ORDERFLOW_REQUIRE(bouncerPort > 0, "no test PgBouncer: run through tests/scripts/run-tests.sh");
    // Through PgBouncer in transaction mode, another client's DEALLOCATE ALL runs on the same
    // server session as the sampler's statements (the pool has one).
    ActivitySampler sampler;
    QList<ActivitySample> samples;
    startSampler(sampler, bouncerPort, &samples);
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 3, 10000);
    PGconn *other = open(bouncerPort, u"orderflow"_s, u"sampler-deallocate"_s);
    QCOMPARE(PQstatus(other), CONNECTION_OK);
    PGresult *result = PQexec(other, "DEALLOCATE ALL");
    QCOMPARE(PQresultStatus(result), PGRES_COMMAND_OK);
    PQclear(result);
    const qsizetype before = samples.size();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= before + 3, 10000);
    sampler.stop();
    PQfinish(other);
    for (const ActivitySample &sample : std::as_const(samples))
        QVERIFY2(sample.ok, qPrintable(sample.message));
}

void TestActivitySampler::timestampsComeFromTheGivenClock()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    auto clock
            = std::make_shared<ManualClock>(QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC));
    ActivitySampler sampler;
    sampler.setClock(clock);
    sampler.setInterval(100);
    sampler.setTarget(*ConnectionUrl::parse(
                              u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(
                                      server->port)),
                      std::nullopt);
    QSignalSpy samples(&sampler, &ActivitySampler::sampleReceived);
    sampler.start();
    QVERIFY(samples.wait(10000));
    QCOMPARE(samples.last().first().value<ActivitySample>().t, clock->now());
    clock->advance(60000);
    QVERIFY(samples.wait(5000));
    QCOMPARE(samples.last().first().value<ActivitySample>().t,
             QDateTime(QDate(2030, 1, 2), QTime(3, 5, 5), Qt::UTC));
}

void TestActivitySampler::backoffDoublesUpToTheCap()
{
    ActivitySampler sampler;
    sampler.setInterval(100);
    sampler.setMaxBackoff(500);
    sampler.setTarget(*ConnectionUrl::parse(u"postgresql://orderflow:x@127.0.0.1:1/orderflow"_s),
                      std::nullopt);
    QList<int> delays;
    connect(&sampler, &ActivitySampler::sampleReceived, this, [&](const ActivitySample &sample) {
        QVERIFY(!sample.ok);
        QCOMPARE(sample.category, u"connection_refused"_s);
        delays << sampler.backoffDelay();
    });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(delays.size() >= 5, 10000);
    sampler.stop();
    QCOMPARE(delays.mid(0, 5), QList<int>({100, 200, 400, 500, 500}));
}

void TestActivitySampler::outageIsReportedAndSamplingResumes()
{
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_MONPG");
    const QString directory = qEnvironmentVariable("ORDERFLOW_TEST_MONPGDIR");
    QVERIFY(!directory.isEmpty());
    ActivitySampler sampler;
    sampler.setInterval(200);
    sampler.setMaxBackoff(800);
    sampler.setTarget(*ConnectionUrl::parse(
                              u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(
                                      server->port)),
                      std::nullopt);
    QList<ActivitySample> samples;
    connect(&sampler, &ActivitySampler::sampleReceived, this,
            [&](const ActivitySample &sample) { samples << sample; });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 2, 10000);
    QVERIFY(samples.last().ok);

    QVERIFY(cluster(u"pause"_s, directory));
    QTRY_VERIFY_WITH_TIMEOUT(std::count_if(samples.cbegin(), samples.cend(),
                                           [](const ActivitySample &s) { return !s.ok; })
                                     >= 3,
                             15000);
    QVERIFY(cluster(u"resume"_s, directory));
    const qsizetype resumedFrom = samples.size();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() > resumedFrom && samples.last().ok, 15000);
    sampler.stop();

    // ok, then failures that name a category, then ok again: in that order.
    int phase = 0;
    QStringList categories;
    for (const ActivitySample &sample : std::as_const(samples)) {
        if (phase == 0 && !sample.ok)
            phase = 1;
        else if (phase == 1 && sample.ok)
            phase = 2;
        if (!sample.ok) {
            QVERIFY(phase == 1);
            QVERIFY(!sample.category.isEmpty());
            categories << sample.category;
        }
    }
    QCOMPARE(phase, 2);
    QVERIFY2(categories.contains(u"connection_refused"_s), qPrintable(categories.join(u',')));
    for (const QString &category : std::as_const(categories))
        QVERIFY2(category == u"connection_refused"_s || category == u"server_closed"_s,
                 qPrintable(category));
}

// A command printing a short-lived token (RDS IAM) runs again for each new connection, so a
// long monitor never reconnects with a stale one: the server ends the sampler's session, and
// the reconnect asks the command again.
void TestActivitySampler::aPasswordCommandRunsAgainForEachNewConnection()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QTemporaryDir scratch;
    const QString runs = scratch.filePath(u"runs"_s);
    Profile profile = Profile::create(u"IAM"_s, Environment::Staging);
    profile.params.insert(u"host"_s, u"127.0.0.1"_s);
    profile.params.insert(u"port"_s, QString::number(server->port));
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"sh"_s, u"-c"_s, u"echo run >> \"$0\"; echo dev_password"_s, runs};
    SecretStore secrets;
    ActivitySampler sampler;
    sampler.setInterval(200);
    sampler.setTarget(profile.connectionUrl(), std::nullopt);
    sampler.setPasswordSupplier(PasswordResolver::supplierFor(profile, &secrets));
    QList<ActivitySample> samples;
    connect(&sampler, &ActivitySampler::sampleReceived, this,
            [&samples](const ActivitySample &sample) { samples.append(sample); });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 2, 10000);
    auto lines = [&runs]() {
        QFile file(runs);
        return file.open(QIODevice::ReadOnly) ? file.readAll().count('\n') : 0;
    };
    // Samples on the open connection ask nothing.
    QCOMPARE(lines(), 1);

    PGconn *admin = open(server->port, u"orderflow"_s, u"sampler-terminator"_s);
    QCOMPARE(PQstatus(admin), CONNECTION_OK);
    // This sampler's session only: tests running meanwhile monitor other databases, some as a
    // superuser, whose sessions orderflow may not end.
    const QByteArray terminate
            = u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE application_name = '%1' AND datname = current_database() "
              "AND usename = current_user"_s.arg(SlotCounts::monitorSessionName())
                      .toUtf8();
    PGresult *result = PQexec(admin, terminate.constData());
    QCOMPARE(PQresultStatus(result), PGRES_TUPLES_OK);
    PQclear(result);
    PQfinish(admin);

    const qsizetype before = samples.size();
    QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= before + 3 && samples.last().ok, 15000);
    sampler.stop();
    QCOMPARE(lines(), 2);
}

void TestActivitySampler::pgbouncerShowsAWaitingClient()
{
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    ORDERFLOW_REQUIRE(bouncerPort > 0, "no test PgBouncer: run through tests/scripts/run-tests.sh");
    ORDERFLOW_REQUIRE_POSTGRES(server);
    // A pool of one server connection, two clients each sleeping: one must wait.
    PGconn *first = open(bouncerPort, u"orderflow"_s, u"bouncer-1"_s);
    PGconn *second = open(bouncerPort, u"orderflow"_s, u"bouncer-2"_s);
    QCOMPARE(PQstatus(first), CONNECTION_OK);
    QCOMPARE(PQstatus(second), CONNECTION_OK);
    QVERIFY(PQsendQuery(first, "SELECT pg_sleep(4)"));
    QTest::qWait(200);
    QVERIFY(PQsendQuery(second, "SELECT pg_sleep(1)"));

    ActivitySampler sampler;
    sampler.setInterval(200);
    sampler.setTarget(*ConnectionUrl::parse(
                              u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(
                                      server->port)),
                      std::nullopt);
    sampler.setPgBouncer(
            PgBouncerRoute::direct(*ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/pgbouncer"_s.arg(bouncerPort))),
            u"dev_password"_s);
    std::optional<PgBouncerPool> seen;
    connect(&sampler, &ActivitySampler::sampleReceived, this, [&](const ActivitySample &sample) {
        if (!sample.pgbouncer || !sample.pgbouncer->ok)
            return;
        for (const PgBouncerPool &pool : sample.pgbouncer->pools) {
            if (pool.database == u"orderflow"_s && pool.clientsWaiting >= 1)
                seen = pool;
        }
    });
    sampler.start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.has_value(), 5000);
    QCOMPARE(seen->serversActive, 1);
    QVERIFY(seen->clientsActive >= 1);
    sampler.stop();
    PQfinish(first);
    PQfinish(second);
}

void TestActivitySampler::serverReportsTheSamplerSessionReadOnlyOnlyForProduction_data()
{
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("production") << Environment::Production << true;
    QTest::newRow("staging") << Environment::Staging << false;
    QTest::newRow("development") << Environment::Development << false;
}

void TestActivitySampler::serverReportsTheSamplerSessionReadOnlyOnlyForProduction()
{
    QFETCH(Environment, environment);
    QFETCH(bool, readOnly);
    ORDERFLOW_REQUIRE_POSTGRES(server);
    ActivitySampler sampler;
    sampler.setInterval(200);
    QVERIFY(!sampler.sessionReadOnly().has_value());
    sampler.setTarget(*ConnectionUrl::parse(
                              u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(
                                      server->port)),
                      std::nullopt, Profile::create(u"profile"_s, environment).sessionPolicy());
    QSignalSpy samples(&sampler, &ActivitySampler::sampleReceived);
    sampler.start();
    QVERIFY(samples.wait(10000));
    QVERIFY(samples.last().first().value<ActivitySample>().ok);
    // The server's own report (ParameterStatus) of the sampler's session, as it opened.
    QCOMPARE(sampler.sessionReadOnly(), std::optional<bool>(readOnly));
    sampler.stop();
}

QTEST_GUILESS_MAIN(TestActivitySampler)
#include "tst_activitysampler.moc"
