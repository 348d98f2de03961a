#include "TestEnvironment.h"
#include "connection/ServerSession.h"
#include "profiles/Profile.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

/// The panels' session against the real test server: one connection, periodic snapshots,
/// pausing, statements between refreshes, a backend terminated under it, and a password command
/// asked again when it reconnects.
class TestServerSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void snapshotDescribesTheServer();
    void refreshesOnItsIntervalWithoutOverlapping();
    void pausedSessionDoesNotRefresh();
    void statementRunsBetweenRefreshes();
    void terminatedBackendIsServerClosedThenReconnects();
    void aPasswordCommandRunsAgainForEachNewConnection();
    void roleWithoutStatsSeesPartialNumbers();
    void unreadableMigrationsTableDoesNotBreakTheSnapshot();
    void controlBytesInTheMigrationsTableComeBackAsText();
    void productionSessionRefusesWritesButRunsTheConfirmedStatement();
    void closingTheSessionCancelsItsRunningStatement();

private:
    /// Runs one statement through the session; its error, or an empty string on success.
    static QString executeOn(ServerSession &session, const QString &sql, bool confirmed = false);
    ConnectionUrl url(const QString &database = u"session_test"_s) const;
    QString superExec(const QString &sql);
    std::optional<TestEnvironment::PostgresServer> m_server;
};

void TestServerSession::initTestCase()
{
    m_server = TestEnvironment::postgres();
    ORDERFLOW_REQUIRE(m_server, "no test PostgreSQL: run through tests/scripts/run-tests.sh");
    superExec(u"DROP DATABASE IF EXISTS session_test"_s);
    superExec(u"CREATE DATABASE session_test OWNER orderflow"_s);
}

void TestServerSession::cleanupTestCase()
{
    if (!m_server)
        return;
    superExec(u"DROP DATABASE IF EXISTS session_test WITH (FORCE)"_s);
    superExec(u"DROP ROLE IF EXISTS session_token_user"_s);
}

ConnectionUrl TestServerSession::url(const QString &database) const
{
    return *ConnectionUrl::parse(
            u"postgresql://orderflow:dev_password@127.0.0.1:%1/%2"_s.arg(m_server->port)
                    .arg(database));
}

QString TestServerSession::superExec(const QString &sql)
{
    return m_server->superuserQuery(sql);
}

void TestServerSession::snapshotDescribesTheServer()
{
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    const auto snapshot = snapshots.first().first().value<ServerSnapshot>();
    QCOMPARE(snapshot.database, u"session_test"_s);
    QCOMPARE(snapshot.user, u"orderflow"_s);
    QCOMPARE(snapshot.maxConnections, 40);
    QCOMPARE(snapshot.superuserReserved, 3);
    QVERIFY(snapshot.versionNum >= 150000);
    QVERIFY(!snapshot.isSuperuser);
    QVERIFY(snapshot.canCreateInDatabase); // it owns the database
    QVERIFY(!snapshot.alembicRevision.has_value());
    QVERIFY(snapshot.extension(u"pg_trgm"_s).has_value());
    QCOMPARE(snapshot.extension(u"plpgsql"_s)->status, ExtensionInfo::Status::Installed);
    QVERIFY(!snapshot.extension(u"vector"_s).has_value());
    int own = 0;
    for (const SessionInfo &info : snapshot.sessions) {
        if (info.own) {
            ++own;
            QCOMPARE(info.applicationName, u"orderflow-dbadmin"_s);
        }
    }
    QCOMPARE(own, 1);
    QCOMPARE(snapshot.databaseCounts().total, 0); // our own session is not counted
    QVERIFY(session.isConnected());
}

void TestServerSession::refreshesOnItsIntervalWithoutOverlapping()
{
    ServerSession session;
    session.setInterval(300);
    int running = 0, maxRunning = 0, done = 0;
    connect(&session, &ServerSession::refreshStarted, this,
            [&]() { maxRunning = std::max(maxRunning, ++running); });
    connect(&session, &ServerSession::snapshotReceived, this, [&]() {
        --running;
        ++done;
    });
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    // Ask for more refreshes than can run: the extra requests are dropped, not stacked.
    for (int i = 0; i < 5; ++i)
        session.refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(done >= 4, 10000);
    QCOMPARE(maxRunning, 1);
}

