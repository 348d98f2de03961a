#include "SampleHistory.h"

#include <algorithm>
#include <array>
#include <iterator>

using namespace Qt::Literals::StringLiterals;

namespace {

QString key(SampleHistory::Series kind, const QString &name)
{
    return QString::number(int(kind)) + u'\x1f' + name;
}

const QStringList &bouncerSeries()
{
    static const QStringList names{u"cl_active"_s, u"cl_waiting"_s, u"sv_active"_s, u"sv_idle"_s,
                                   u"sv_used"_s};
    return names;
}

} // namespace

SampleHistory::SampleHistory(int capacity)
    : m_capacity(capacity)
{ }

int SampleHistory::indexFor(Series kind, const QString &name)
{
    const QString k = key(kind, name);
    const auto it = m_indexes.constFind(k);
    if (it != m_indexes.cend())
        return *it;
    const int index = int(m_allNames.size());
    m_allNames << name;
    m_indexes.insert(k, index);
    m_kinds << std::make_pair(kind, index);
    return index;
}

void SampleHistory::put(Point &point, Series kind, const QString &name, int value)
{
    const int index = indexFor(kind, name);
    if (int(point.values.size()) <= index)
        point.values.resize(size_t(index) + 1, 0);
    point.values[size_t(index)] = quint16(std::clamp(value, 0, 65535));
}

void SampleHistory::append(const ActivitySample &sample)
{
    Point point;
    point.msecs = sample.t.toMSecsSinceEpoch();
    point.ok = sample.ok;
    point.inDatabase = sample.counts.inDatabase;
    point.total = sample.counts.total;
    point.serverCapacity = sample.ok ? sample.serverCapacity() : 0;
    if (sample.ok) {
        for (auto it = sample.byState.cbegin(); it != sample.byState.cend(); ++it)
            put(point, Series::ByState, it.key(), it.value());
        for (auto it = sample.byApplication.cbegin(); it != sample.byApplication.cend(); ++it)
            put(point, Series::ByApplication, it.key(), it.value());
    }
    if (sample.pgbouncer && sample.pgbouncer->ok) {
        const PgBouncerPool sum = sample.pgbouncer->totals();
        const std::array<int, 5> values = {sum.clientsActive, sum.clientsWaiting, sum.serversActive,
                                           sum.serversIdle, sum.serversUsed};
        for (size_t i = 0; i < values.size(); ++i)
            put(point, Series::PgBouncer, bouncerSeries().at(qsizetype(i)), values.at(i));
        point.maxWaitSeconds = sum.maxWaitSeconds;
    }
    m_points.push_back(std::move(point));
    keepCapacity();
}

SampleHistory::Point SampleHistory::pointOf(const HistorySample &stored)
{
    Point point;
    point.msecs = stored.msecs;
    point.ok = stored.ok;
    point.inDatabase = stored.counts.inDatabase;
    point.total = stored.counts.total;
    point.serverCapacity = stored.ok ? stored.counts.usable() : 0;
    if (stored.ok) {
        for (auto it = stored.byState.cbegin(); it != stored.byState.cend(); ++it)
            put(point, Series::ByState, it.key(), it.value());
        for (auto it = stored.byApplication.cbegin(); it != stored.byApplication.cend(); ++it)
            put(point, Series::ByApplication, it.key(), it.value());
    }
    // The history keeps PgBouncer's clients and active servers, not its idle and used ones.
    if (stored.pgbouncer) {
        put(point, Series::PgBouncer, bouncerSeries().at(0), stored.pgbouncer->clientsActive);
        put(point, Series::PgBouncer, bouncerSeries().at(1), stored.pgbouncer->clientsWaiting);
        put(point, Series::PgBouncer, bouncerSeries().at(2), stored.pgbouncer->serversActive);
        point.maxWaitSeconds = stored.pgbouncer->maxWaitSeconds;
    }
    return point;
}

SampleHistory SampleHistory::ofStored(const QList<HistorySample> &stored)
{
    SampleHistory history;
    for (const HistorySample &row : stored)
        history.m_points.push_back(history.pointOf(row));
    return history;
}

void SampleHistory::merge(const QList<HistorySample> &stored)
{
    merge(ofStored(stored));
}

