#include "pool/PoolerReport.h"
#include "security/SecurityAudit.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The pooler checks with plain values: PgBouncer's settings as SHOW CONFIG and SHOW DATABASES
/// give them, against a profile's pool settings and SQLAlchemy driver.
class TestPoolerReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void databaseLineOverridesTheDefaults();
    void wildcardLineStandsForAnUnlistedDatabase();
    void preparedStatementsInTransactionPooling_data();
    void preparedStatementsInTransactionPooling();
    void maxPreparedStatementsLetsPreparedStatementsThrough();
    void clientPoolsBeyondMaxClientConnAreNamed();
    void clientPoolsWithinMaxClientConnAreFine();
    void nullPoolCountsConcurrentRequests();
    void serverPoolsBeyondTheServersSlotsAreNamed();
    void maxDbConnectionsWithinTheServersSlotsIsFine();
    void statementPoolingRefusesTransactions();
    void unreadableConsoleIsAFindingWithoutFigures();
    void unlistedDatabaseIsAFinding();
    void findingsReachTheSecurityAudit();

private:
    static QList<QMap<QString, QString>> config(const QMap<QString, QString> &overrides = {});
    /// A row as SHOW DATABASES gives it: the pool sizes in effect, the pool_mode only when the
    /// database sets its own.
    static QMap<QString, QString> databaseRow(const QString &name, const QString &poolSize,
                                              const QString &poolMode,
                                              const QString &reservePool = u"0"_s);
    static Profile profile(const QString &driver, int workers = 1, int poolSize = 5,
                           int maxOverflow = 10);
    static PoolerSettings transactionBouncer();
    static QStringList ids(const PoolerReport &report);
};

QList<QMap<QString, QString>> TestPoolerReport::config(const QMap<QString, QString> &overrides)
{
    // PgBouncer 1.18's defaults where the test bouncer does not set them.
    QMap<QString, QString> values{
            {u"pool_mode"_s, u"transaction"_s}, {u"default_pool_size"_s, u"20"_s},
            {u"reserve_pool_size"_s, u"0"_s},   {u"max_client_conn"_s, u"100"_s},
            {u"max_db_connections"_s, u"0"_s},  {u"listen_port"_s, u"6432"_s}};
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        values.insert(it.key(), it.value());
    QList<QMap<QString, QString>> rows;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        rows << QMap<QString, QString>{{u"key"_s, it.key()}, {u"value"_s, it.value()}};
    return rows;
}

QMap<QString, QString> TestPoolerReport::databaseRow(const QString &name, const QString &poolSize,
                                                     const QString &poolMode,
                                                     const QString &reservePool)
{
    return {{u"name"_s, name},          {u"host"_s, u"127.0.0.1"_s},
            {u"port"_s, u"5432"_s},     {u"database"_s, name},
            {u"pool_size"_s, poolSize}, {u"reserve_pool"_s, reservePool},
            {u"pool_mode"_s, poolMode}, {u"max_connections"_s, u"0"_s}};
}

Profile TestPoolerReport::profile(const QString &driver, int workers, int poolSize, int maxOverflow)
{
    Profile profile = Profile::create(u"app"_s, Environment::Staging);
    profile.driver = driver;
    profile.pool.workers = workers;
    profile.pool.poolSize = poolSize;
    profile.pool.maxOverflow = maxOverflow;
    profile.pgbouncer.enabled = true;
    return profile;
}

PoolerSettings TestPoolerReport::transactionBouncer()
{
    return PoolerSettings::fromRows(config(), {databaseRow(u"orderflow"_s, u"20"_s, {})},
                                    u"orderflow"_s);
}

QStringList TestPoolerReport::ids(const PoolerReport &report)
{
    QStringList out;
    for (const PoolerFinding &finding : report.findings)
        out << finding.id;
    return out;
}

