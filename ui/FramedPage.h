#pragma once

#include <QWidget>

class QFrame;

/// A page with a frame drawn by a style sheet: the window frames production and staging
/// profiles in their colour. The frame is a QFrame behind the page's widgets, not their
/// parent: a style sheet restyles every widget below the one that carries it (each is polished
/// and painted through QStyleSheetStyle), which slowed the window's first frame, and every
/// switch between a framed and an unframed profile, by all the widgets of the pages.
class FramedPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FramedPage)

public:
    /// frameName: the object name of the frame, which the style sheet's selector names.
    explicit FramedPage(const QString &frameName, QWidget *parent = nullptr);

    /// Where the page's widgets go.
    QWidget *content() const { return m_content; }
    QString frameName() const;
    /// The content moves in by the width of the border the style sheet gives the frame.
    void setFrameStyleSheet(const QString &styleSheet);

private:
    QFrame *m_frame;
    QWidget *m_content;
};
