#include "FirstFrameExit.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>

FirstFrameExit::FirstFrameExit(QObject *watched)
    : QObject(watched)
{
    watched->installEventFilter(this);
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
