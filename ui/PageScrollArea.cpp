#include "PageScrollArea.h"

#include <QApplication>
#include <QScrollArea>

QScrollArea *pageScrollArea(QWidget *content, const QString &objectName,
                            const QString &accessibleName, ScrollFocus focus, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setObjectName(objectName);
    scroll->setAccessibleName(accessibleName);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    if (focus == ScrollFocus::Controls) {
        scroll->setFocusPolicy(Qt::NoFocus);
        // QScrollArea scrolls to a control only when Tab moves within it; a control reached
        // from outside (the page tabs, Shift+Tab from Save, a click on its label) is brought
        // into sight here.
        QObject::connect(qApp, &QApplication::focusChanged, scroll,
                         [scroll](QWidget *, QWidget *now) {
                             if (now && scroll->widget() && scroll->widget()->isAncestorOf(now))
                                 scroll->ensureWidgetVisible(now);
                         });
    }
    return scroll;
}
