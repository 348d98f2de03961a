// Prints how long the window takes from process start to its first frame, and how much memory
// it holds at its peak, next to a bare Qt window (a QWidget in a QApplication, in this process,
// which links Qt Widgets and nothing else: the floor for any Qt Widgets program) and next to a
// minimal text window (a QMainWindow with a menu bar, a label and a line edit with an
// accessible name: the floor for a window that draws text and has menus; the bare window never
// loads fonts, and never starts the accessibility bridge that an accessible name starts). All
// three are measured the same way in the same run: a fresh process that quits after its first paint
// (FirstFrameExit), timed from QProcess::start to the moment it says its first frame was shown
// (both on the monotonic clock) and to its exit, with the peak resident set size it reports as
// it ends (VmHWM). The first of these is what a person waits for; the time to exit adds the
// teardown of whatever the window built. Runs alternate between the three so that all see the
// same disk cache. The window opens on a configuration with PROFILES saved profiles and the
// platform plugin of the environment (QT_QPA_PLATFORM).
//
//   bench_startup EXECUTABLE [RUNS] [PROFILES]

#include "FirstFrameExit.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QVBoxLayout>
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
    FirstFrameExit::install(&window);
    window.show();
    return QApplication::exec();
}

int textWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    QMainWindow window;
    QMenu *file = window.menuBar()->addMenu(u"&File"_s);
    file->addAction(u"&Quit"_s, &app, &QApplication::quit);
    auto *central = new QWidget(&window);
    auto *layout = new QVBoxLayout(central);
    auto *filter = new QLineEdit(central);
    filter->setAccessibleName(u"Filter"_s);
    layout->addWidget(filter);
    layout->addWidget(new QLabel(u"A line of text"_s, central), 1);
    window.setCentralWidget(central);
    window.resize(1100, 720);
    FirstFrameExit::install(&window);
    window.show();
    return QApplication::exec();
}

struct Run
{
    /// From start to the first frame; negative when the process failed or hung.
    double shownMs = -1;
    /// From start to exit.
    double exitMs = -1;
    qint64 peakKib = 0;
};

Run runOnce(const QString &program, const QStringList &arguments,
            const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    const qint64 startNs = QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs();
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        std::fprintf(stderr, "%s", process.readAllStandardError().constData());
        process.kill();
        process.waitForFinished();
        return {};
    }
    const double exitMs
            = double(QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs() - startNs) / 1e6;
    const QString errors = QString::fromLocal8Bit(process.readAllStandardError());
    static const QRegularExpression shown(u"first frame exit: shown at (\\d+) ns"_s);
    static const QRegularExpression peak(u"first frame exit: VmHWM:\\s*(\\d+) kB"_s);
    const QRegularExpressionMatch shownMatch = shown.match(errors);
    const QRegularExpressionMatch peakMatch = peak.match(errors);
    if (!shownMatch.hasMatch() || !peakMatch.hasMatch()) {
        std::fprintf(stderr, "bench_startup: %s did not say when it was shown and its peak:\n%s\n",
                     qPrintable(program), qPrintable(errors));
        return {};
    }
    return {double(shownMatch.captured(1).toLongLong() - startNs) / 1e6, exitMs,
            peakMatch.captured(1).toLongLong()};
}

template<typename T> T median(QList<T> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? T(-1) : values.at(values.size() / 2);
}

struct Figures
{
    QList<double> shownMs;
    QList<double> exitMs;
    QList<qint64> peaksKib;
    void add(const Run &run)
    {
        shownMs << run.shownMs;
        exitMs << run.exitMs;
        peaksKib << run.peakKib;
    }
    double peakMib() const { return double(median(peaksKib)) / 1024.0; }
    void print(const char *name) const
    {
        std::printf("  %-28s first frame median %7.1f ms, best %7.1f ms   exit median %7.1f ms   "
                    "peak RSS %6.1f MiB\n",
                    name, median(shownMs), *std::min_element(shownMs.cbegin(), shownMs.cend()),
                    median(exitMs), peakMib());
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--bare") == 0)
        return bareWindow(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], "--text-window") == 0)
        return textWindow(argc, argv);
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

    Figures window, bare, text;
    const QString self = QString::fromLocal8Bit(argv[0]);
    for (int i = 0; i < runs; ++i) {
        const Run windowRun = runOnce(executable, {}, environment);
        const Run bareRun = runOnce(self, {u"--bare"_s}, environment);
        const Run textRun = runOnce(self, {u"--text-window"_s}, environment);
        if (windowRun.shownMs < 0 || bareRun.shownMs < 0 || textRun.shownMs < 0) {
            std::fprintf(stderr, "bench_startup: a run did not reach its first frame\n");
            return 1;
        }
        window.add(windowRun);
        bare.add(bareRun);
        text.add(textRun);
    }
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    std::printf("from process start to the first frame shown, and to exit right after it (%d runs, "
                "%d profiles, platform %s):\n",
                runs, profiles, platform.isEmpty() ? "default" : platform.constData());
    window.print("orderflow-dbadmin window");
    bare.print("bare Qt window (reference)");
    text.print("minimal text window");
    std::printf(
            "  the window's first frame takes %.2fx the bare window's (median; %.2fx to exit) and "
            "%.1f MiB more at its peak\n",
            median(window.shownMs) / median(bare.shownMs),
            median(window.exitMs) / median(bare.exitMs), window.peakMib() - bare.peakMib());
    std::printf("  the minimal text window's first frame takes %.2fx the bare window's; the "
                "window's takes %.2fx the minimal text window's\n",
                median(text.shownMs) / median(bare.shownMs),
                median(window.shownMs) / median(text.shownMs));
    return 0;
}
