#include "ActivitySample.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject countsObject(const QMap<QString, int> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QMap<QString, int> countsMap(const QJsonValue &value)
{
    QMap<QString, int> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        map.insert(it.key(), it.value().toInt());
    return map;
}

} // namespace

void PgBouncerPool::add(const PgBouncerPool &other)
{
    const auto sum = [](int a, int b) {
        return int(std::clamp<qint64>(qint64(a) + b, std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max()));
    };
    clientsActive = sum(clientsActive, other.clientsActive);
    clientsWaiting = sum(clientsWaiting, other.clientsWaiting);
    serversActive = sum(serversActive, other.serversActive);
    serversIdle = sum(serversIdle, other.serversIdle);
    serversUsed = sum(serversUsed, other.serversUsed);
    maxWaitSeconds = std::max(maxWaitSeconds, other.maxWaitSeconds);
}

PgBouncerPool PgBouncerSample::totals() const
{
    PgBouncerPool sum;
    for (const PgBouncerPool &pool : pools) {
        if (pool.database != u"pgbouncer"_s)
            sum.add(pool);
    }
    return sum;
}

QJsonObject PgBouncerSample::toJson() const
{
    QJsonArray poolArray;
    for (const PgBouncerPool &pool : pools)
        poolArray.append(QJsonObject{{u"database"_s, pool.database},
                                     {u"user"_s, pool.user},
                                     {u"cl_active"_s, pool.clientsActive},
                                     {u"cl_waiting"_s, pool.clientsWaiting},
                                     {u"sv_active"_s, pool.serversActive},
                                     {u"sv_idle"_s, pool.serversIdle},
                                     {u"sv_used"_s, pool.serversUsed},
                                     {u"maxwait"_s, pool.maxWaitSeconds},
                                     {u"pool_mode"_s, pool.poolMode}});
    QJsonArray statsArray;
    for (const PgBouncerStatsRow &row : stats)
        statsArray.append(QJsonObject{{u"database"_s, row.database},
                                      {u"total_xact_count"_s, row.totalTransactions},
                                      {u"total_query_count"_s, row.totalQueries},
                                      {u"avg_wait_time_us"_s, row.averageWaitMicroseconds}});
    QJsonObject object{{u"ok"_s, ok}, {u"pools"_s, poolArray}, {u"stats"_s, statsArray}};
    if (!ok)
        object.insert(u"error"_s, error);
    return object;
}

QJsonObject ActivitySample::toJson(const PoolSettings &pool) const
{
    QJsonObject object{{u"t"_s, t.toUTC().toString(Qt::ISODateWithMs)}, {u"ok"_s, ok}};
    if (!ok) {
        object.insert(u"category"_s, category);
        object.insert(u"message"_s, message);
    } else {
        QJsonObject connections = counts.toJson();
        connections.insert(u"by_state"_s, countsObject(byState));
        object.insert(u"connections"_s, connections);
        object.insert(u"by_application"_s, countsObject(byApplication));
        QJsonObject poolObject = pool.toJson();
        poolObject.insert(u"capacity"_s, pool.capacity());
        if (!pool.applicationName.isEmpty())
            poolObject.insert(u"in_use"_s, byApplication.value(pool.applicationName));
        object.insert(u"pool"_s, poolObject);
    }
    if (pgbouncer)
        object.insert(u"pgbouncer"_s, pgbouncer->toJson());
    return object;
}

ActivitySample ActivitySample::fromSnapshot(const ServerSnapshot &snapshot)
{
    ActivitySample sample;
    sample.ok = true;
    sample.counts = snapshot.slotCounts();
    const ConnectionCounts inDatabase = snapshot.databaseCounts();
    sample.byState = inDatabase.byState;
    sample.byApplication = inDatabase.byApplication;
    return sample;
}

std::optional<ActivitySample> ActivitySample::fromJson(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    if (root.isEmpty())
        return std::nullopt;
    ActivitySample sample;
    sample.ok = true;
    sample.counts = SlotCounts::fromJson(root);
    sample.byState = countsMap(root.value(u"by_state"_s));
    sample.byApplication = countsMap(root.value(u"by_application"_s));
    return sample;
}

QByteArray ActivitySample::query()
{
    // Counts only, grouped on the server: one small row per tick. The tool's own sessions
    // (this one among them) are left out of the database's counts but kept in the total, as
    // SlotCounts says. One pass over the function behind pg_stat_activity, without the view's
    // joins to pg_database and pg_authid for every session, grouped once; with hundreds of
    // sessions the function itself is most of what is left (BENCHMARKS.md). Another role's
    // application_name is shown to every role, so the tool's sessions are told apart always.
    static const QByteArray statement = R"SQL(
WITH g AS (
  SELECT state, app, count(*) AS n, count(*) FILTER (WHERE tool) AS t,
         count(*) FILTER (WHERE indb AND NOT tool) AS m
  FROM (SELECT coalesce(state, 'unknown') AS state,
               coalesce(nullif(application_name, ''), '(none)') AS app,
               datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS indb,
               pid = pg_backend_pid() OR coalesce()SQL"
            + SlotCounts::isToolSessionSql("application_name") + R"SQL(, false) AS tool
        FROM pg_stat_get_activity(NULL)
        WHERE )SQL"
            + SlotCounts::holdsClientSlotSql() + R"SQL() s
  GROUP BY state, app
)
SELECT json_build_object(
  'database', current_database(),
  'in_database', coalesce((SELECT sum(m) FROM g), 0)::int,
  'total', coalesce((SELECT sum(n) FROM g), 0)::int,
  'tool_sessions', coalesce((SELECT sum(t) FROM g), 0)::int,
  'max_connections', current_setting('max_connections')::int,
  'superuser_reserved', current_setting('superuser_reserved_connections')::int,
  'reserved', coalesce(current_setting('reserved_connections', true), '0')::int,
  'by_state', (SELECT coalesce(json_object_agg(state, m), '{}'::json)
               FROM (SELECT state, sum(m) AS m FROM g GROUP BY state HAVING sum(m) > 0) x),
  'by_application', (SELECT coalesce(json_object_agg(app, m), '{}'::json)
                     FROM (SELECT app, sum(m) AS m FROM g GROUP BY app HAVING sum(m) > 0) y)
)::text
)SQL";
    return statement;
}
