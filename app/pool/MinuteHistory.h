#pragma once

#include "history/HistoryRecords.h"
#include "pool/SampleHistory.h"

#include <QList>
#include <QString>

#include <vector>

/// The Pool page's memory of per-minute rows (up to 30 days of them) for windows longer than
/// the day that 1 Hz samples are kept, and the per-pixel-column summaries the chart draws from:
/// the min of the minutes' mins, the max of their maxes and the mean of their means.
class MinuteHistory final
{
public:
    static constexpr qint64 MinuteMsecs = 60'000;

    /// One pixel column of the chart.
    struct Column
    {
        bool hasData = false;
        /// Some minute in the column had failed samples (the server was unreachable).
        bool gap = false;
        /// Per metric asked for, in that order; present is false where no minute had it.
        std::vector<HistoryMinute::Range> ranges;
    };

    /// The metrics the chart draws for a kind of series: sessions in the database and by
    /// state, or PgBouncer's clients and active servers.
    static const QList<HistoryMetric> &metrics(SampleHistory::Series kind);
    /// The name a metric has in the legend (a state's name as the server says it).
    static QString name(HistoryMetric metric);

    /// Puts rows read for [from, to), oldest first, in place of the rows held in that range.
    void merge(qint64 fromMsecs, qint64 toMsecs, const QList<HistoryMinute> &rows);
    void clear() { m_minutes.clear(); }
    const QList<HistoryMinute> &minutes() const { return m_minutes; }
    /// The start of the newest minute held, or 0.
    qint64 lastMsecs() const { return m_minutes.isEmpty() ? 0 : m_minutes.last().msecs; }

    /// Summarises [from, to) into count columns; a minute falls into every column it covers,
    /// so that a short range (an incident zoomed into) has no holes between minutes.
    QList<Column> columns(qint64 fromMsecs, qint64 toMsecs, int count,
                          const QList<HistoryMetric> &metrics) const;
    /// Whether each metric is above zero in some minute of [from, to).
    QList<bool> hasData(qint64 fromMsecs, qint64 toMsecs,
                        const QList<HistoryMetric> &metrics) const;
    /// The minute that holds a time, if any.
    const HistoryMinute *at(qint64 msecs) const;
    /// Every minute in [from, to) as CSV: time, samples, failures, and min, max and mean of
    /// each metric.
    QString toCsv(qint64 fromMsecs, qint64 toMsecs) const;

private:
    QList<HistoryMinute>::const_iterator firstFrom(qint64 msecs) const;

    QList<HistoryMinute> m_minutes;
};
