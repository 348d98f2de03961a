// Prints figures for the pool monitor: the time to paint the chart with 24 hours and with 7 days
// of 1 Hz samples (the whole window shown); the Pool page's longest windows as it opens them
// from history.sqlite: a day of stored samples and 30 days of per-minute rows, each read (as
// the HistoryReader's thread does), merged into the page's memory and painted, timed apart;
// and with a URL the CPU the sampler uses at 1 Hz against a real server.
//
//   bench_pool [PAINTS [URL [SECONDS]]]      URL with password, e.g. the test cluster's

#include "PoolChart.h"
#include "history/HistoryStore.h"
#include "history/Incidents.h"
#include "pool/ActivitySampler.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Paints a chart whose window shows `days` days of 1 Hz samples, `paints` times; prints the
// median and the fastest paint.
void paintChart(int days, int paints)
{
    const QDateTime start(QDate(2030, 1, 2), QTime(0, 0), Qt::UTC);
    const int seconds = days * 24 * 3600;
    SampleHistory history(seconds);
    for (int second = 0; second < seconds; ++second) {
        ActivitySample sample;
        sample.t = start.addSecs(second);
        sample.ok = second % (24 * 3600) < 10 * 3600 || second % (24 * 3600) >= 11 * 3600;
        sample.byState = {{u"active"_s, (second / 97) % 7},
                          {u"idle"_s, 3 + (second / 3600) % 4},
                          {u"idle in transaction"_s, second % 600 == 0 ? 1 : 0}};
        sample.counts.inDatabase = (second / 97) % 7 + 3 + (second / 3600) % 4;
        sample.counts.total = sample.counts.inDatabase + 2;
        sample.counts.maxConnections = 100;
        sample.counts.superuserReserved = 3;
        history.append(sample);
    }
    PoolChart chart;
    chart.resize(1200, 400);
    chart.setHistory(&history);
    chart.setClock(std::make_shared<ManualClock>(start.addDays(days)));
    chart.setWindow(qint64(seconds) * 1000);
    chart.setPoolCapacity(60);
    QImage image(chart.size(), QImage::Format_ARGB32_Premultiplied);
    QList<double> times;
    for (int i = 0; i < paints; ++i) {
        QElapsedTimer timer;
        timer.start();
        chart.render(&image);
        times << double(timer.nsecsElapsed()) / 1e6;
    }
    std::sort(times.begin(), times.end());
    std::printf("chart: %d samples (%d d at 1 Hz) painted at 1200x400 in %.2f ms (median of %d, "
                "fastest %.2f ms)\n",
                seconds, days, times.at(times.size() / 2), paints, times.first());
}

struct Timings
{
    double median = 0;
    double fastest = 0;
};

// Runs work `runs` times; its median and fastest time in ms.
template<typename Work> Timings timed(int runs, Work work)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times << double(timer.nsecsElapsed()) / 1e6;
    }
    std::sort(times.begin(), times.end());
    return {times.at(times.size() / 2), times.first()};
}

HistorySample storedSample(qint64 msecs, int tick)
{
    HistorySample row;
    row.profileId = u"00000000-0000-4000-8000-000000000001"_s;
    row.msecs = msecs;
    row.ok = true;
    row.counts.inDatabase = 5 + tick % 7 + (tick / 600) % 20;
    row.counts.total = row.counts.inDatabase + 4;
    row.counts.toolSessions = 1;
    row.counts.maxConnections = 100;
    row.counts.superuserReserved = 3;
    row.byState = {{u"active"_s, 1 + tick % 3}, {u"idle"_s, 4 + (tick / 600) % 20}};
    row.byApplication = {{u"orderflow-api"_s, 4}, {u"orderflow-worker"_s, 1 + tick % 7}};
    row.poolCapacity = 30;
    return row;
}

