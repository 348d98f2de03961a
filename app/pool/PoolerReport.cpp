#include "PoolerReport.h"

#include "PlainText.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {

int configNumber(const QMap<QString, QString> &config, const QString &key)
{
    return config.value(key).toInt();
}

// psycopg 3 prepares a statement on the server once it has run prepare_threshold (5) times;
// asyncpg and SQLAlchemy's asyncpg dialect prepare every statement. psycopg2 and pg8000 send
// their statements unprepared (or unnamed), which any pool mode accepts.
enum class Preparing { None, Psycopg3, Asyncpg };

Preparing preparingOf(const QString &driver)
{
    if (driver == u"psycopg"_s || driver == u"psycopg_async"_s)
        return Preparing::Psycopg3;
    if (driver == u"asyncpg"_s)
        return Preparing::Asyncpg;
    return Preparing::None;
}

QString adminUser(const Profile &profile)
{
    const auto admin = profile.pgbouncerAdminUrl();
    return admin ? admin->value(u"user"_s) : Profile::defaultUser();
}

} // namespace

PoolerSettings PoolerSettings::fromRows(const QList<QMap<QString, QString>> &config,
                                        const QList<QMap<QString, QString>> &databases,
                                        const QString &database)
{
    QMap<QString, QString> values;
    for (const auto &row : config)
        values.insert(row.value(u"key"_s), row.value(u"value"_s));
    PoolerSettings settings;
    settings.read = true;
    settings.database = database;
    settings.poolMode = values.value(u"pool_mode"_s);
    settings.defaultPoolSize = configNumber(values, u"default_pool_size"_s);
    settings.poolSize = settings.defaultPoolSize;
    settings.reservePoolSize = configNumber(values, u"reserve_pool_size"_s);
    settings.maxClientConn = configNumber(values, u"max_client_conn"_s);
    settings.maxDbConnections = configNumber(values, u"max_db_connections"_s);
    if (values.contains(u"max_prepared_statements"_s))
        settings.maxPreparedStatements = configNumber(values, u"max_prepared_statements"_s);
    // The database's own line, else the "*" line that PgBouncer uses for any other database.
    std::optional<QMap<QString, QString>> entry;
    for (const auto &row : databases) {
        if (row.value(u"name"_s) == database)
            entry = row;
        else if (row.value(u"name"_s) == u"*"_s && !entry)
            entry = row;
    }
    settings.databaseListed = entry.has_value();
    if (entry) {
        // SHOW DATABASES shows the pool size in effect, and a pool_mode only where the
        // database sets its own.
        if (!entry->value(u"pool_size"_s).isEmpty())
            settings.poolSize = entry->value(u"pool_size"_s).toInt();
        if (!entry->value(u"reserve_pool"_s).isEmpty())
            settings.reservePoolSize = entry->value(u"reserve_pool"_s).toInt();
        if (!entry->value(u"pool_mode"_s).isEmpty())
            settings.poolMode = entry->value(u"pool_mode"_s);
        if (entry->value(u"max_connections"_s).toInt() > 0)
            settings.maxDbConnections = entry->value(u"max_connections"_s).toInt();
    }
    return settings;
}

QString PoolerFinding::severityId(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Warning:
        return u"warning"_s;
    case Severity::Error:
        break;
    }
    return u"error"_s;
}

QJsonObject PoolerFinding::toJson() const
{
    return QJsonObject{{u"id"_s, id},
                       {u"severity"_s, severityId(severity)},
                       {u"message"_s, message},
                       {u"evidence"_s, evidence},
                       {u"fix"_s, fix}};
}

