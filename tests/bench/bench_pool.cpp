// Prints figures for the pool monitor: the time to paint the chart with 24 hours and with 7 days
// of 1 Hz samples (the whole window shown), and with a URL the CPU the sampler uses at 1 Hz
// against a real server.
//
//   bench_pool [PAINTS [URL [SECONDS]]]      URL with password, e.g. the test cluster's

#include "PoolChart.h"
#include "pool/ActivitySampler.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cstdio>

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

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int paints = args.size() > 1 ? qMax(1, args.at(1).toInt()) : 30;
    paintChart(1, paints);
    paintChart(7, paints);
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