void TestServerSession::pausedSessionDoesNotRefresh()
{
    ServerSession session;
    session.setInterval(250);
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    session.setActive(false);
    QTest::qWait(100);
    const qsizetype seen = snapshots.size();
    QTest::qWait(1000);
    QCOMPARE(snapshots.size(), seen);
    session.setActive(true);
    QVERIFY(snapshots.wait(5000));
}

void TestServerSession::statementRunsBetweenRefreshes()
{
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    QVERIFY(session.lastSnapshot()->extension(u"pg_trgm"_s)->status
            == ExtensionInfo::Status::Available);
    std::optional<bool> created;
    session.execute(u"CREATE EXTENSION IF NOT EXISTS pg_trgm"_s, this,
                    [&](bool ok, const QString &) { created = ok; });
    QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), 10000);
    QVERIFY(*created);
    QTRY_VERIFY_WITH_TIMEOUT(session.lastSnapshot()->extension(u"pg_trgm"_s)->status
                                     == ExtensionInfo::Status::Installed,
                             10000);

    std::optional<QString> error;
    session.execute(u"CREATE EXTENSION no_such_extension_here"_s, this,
                    [&](bool ok, const QString &message) { error = ok ? QString() : message; });
    QTRY_VERIFY_WITH_TIMEOUT(error.has_value(), 10000);
    QVERIFY(error->contains(u"no_such_extension_here"_s));
    QVERIFY(session.isConnected());
}

void TestServerSession::terminatedBackendIsServerClosedThenReconnects()
{
    ServerSession session;
    session.setInterval(300);
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    QSignalSpy failures(&session, &ServerSession::refreshFailed);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    int pid = 0;
    const ServerSnapshot before = *session.lastSnapshot();
    for (const SessionInfo &info : before.sessions) {
        if (info.own)
            pid = info.pid;
    }
    QVERIFY(pid > 0);
    superExec(u"SELECT pg_terminate_backend(%1)"_s.arg(pid));
    QVERIFY(failures.wait(10000));
    const auto failure = failures.first().first().value<AttemptResult>();
    QCOMPARE(failure.diagnosis.categoryId(), u"server_closed"_s);
    QCOMPARE(failure.diagnosis.hints().first(),
             DiagnosisTable::hints(DiagnosisCategory::ServerClosed).first());
    // The next refresh reconnects by itself, on a new backend.
    snapshots.clear();
    QVERIFY(snapshots.wait(10000));
    int newPid = 0;
    const ServerSnapshot after = *session.lastSnapshot();
    for (const SessionInfo &info : after.sessions) {
        if (info.own)
            newPid = info.pid;
    }
    QVERIFY(newPid > 0 && newPid != pid);
}