PoolerReport PoolerReport::of(const PoolerSettings &settings, const Profile &profile,
                              int serverCapacity)
{
    PoolerReport report;
    report.settings = settings;
    report.clientConnections = profile.pool.capacity();
    auto add = [&report](const QString &id, PoolerFinding::Severity severity,
                         const QString &message, const QString &evidence, const QString &fix) {
        report.findings << PoolerFinding{id, severity, message, evidence, fix};
    };
    const QString database = settings.database;
    if (!settings.read) {
        add(u"pooler-unreadable"_s, PoolerFinding::Severity::Warning,
            tr("PgBouncer's admin console at %1 could not be read, so its settings were not "
               "checked against this profile's.")
                    .arg(settings.address),
            settings.error,
            tr("Let the user %1 read the console: add it to stats_users (or admin_users) in "
               "pgbouncer.ini, with this profile's password in PgBouncer's auth_file, and reload "
               "PgBouncer.")
                    .arg(adminUser(profile)));
        return report;
    }
    if (!settings.databaseListed)
        add(u"pooler-database"_s, PoolerFinding::Severity::Warning,
            tr("PgBouncer has no entry for the database %1: it refuses the application's "
               "connections to it.")
                    .arg(database),
            tr("SHOW DATABASES lists neither %1 nor a \"*\" fallback.").arg(database),
            tr("Add a line for it under [databases] in pgbouncer.ini, for example: %1 = "
               "host=SERVER port=5432 dbname=%1")
                    .arg(database));

    // The client side: every connection the application's pools can open is one of
    // PgBouncer's clients.
    const PoolSettings &pool = profile.pool;
    if (settings.maxClientConn > 0 && report.clientConnections > settings.maxClientConn) {
        const QString clients = pool.poolClass == PoolSettings::PoolClass::NullPool
                ? tr("%1 worker(s) x %2 concurrent requests (NullPool) = %3 client connections")
                          .arg(QString::number(pool.workers),
                               QString::number(pool.expectedConcurrency),
                               QString::number(report.clientConnections))
                : tr("%1 worker(s) x (pool_size %2 + max_overflow %3) = %4 client connections")
                          .arg(QString::number(pool.workers), QString::number(pool.poolSize),
                               QString::number(pool.maxOverflow),
                               QString::number(report.clientConnections));
        add(u"pooler-max-client-conn"_s, PoolerFinding::Severity::Warning,
            tr("The application's pools can open more connections than PgBouncer accepts: "
               "clients beyond max_client_conn are refused with \"no more connections allowed "
               "(max_client_conn)\"."),
            tr("%1; PgBouncer's max_client_conn is %2.")
                    .arg(clients, QString::number(settings.maxClientConn)),
            tr("Raise max_client_conn in pgbouncer.ini to at least %1 (PgBouncer's other "
               "clients count too), or lower workers, pool_size or max_overflow.")
                    .arg(report.clientConnections));
    }

    // The server side: PgBouncer opens up to pool_size + reserve_pool_size server connections
    // per database and user, at most max_db_connections per database.
    int serverConnections = settings.poolSize + settings.reservePoolSize;
    if (settings.maxDbConnections > 0)
        serverConnections = qMin(serverConnections, settings.maxDbConnections);
    if (settings.databaseListed && serverCapacity >= 0 && serverConnections > serverCapacity)
        add(u"pooler-server-capacity"_s, PoolerFinding::Severity::Warning,
            tr("PgBouncer can open more server connections for the database %1 than the server "
               "has slots for ordinary roles: under load the server refuses them (\"too many "
               "clients\").")
                    .arg(database),
            tr("pool_size %1 + reserve_pool_size %2 per database and user, max_db_connections "
               "%3 (0: no limit); the server has %4 slots for ordinary roles (max_connections "
               "minus the reserved ones).")
                    .arg(QString::number(settings.poolSize),
                         QString::number(settings.reservePoolSize),
                         QString::number(settings.maxDbConnections),
                         QString::number(serverCapacity)),
            tr("Set max_db_connections = %1 (or less) for %2 in pgbouncer.ini, or raise the "
               "server's max_connections.")
                    .arg(QString::number(serverCapacity), database));

    const bool transactionPooling = settings.poolMode == u"transaction"_s;
    const bool statementPooling = settings.poolMode == u"statement"_s;
    if (statementPooling)
        add(u"pooler-statement-mode"_s, PoolerFinding::Severity::Error,
            tr("PgBouncer pools by statement, which refuses transactions of more than one "
               "statement; SQLAlchemy runs its work in transactions."),
            tr("pool_mode is statement for the database %1.").arg(database),
            tr("Set pool_mode = transaction for %1 in pgbouncer.ini (on its line under "
               "[databases], or as the default).")
                    .arg(database));

    // A statement prepared in one transaction lives in that server connection only; PgBouncer
    // 1.21 and later keep track of protocol-level prepared statements themselves when
    // max_prepared_statements is above 0.
    const Preparing preparing = preparingOf(profile.driver);
    const bool bouncerTracksStatements
            = settings.maxPreparedStatements && *settings.maxPreparedStatements > 0;
    if ((transactionPooling || statementPooling) && preparing != Preparing::None
        && !bouncerTracksStatements) {
        const QString driver = u"postgresql+"_s + profile.driver;
        const QString trackingEvidence = settings.maxPreparedStatements
                ? tr("max_prepared_statements is 0")
                : tr("this PgBouncer has no max_prepared_statements (PgBouncer 1.21 and later)");
        const QString fix = preparing == Preparing::Psycopg3
                ? tr("Turn off psycopg's server-side prepared statements: create_engine(..., "
                     "connect_args={\"prepare_threshold\": None}); or, with PgBouncer 1.21 or "
                     "later, set max_prepared_statements = 100 in pgbouncer.ini.")
                : tr("Turn off both statement caches: create_async_engine("
                     "\"postgresql+asyncpg://...?prepared_statement_cache_size=0\", "
                     "connect_args={\"statement_cache_size\": 0}); or, with PgBouncer 1.21 or "
                     "later, set max_prepared_statements = 100 in pgbouncer.ini.");
        add(u"pooler-prepared-statements"_s, PoolerFinding::Severity::Error,
            tr("PgBouncer pools by %1 and %2 prepares statements on the server: a later "
               "transaction can run on another server connection, where the statement does not "
               "exist (\"prepared statement ... does not exist\").")
                    .arg(settings.poolMode, driver),
            tr("pool_mode %1, driver %2, %3.").arg(settings.poolMode, driver, trackingEvidence),
            fix);
    }
    return report;
}

