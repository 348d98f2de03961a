#include "PoolChart.h"

#include "Palette.h"
#include "history/HistoryStore.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int RightMargin = 12;
constexpr int Swatch = 10;
/// The number of grid lines the scale aims for; round steps make it 3 to 6.
constexpr int TickTarget = 4;

// 1, 2 or 5 times a power of ten: the smallest such step that covers maximum in TickTarget.
double roundStep(double maximum)
{
    const double raw = qMax(1.0, maximum / TickTarget);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0}) {
        if (factor * power >= raw)
            return factor * power;
    }
    return 10 * power;
}

} // namespace

PoolChart::PoolChart(QWidget *parent)
    : QWidget(parent)
    , m_clock(std::make_shared<SystemClock>())
{
    setMouseTracking(true);
    setMinimumHeight(180);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void PoolChart::setSeries(SampleHistory::Series series)
{
    m_series = series;
    update();
}

void PoolChart::setWindow(qint64 milliseconds)
{
    m_window = milliseconds;
    update();
}

void PoolChart::setPaused(bool paused)
{
    m_paused = paused;
    m_pausedAt = m_clock->now().toMSecsSinceEpoch();
    update();
}

bool PoolChart::drawsMinutes() const
{
    return m_minutes && m_window > HistoryStore::SampleRetentionMs;
}

void PoolChart::zoomTo(qint64 fromMsecs, qint64 toMsecs)
{
    m_zoom = std::make_pair(fromMsecs, qMax(fromMsecs + 1000, toMsecs));
    update();
}

void PoolChart::clearZoom()
{
    m_zoom.reset();
    update();
}

std::pair<qint64, qint64> PoolChart::range() const
{
    if (m_zoom)
        return *m_zoom;
    const qint64 to = m_paused ? m_pausedAt : m_clock->now().toMSecsSinceEpoch() + 1;
    return {to - m_window, to};
}

int PoolChart::leftMargin() const
{
    // Room for the widest value label, at the largest scale the chart may show.
    return fontMetrics().horizontalAdvance(QString::number(qRound(yMaximum()))) + 10;
}

QRectF PoolChart::plotArea() const
{
    const int top = m_legendHeight + 6;
    const int bottom = fontMetrics().height() + 8;
    const int left = leftMargin();
    return QRectF(left, top, qMax(10, width() - left - RightMargin),
                  qMax(10, height() - top - bottom));
}

QList<PoolChart::LegendItem> PoolChart::legend(int width) const
{
    QList<LegendItem> items;
    if (drawsMinutes()) {
        const auto [from, to] = range();
        const QList<HistoryMetric> &metrics = MinuteHistory::metrics(m_series);
        const QList<bool> withData = m_minutes->hasData(from, to, metrics);
        for (int i = 0; i < metrics.size(); ++i) {
            if (withData.at(i))
                items << LegendItem{MinuteHistory::name(metrics.at(i)), i, {}};
        }
    } else if (m_history) {
        const auto [from, to] = range();
        const QStringList names = m_history->names(m_series);
        const QList<bool> withData = m_history->hasData(from, to, m_series);
        for (int i = 0; i < names.size(); ++i) {
            if (withData.at(i))
                items << LegendItem{names.at(i), i, {}};
        }
    }
    if (m_paused)
        items << LegendItem{tr("paused"), -1, {}};
    // Flowed in rows: an item that does not fit starts the next one.
    const QFontMetrics metrics = fontMetrics();
    const int rowHeight = metrics.height() + 4;
    double x = 4;
    double y = 2;
    for (LegendItem &item : items) {
        const double swatch = item.series >= 0 ? Swatch + 4 : 0;
        const double itemWidth = swatch + metrics.horizontalAdvance(item.name) + 14;
        if (x > 4 && x + itemWidth > width - RightMargin) {
            x = 4;
            y += rowHeight;
        }
        item.rect = QRectF(x, y, itemWidth, rowHeight);
        x += itemWidth;
    }
    return items;
}

double PoolChart::xForTime(qint64 msecs) const
{
    const auto [from, to] = range();
    const QRectF area = plotArea();
    return area.left() + double(msecs - from) / double(to - from) * area.width();
}

int PoolChart::serverCapacity() const
{
    if (m_series == SampleHistory::Series::PgBouncer)
        return 0;
    if (drawsMinutes()) {
        const QList<HistoryMinute> &minutes = m_minutes->minutes();
        for (auto it = minutes.crbegin(); it != minutes.crend(); ++it) {
            if (it->range(HistoryMetric::ServerCapacity).present)
                return qRound(it->range(HistoryMetric::ServerCapacity).max);
        }
        return 0;
    }
    if (!m_history)
        return 0;
    const auto &points = m_history->points();
    for (auto it = points.crbegin(); it != points.crend(); ++it) {
        if (it->ok)
            return it->serverCapacity;
    }
    return 0;
}

PoolChart::Scale PoolChart::scale() const
{
    double maximum = qMax(5, qMax(m_poolCapacity, serverCapacity()));
    if (drawsMinutes()) {
        const auto [from, to] = range();
        for (const auto &column :
             m_minutes->columns(from, to, 200, MinuteHistory::metrics(m_series))) {
            for (const HistoryMinute::Range &r : column.ranges)
                maximum = qMax(maximum, r.max);
        }
    } else if (m_history) {
        const auto [from, to] = range();
        for (const auto &column : m_history->columns(from, to, 200, m_series))
            maximum = qMax(maximum, double(column.maxTotal));
    }
    // The top of the scale is the first round step above the highest value, with headroom so
    // that a capacity line never sits on the frame.
    const double step = roundStep(maximum);
    return {step, std::floor(maximum / step + 1) * step};
}

double PoolChart::yMaximum() const
{
    return m_paintedScale.top > 0 ? m_paintedScale.top : scale().top;
}

QList<double> PoolChart::yTicks() const
{
    const Scale shown = m_paintedScale.top > 0 ? m_paintedScale : scale();
    QList<double> ticks;
    for (int i = 0; i * shown.step <= shown.top; ++i)
        ticks << i * shown.step;
    return ticks;
}

double PoolChart::yForValue(double value) const
{
    const QRectF area = plotArea();
    return area.bottom() - value / yMaximum() * area.height();
}

QColor PoolChart::seriesColor(int index) const
{
    return Palette::seriesColor(index);
}

QColor PoolChart::poolLineColor() const
{
    return Palette::poolLimitColor();
}

QColor PoolChart::serverLineColor() const
{
    return Palette::serverLimitColor();
}

QColor PoolChart::gapColor() const
{
    QColor color = palette().color(QPalette::Mid);
    color.setAlpha(255);
    return color;
}

QString PoolChart::readout(double x) const
{
    const auto [from, to] = range();
    const QRectF area = plotArea();
    const qint64 at = from + qint64((x - area.left()) / area.width() * double(to - from));
    if (drawsMinutes())
        return minuteReadout(at);
    if (!m_history)
        return {};
    const qint64 tolerance = qMax<qint64>(1000, (to - from) / qMax(1, int(area.width())) * 2);
    const SampleHistory::Point *point = m_history->nearest(at, tolerance);
    if (!point)
        return {};
    const QString time
            = QDateTime::fromMSecsSinceEpoch(point->msecs).toLocalTime().toString(u"HH:mm:ss"_s);
    if (!point->ok)
        return tr("%1  unreachable").arg(time);
    QStringList parts{time};
    const QStringList names = m_history->names(m_series);
    for (int i = 0; i < names.size(); ++i) {
        const int value = m_history->value(*point, m_series, i);
        // One .arg() call: application names come from the server and may hold "%1".
        if (value > 0)
            parts << u"%1 %2"_s.arg(names.at(i), QString::number(value));
    }
    if (m_series == SampleHistory::Series::PgBouncer)
        parts << tr("max wait %1 s").arg(point->maxWaitSeconds, 0, 'f', 1);
    else
        parts << tr("total %1 of %2").arg(point->inDatabase).arg(point->serverCapacity);
    return parts.join(u"  "_s);
}

QString PoolChart::minuteReadout(qint64 msecs) const
{
    const HistoryMinute *minute = m_minutes->at(msecs);
    if (!minute)
        return {};
    QStringList parts{QLocale().toString(
            QDateTime::fromMSecsSinceEpoch(minute->msecs).toLocalTime(), u"d MMM HH:mm"_s)};
    for (const HistoryMetric metric : MinuteHistory::metrics(m_series)) {
        const HistoryMinute::Range &range = minute->range(metric);
        if (range.present && range.max > 0)
            parts << u"%1 %2 (%3–%4)"_s.arg(MinuteHistory::name(metric),
                                            QString::number(range.mean, 'f', 1),
                                            QString::number(range.min), QString::number(range.max));
    }
    if (minute->failures > 0)
        parts << tr("unreachable in %1 of %2 samples")
                         .arg(QString::number(minute->failures), QString::number(minute->samples));
    return parts.join(u"  "_s);
}

bool PoolChart::hasDataIn(qint64 fromMsecs, qint64 toMsecs) const
{
    if (drawsMinutes()) {
        const HistoryMinute *first = m_minutes->at(fromMsecs);
        const auto &minutes = m_minutes->minutes();
        return first || std::any_of(minutes.cbegin(), minutes.cend(), [&](const HistoryMinute &m) {
                   return m.msecs >= fromMsecs && m.msecs < toMsecs;
               });
    }
    if (!m_history)
        return false;
    const auto &points = m_history->points();
    const auto it
            = std::lower_bound(points.cbegin(), points.cend(), fromMsecs,
                               [](const SampleHistory::Point &p, qint64 t) { return p.msecs < t; });
    return it != points.cend() && it->msecs < toMsecs;
}

void PoolChart::paintSamples(QPainter &painter, const QRectF &area) const
{
    const auto [from, to] = range();
    const QColor text = palette().color(QPalette::Text);
    // Where the server was unreachable, shaded over the whole span.
    for (const auto &[start, end] : m_history->outages(from, to)) {
        const double left = qMax(area.left(), xForTime(start));
        const double right = qMin(area.right(), xForTime(end));
        if (right > left)
            painter.fillRect(QRectF(left, area.top(), right - left, area.height()), gapColor());
    }
    const int columnCount = qMax(1, int(area.width()));
    const QList<SampleHistory::Column> columns
            = m_history->columns(from, to, columnCount, m_series);
    const double columnWidth = area.width() / columnCount;
    for (int c = 0; c < columns.size(); ++c) {
        const SampleHistory::Column &column = columns.at(c);
        const double x = area.left() + c * columnWidth;
        if (!column.hasData)
            continue;
        // The busiest sample's series, stacked from the bottom.
        double base = 0;
        for (size_t i = 0; i < column.stack.size(); ++i) {
            const int value = column.stack[i];
            if (value <= 0)
                continue;
            const double top = yForValue(base + value);
            painter.fillRect(QRectF(x, top, columnWidth + 0.5, yForValue(base) - top),
                             seriesColor(int(i)));
            base += value;
        }
        // The quietest sample of the column, so short dips stay visible.
        if (column.minTotal < column.maxTotal) {
            painter.setPen(text);
            painter.drawLine(QPointF(x, yForValue(column.minTotal)),
                             QPointF(x + columnWidth, yForValue(column.minTotal)));
        }
    }
}

void PoolChart::paintMinutes(QPainter &painter, const QRectF &area) const
{
    const auto [from, to] = range();
    const QList<HistoryMetric> &metrics = MinuteHistory::metrics(m_series);
    const int columnCount = qMax(1, int(area.width()));
    // A long window is summed up per pixel column: a paint's work follows the width, not the
    // number of minutes.
    const QList<MinuteHistory::Column> columns = m_minutes->columns(from, to, columnCount, metrics);
    const double columnWidth = area.width() / columnCount;
    for (int c = 0; c < columns.size(); ++c) {
        if (columns.at(c).gap)
            painter.fillRect(QRectF(area.left() + c * columnWidth, area.top(), columnWidth + 0.5,
                                    area.height()),
                             gapColor());
    }
    // Each series' band first, then every mean line on top, so no band hides a line. Both are
    // whole-pixel rectangles, a column's or a run of columns alike: the raster engine fills those
    // fastest, a translucent band never overlaps itself (which would darken it), and flat
    // stretches (nights, idle weekends) take one rectangle.
    const auto fillRuns = [&](const QColor &color, auto span) {
        QRect run;
        for (int c = 0; c < columns.size(); ++c) {
            const std::optional<std::pair<int, int>> rows = span(columns.at(c));
            const int left = qRound(area.left() + c * columnWidth);
            const int right = qRound(area.left() + (c + 1) * columnWidth);
            if (rows && run.isValid() && run.right() + 1 == left && run.top() == rows->first
                && run.bottom() + 1 == rows->second) {
                run.setRight(right - 1);
                continue;
            }
            if (run.isValid())
                painter.fillRect(run, color);
            run = rows ? QRect(QPoint(left, rows->first), QPoint(right - 1, rows->second - 1))
                       : QRect();
        }
        if (run.isValid())
            painter.fillRect(run, color);
    };
    for (qsizetype m = 0; m < metrics.size(); ++m) {
        QColor band = seriesColor(int(m));
        band.setAlpha(70);
        // The rows from the maximum down to the minimum, at least one.
        fillRuns(band,
                 [&](const MinuteHistory::Column &column) -> std::optional<std::pair<int, int>> {
                     if (!column.hasData || !column.ranges[size_t(m)].present)
                         return std::nullopt;
                     const int top = qRound(yForValue(column.ranges[size_t(m)].max));
                     return std::make_pair(
                             top, qMax(top + 1, qRound(yForValue(column.ranges[size_t(m)].min))));
                 });
    }
    for (qsizetype m = 0; m < metrics.size(); ++m) {
        // The mean, two pixels thick, joined to the previous column's.
        int previous = -1;
        fillRuns(seriesColor(int(m)),
                 [&](const MinuteHistory::Column &column) -> std::optional<std::pair<int, int>> {
                     if (!column.hasData || !column.ranges[size_t(m)].present) {
                         previous = -1;
                         return std::nullopt;
                     }
                     const int y = qRound(yForValue(column.ranges[size_t(m)].mean));
                     const int start = previous < 0 ? y : previous;
                     previous = y;
                     return std::make_pair(qMin(start, y) - 1, qMax(start, y) + 1);
                 });
    }
}

void PoolChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const QColor text = palette().color(QPalette::Text);
    const QColor grid = palette().color(QPalette::Midlight);
    const auto [from, to] = range();
    // The legend's height and the scale decide where everything else goes; kept for the
    // read-out and tests between paints.
    const QList<LegendItem> items = legend(width());
    m_legendHeight = items.isEmpty() ? fontMetrics().height() + 4 : int(items.last().rect.bottom());
    m_paintedScale = scale();
    const QRectF area = plotArea();
    const int labelHeight = fontMetrics().height();

    // Grid and value labels, at round steps.
    for (const double value : yTicks()) {
        const double y = yForValue(value);
        painter.setPen(grid);
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        painter.setPen(text);
        painter.drawText(QRectF(0, y - labelHeight / 2.0, area.left() - 6, labelHeight),
                         Qt::AlignRight | Qt::AlignVCenter, QString::number(qRound(value)));
    }
    // Time labels: the first starts at the left edge of the plot and the last ends at its
    // right edge, so that neither is cut off.
    const qint64 span = to - from;
    const QString format = span > qint64(36) * 3600 * 1000 ? u"d MMM HH:mm"_s
            : span > qint64(2) * 3600 * 1000               ? u"HH:mm"_s
                                                           : u"HH:mm:ss"_s;
    const QLocale locale;
    for (int i = 0; i <= 4; ++i) {
        const qint64 t = from + (to - from) * i / 4;
        const QString label
                = locale.toString(QDateTime::fromMSecsSinceEpoch(t).toLocalTime(), format);
        const double labelWidth = fontMetrics().horizontalAdvance(label) + 4;
        const double x = area.left() + area.width() * i / 4;
        const double left = i == 0 ? x : i == 4 ? x - labelWidth : x - labelWidth / 2;
        painter.drawText(QRectF(left, area.bottom() + 4, labelWidth, labelHeight), Qt::AlignCenter,
                         label);
    }

    if (drawsMinutes())
        paintMinutes(painter, area);
    else if (m_history)
        paintSamples(painter, area);
    if (!m_emptyText.isEmpty() && !hasDataIn(from, to)) {
        painter.setPen(text);
        painter.drawText(area.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                         m_emptyText);
    }

    // Capacity lines.
    const int server = serverCapacity();
    auto capacityLine = [&](int value, const QColor &color, const QString &label) {
        if (value <= 0)
            return;
        const double y = yForValue(value);
        QPen pen(color, 2, Qt::DashLine);
        painter.setPen(pen);
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        painter.drawText(QRectF(area.left() + 4, y - 16, area.width() - 8, 14),
                         Qt::AlignRight | Qt::AlignVCenter, label);
    };
    capacityLine(server, serverLineColor(), tr("server capacity %1").arg(server));
    capacityLine(m_poolCapacity, poolLineColor(), tr("pool capacity %1").arg(m_poolCapacity));

    // The legend, above the plot: the series with data in the window, then "paused".
    for (const LegendItem &item : items) {
        QRectF label = item.rect;
        if (item.series >= 0) {
            painter.fillRect(
                    QRectF(label.left(), label.center().y() - Swatch / 2.0, Swatch, Swatch),
                    seriesColor(item.series));
            label.setLeft(label.left() + Swatch + 4);
        }
        QFont font = painter.font();
        font.setItalic(item.series < 0);
        painter.setFont(font);
        painter.setPen(text);
        painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, item.name);
    }
    painter.setFont(font());
    if (m_hoverX >= area.left() && m_hoverX <= area.right()) {
        painter.setPen(QPen(text, 1, Qt::DotLine));
        painter.drawLine(QPointF(m_hoverX, area.top()), QPointF(m_hoverX, area.bottom()));
        const QString info = readout(m_hoverX);
        if (!info.isEmpty()) {
            const QRectF box(area.left() + 6, area.top() + 6,
                             painter.fontMetrics().horizontalAdvance(info) + 12, 20);
            painter.fillRect(box, palette().color(QPalette::ToolTipBase));
            painter.setPen(palette().color(QPalette::ToolTipText));
            painter.drawText(box, Qt::AlignCenter, info);
        }
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
}

void PoolChart::mouseMoveEvent(QMouseEvent *event)
{
    m_hoverX = event->position().x();
    update();
}

void PoolChart::leaveEvent(QEvent *)
{
    m_hoverX = -1;
    update();
}