// The Pool page's 24-hour and 30-day windows opened from history.sqlite: read, merged into the
// page's memory, painted (1200x400).
void openStoredWindows(int runs)
{
    const QDateTime start(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
    const qint64 t0 = start.toMSecsSinceEpoch();
    QTemporaryDir dir;
    ManualClock clock(start);
    HistoryStore store(dir.filePath(u"history.sqlite"_s), &clock);
    if (!store.open()) {
        std::printf("stored: history.sqlite could not be opened\n");
        return;
    }
    // 29 days of one sample a minute, summed up into kept minutes by retention, then a whole
    // day at 1 Hz: 43,200 minutes over 30 days and 86,400 samples in the last day.
    constexpr int Days = 30;
    constexpr qint64 Day = qint64(24) * 3600 * 1000;
    QList<HistorySample> rows;
    for (qint64 t = t0; t < t0 + (Days - 1) * Day; t += 60'000)
        rows << storedSample(t, int((t - t0) / 60'000));
    store.write(rows, {});
    const qint64 dayFrom = t0 + (Days - 1) * Day;
    for (qint64 hour = 0; hour < 24; ++hour) {
        rows.clear();
        for (qint64 second = hour * 3600; second < (hour + 1) * 3600; ++second)
            rows << storedSample(dayFrom + second * 1000, int(second));
        store.write(rows, {});
    }
    const qint64 now = t0 + Days * Day;
    clock.set(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC));
    store.prune();
    const QString id = rows.first().profileId;
    auto clockAtNow
            = std::make_shared<ManualClock>(QDateTime::fromMSecsSinceEpoch(now - 1, Qt::UTC));
    QImage image(1200, 400, QImage::Format_ARGB32_Premultiplied);

    QList<HistorySample> samples;
    const Timings readSamples = timed(runs, [&]() { samples = store.samples(id, now - Day, now); });
    // Indexed where the rows were read (the reader's thread), then merged on the UI thread.
    SampleHistory indexed;
    const Timings indexSamples = timed(runs, [&]() { indexed = SampleHistory::ofStored(samples); });
    // Moved in, as the page does: one copy for each run, made before the clock starts.
    std::vector<SampleHistory> handedOver(size_t(runs), indexed);
    SampleHistory history;
    size_t run = 0;
    const Timings mergeSamples = timed(runs, [&]() {
        history.clear();
        history.merge(std::move(handedOver[run++]));
    });
    PoolChart dayChart;
    dayChart.resize(image.size());
    dayChart.setHistory(&history);
    dayChart.setClock(clockAtNow);
    dayChart.setWindow(Day);
    const Timings paintDay = timed(runs, [&]() { dayChart.render(&image); });
    std::printf("stored day: %lld samples read in %.1f ms (median of %d, fastest %.1f ms) and "
                "indexed in %.1f ms on the reader's thread; merged on the UI thread in %.1f ms, "
                "painted in %.2f ms (fastest %.2f ms)\n",
                qint64(samples.size()), readSamples.median, runs, readSamples.fastest,
                indexSamples.median, mergeSamples.median, paintDay.median, paintDay.fastest);

    // The page finds the window's incidents again after each live sample of a short window.
    const Timings incidents = timed(runs, [&]() { Incidents::ofSamples(history, now - Day, now); });
    std::printf("incidents: a day of samples searched in %.2f ms (median of %d, fastest %.2f ms)\n",
                incidents.median, runs, incidents.fastest);

    QList<HistoryMinute> minutes;
    const Timings readMinutes
            = timed(runs, [&]() { minutes = store.minutes(id, now - Days * Day, now); });
    MinuteHistory kept;
    const Timings mergeMinutes = timed(runs, [&]() {
        kept.clear();
        kept.merge(now - Days * Day, now, minutes);
    });
    PoolChart monthChart;
    monthChart.resize(image.size());
    monthChart.setHistory(&history);
    monthChart.setMinuteHistory(&kept);
    monthChart.setClock(clockAtNow);
    monthChart.setWindow(Days * Day);
    const Timings paintMonth = timed(runs, [&]() { monthChart.render(&image); });
    std::printf("stored 30 d: %lld minutes read in %.1f ms (median of %d, fastest %.1f ms), merged "
                "in %.1f ms, painted in %.2f ms (fastest %.2f ms)\n",
                qint64(minutes.size()), readMinutes.median, runs, readMinutes.fastest,
                mergeMinutes.median, paintMonth.median, paintMonth.fastest);
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int paints = args.size() > 1 ? qMax(1, args.at(1).toInt()) : 30;
    paintChart(1, paints);
    paintChart(7, paints);
    openStoredWindows(qMax(3, paints / 3));
    if (args.size() < 3)
        return 0;
    const int seconds = args.size() > 3 ? args.at(3).toInt() : 10;

    ActivitySampler sampler;
    sampler.setInterval(1000);
    sampler.setTarget(*ConnectionUrl::parse(args.at(2)), std::nullopt);
    int samples = 0, failures = 0;
    QObject::connect(&sampler, &ActivitySampler::sampleReceived, &app,
                     [&](const ActivitySample &s) {
                         ++samples;
                         failures += s.ok ? 0 : 1;
                     });
    // Measure from the first sample on, so the connect is not counted as steady state.
    double cpuStart = 0;
    QElapsedTimer wall;
    QObject::connect(&sampler, &ActivitySampler::sampleReceived, &app, [&]() {
        if (samples == 1) {
            cpuStart = cpuSeconds();
            wall.start();
            QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
        }
    });
    sampler.start();
    app.exec();
    const double cpu = cpuSeconds() - cpuStart;
    std::printf("sampler at 1 Hz for %.1f s: %d samples (%d failed), %.3f s CPU = %.2f%% of one "
                "core\n",
                double(wall.elapsed()) / 1000, samples - 1, failures, cpu,
                cpu / (double(wall.elapsed()) / 1000) * 100);
    return 0;
}