QJsonObject PoolerReport::toJson() const
{
    QJsonArray list;
    for (const PoolerFinding &finding : findings)
        list.append(finding.toJson());
    auto figure = [this](int value) {
        return settings.read ? QJsonValue(value) : QJsonValue();
    };
    return QJsonObject{
            {u"address"_s, settings.address},
            {u"read"_s, settings.read},
            {u"database"_s, settings.database},
            {u"pool_mode"_s, settings.read ? QJsonValue(settings.poolMode) : QJsonValue()},
            {u"max_client_conn"_s, figure(settings.maxClientConn)},
            {u"default_pool_size"_s, figure(settings.defaultPoolSize)},
            {u"pool_size"_s, figure(settings.poolSize)},
            {u"reserve_pool_size"_s, figure(settings.reservePoolSize)},
            {u"max_db_connections"_s, figure(settings.maxDbConnections)},
            {u"max_prepared_statements"_s,
             settings.maxPreparedStatements ? QJsonValue(*settings.maxPreparedStatements)
                                            : QJsonValue()},
            {u"client_connections"_s, clientConnections},
            {u"findings"_s, list},
    };
}

QStringList PoolerReport::lines() const
{
    if (findings.isEmpty())
        return {PlainText::terminalSafe(
                tr("PgBouncer at %1 (pool_mode %2, max_client_conn %3, pool_size %4): its "
                   "settings fit this profile's.")
                        .arg(settings.address, settings.poolMode,
                             QString::number(settings.maxClientConn),
                             QString::number(settings.poolSize)))};
    QStringList out;
    for (const PoolerFinding &finding : findings)
        out << PlainText::terminalSafe(tr("[%1] %2 Evidence: %3 Fix: %4")
                                               .arg(PoolerFinding::severityId(finding.severity),
                                                    finding.message, finding.evidence,
                                                    finding.fix));
    return out;
}

QString PoolerReport::text() const
{
    return tr("PgBouncer:") + u"\n  "_s + lines().join(u"\n  "_s);
}