void TestPoolerReport::databaseLineOverridesTheDefaults()
{
    const PoolerSettings settings
            = PoolerSettings::fromRows(config({{u"pool_mode"_s, u"session"_s}}),
                                       {databaseRow(u"other"_s, u"7"_s, u"statement"_s),
                                        databaseRow(u"orderflow"_s, u"3"_s, u"transaction"_s)},
                                       u"orderflow"_s);
    QVERIFY(settings.read);
    QVERIFY(settings.databaseListed);
    QCOMPARE(settings.poolMode, u"transaction"_s);
    QCOMPARE(settings.poolSize, 3);
    QCOMPARE(settings.defaultPoolSize, 20);
    QCOMPARE(settings.maxClientConn, 100);
    QVERIFY(!settings.maxPreparedStatements);

    // A line without a pool_mode of its own takes the default.
    const PoolerSettings inherited
            = PoolerSettings::fromRows(config({{u"pool_mode"_s, u"session"_s}}),
                                       {databaseRow(u"orderflow"_s, u"3"_s, {})}, u"orderflow"_s);
    QCOMPARE(inherited.poolMode, u"session"_s);
}

void TestPoolerReport::wildcardLineStandsForAnUnlistedDatabase()
{
    const PoolerSettings settings = PoolerSettings::fromRows(
            config(), {databaseRow(u"*"_s, u"4"_s, u"session"_s)}, u"orderflow"_s);
    QVERIFY(settings.databaseListed);
    QCOMPARE(settings.poolSize, 4);
    QCOMPARE(settings.poolMode, u"session"_s);
}

void TestPoolerReport::preparedStatementsInTransactionPooling_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("fixNames");
    QTest::newRow("psycopg 3") << u"psycopg"_s << u"connect_args={\"prepare_threshold\": None}"_s;
    QTest::newRow("psycopg 3, async") << u"psycopg_async"_s << u"\"prepare_threshold\": None"_s;
    QTest::newRow("asyncpg") << u"asyncpg"_s << u"connect_args={\"statement_cache_size\": 0}"_s;
    QTest::newRow("psycopg2") << u"psycopg2"_s << QString();
    QTest::newRow("SQLAlchemy's default (psycopg2)") << QString() << QString();
}

void TestPoolerReport::preparedStatementsInTransactionPooling()
{
    QFETCH(QString, driver);
    QFETCH(QString, fixNames);
    const PoolerReport report = PoolerReport::of(transactionBouncer(), profile(driver), -1);
    if (fixNames.isEmpty()) {
        QVERIFY2(report.findings.isEmpty(), qPrintable(report.lines().join(u'\n')));
        return;
    }
    QCOMPARE(ids(report), QStringList{u"pooler-prepared-statements"_s});
    const PoolerFinding &finding = report.findings.first();
    QCOMPARE(finding.severity, PoolerFinding::Severity::Error);
    QVERIFY2(finding.fix.contains(fixNames), qPrintable(finding.fix));
    QVERIFY(finding.message.contains(u"postgresql+"_s + driver));
    QVERIFY(finding.evidence.contains(u"pool_mode transaction"_s));
    QVERIFY(finding.evidence.contains(u"no max_prepared_statements"_s));
    if (driver == u"asyncpg"_s)
        QVERIFY(finding.fix.contains(u"?prepared_statement_cache_size=0"_s));
}

void TestPoolerReport::maxPreparedStatementsLetsPreparedStatementsThrough()
{
    // PgBouncer 1.21 and later: 0 keeps the old behaviour, above 0 tracks the statements.
    const PoolerSettings off
            = PoolerSettings::fromRows(config({{u"max_prepared_statements"_s, u"0"_s}}),
                                       {databaseRow(u"orderflow"_s, u"20"_s, {})}, u"orderflow"_s);
    QCOMPARE(off.maxPreparedStatements, std::optional<int>(0));
    const PoolerReport warned = PoolerReport::of(off, profile(u"asyncpg"_s), -1);
    QCOMPARE(ids(warned), QStringList{u"pooler-prepared-statements"_s});
    QVERIFY(warned.findings.first().evidence.contains(u"max_prepared_statements is 0"_s));

    const PoolerSettings on
            = PoolerSettings::fromRows(config({{u"max_prepared_statements"_s, u"100"_s}}),
                                       {databaseRow(u"orderflow"_s, u"20"_s, {})}, u"orderflow"_s);
    QVERIFY(PoolerReport::of(on, profile(u"asyncpg"_s), -1).findings.isEmpty());
    QVERIFY(PoolerReport::of(on, profile(u"psycopg"_s), -1).findings.isEmpty());
    QCOMPARE(PoolerReport::of(on, profile(u"psycopg"_s), -1)
                     .toJson()
                     .value(u"max_prepared_statements"_s)
                     .toInt(),
             100);
}

