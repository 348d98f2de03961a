#include "HistoryRecords.h"

#include "connection/AttemptReport.h"
#include "connection/AttemptResult.h"
#include "pool/ActivitySample.h"
#include "profiles/CheckVerdict.h"
#include "security/SecretScan.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

QString HistoryMetrics::column(HistoryMetric metric)
{
    static const std::array<QString, HistoryMetricCount> columns{
            u"in_database"_s,   u"total"_s,          u"tool_sessions"_s, u"server_capacity"_s,
            u"pool_capacity"_s, u"active"_s,         u"idle"_s,          u"idle_in_transaction"_s,
            u"pgb_cl_active"_s, u"pgb_cl_waiting"_s, u"pgb_sv_active"_s, u"pgb_maxwait"_s,
    };
    return columns.at(size_t(metric));
}

QString HistoryMetrics::state(HistoryMetric metric)
{
    switch (metric) {
    case HistoryMetric::Active:
        return u"active"_s;
    case HistoryMetric::Idle:
        return u"idle"_s;
    case HistoryMetric::IdleInTransaction:
        return u"idle in transaction"_s;
    default:
        break;
    }
    return {};
}

const QList<HistoryMetric> &HistoryMetrics::stateMetrics()
{
    static const QList<HistoryMetric> metrics{HistoryMetric::Active, HistoryMetric::Idle,
                                              HistoryMetric::IdleInTransaction};
    return metrics;
}

QJsonObject HistoryCounts::toJson(const QMap<QString, int> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QMap<QString, int> HistoryCounts::fromJson(const QJsonObject &object)
{
    QMap<QString, int> counts;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        counts.insert(it.key(), it.value().toInt());
    return counts;
}

QString HistoryText::storable(const QString &text)
{
    return SecretScan::secretIn(text).isEmpty() ? text : QString();
}

HistorySample HistorySample::of(const QString &profileId, const ActivitySample &sample,
                                int poolCapacity)
{
    HistorySample row;
    row.profileId = profileId;
    row.msecs = sample.t.toMSecsSinceEpoch();
    row.ok = sample.ok;
    row.category = sample.category;
    row.message = HistoryText::storable(sample.message);
    row.counts = sample.counts;
    row.counts.database.clear();
    row.byState = sample.byState;
    row.byApplication = sample.byApplication;
    row.poolCapacity = poolCapacity;
    if (sample.pgbouncer && sample.pgbouncer->ok)
        row.pgbouncer = sample.pgbouncer->totals();
    return row;
}

std::optional<double> HistorySample::value(HistoryMetric metric) const
{
    if (metric == HistoryMetric::PoolCapacity)
        return poolCapacity;
    switch (metric) {
    case HistoryMetric::PgBouncerClientsActive:
        return pgbouncer ? std::optional<double>(pgbouncer->clientsActive) : std::nullopt;
    case HistoryMetric::PgBouncerClientsWaiting:
        return pgbouncer ? std::optional<double>(pgbouncer->clientsWaiting) : std::nullopt;
    case HistoryMetric::PgBouncerServersActive:
        return pgbouncer ? std::optional<double>(pgbouncer->serversActive) : std::nullopt;
    case HistoryMetric::PgBouncerMaxWaitSeconds:
        return pgbouncer ? std::optional<double>(pgbouncer->maxWaitSeconds) : std::nullopt;
    default:
        break;
    }
    if (!ok)
        return std::nullopt;
    switch (metric) {
    case HistoryMetric::InDatabase:
        return counts.inDatabase;
    case HistoryMetric::Total:
        return counts.total;
    case HistoryMetric::ToolSessions:
        return counts.toolSessions;
    case HistoryMetric::ServerCapacity:
        return counts.usable();
    case HistoryMetric::Active:
    case HistoryMetric::Idle:
    case HistoryMetric::IdleInTransaction:
        return byState.value(HistoryMetrics::state(metric));
    default:
        break;
    }
    return std::nullopt;
}

QJsonObject HistorySample::toJson() const
{
    QJsonObject object{
            {u"t"_s, QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs)},
            {u"profile_id"_s, profileId},
            {u"ok"_s, ok},
    };
    if (!ok) {
        object.insert(u"category"_s, category);
        object.insert(u"message"_s, message);
    } else {
        QJsonObject connections = counts.toJson();
        connections.remove(u"database"_s);
        connections.insert(u"by_state"_s, HistoryCounts::toJson(byState));
        object.insert(u"connections"_s, connections);
        object.insert(u"by_application"_s, HistoryCounts::toJson(byApplication));
        object.insert(u"pool"_s, QJsonObject{{u"capacity"_s, poolCapacity}});
    }
    if (pgbouncer)
        object.insert(u"pgbouncer"_s,
                      QJsonObject{{u"cl_active"_s, pgbouncer->clientsActive},
                                  {u"cl_waiting"_s, pgbouncer->clientsWaiting},
                                  {u"sv_active"_s, pgbouncer->serversActive},
                                  {u"maxwait"_s, pgbouncer->maxWaitSeconds}});
    return object;
}

HistoryTest HistoryTest::of(const QString &profileId, qint64 msecs, const AttemptResult &result,
                            const CheckVerdict &verdict)
{
    HistoryTest test;
    test.profileId = profileId;
    test.msecs = msecs;
    test.ok = verdict.health == CheckVerdict::Health::Healthy;
    test.health = CheckVerdict::healthId(verdict.health);
    test.category = result.diagnosis.categoryId();
    test.summary = HistoryText::storable(verdict.summary);
    test.elapsedMs = AttemptReport::rounded(result.elapsedMs);
    for (const StageTiming &stage : verdict.stages) {
        if (stage.state == StageState::Failed)
            test.failedStage = ConnectionStages::id(stage.stage);
        if (stage.state != StageState::Skipped)
            test.stageMs.append({ConnectionStages::id(stage.stage),
                                 AttemptReport::rounded(stage.milliseconds)});
    }
    return test;
}

QJsonObject HistoryTest::toJson() const
{
    QJsonObject stages;
    for (const auto &[stage, ms] : stageMs)
        stages.insert(stage, ms);
    return QJsonObject{
            {u"t"_s, QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs)},
            {u"profile_id"_s, profileId},
            {u"ok"_s, ok},
            {u"health"_s, health},
            {u"category"_s, category},
            {u"failed_stage"_s, failedStage.isEmpty() ? QJsonValue() : QJsonValue(failedStage)},
            {u"summary"_s, summary},
            {u"elapsed_ms"_s, elapsedMs},
            {u"stages"_s, stages},
    };
}
