#include "ProfileMetrics.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// The families in the order they are written; the HELP texts are English, like the names.
enum Family {
    Up,
    Sessions,
    SessionsByApplication,
    ServerCapacity,
    MaxConnections,
    PoolCapacity,
    SampleSeconds,
    LastFailure,
    BouncerClients,
    BouncerServers,
    BouncerMaxWait,
    FamilyCount
};

QList<MetricFamily> emptyFamilies()
{
    return {
            {u"orderflow_db_up"_s,
             u"1 when the latest sample of the profile's server succeeded, 0 when it failed."_s,
             {}},
            {u"orderflow_db_sessions"_s,
             u"Client sessions in the profile's database by state, the tool's own left out."_s,
             {}},
            {u"orderflow_db_sessions_by_application"_s,
             u"Client sessions in the profile's database by application_name."_s,
             {}},
            {u"orderflow_db_server_capacity"_s,
             u"Connection slots ordinary roles may use: max_connections minus the reserved ones."_s,
             {}},
            {u"orderflow_db_max_connections"_s, u"The server's max_connections."_s, {}},
            {u"orderflow_db_pool_capacity"_s,
             u"The profile's configured pool capacity: workers x (pool_size + max_overflow)."_s,
             {}},
            {u"orderflow_db_sample_seconds"_s,
             u"How long the latest sample took, a connection it opened included."_s,
             {}},
            {u"orderflow_db_last_failure"_s,
             u"Unix time of the latest failed sample, per diagnosis category, since the "
             "exporter started."_s,
             {}},
            {u"orderflow_pgbouncer_clients"_s,
             u"PgBouncer client connections by database and state (active, waiting)."_s,
             {}},
            {u"orderflow_pgbouncer_servers"_s,
             u"PgBouncer server connections by database and state (active, idle, used)."_s,
             {}},
            {u"orderflow_pgbouncer_max_wait_seconds"_s,
             u"How long the oldest waiting PgBouncer client has waited, by database."_s,
             {}},
    };
}

// PgBouncer's pools summed per database (SHOW POOLS has a row per database and user).
QMap<QString, PgBouncerPool> poolsByDatabase(const QList<PgBouncerPool> &pools)
{
    QMap<QString, PgBouncerPool> byDatabase;
    for (const PgBouncerPool &pool : pools)
        byDatabase[pool.database].add(pool);
    return byDatabase;
}

} // namespace

void ProfileMetrics::record(const ActivitySample &sample)
{
    latest = sample;
    if (!sample.ok)
        lastFailures.insert(sample.category, sample.t);
}

QList<MetricFamily> ProfileMetrics::families(const QList<ProfileMetrics> &profiles)
{
    QList<MetricFamily> families = emptyFamilies();
    Q_ASSERT(families.size() == FamilyCount);
    for (const ProfileMetrics &metrics : profiles) {
        const QList<std::pair<QString, QString>> labels{{u"profile"_s, metrics.profile},
                                                        {u"environment"_s, metrics.environment}};
        auto add = [&families, &labels](Family family, double value,
                                        const QList<std::pair<QString, QString>> &more = {}) {
            families[family].samples.append({labels + more, value});
        };
        add(PoolCapacity, metrics.pool.capacity());
        for (auto it = metrics.lastFailures.cbegin(); it != metrics.lastFailures.cend(); ++it)
            add(LastFailure, double(it.value().toMSecsSinceEpoch()) / 1000,
                {{u"category"_s, it.key()}});
        if (!metrics.latest)
            continue;
        const ActivitySample &sample = *metrics.latest;
        add(Up, sample.ok ? 1 : 0);
        add(SampleSeconds, sample.seconds);
        if (!sample.ok)
            continue;
        for (auto it = sample.byState.cbegin(); it != sample.byState.cend(); ++it)
            add(Sessions, it.value(),
                {{u"database"_s, sample.counts.database}, {u"state"_s, it.key()}});
        for (auto it = sample.byApplication.cbegin(); it != sample.byApplication.cend(); ++it)
            add(SessionsByApplication, it.value(), {{u"application"_s, it.key()}});
        add(ServerCapacity, sample.serverCapacity());
        add(MaxConnections, sample.counts.maxConnections);
        if (!sample.pgbouncer || !sample.pgbouncer->ok)
            continue;
        const QMap<QString, PgBouncerPool> pools = poolsByDatabase(sample.pgbouncer->pools);
        for (auto it = pools.cbegin(); it != pools.cend(); ++it) {
            const QString &database = it.key();
            const PgBouncerPool &pool = it.value();
            for (const auto &[state, count] :
                 {std::pair{u"active"_s, pool.clientsActive}, {u"waiting"_s, pool.clientsWaiting}})
                add(BouncerClients, count, {{u"database"_s, database}, {u"state"_s, state}});
            for (const auto &[state, count] : {std::pair{u"active"_s, pool.serversActive},
                                               {u"idle"_s, pool.serversIdle},
                                               {u"used"_s, pool.serversUsed}})
                add(BouncerServers, count, {{u"database"_s, database}, {u"state"_s, state}});
            add(BouncerMaxWait, pool.maxWaitSeconds, {{u"database"_s, database}});
        }
    }
    return families;
}