void TestPoolerReport::clientPoolsBeyondMaxClientConnAreNamed()
{
    const PoolerSettings settings
            = PoolerSettings::fromRows(config({{u"max_client_conn"_s, u"50"_s}}),
                                       {databaseRow(u"orderflow"_s, u"1"_s, {})}, u"orderflow"_s);
    // 8 x (5 + 10) = 120 client connections against 50.
    const PoolerReport report = PoolerReport::of(settings, profile(u"psycopg2"_s, 8), -1);
    QCOMPARE(ids(report), QStringList{u"pooler-max-client-conn"_s});
    const PoolerFinding &finding = report.findings.first();
    QCOMPARE(finding.severity, PoolerFinding::Severity::Warning);
    QVERIFY(finding.message.contains(u"no more connections allowed (max_client_conn)"_s));
    QCOMPARE(finding.evidence,
             u"8 worker(s) x (pool_size 5 + max_overflow 10) = 120 client connections; "
             "PgBouncer's max_client_conn is 50."_s);
    QVERIFY2(finding.fix.contains(u"max_client_conn"_s) && finding.fix.contains(u"120"_s),
             qPrintable(finding.fix));
    QCOMPARE(report.toJson().value(u"client_connections"_s).toInt(), 120);
}

void TestPoolerReport::clientPoolsWithinMaxClientConnAreFine()
{
    const PoolerSettings settings
            = PoolerSettings::fromRows(config({{u"max_client_conn"_s, u"50"_s}}),
                                       {databaseRow(u"orderflow"_s, u"1"_s, {})}, u"orderflow"_s);
    // 3 x (5 + 10) = 45; exactly 50 fits too.
    QVERIFY(PoolerReport::of(settings, profile(u"psycopg2"_s, 3), -1).findings.isEmpty());
    QVERIFY(PoolerReport::of(settings, profile(u"psycopg2"_s, 2, 15, 10), -1).findings.isEmpty());
    QCOMPARE(PoolerReport::of(settings, profile(u"psycopg2"_s, 2, 15, 11), -1).findings.size(), 1);
}

void TestPoolerReport::nullPoolCountsConcurrentRequests()
{
    const PoolerSettings settings
            = PoolerSettings::fromRows(config({{u"max_client_conn"_s, u"50"_s}}),
                                       {databaseRow(u"orderflow"_s, u"1"_s, {})}, u"orderflow"_s);
    Profile serverless = profile(u"psycopg2"_s, 4);
    serverless.pool.poolClass = PoolSettings::PoolClass::NullPool;
    serverless.pool.expectedConcurrency = 20;
    const PoolerReport report = PoolerReport::of(settings, serverless, -1);
    QCOMPARE(ids(report), QStringList{u"pooler-max-client-conn"_s});
    QVERIFY(report.findings.first().evidence.startsWith(
            u"4 worker(s) x 20 concurrent requests (NullPool) = 80 client connections"_s));
}

void TestPoolerReport::serverPoolsBeyondTheServersSlotsAreNamed()
{
    const PoolerSettings settings = PoolerSettings::fromRows(
            config({{u"reserve_pool_size"_s, u"5"_s}}),
            {databaseRow(u"orderflow"_s, u"20"_s, u"session"_s, u"5"_s)}, u"orderflow"_s);
    // 20 + 5 server connections against 22 usable slots (say 25 minus 3 for superusers).
    const PoolerReport report = PoolerReport::of(settings, profile(u"psycopg2"_s), 22);
    QCOMPARE(ids(report), QStringList{u"pooler-server-capacity"_s});
    const PoolerFinding &finding = report.findings.first();
    QVERIFY(finding.evidence.contains(u"pool_size 20 + reserve_pool_size 5"_s));
    QVERIFY(finding.evidence.contains(u"22 slots"_s));
    QVERIFY(finding.fix.contains(u"max_db_connections = 22"_s));
    // An unknown capacity leaves the check out; enough slots pass it.
    QVERIFY(PoolerReport::of(settings, profile(u"psycopg2"_s), -1).findings.isEmpty());
    QVERIFY(PoolerReport::of(settings, profile(u"psycopg2"_s), 25).findings.isEmpty());
}

