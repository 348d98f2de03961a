#include "FirstFrameExit.h"
#include "FirstFrame.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Runs at exit, after Qt's own teardown, so plain C: the kernel's figure for this process
// alone (the peak a parent's wait4 reports also counts the parent's pages at the spawn).
void reportPeakMemory()
{
    std::FILE *status = std::fopen("/proc/self/status", "r");
    if (!status)
        return;
    char line[256];
    while (std::fgets(line, sizeof line, status)) {
        if (std::strncmp(line, "VmHWM:", 6) == 0)
            std::fprintf(stderr, "first frame exit: %s", line);
    }
    std::fclose(status);
}

} // namespace

void FirstFrameExit::install(QWidget *window)
{
    static const bool registered = std::atexit(reportPeakMemory) == 0;
    Q_UNUSED(registered);
    // The moment on the monotonic clock, which the benchmark started the process by: the
    // window's time to appear, without the teardown that its time to exit adds.
    FirstFrame::then(window, [] {
        std::fprintf(stderr, "first frame exit: shown at %lld ns\n",
                     QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs());
        QCoreApplication::quit();
    });
}

bool FirstFrameExit::requested()
{
    return qEnvironmentVariableIsSet("ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT");
}
