#include "FirstFrame.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

FirstFrame::FirstFrame(QWidget *widget, std::function<void()> work)
    : QObject(widget)
    , m_work(std::move(work))
{
    widget->installEventFilter(this);
}

void FirstFrame::then(QWidget *widget, std::function<void()> work)
{
    new FirstFrame(widget, std::move(work));
}

bool FirstFrame::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint) {
        watched->removeEventFilter(this);
        // After this paint has been flushed to the screen, not in the middle of it. The timer
        // belongs to the widget, so it goes with it.
        QTimer::singleShot(0, watched, std::move(m_work));
        deleteLater();
    }
    return false;
}