// A command printing a short-lived token (RDS IAM) runs again before each new connection: the
// role's password changes while the session is open, as a token expires, the server ends the
// session, and the reconnect logs in with what the command prints now, not the first token.
void TestServerSession::aPasswordCommandRunsAgainForEachNewConnection()
{
    QTemporaryDir scratch;
    const QString token = scratch.filePath(u"token"_s);
    const QString runs = scratch.filePath(u"runs"_s);
    auto writeToken = [&token](const QByteArray &value) {
        QFile file(token);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
                && file.write(value + '\n') > 0;
    };
    auto lines = [&runs]() {
        QFile file(runs);
        return file.open(QIODevice::ReadOnly) ? file.readAll().count('\n') : 0;
    };
    superExec(u"DROP ROLE IF EXISTS session_token_user"_s);
    superExec(u"CREATE ROLE session_token_user LOGIN PASSWORD 'token-1'"_s);
    QVERIFY(writeToken("token-1"));
    Profile profile = Profile::create(u"IAM"_s, Environment::Staging);
    profile.params.insert(u"host"_s, u"127.0.0.1"_s);
    profile.params.insert(u"port"_s, QString::number(m_server->port));
    profile.params.insert(u"user"_s, u"session_token_user"_s);
    profile.params.insert(u"dbname"_s, u"session_test"_s);
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"sh"_s, u"-c"_s, u"echo run >> \"$0\"; cat \"$1\""_s, runs, token};
    SecretStore secrets;
    ServerSession session;
    session.setInterval(300);
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    QSignalSpy failures(&session, &ServerSession::refreshFailed);
    // As the Server page does: the password found once, and the supplier for what follows.
    PasswordResolver resolver(&secrets);
    std::optional<PasswordOutcome> found;
    resolver.resolve(profile, &session,
                     [&found](const PasswordOutcome &outcome) { found = outcome; });
    QTRY_VERIFY(found);
    QVERIFY(found->ok);
    session.setTarget(profile.connectionUrl(), found->password, profile.sessionPolicy());
    session.setPasswordSupplier(PasswordResolver::supplierFor(profile, &secrets));
    session.setActive(true);
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.size() >= 3, 10000);
    QCOMPARE(session.lastSnapshot()->user, u"session_token_user"_s);
    // The first connection used the password just found: the command ran once, not twice.
    QCOMPARE(lines(), 1);

    // The first token expires; the command now prints the second.
    superExec(u"ALTER ROLE session_token_user PASSWORD 'token-2'"_s);
    QVERIFY(writeToken("token-2"));
    QVERIFY(!m_server->canLogIn(u"session_token_user"_s, u"token-1"_s));
    superExec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE usename = 'session_token_user'"_s);
    QVERIFY(failures.wait(10000));
    QCOMPARE(failures.first().first().value<AttemptResult>().diagnosis.categoryId(),
             u"server_closed"_s);
    snapshots.clear();
    QVERIFY(snapshots.wait(10000));
    QVERIFY(session.isConnected());
    // Only the one failure: the reconnect never tried the stale token.
    QCOMPARE(failures.size(), 1);
    // Once per connection, the first and the reconnect; refreshes in between ask nothing.
    QCOMPARE(lines(), 2);
}

void TestServerSession::roleWithoutStatsSeesPartialNumbers()
{
    // A superuser session in another database: orderflow may count it but not see its state.
    PGconn *other = PQconnectdb(m_server->superuserConninfo().toUtf8().constData());
    QCOMPARE(PQstatus(other), CONNECTION_OK);
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    const ServerSnapshot snapshot = *session.lastSnapshot();
    QVERIFY(!snapshot.readAllStats);
    const ConnectionCounts server = snapshot.serverCounts();
    QVERIFY(server.byState.value(u"unknown"_s) >= 1);
    PQfinish(other);
}

