// Prints figures for the connection doctor on this machine: the time each stage takes on
// loopback (median of repeated attempts), how long cancel() takes to deliver its result, and
// the longest stall of the event loop while an attempt waits out its deadline.
//
//   bench_connection URL [ATTEMPTS]      URL with password, e.g. the test cluster's

#include "connection/ConnectionAttempt.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMap>
#include <QTcpServer>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// Runs one attempt on the event loop and measures the largest gap between 1 ms ticks.
AttemptResult runMeasured(const ConnectionRequest &request, double *maxStallMs,
                          int cancelAfterMs = -1, double *cancelLatencyMs = nullptr)
{
    ConnectionAttempt attempt;
    AttemptResult result;
    QElapsedTimer sinceTick, sinceCancel;
    double worst = 0;
    QTimer ticker;
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&]() {
        worst = std::max(worst, double(sinceTick.nsecsElapsed()) / 1e6);
        sinceTick.restart();
    });
    QEventLoop loop; // the benchmark's own main loop, not code under test
    QObject::connect(&attempt, &ConnectionAttempt::finished, &loop, [&](const AttemptResult &r) {
        if (cancelLatencyMs && sinceCancel.isValid())
            *cancelLatencyMs = double(sinceCancel.nsecsElapsed()) / 1e6;
        result = r;
        loop.quit();
    });
    if (cancelAfterMs >= 0)
        QTimer::singleShot(cancelAfterMs, &attempt, [&]() {
            sinceCancel.start();
            attempt.cancel();
        });
    sinceTick.start();
    ticker.start();
    attempt.start(request);
    loop.exec();
    if (maxStallMs)
        *maxStallMs = worst;
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_connection URL [ATTEMPTS]\n");
        return 2;
    }
    const int attempts = args.size() > 2 ? args.at(2).toInt() : 20;

    QMap<int, QList<double>> stageTimes;
    QList<double> totals, latencies, stalls;
    for (int i = 0; i < attempts; ++i) {
        ConnectionRequest request;
        request.text = args.at(1);
        double stall = 0;
        const AttemptResult result = runMeasured(request, &stall);
        if (!result.ok) {
            std::fprintf(stderr, "attempt failed: %s\n", qPrintable(result.diagnosis.message));
            return 1;
        }
        for (const StageTiming &timing : result.stages)
            stageTimes[int(timing.stage)] << timing.milliseconds;
        totals << result.elapsedMs;
        latencies << result.latencyMs;
        stalls << stall;
    }
    std::printf("connection doctor on loopback, median of %d successful attempts:\n", attempts);
    for (auto it = stageTimes.cbegin(); it != stageTimes.cend(); ++it)
        std::printf("  stage %-9s %8.2f ms\n",
                    qPrintable(ConnectionStages::id(ConnectionStage(it.key()))),
                    median(it.value()));
    std::printf("  total           %8.2f ms\n", median(totals));
    std::printf("  round trip      %8.3f ms\n", median(latencies));
    std::printf("  longest event-loop stall during a successful attempt: %.2f ms\n",
                *std::max_element(stalls.cbegin(), stalls.cend()));

    QTcpServer silent;
    silent.listen(QHostAddress::LocalHost, 0);
    ConnectionRequest hanging;
    hanging.text = u"postgresql://orderflow:x@127.0.0.1:%1/orderflow"_s.arg(silent.serverPort());
    hanging.timeoutSeconds = 2;
    double stall = 0;
    const AttemptResult timedOut = runMeasured(hanging, &stall);
    std::printf("timeout case (listener that never answers, 2 s deadline): %s after %.0f ms, "
                "longest event-loop stall %.2f ms\n",
                qPrintable(timedOut.diagnosis.categoryId()), timedOut.elapsedMs, stall);

    hanging.timeoutSeconds = 30;
    double cancelLatency = -1;
    runMeasured(hanging, &stall, 500, &cancelLatency);
    std::printf("cancel: result delivered %.2f ms after cancel(), longest stall %.2f ms\n",
                cancelLatency, stall);
    return 0;
}