void TestPoolerReport::maxDbConnectionsWithinTheServersSlotsIsFine()
{
    const PoolerSettings settings = PoolerSettings::fromRows(
            config({{u"reserve_pool_size"_s, u"5"_s}, {u"max_db_connections"_s, u"20"_s}}),
            {databaseRow(u"orderflow"_s, u"20"_s, u"session"_s, u"5"_s)}, u"orderflow"_s);
    QCOMPARE(settings.maxDbConnections, 20);
    QVERIFY(PoolerReport::of(settings, profile(u"psycopg2"_s), 22).findings.isEmpty());
}

void TestPoolerReport::statementPoolingRefusesTransactions()
{
    const PoolerSettings settings = PoolerSettings::fromRows(
            config(), {databaseRow(u"orderflow"_s, u"20"_s, u"statement"_s)}, u"orderflow"_s);
    QCOMPARE(ids(PoolerReport::of(settings, profile(u"psycopg2"_s), -1)),
             QStringList{u"pooler-statement-mode"_s});
    QCOMPARE(ids(PoolerReport::of(settings, profile(u"psycopg"_s), -1)),
             (QStringList{u"pooler-statement-mode"_s, u"pooler-prepared-statements"_s}));
}

void TestPoolerReport::unreadableConsoleIsAFindingWithoutFigures()
{
    PoolerSettings settings;
    settings.address = u"127.0.0.1:6432"_s;
    settings.database = u"orderflow"_s;
    settings.error = u"FATAL:  not allowed"_s;
    const PoolerReport report = PoolerReport::of(settings, profile(u"psycopg"_s, 8), 10);
    QCOMPARE(ids(report), QStringList{u"pooler-unreadable"_s});
    QVERIFY(report.findings.first().message.contains(u"127.0.0.1:6432"_s));
    QCOMPARE(report.findings.first().evidence, u"FATAL:  not allowed"_s);
    QVERIFY(report.findings.first().fix.contains(u"stats_users"_s));
    const QJsonObject json = report.toJson();
    QCOMPARE(json.value(u"read"_s).toBool(true), false);
    QVERIFY(json.value(u"pool_mode"_s).isNull());
    QVERIFY(json.value(u"max_client_conn"_s).isNull());
    QCOMPARE(json.value(u"findings"_s).toArray().size(), 1);
    QCOMPARE(json.value(u"findings"_s).toArray().first().toObject().value(u"severity"_s),
             u"warning"_s);
}

void TestPoolerReport::unlistedDatabaseIsAFinding()
{
    const PoolerSettings settings = PoolerSettings::fromRows(
            config(), {databaseRow(u"other"_s, u"20"_s, {})}, u"orderflow"_s);
    QVERIFY(!settings.databaseListed);
    QCOMPARE(ids(PoolerReport::of(settings, profile(u"psycopg2"_s), 10)),
             QStringList{u"pooler-database"_s});
}

void TestPoolerReport::findingsReachTheSecurityAudit()
{
    SecurityAudit::Input input;
    input.profile = profile(u"asyncpg"_s);
    input.pooler = PoolerReport::of(transactionBouncer(), input.profile, -1);
    const QList<AuditItem> items = SecurityAudit::audit(input);
    const auto found = std::find_if(items.cbegin(), items.cend(), [](const AuditItem &item) {
        return item.id == u"pooler-prepared-statements"_s;
    });
    QVERIFY(found != items.cend());
    QCOMPARE(found->level, AuditItem::Level::Fail);
    QVERIFY(found->fix.contains(u"statement_cache_size"_s));

    input.profile.driver = u"psycopg2"_s;
    input.pooler = PoolerReport::of(transactionBouncer(), input.profile, -1);
    const QList<AuditItem> fitting = SecurityAudit::audit(input);
    QVERIFY(std::any_of(fitting.cbegin(), fitting.cend(), [](const AuditItem &item) {
        return item.id == u"pooler-settings"_s && item.level == AuditItem::Level::Pass;
    }));
}

QTEST_GUILESS_MAIN(TestPoolerReport)
#include "tst_poolerreport.moc"
