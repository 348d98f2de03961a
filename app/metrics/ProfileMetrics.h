#pragma once

#include "metrics/MetricsText.h"
#include "pool/ActivitySample.h"
#include "profiles/PoolSettings.h"

#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

/// What monitor --listen knows of one profile between scrapes: its latest sample and when each
/// kind of failure last happened. Scrapes read this; they never ask the server themselves.
struct ProfileMetrics
{
    /// The profile's name and environment id: the only labels that come from the profile (never
    /// its URL, host or password).
    QString profile;
    QString environment;
    PoolSettings pool;
    /// The latest tick; unset before the first.
    std::optional<ActivitySample> latest;
    /// Diagnosis category -> when a tick last failed with it.
    QMap<QString, QDateTime> lastFailures;

    void record(const ActivitySample &sample);

    /// The gauge families of these profiles, every family with HELP and TYPE even when no
    /// profile has a value for it. Sessions, capacity and PgBouncer are written only while the
    /// latest tick succeeded, so a graph shows a gap, not a stale value, while a server is down.
    static QList<MetricFamily> families(const QList<ProfileMetrics> &profiles);
};