void SampleHistory::merge(SampleHistory stored)
{
    // The stored series' indexes, as this history numbers them: each name is looked up once,
    // then every point's values move by plain index.
    std::vector<int> indexes(size_t(stored.m_allNames.size()), 0);
    for (const auto &[kind, index] : stored.m_kinds)
        indexes[size_t(index)] = indexFor(kind, stored.m_allNames.at(index));
    // Often nothing moves: a read into a history that holds no series yet (the page opened or
    // switched profiles) numbers them as the reader's thread did.
    bool sameNumbers = true;
    for (size_t index = 0; index < indexes.size(); ++index)
        sameNumbers = sameNumbers && indexes[index] == int(index);
    auto renumbered = [&indexes, sameNumbers](Point point) {
        if (sameNumbers)
            return point;
        std::vector<quint16> values;
        for (size_t index = 0; index < point.values.size(); ++index) {
            if (point.values[index] == 0)
                continue;
            const auto ours = size_t(indexes[index]);
            if (values.size() <= ours)
                values.resize(ours + 1, 0);
            values[ours] = point.values[index];
        }
        point.values = std::move(values);
        return point;
    };
    std::deque<Point> merged;
    auto held = m_points.begin();
    for (Point &point : stored.m_points) {
        while (held != m_points.end() && held->msecs < point.msecs)
            merged.push_back(std::move(*held++));
        if (held != m_points.end() && held->msecs == point.msecs)
            continue;
        merged.push_back(renumbered(std::move(point)));
    }
    std::move(held, m_points.end(), std::back_inserter(merged));
    m_points = std::move(merged);
    keepCapacity();
}

void SampleHistory::keepCapacity()
{
    while (int(m_points.size()) > m_capacity)
        m_points.pop_front();
}

void SampleHistory::clear()
{
    m_points.clear();
    m_allNames.clear();
    m_indexes.clear();
    m_kinds.clear();
}

QStringList SampleHistory::names(Series kind) const
{
    QStringList out;
    for (const auto &[k, index] : m_kinds) {
        if (k == kind)
            out << m_allNames.at(index);
    }
    return out;
}

int SampleHistory::value(const Point &point, Series kind, int index) const
{
    int seen = 0;
    for (const auto &[k, global] : m_kinds) {
        if (k != kind)
            continue;
        if (seen++ == index)
            return size_t(global) < point.values.size() ? point.values[size_t(global)] : 0;
    }
    return 0;
}

QList<bool> SampleHistory::hasData(qint64 fromMsecs, qint64 toMsecs, Series kind) const
{
    const qsizetype count = names(kind).size();
    QList<bool> seen(count, false);
    for (const Point &point : m_points) {
        if (point.msecs < fromMsecs || point.msecs >= toMsecs)
            continue;
        for (int i = 0; i < count; ++i)
            seen[i] = seen[i] || value(point, kind, i) > 0;
    }
    return seen;
}

int SampleHistory::total(const Point &point, Series kind) const
{
    if (kind != Series::PgBouncer)
        return point.inDatabase;
    // Clients: active plus waiting.
    return value(point, kind, 0) + value(point, kind, 1);
}

QList<SampleHistory::Column> SampleHistory::columns(qint64 fromMsecs, qint64 toMsecs, int count,
                                                    Series kind) const
{
    QList<Column> result(qMax(0, count));
    if (count <= 0 || toMsecs <= fromMsecs)
        return result;
    std::vector<int> globals;
    for (const auto &[k, index] : m_kinds) {
        if (k == kind)
            globals.push_back(index);
    }
    const double span = double(toMsecs - fromMsecs);
    auto first = std::lower_bound(m_points.cbegin(), m_points.cend(), fromMsecs,
                                  [](const Point &p, qint64 t) { return p.msecs < t; });
    for (auto it = first; it != m_points.cend() && it->msecs < toMsecs; ++it) {
        const int column = std::min(count - 1, int(double(it->msecs - fromMsecs) / span * count));
        Column &c = result[column];
        if (!it->ok) {
            c.gap = true;
            continue;
        }
        const int t = total(*it, kind);
        if (!c.hasData || t > c.maxTotal) {
            c.maxTotal = t;
            c.stack.assign(globals.size(), 0);
            for (size_t i = 0; i < globals.size(); ++i)
                c.stack[i] = size_t(globals[i]) < it->values.size() ? it->values[size_t(globals[i])]
                                                                    : 0;
        }
        c.minTotal = c.hasData ? std::min(c.minTotal, t) : t;
        c.hasData = true;
    }
    // Narrow columns fall between samples taken a second apart: carry the previous column
    // over such short holes, but never across an outage or a real pause in sampling.
    const double columnMsecs = span / count;
    int previous = -1;
    for (int c = 0; c < count; ++c) {
        if (result[c].hasData) {
            const int holes = c - previous - 1;
            if (previous >= 0 && holes > 0 && (holes + 1) * columnMsecs <= 5000) {
                bool outage = false;
                for (int h = previous + 1; h < c; ++h)
                    outage = outage || result[h].gap;
                for (int h = previous + 1; h < c && !outage; ++h)
                    result[h] = result[previous];
            }
            previous = c;
        } else if (result[c].gap) {
            previous = -1;
        }
    }
    return result;
}

