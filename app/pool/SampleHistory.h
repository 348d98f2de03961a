#pragma once

#include "history/HistoryRecords.h"
#include "pool/ActivitySample.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

/// The monitor's memory of samples (up to a day and a bit at 1 Hz), compact enough to keep
/// 24 hours, and the per-column min/max summaries the chart draws from, so that a day of
/// samples paints as fast as five minutes.
class SampleHistory final
{
public:
    enum class Series { ByState, ByApplication, PgBouncer };

    struct Point
    {
        qint64 msecs = 0;
        bool ok = false;
        int inDatabase = 0;
        int total = 0;
        int serverCapacity = 0;
        double maxWaitSeconds = 0;
        /// Values by series index (see names()); missing indexes are zero.
        std::vector<quint16> values;
    };

    /// One pixel column of the chart.
    struct Column
    {
        bool hasData = false;
        /// Some sample in the column was a failure (the server was unreachable).
        bool gap = false;
        int minTotal = 0;
        int maxTotal = 0;
        /// The per-series values of the column's busiest sample, in names() order.
        std::vector<int> stack;
    };

    explicit SampleHistory(int capacity = 100000);

    void append(const ActivitySample &sample);
    /// Samples read from history.sqlite, oldest first, indexed as this class keeps them. The
    /// costly half of a merge (each series found by name), done where the rows were read: a day
    /// of samples takes tens of milliseconds, which the UI thread should not spend.
    static SampleHistory ofStored(const QList<HistorySample> &stored);
    /// Adds samples read from history.sqlite to those held: a sample at the time of one already
    /// held (a live one, or one read before) is left out.
    void merge(SampleHistory stored);
    void merge(const QList<HistorySample> &stored);
    /// Forgets the samples and the series: the next profile's are numbered afresh.
    void clear();
    int size() const { return int(m_points.size()); }
    const std::deque<Point> &points() const { return m_points; }

    /// The series of a kind, in the order they first appeared.
    QStringList names(Series kind) const;
    int value(const Point &point, Series kind, int index) const;
    /// Whether a series of a kind is above zero in any sample of [from, to): the legend and
    /// the CSV leave out the series that would only say zero.
    QList<bool> hasData(qint64 fromMsecs, qint64 toMsecs, Series kind) const;
    /// The total a point shows for a kind: sessions in the database, or PgBouncer clients.
    int total(const Point &point, Series kind) const;

    /// Summarises [from, to) into columns; each sample falls in exactly one column.
    QList<Column> columns(qint64 fromMsecs, qint64 toMsecs, int count, Series kind) const;
    /// The spans [from, to) when the server was unreachable: from a failed sample to the next
    /// good one (or to the end of the range).
    QList<std::pair<qint64, qint64>> outages(qint64 fromMsecs, qint64 toMsecs) const;
    /// The sample nearest to a time within tolerance, if any.
    const Point *nearest(qint64 msecs, qint64 toleranceMsecs) const;
    /// A copy holding only the samples in [from, to), with every series: what an export
    /// encodes on another thread while this one goes on taking samples.
    SampleHistory between(qint64 fromMsecs, qint64 toMsecs) const;
    /// Every sample in [from, to) as CSV with one column per series.
    QString toCsv(qint64 fromMsecs, qint64 toMsecs, Series kind) const;

private:
    int indexFor(Series kind, const QString &name);
    /// Sets a series' value in a point, registering the series on first sight.
    void put(Point &point, Series kind, const QString &name, int value);
    Point pointOf(const HistorySample &stored);
    void keepCapacity();

    int m_capacity;
    std::deque<Point> m_points;
    // All kinds share one index space; each name is registered under its kind.
    QStringList m_allNames;
    QHash<QString, int> m_indexes;
    QList<std::pair<Series, int>> m_kinds;
};
