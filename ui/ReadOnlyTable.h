#pragma once

#include <QString>
#include <QStringList>

class QTableWidget;
class QWidget;

/// A table to read, not to edit: named for screen readers, columns sized to their contents
/// with the last one stretched, no row numbers. Tab leaves it for the next control (the arrow
/// keys move between its cells), so that it is one stop in the Tab order.
QTableWidget *readOnlyTable(const QString &objectName, const QString &accessibleName,
                            const QStringList &headings, QWidget *parent);
