#include "MinuteHistory.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

const QList<HistoryMetric> &MinuteHistory::metrics(SampleHistory::Series kind)
{
    static const QList<HistoryMetric> sessions{HistoryMetric::InDatabase, HistoryMetric::Active,
                                               HistoryMetric::Idle,
                                               HistoryMetric::IdleInTransaction};
    static const QList<HistoryMetric> bouncer{HistoryMetric::PgBouncerClientsActive,
                                              HistoryMetric::PgBouncerClientsWaiting,
                                              HistoryMetric::PgBouncerServersActive};
    return kind == SampleHistory::Series::PgBouncer ? bouncer : sessions;
}

QString MinuteHistory::name(HistoryMetric metric)
{
    switch (metric) {
    case HistoryMetric::InDatabase:
        return QCoreApplication::translate("MinuteHistory", "in the database");
    case HistoryMetric::PgBouncerClientsActive:
        return u"cl_active"_s;
    case HistoryMetric::PgBouncerClientsWaiting:
        return u"cl_waiting"_s;
    case HistoryMetric::PgBouncerServersActive:
        return u"sv_active"_s;
    default:
        break;
    }
    const QString state = HistoryMetrics::state(metric);
    return state.isEmpty() ? HistoryMetrics::column(metric) : state;
}

void MinuteHistory::merge(qint64 fromMsecs, qint64 toMsecs, const QList<HistoryMinute> &rows)
{
    QList<HistoryMinute> merged;
    merged.reserve(m_minutes.size() + rows.size());
    auto held = m_minutes.cbegin();
    for (; held != m_minutes.cend() && held->msecs < fromMsecs; ++held)
        merged << *held;
    merged << rows;
    for (; held != m_minutes.cend(); ++held) {
        if (held->msecs >= toMsecs)
            merged << *held;
    }
    m_minutes = std::move(merged);
}

QList<HistoryMinute>::const_iterator MinuteHistory::firstFrom(qint64 msecs) const
{
    // The minute that started before msecs still covers it.
    return std::lower_bound(m_minutes.cbegin(), m_minutes.cend(), msecs - MinuteMsecs + 1,
                            [](const HistoryMinute &minute, qint64 t) { return minute.msecs < t; });
}

QList<MinuteHistory::Column> MinuteHistory::columns(qint64 fromMsecs, qint64 toMsecs, int count,
                                                    const QList<HistoryMetric> &metrics) const
{
    QList<Column> result(qMax(0, count));
    if (count <= 0 || toMsecs <= fromMsecs)
        return result;
    const double span = double(toMsecs - fromMsecs);
    const auto column = [&](qint64 msecs) {
        return std::clamp(int(double(msecs - fromMsecs) / span * count), 0, count - 1);
    };
    // The samples behind each column's means, to weigh each minute's mean by its samples.
    std::vector<double> weights(size_t(count) * size_t(metrics.size()), 0);
    for (auto it = firstFrom(fromMsecs); it != m_minutes.cend() && it->msecs < toMsecs; ++it) {
        const int last = column(it->msecs + MinuteMsecs - 1);
        const double weight = qMax(1, it->samples);
        for (int c = column(it->msecs); c <= last; ++c) {
            Column &summary = result[c];
            if (summary.ranges.empty())
                summary.ranges.resize(size_t(metrics.size()));
            summary.gap = summary.gap || it->failures > 0;
            for (qsizetype m = 0; m < metrics.size(); ++m) {
                const HistoryMinute::Range &range = it->range(metrics.at(m));
                if (!range.present)
                    continue;
                HistoryMinute::Range &into = summary.ranges[size_t(m)];
                double &weighed = weights[size_t(c) * size_t(metrics.size()) + size_t(m)];
                if (!into.present) {
                    into = range;
                } else {
                    into.min = std::min(into.min, range.min);
                    into.max = std::max(into.max, range.max);
                    into.mean = (into.mean * weighed + range.mean * weight) / (weighed + weight);
                }
                weighed += weight;
                summary.hasData = true;
            }
        }
    }
    return result;
}

QList<bool> MinuteHistory::hasData(qint64 fromMsecs, qint64 toMsecs,
                                   const QList<HistoryMetric> &metrics) const
{
    QList<bool> seen(metrics.size(), false);
    for (auto it = firstFrom(fromMsecs); it != m_minutes.cend() && it->msecs < toMsecs; ++it) {
        for (qsizetype m = 0; m < metrics.size(); ++m)
            seen[m] = seen[m] || it->range(metrics.at(m)).max > 0;
    }
    return seen;
}

const HistoryMinute *MinuteHistory::at(qint64 msecs) const
{
    const auto it = firstFrom(msecs);
    return it != m_minutes.cend() && it->msecs <= msecs ? &*it : nullptr;
}

QString MinuteHistory::toCsv(qint64 fromMsecs, qint64 toMsecs) const
{
    QString csv = u"time,samples,failures"_s;
    for (int i = 0; i < HistoryMetricCount; ++i) {
        const QString column = HistoryMetrics::column(HistoryMetric(i));
        csv += u',' + column + u"_min,"_s + column + u"_max,"_s + column + u"_mean"_s;
    }
    csv += u'\n';
    for (auto it = firstFrom(fromMsecs); it != m_minutes.cend() && it->msecs < toMsecs; ++it) {
        csv += QDateTime::fromMSecsSinceEpoch(it->msecs, Qt::UTC).toString(Qt::ISODate) + u','
                + QString::number(it->samples) + u',' + QString::number(it->failures);
        for (const HistoryMinute::Range &range : it->ranges) {
            if (range.present)
                csv += u',' + number(range.min) + u',' + number(range.max) + u','
                        + number(range.mean);
            else
                csv += u",,,"_s;
        }
        csv += u'\n';
    }
    return csv;
}
