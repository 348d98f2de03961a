#include "PageScrollArea.h"

#include <QApplication>
#include <QEvent>
#include <QScrollArea>
#include <QScrollBar>

namespace {

/// Keeps a page's scroll area as wide as its content's narrowest layout plus the vertical
/// scroll bar: the page scrolls up and down, never sideways, and the window's minimum width
/// follows what the page needs (a page made later, a longer translation).
class ContentWidth final : public QObject
{
public:
    ContentWidth(QScrollArea *scroll, QWidget *content)
        : QObject(scroll)
        , m_scroll(scroll)
    {
        content->installEventFilter(this);
        follow(content);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::LayoutRequest)
            follow(static_cast<QWidget *>(watched));
        return false;
    }

private:
    void follow(QWidget *content)
    {
        m_scroll->setMinimumWidth(
                content->minimumSize().expandedTo(content->minimumSizeHint()).width()
                + m_scroll->verticalScrollBar()->sizeHint().width() + 2 * m_scroll->frameWidth());
    }

    QScrollArea *m_scroll;
};

} // namespace

QScrollArea *pageScrollArea(QWidget *content, const QString &objectName,
                            const QString &accessibleName, ScrollFocus focus, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setObjectName(objectName);
    scroll->setAccessibleName(accessibleName);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    new ContentWidth(scroll, content);
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
