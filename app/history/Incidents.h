#pragma once

#include "history/HistoryRecords.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <deque>

class SampleHistory;

/// A stretch of time in which a profile's server was close to full or could not be reached.
struct Incident
{
    enum class Kind { Busy, Unreachable };

    Kind kind = Kind::Busy;
    qint64 fromMsecs = 0;
    qint64 toMsecs = 0;
    /// Busy: the most sessions in the database, and the server's usable slots at that moment.
    int peakSessions = 0;
    int capacity = 0;

    qint64 durationMsecs() const { return toMsecs - fromMsecs; }
    bool operator==(const Incident &) const = default;
};

/// Finds the incidents of a time window in what the Pool page shows: the 1 Hz samples or the
/// per-minute rows. Busy means the sessions in the database exceeded BusyShare of the server's
/// usable slots (max_connections minus both reserves, as SlotCounts counts them); unreachable
/// means a sample failed (a minute with failures).
class Incidents final
{
    Q_DECLARE_TR_FUNCTIONS(Incidents)

public:
    static constexpr double BusyShare = 0.8;

    /// One sample or one minute: when it was taken and what it saw.
    struct Observation
    {
        qint64 msecs = 0;
        bool unreachable = false;
        /// The most sessions in the database while it lasted (0 when unknown), and the usable
        /// slots then.
        int sessions = 0;
        int capacity = 0;
    };

    /// Whether sessions exceed BusyShare of capacity.
    static bool busy(int sessions, int capacity);

    /// The incidents among observations (oldest first) within [from, to), oldest first. An
    /// observation lasts until the next one if that comes within maxGapMsecs, else for
    /// lengthMsecs: a run of busy (or unreachable) observations without a longer gap is one
    /// incident. Incidents are cut to the window.
    static QList<Incident> find(const std::deque<Observation> &observations, qint64 fromMsecs,
                                qint64 toMsecs, qint64 lengthMsecs, qint64 maxGapMsecs);
    /// The same over the samples the chart holds (a sample lasts its second; a failing server
    /// is sampled less often, up to every 30 s, and stays one incident) or over minutes.
    static QList<Incident> ofSamples(const SampleHistory &samples, qint64 fromMsecs,
                                     qint64 toMsecs);
    static QList<Incident> ofMinutes(const QList<HistoryMinute> &minutes, qint64 fromMsecs,
                                     qint64 toMsecs);

    /// One line for the list beside the chart: "02:14–02:31 · 17 min · peak 92/97 sessions", or
    /// "unreachable". withDate: for windows longer than a day.
    static QString text(const Incident &incident, bool withDate);
    /// A duration as the list words it: "< 1 min", "17 min", "2 h 5 min", "3 d 4 h".
    static QString duration(qint64 msecs);
};
