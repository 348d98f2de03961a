#include "Incidents.h"

#include "pool/MinuteHistory.h"
#include "pool/SampleHistory.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {

// A failing server is sampled less and less often, up to every 30 s (ActivitySampler's
// backoff): its samples still follow each other.
constexpr qint64 SampleGapMsecs = 31'000;

bool flagged(Incident::Kind kind, const Incidents::Observation &observation)
{
    return kind == Incident::Kind::Unreachable
            ? observation.unreachable
            : Incidents::busy(observation.sessions, observation.capacity);
}

} // namespace

bool Incidents::busy(int sessions, int capacity)
{
    return capacity > 0 && sessions > BusyShare * capacity;
}

QList<Incident> Incidents::find(const std::deque<Observation> &observations, qint64 fromMsecs,
                                qint64 toMsecs, qint64 lengthMsecs, qint64 maxGapMsecs)
{
    QList<Incident> found;
    for (const Incident::Kind kind : {Incident::Kind::Busy, Incident::Kind::Unreachable}) {
        std::optional<Incident> current;
        const auto close = [&]() {
            if (!current)
                return;
            current->fromMsecs = std::max(current->fromMsecs, fromMsecs);
            current->toMsecs = std::min(current->toMsecs, toMsecs);
            if (current->toMsecs > current->fromMsecs)
                found << *current;
            current.reset();
        };
        for (size_t i = 0; i < observations.size(); ++i) {
            const Observation &observation = observations[i];
            const bool followed = i + 1 < observations.size()
                    && observations[i + 1].msecs - observation.msecs <= maxGapMsecs;
            const qint64 end
                    = followed ? observations[i + 1].msecs : observation.msecs + lengthMsecs;
            if (!flagged(kind, observation) || end <= fromMsecs || observation.msecs >= toMsecs) {
                close();
                continue;
            }
            // A run continues only from an observation that lasted until this one.
            if (current && current->toMsecs != observation.msecs)
                close();
            if (!current)
                current = Incident{kind, observation.msecs, end, 0, 0};
            current->toMsecs = end;
            if (kind == Incident::Kind::Busy && observation.sessions > current->peakSessions) {
                current->peakSessions = observation.sessions;
                current->capacity = observation.capacity;
            }
        }
        close();
    }
    std::stable_sort(found.begin(), found.end(), [](const Incident &a, const Incident &b) {
        return a.fromMsecs < b.fromMsecs;
    });
    return found;
}

QList<Incident> Incidents::ofSamples(const SampleHistory &samples, qint64 fromMsecs, qint64 toMsecs)
{
    const auto &points = samples.points();
    auto first = std::lower_bound(
            points.cbegin(), points.cend(), fromMsecs,
            [](const SampleHistory::Point &point, qint64 t) { return point.msecs < t; });
    // The sample before the window may last into it.
    if (first != points.cbegin())
        --first;
    std::deque<Observation> observations;
    for (auto it = first; it != points.cend() && it->msecs < toMsecs; ++it)
        observations.push_back({it->msecs, !it->ok, it->inDatabase, it->serverCapacity});
    return find(observations, fromMsecs, toMsecs, 1000, SampleGapMsecs);
}

QList<Incident> Incidents::ofMinutes(const QList<HistoryMinute> &minutes, qint64 fromMsecs,
                                     qint64 toMsecs)
{
    std::deque<Observation> observations;
    for (const HistoryMinute &minute : minutes) {
        const HistoryMinute::Range &sessions = minute.range(HistoryMetric::InDatabase);
        const HistoryMinute::Range &capacity = minute.range(HistoryMetric::ServerCapacity);
        observations.push_back({minute.msecs, minute.failures > 0,
                                sessions.present ? qRound(sessions.max) : 0,
                                capacity.present ? qRound(capacity.max) : 0});
    }
    return find(observations, fromMsecs, toMsecs, MinuteHistory::MinuteMsecs,
                MinuteHistory::MinuteMsecs);
}

QString Incidents::duration(qint64 msecs)
{
    const qint64 minutes = (msecs + MinuteHistory::MinuteMsecs / 2) / MinuteHistory::MinuteMsecs;
    if (minutes < 1)
        return tr("< 1 min");
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    if (minutes < qint64(24) * 60)
        return tr("%1 h %2 min").arg(QString::number(minutes / 60), QString::number(minutes % 60));
    const qint64 hours = (minutes + 30) / 60;
    return tr("%1 d %2 h").arg(QString::number(hours / 24), QString::number(hours % 24));
}

QString Incidents::text(const Incident &incident, bool withDate)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(incident.fromMsecs).toLocalTime();
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(incident.toMsecs).toLocalTime();
    const QString dated = u"d MMM HH:mm"_s;
    // The user's month names, as the rest of the page shows dates.
    const QLocale locale;
    const QString start = locale.toString(from, withDate ? dated : u"HH:mm"_s);
    const QString end
            = locale.toString(to, withDate && to.date() != from.date() ? dated : u"HH:mm"_s);
    if (incident.kind == Incident::Kind::Unreachable)
        return tr("%1–%2 · unreachable · %3").arg(start, end, duration(incident.durationMsecs()));
    return tr("%1–%2 · %3 · peak %4/%5 sessions")
            .arg(start, end, duration(incident.durationMsecs()),
                 QString::number(incident.peakSessions), QString::number(incident.capacity));
}