QList<std::pair<qint64, qint64>> SampleHistory::outages(qint64 fromMsecs, qint64 toMsecs) const
{
    QList<std::pair<qint64, qint64>> spans;
    qint64 start = -1;
    for (const Point &point : m_points) {
        if (point.msecs >= toMsecs)
            break;
        if (!point.ok && start < 0)
            start = point.msecs;
        else if (point.ok && start >= 0) {
            if (point.msecs > fromMsecs)
                spans << std::make_pair(qMax(start, fromMsecs), point.msecs);
            start = -1;
        }
    }
    if (start >= 0)
        spans << std::make_pair(qMax(start, fromMsecs), toMsecs);
    return spans;
}

const SampleHistory::Point *SampleHistory::nearest(qint64 msecs, qint64 toleranceMsecs) const
{
    auto it = std::lower_bound(m_points.cbegin(), m_points.cend(), msecs,
                               [](const Point &p, qint64 t) { return p.msecs < t; });
    const Point *best = nullptr;
    qint64 bestDistance = toleranceMsecs + 1;
    for (const auto &candidate : {it, it == m_points.cbegin() ? it : std::prev(it)}) {
        if (candidate == m_points.cend())
            continue;
        const qint64 distance = std::abs(candidate->msecs - msecs);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = &*candidate;
        }
    }
    return best;
}

SampleHistory SampleHistory::between(qint64 fromMsecs, qint64 toMsecs) const
{
    SampleHistory copy(m_capacity);
    copy.m_allNames = m_allNames;
    copy.m_indexes = m_indexes;
    copy.m_kinds = m_kinds;
    // The points are in time order: only the range is visited.
    auto byTime = [](const Point &point, qint64 msecs) {
        return point.msecs < msecs;
    };
    const auto first = std::lower_bound(m_points.cbegin(), m_points.cend(), fromMsecs, byTime);
    const auto last = std::lower_bound(first, m_points.cend(), toMsecs, byTime);
    copy.m_points.assign(first, last);
    return copy;
}

QString SampleHistory::toCsv(qint64 fromMsecs, qint64 toMsecs, Series kind) const
{
    const QStringList seriesNames = names(kind);
    const QList<bool> withData = hasData(fromMsecs, toMsecs, kind);
    QString csv = u"time,ok,in_database,total,server_capacity"_s;
    for (int i = 0; i < seriesNames.size(); ++i) {
        if (withData.at(i))
            csv += u",\""_s + QString(seriesNames.at(i)).replace(u'"', u"\"\""_s) + u'"';
    }
    csv += u'\n';
    for (const Point &point : m_points) {
        if (point.msecs < fromMsecs || point.msecs >= toMsecs)
            continue;
        csv += QDateTime::fromMSecsSinceEpoch(point.msecs, Qt::UTC).toString(Qt::ISODateWithMs)
                + (point.ok ? u",true,"_s : u",false,"_s) + QString::number(point.inDatabase) + u','
                + QString::number(point.total) + u',' + QString::number(point.serverCapacity);
        for (int i = 0; i < seriesNames.size(); ++i) {
            if (withData.at(i))
                csv += u',' + QString::number(value(point, kind, i));
        }
        csv += u'\n';
    }
    return csv;
}
