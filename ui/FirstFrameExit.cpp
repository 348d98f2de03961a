#include "FirstFrameExit.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>

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

FirstFrameExit::FirstFrameExit(QObject *watched)
    : QObject(watched)
{
    watched->installEventFilter(this);
    static const bool registered = std::atexit(reportPeakMemory) == 0;
    Q_UNUSED(registered);
}

bool FirstFrameExit::requested()
{
    return qEnvironmentVariableIsSet("ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT");
}

bool FirstFrameExit::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint) {
        watched->removeEventFilter(this);
        // After this paint has reached the screen, not in the middle of it.
        QTimer::singleShot(0, qApp, &QCoreApplication::quit);
    }
    return false;
}
