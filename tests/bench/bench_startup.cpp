// Prints how long the window takes from process start to its first frame, next to a bare Qt
// window (a QWidget in a QApplication: the floor for any Qt Widgets program), both measured
// the same way in the same run: a fresh process that quits after its first paint
// (FirstFrameExit), timed from QProcess::start to its exit. Runs alternate between the two so
// that both see the same disk cache. The window opens on a configuration with PROFILES saved
// profiles and the platform plugin of the environment (QT_QPA_PLATFORM).
//
//   bench_startup EXECUTABLE [RUNS] [PROFILES]

#include "FirstFrameExit.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QWidget>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

int bareWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    QWidget window;
    window.resize(1100, 720);
    new FirstFrameExit(&window);
    window.show();
    return QApplication::exec();
}

// Milliseconds from start to exit, or -1 when the process failed or hung.
double timeToFirstFrame(const QString &program, const QStringList &arguments,
                        const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        std::fprintf(stderr, "%s", process.readAllStandardError().constData());
        process.kill();
        process.waitForFinished();
        return -1;
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

struct Figures
{
    QList<double> runs;
    double median() const
    {
        QList<double> sorted = runs;
        std::sort(sorted.begin(), sorted.end());
        return sorted.isEmpty() ? -1 : sorted.at(sorted.size() / 2);
    }
    double best() const
    {
        return runs.isEmpty() ? -1 : *std::min_element(runs.cbegin(), runs.cend());
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--bare") == 0)
        return bareWindow(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_startup EXECUTABLE [RUNS] [PROFILES]\n");
        return 2;
    }
    const QString executable = QString::fromLocal8Bit(argv[1]);
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 10;
    const int profiles = argc > 3 ? std::max(0, atoi(argv[3])) : 20;

    QTemporaryDir config;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ORDERFLOW_DBADMIN_CONFIG_DIR"_s, config.path());
    for (int i = 0; i < profiles; ++i) {
        QProcess add;
        add.setProcessEnvironment(environment);
        add.start(executable,
                  {u"profiles"_s, u"add"_s, u"profile %1"_s.arg(i), u"--environment"_s,
                   i % 4 == 0 ? u"production"_s : u"development"_s, u"--url"_s,
                   u"postgresql://app@127.0.0.1:5432/app%1"_s.arg(i)});
        if (!add.waitForFinished(30000) || add.exitCode() != 0) {
            std::fprintf(stderr, "bench_startup: could not add a profile: %s\n",
                         add.readAllStandardError().constData());
            return 1;
        }
    }
    environment.insert(u"ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT"_s, u"1"_s);

    Figures window, bare;
    const QString self = QString::fromLocal8Bit(argv[0]);
    for (int i = 0; i < runs; ++i) {
        const double windowMs = timeToFirstFrame(executable, {}, environment);
        const double bareMs = timeToFirstFrame(self, {u"--bare"_s}, environment);
        if (windowMs < 0 || bareMs < 0) {
            std::fprintf(stderr, "bench_startup: a run did not reach its first frame\n");
            return 1;
        }
        window.runs << windowMs;
        bare.runs << bareMs;
    }
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    std::printf("first frame, process start to first paint (%d runs, %d profiles, platform %s):\n",
                runs, profiles, platform.isEmpty() ? "default" : platform.constData());
    std::printf("  %-28s median %7.1f ms   best %7.1f ms\n", "orderflow-dbadmin window",
                window.median(), window.best());
    std::printf("  %-28s median %7.1f ms   best %7.1f ms\n", "bare Qt window (reference)",
                bare.median(), bare.best());
    std::printf("  the window costs %.1f ms over the bare window (median)\n",
                window.median() - bare.median());
    return 0;
}
