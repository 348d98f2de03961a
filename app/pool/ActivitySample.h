#pragma once

#include "connection/ServerSnapshot.h"
#include "profiles/PoolSettings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

#include <optional>

/// One row of PgBouncer's SHOW POOLS.
struct PgBouncerPool
{
    QString database;
    QString user;
    int clientsActive = 0;
    int clientsWaiting = 0;
    int serversActive = 0;
    int serversIdle = 0;
    int serversUsed = 0;
    /// Seconds the oldest waiting client has waited (maxwait + maxwait_us).
    double maxWaitSeconds = 0;
    QString poolMode;

    /// Adds another pool's counts to these, and keeps the longer wait. The counts stop at the
    /// largest int: a console's figures are not trusted to be small.
    void add(const PgBouncerPool &other);
};

/// One row of PgBouncer's SHOW STATS.
struct PgBouncerStatsRow
{
    QString database;
    qint64 totalTransactions = 0;
    qint64 totalQueries = 0;
    qint64 averageWaitMicroseconds = 0;
};

/// What the PgBouncer admin console said at one tick.
struct PgBouncerSample
{
    bool ok = false;
    QString error;
    QList<PgBouncerPool> pools;
    QList<PgBouncerStatsRow> stats;

    QJsonObject toJson() const;
    /// Every pool summed up, without the admin console's own pseudo-pool ("pgbouncer"), whose
    /// one client is this program.
    PgBouncerPool totals() const;
};

/// One tick of the pool monitor: the database's sessions by state and application, against
/// the server's capacity; or, when the server could not be reached, the doctor's category.
struct ActivitySample
{
    QDateTime t;
    /// How long the tick took, a connection it opened included.
    double seconds = 0;
    bool ok = false;
    QString category;
    QString message;

    /// The database's sessions without the tool's, the tool's own, every one, and the slots.
    SlotCounts counts;
    QMap<QString, int> byState;
    QMap<QString, int> byApplication;
    std::optional<PgBouncerSample> pgbouncer;

    int serverCapacity() const { return counts.usable(); }
    /// The line of monitor --json (DESIGN.md), with the profile's pool settings.
    QJsonObject toJson(const PoolSettings &pool) const;
    /// From a full server snapshot (the first tick after connecting).
    static ActivitySample fromSnapshot(const ServerSnapshot &snapshot);
    /// From the sampler's own query (its one JSON value).
    static std::optional<ActivitySample> fromJson(const QByteArray &json);
    /// The statement of one tick: counts only, without this session.
    static QByteArray query();
};

Q_DECLARE_METATYPE(ActivitySample)
