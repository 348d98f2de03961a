#include "FramedPage.h"

#include <QFrame>
#include <QGridLayout>

FramedPage::FramedPage(const QString &frameName, QWidget *parent)
    : QWidget(parent)
    , m_frame(new QFrame(this))
    , m_content(new QWidget(this))
{
    m_frame->setObjectName(frameName);
    // Both in one cell: the content, made after the frame, lies above it.
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_frame, 0, 0);
    layout->addWidget(m_content, 0, 0);
}

QString FramedPage::frameName() const
{
    return m_frame->objectName();
}

void FramedPage::setFrameStyleSheet(const QString &styleSheet)
{
    if (styleSheet == m_frame->styleSheet())
        return;
    m_frame->setStyleSheet(styleSheet);
    // The style sheet sets the frame's margins to its border when the frame is polished.
    m_frame->ensurePolished();
    m_content->setContentsMargins(m_frame->contentsMargins());
}
