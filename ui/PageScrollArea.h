#pragma once

#include <QString>

class QScrollArea;
class QWidget;

/// What takes the keyboard focus in a page's scrolling body.
enum class ScrollFocus {
    /// The page's own controls: the area scrolls to each as it takes the focus, so the area
    /// itself takes none (it would be one more stop in the Tab order, with nothing to do).
    Controls,
    /// The area, named for screen readers: its body is text, which the arrow keys then scroll.
    Area,
};

/// The scrolling body of a page, without a frame, its content as wide as the page. It scrolls
/// up and down only: it is never narrower than its content can be.
QScrollArea *pageScrollArea(QWidget *content, const QString &objectName,
                            const QString &accessibleName, ScrollFocus focus, QWidget *parent);
