#pragma once

#include "connection/SlotCounts.h"
#include "pool/ActivitySample.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <array>
#include <optional>
#include <utility>

struct AttemptResult;
struct CheckVerdict;

/// The figures of a sample that the per-minute rows keep as min, max and mean. The order is the
/// order of HistoryMinute::ranges and of the columns in history.sqlite.
enum class HistoryMetric {
    InDatabase,
    Total,
    ToolSessions,
    ServerCapacity,
    PoolCapacity,
    Active,
    Idle,
    IdleInTransaction,
    PgBouncerClientsActive,
    PgBouncerClientsWaiting,
    PgBouncerServersActive,
    PgBouncerMaxWaitSeconds,
};
constexpr int HistoryMetricCount = 12;

namespace HistoryMetrics {
/// The metric's column in history.sqlite and its name in exports: fixed identifiers.
QString column(HistoryMetric metric);
/// The sessions' state that a metric counts (pg_stat_activity's "active", "idle", "idle in
/// transaction"); empty for the others.
QString state(HistoryMetric metric);
/// The metrics that count sessions of one state.
const QList<HistoryMetric> &stateMetrics();
} // namespace HistoryMetrics

/// One remembered tick of the monitor for a profile: plain values, so it crosses threads.
/// It holds the profile's id, never its URL, and no message that looks like a secret.
struct HistorySample
{
    QString profileId;
    qint64 msecs = 0;
    bool ok = false;
    QString category;
    QString message;
    /// The database name is left empty: it is the profile's.
    SlotCounts counts;
    QMap<QString, int> byState;
    QMap<QString, int> byApplication;
    int poolCapacity = 0;
    /// PgBouncer's pools summed up (clients active and waiting, servers active, the longest
    /// wait); unset without a PgBouncer target or when its console did not answer.
    std::optional<PgBouncerPool> pgbouncer;

    static HistorySample of(const QString &profileId, const ActivitySample &sample,
                            int poolCapacity);
    /// The value of a metric; nullopt for one the sample does not have (a failed tick's
    /// counts, PgBouncer's without a PgBouncer target).
    std::optional<double> value(HistoryMetric metric) const;
    /// One object of `history export --format json`: the members of a `monitor --json` line,
    /// with the pool as its capacity and the profile's id.
    QJsonObject toJson() const;
};

/// One minute of a profile's samples: how many there were, how many failed, and the min, max
/// and mean of each metric over the samples that had it.
struct HistoryMinute
{
    struct Range
    {
        /// False when no sample of the minute had the metric.
        bool present = false;
        double min = 0;
        double max = 0;
        double mean = 0;
    };

    qint64 msecs = 0;
    int samples = 0;
    int failures = 0;
    std::array<Range, HistoryMetricCount> ranges{};

    const Range &range(HistoryMetric metric) const { return ranges.at(size_t(metric)); }
};

/// One remembered connection test of a profile.
struct HistoryTest
{
    QString profileId;
    qint64 msecs = 0;
    bool ok = false;
    /// healthy, checks_failed, failed or cancelled.
    QString health;
    QString category;
    /// The stage that failed; empty when none did.
    QString failedStage;
    QString summary;
    double elapsedMs = 0;
    /// Each stage that ran, by its JSON id, with its milliseconds.
    QList<std::pair<QString, double>> stageMs;

    static HistoryTest of(const QString &profileId, qint64 msecs, const AttemptResult &result,
                          const CheckVerdict &verdict);
    QJsonObject toJson() const;
};

/// Sessions by state or by application as the history stores and exports them: one JSON object
/// of name and count.
namespace HistoryCounts {
QJsonObject toJson(const QMap<QString, int> &counts);
QMap<QString, int> fromJson(const QJsonObject &object);
} // namespace HistoryCounts

namespace HistoryText {
/// The text as it may be written to history.sqlite: empty when it looks like it holds a secret
/// (a URL with a password, a password= setting), so that no secret reaches the file.
QString storable(const QString &text);
} // namespace HistoryText
