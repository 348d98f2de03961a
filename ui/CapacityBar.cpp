#include "CapacityBar.h"

#include <QPainter>

CapacityBar::CapacityBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CapacityBar::setCounts(const SlotCounts &counts)
{
    m_counts = counts;
    setToolTip(tr("%1 in this database, %2 in other databases, %3 of this tool's, %4 reserved, "
                  "%5 free of max_connections %6")
                       .arg(counts.inDatabase)
                       .arg(counts.otherDatabases())
                       .arg(counts.toolSessions)
                       .arg(counts.superuserReserved + counts.reserved)
                       .arg(qMax(0, counts.available()))
                       .arg(counts.maxConnections));
    update();
}

QSize CapacityBar::sizeHint() const
{
    return {300, fontMetrics().height() + 8};
}

void CapacityBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.fillRect(area, palette().color(QPalette::Base));
    if (m_counts.maxConnections > 0) {
        const double unit = area.width() / m_counts.maxConnections;
        double x = area.left();
        const QColor highlight = palette().color(QPalette::Highlight);
        const QList<std::pair<int, QColor>> segments{
                {m_counts.inDatabase, highlight},
                {m_counts.otherDatabases(), highlight.lighter(160)},
                {m_counts.toolSessions, palette().color(QPalette::Dark)},
        };
        for (const auto &[count, color] : segments) {
            const double width = unit * count;
            painter.fillRect(QRectF(x, area.top(), width, area.height()), color);
            x += width;
        }
        // Reserved slots sit at the end of the bar, hatched.
        const double reservedWidth = unit * (m_counts.superuserReserved + m_counts.reserved);
        painter.fillRect(
                QRectF(area.right() - reservedWidth, area.top(), reservedWidth, area.height()),
                QBrush(palette().color(QPalette::Mid), Qt::BDiagPattern));
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
}
