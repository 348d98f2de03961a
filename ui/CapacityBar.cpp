#include "CapacityBar.h"

#include <QPainter>

CapacityBar::CapacityBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CapacityBar::setValues(int inDatabase, int elsewhere, int reserved, int maxConnections)
{
    m_inDatabase = inDatabase;
    m_elsewhere = elsewhere;
    m_reserved = reserved;
    m_max = maxConnections;
    setToolTip(tr("%1 in this database, %2 elsewhere, %3 reserved, %4 free of %5")
                       .arg(inDatabase)
                       .arg(elsewhere)
                       .arg(reserved)
                       .arg(qMax(0, maxConnections - inDatabase - elsewhere - reserved))
                       .arg(maxConnections));
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
    if (m_max > 0) {
        const double unit = area.width() / m_max;
        double x = area.left();
        const QColor highlight = palette().color(QPalette::Highlight);
        const QList<std::pair<int, QColor>> segments{
                {m_inDatabase, highlight},
                {m_elsewhere, highlight.lighter(160)},
        };
        for (const auto &[count, color] : segments) {
            const double width = unit * count;
            painter.fillRect(QRectF(x, area.top(), width, area.height()), color);
            x += width;
        }
        // Reserved slots sit at the end of the bar, hatched.
        const double reservedWidth = unit * m_reserved;
        painter.fillRect(
                QRectF(area.right() - reservedWidth, area.top(), reservedWidth, area.height()),
                QBrush(palette().color(QPalette::Mid), Qt::BDiagPattern));
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
}
