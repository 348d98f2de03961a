#include "PageScrollArea.h"

#include <QScrollArea>

QScrollArea *pageScrollArea(QWidget *content, const QString &objectName,
                            const QString &accessibleName, ScrollFocus focus, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setObjectName(objectName);
    scroll->setAccessibleName(accessibleName);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    if (focus == ScrollFocus::Controls)
        scroll->setFocusPolicy(Qt::NoFocus);
    scroll->setWidget(content);
    return scroll;
}
