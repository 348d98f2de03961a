// Prints what the pool monitor's sampler costs the server: execution and planning time of its
// statement, read from pg_stat_statements (with track_planning) after every tick at 1 Hz, so
// that each tick gives one figure and the median is over ticks. Two more statements on rows of
// their own:
//  - the start-up probe: the snapshot that the connection brings once (the first sample);
//  - the floor: after each tick, the superuser runs pg_stat_get_activity(NULL) alone, the
//    function behind pg_stat_activity; no statement that reads the sessions' states costs less.
// The server must preload pg_stat_statements, with the extension created in the database that
// STATS_CONNINFO names; the sampler must be the only client running its statement there.
//
//   bench_sampler URL STATS_CONNINFO TICKS
//
// URL is the sampler's (with password); STATS_CONNINFO a superuser's, password from
// PGPASSWORD. Prints one line of NAME=VALUE pairs per statement (milliseconds).

#include "pool/ActivitySampler.h"

#include <QCoreApplication>
#include <QTimer>

#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Totals
{
    double calls = 0;
    double plans = 0;
    double execMs = 0;
    double planMs = 0;
};

double median(std::vector<double> values)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// One statement's figures, from the growth of its pg_stat_statements entries between reads.
class Series
{
public:
    Series(const char *name, const char *marker)
        : m_name(name)
        , m_marker(marker)
    { }

    bool start(PGconn *stats) { return bool(m_last = read(stats)); }
    // Records what the statement cost since the last read, if it ran.
    void record(PGconn *stats)
    {
        const std::optional<Totals> now = read(stats);
        if (!now || now->calls <= m_last->calls)
            return;
        m_exec.push_back(now->execMs - m_last->execMs);
        m_plan.push_back(now->planMs - m_last->planMs);
        m_plans += now->plans - m_last->plans;
        m_last = now;
    }
    bool empty() const { return m_exec.empty(); }
    void print() const
    {
        std::vector<double> total(m_exec.size());
        std::transform(m_exec.cbegin(), m_exec.cend(), m_plan.cbegin(), total.begin(),
                       std::plus<>());
        std::printf("statement=%s runs=%zu exec_ms=%.3f plan_ms=%.3f total_ms=%.3f "
                    "mean_total_ms=%.3f plans=%.0f\n",
                    m_name, total.size(), median(m_exec), median(m_plan), median(total),
                    std::accumulate(total.cbegin(), total.cend(), 0.0) / double(total.size()),
                    m_plans);
    }

private:
    // The sums over every entry whose text contains the marker.
    std::optional<Totals> read(PGconn *stats) const
    {
        const char *values[] = {m_marker};
        PGresult *result = PQexecParams(
                stats,
                "SELECT coalesce(sum(calls), 0)::float8, coalesce(sum(plans), 0)::float8, "
                "coalesce(sum(total_exec_time), 0), coalesce(sum(total_plan_time), 0) "
                "FROM pg_stat_statements WHERE strpos(query, $1) > 0",
                1, nullptr, values, nullptr, nullptr, 0);
        std::optional<Totals> out;
        if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
            out = Totals{std::atof(PQgetvalue(result, 0, 0)), std::atof(PQgetvalue(result, 0, 1)),
                         std::atof(PQgetvalue(result, 0, 2)), std::atof(PQgetvalue(result, 0, 3))};
        } else {
            std::fprintf(stderr, "bench_sampler: %s", PQerrorMessage(stats));
        }
        PQclear(result);
        return out;
    }

    const char *m_name;
    const char *m_marker;
    std::optional<Totals> m_last;
    std::vector<double> m_exec;
    std::vector<double> m_plan;
    double m_plans = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_sampler URL STATS_CONNINFO TICKS\n");
        return 2;
    }
    const auto url = ConnectionUrl::parse(QString::fromLocal8Bit(argv[1]));
    const int ticks = std::max(1, std::atoi(argv[3]));
    PGconn *stats = PQconnectdb(argv[2]);
    if (!url || PQstatus(stats) != CONNECTION_OK) {
        std::fprintf(stderr, "bench_sampler: %s", url ? PQerrorMessage(stats) : "bad URL\n");
        PQfinish(stats);
        return 1;
    }
    // Markers: text that only that statement has, and no constant (pg_stat_statements shows
    // constants as $1, $2, ...).
    Series tickSeries("tick", "json_object_agg(app");
    Series floorSeries("floor", "AS floor_rows");
    Series probeSeries("probe", "FROM pg_control_system()");
    if (!tickSeries.start(stats) || !floorSeries.start(stats) || !probeSeries.start(stats))
        return 1;

    ActivitySampler sampler;
    sampler.setInterval(1000);
    sampler.setTarget(*url, std::nullopt);
    int samples = 0;
    int failed = 0;
    QObject::connect(&sampler, &ActivitySampler::sampleReceived, &app,
                     [&](const ActivitySample &sample) {
                         ++samples;
                         failed += sample.ok ? 0 : 1;
                         if (samples == 1) {
                             probeSeries.record(stats);
                             return;
                         }
                         tickSeries.record(stats);
                         PQclear(PQexec(stats,
                                        "SELECT count(*) AS floor_rows "
                                        "FROM pg_stat_get_activity(NULL)"));
                         floorSeries.record(stats);
                         if (samples > ticks)
                             QCoreApplication::quit();
                     });
    sampler.start();
    QTimer::singleShot((ticks + 30) * 1000, &app, [&]() {
        std::fprintf(stderr, "bench_sampler: only %d samples in time\n", samples);
        QCoreApplication::exit(1);
    });
    const int status = QCoreApplication::exec();
    sampler.stop();
    PQfinish(stats);
    if (status != 0 || failed > 0 || tickSeries.empty() || floorSeries.empty()
        || probeSeries.empty()) {
        std::fprintf(stderr,
                     "bench_sampler: %d of %d samples failed, or a statement was not seen\n",
                     failed, samples);
        return 1;
    }
    tickSeries.print();
    floorSeries.print();
    probeSeries.print();
    return 0;
}