void TestServerSession::unreadableMigrationsTableDoesNotBreakTheSnapshot()
{
    // Created by another role, with no grant: a read-only reporting user meets this.
    const QString conninfo
            = m_server->superuserConninfo().replace(u"dbname=postgres"_s, u"dbname=session_test"_s);
    PGconn *admin = PQconnectdb(conninfo.toUtf8().constData());
    PQclear(PQexec(admin, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"));
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    QVERIFY(session.lastSnapshot()->alembicRevision.has_value());
    QVERIFY(!session.lastSnapshot()->alembicReadable);
    PQclear(PQexec(admin, "DROP TABLE alembic_version"));
    PQfinish(admin);
}

void TestServerSession::controlBytesInTheMigrationsTableComeBackAsText()
{
    // A hostile row: XML cannot carry \x01, and once broke every snapshot.
    const QString conninfo
            = m_server->superuserConninfo().replace(u"dbname=postgres"_s, u"dbname=session_test"_s);
    PGconn *admin = PQconnectdb(conninfo.toUtf8().constData());
    PQclear(PQexec(admin,
                   "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); "
                   "INSERT INTO alembic_version VALUES (E'ab\\x01cd\\x1b[2J'); "
                   "GRANT SELECT ON alembic_version TO orderflow"));
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    QSignalSpy failures(&session, &ServerSession::refreshFailed);
    session.setTarget(url(), std::nullopt);
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    QCOMPARE(failures.count(), 0);
    QVERIFY(session.lastSnapshot()->alembicReadable);
    QCOMPARE(*session.lastSnapshot()->alembicRevision, u"ab\u0001cd\u001b[2J"_s);
    QVERIFY(session.lastSnapshot()->maxConnections > 0);
    PQclear(PQexec(admin, "DROP TABLE alembic_version"));
    PQfinish(admin);
}

QString TestServerSession::executeOn(ServerSession &session, const QString &sql, bool confirmed)
{
    std::optional<QString> outcome;
    auto callback = [&](bool ok, const QString &error) {
        outcome = ok ? QString() : (error.isEmpty() ? u"failed"_s : error);
    };
    QObject context;
    if (confirmed)
        session.executeConfirmed(sql, &context, callback);
    else
        session.execute(sql, &context, callback);
    if (!QTest::qWaitFor([&]() { return outcome.has_value(); }, 15000))
        return u"no answer"_s;
    return *outcome;
}

void TestServerSession::productionSessionRefusesWritesButRunsTheConfirmedStatement()
{
    const Profile production = Profile::create(u"prod-eu"_s, Environment::Production);
    ServerSession session;
    QSignalSpy snapshots(&session, &ServerSession::snapshotReceived);
    session.setTarget(url(), std::nullopt, production.sessionPolicy());
    session.setActive(true);
    QVERIFY(snapshots.wait(10000));
    QCOMPARE(session.lastSnapshot()->extension(u"uuid-ossp"_s)->status,
             ExtensionInfo::Status::Available);

    // The server holds the session to read-only: a write is refused, the setting is on.
    const QString refused = executeOn(session, u"CREATE TABLE written_by_the_tool (id int)"_s);
    QVERIFY2(refused.contains(u"read-only transaction"_s), qPrintable(refused));
    QCOMPARE(executeOn(session,
                       u"DO $$ BEGIN IF current_setting('default_transaction_read_only') <> 'on' "
                       "THEN RAISE EXCEPTION 'the session may write'; END IF; END $$"_s),
             QString());

    // The statement the user confirmed runs, on a connection that may write.
    QCOMPARE(executeOn(session, u"CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\""_s, true),
             QString());
    QCOMPARE(m_server->superuserQuery(
                     u"SELECT count(*) FROM pg_extension WHERE extname = 'uuid-ossp'"_s,
                     u"session_test"_s),
             u"1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(session.lastSnapshot()->extension(u"uuid-ossp"_s)->status
                                     == ExtensionInfo::Status::Installed,
                             10000);

    // The kept session did not become writable on the way.
    QVERIFY(executeOn(session, u"CREATE TABLE written_by_the_tool (id int)"_s)
                    .contains(u"read-only transaction"_s));
    QCOMPARE(m_server->superuserQuery(u"SELECT to_regclass('written_by_the_tool') IS NULL"_s,
                                      u"session_test"_s),
             u"t"_s);
    QVERIFY(session.isConnected());
}

void TestServerSession::closingTheSessionCancelsItsRunningStatement()
{
    const QString runningSleeps
            = u"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
              "AND query LIKE '%orderflow-cancel-test%' AND pid <> pg_backend_pid()"_s;
    auto session = std::make_unique<ServerSession>();
    QSignalSpy snapshots(session.get(), &ServerSession::snapshotReceived);
    session->setTarget(url(), std::nullopt);
    session->setActive(true);
    QVERIFY(snapshots.wait(10000));
    session->execute(u"SELECT pg_sleep(120) /* orderflow-cancel-test */"_s, this,
                     [](bool, const QString &) {});
    QTRY_COMPARE_WITH_TIMEOUT(superExec(runningSleeps), u"1"_s, 10000);
    // The statement would run for two minutes; the server stops it as the session goes.
    session.reset();
    QTRY_COMPARE_WITH_TIMEOUT(superExec(runningSleeps), u"0"_s, 10000);
}

QTEST_GUILESS_MAIN(TestServerSession)
#include "tst_serversession.moc"
