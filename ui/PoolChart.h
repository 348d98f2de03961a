#pragma once

#include "pool/Clock.h"
#include "pool/MinuteHistory.h"
#include "pool/SampleHistory.h"

#include <QWidget>

#include <memory>
#include <optional>

/// The live chart of the pool monitor, drawn with QPainter: stacked series (sessions by state
/// or by application, or PgBouncer's clients and servers) over time, with horizontal lines for
/// the configured pool capacity and the server's capacity, shaded gaps where the server was
/// unreachable, a min/max band per pixel column, and a read-out under the mouse. A window longer
/// than the day that samples are kept draws the per-minute rows instead: each series' mean as a
/// line over the band of its minimum and maximum.
class PoolChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PoolChart)

public:
    explicit PoolChart(QWidget *parent = nullptr);

    void setHistory(const SampleHistory *history)
    {
        m_history = history;
        update();
    }
    void setMinuteHistory(const MinuteHistory *minutes)
    {
        m_minutes = minutes;
        update();
    }
    /// Whether the window is drawn from the per-minute rows.
    bool drawsMinutes() const;
    void setSeries(SampleHistory::Series series);
    SampleHistory::Series series() const { return m_series; }
    void setWindow(qint64 milliseconds);
    qint64 window() const { return m_window; }
    void setClock(std::shared_ptr<Clock> clock)
    {
        m_clock = std::move(clock);
        update();
    }
    /// The configured pool capacity line; 0 hides it.
    void setPoolCapacity(int capacity)
    {
        m_poolCapacity = capacity;
        update();
    }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Shows [from, to) instead of the window up to now, until clearZoom().
    void zoomTo(qint64 fromMsecs, qint64 toMsecs);
    void clearZoom();
    bool isZoomed() const { return m_zoom.has_value(); }
    /// What the chart says while it has nothing to draw in its range (history being read,
    /// none kept); empty for nothing.
    void setEmptyText(const QString &text)
    {
        m_emptyText = text;
        update();
    }
    QString emptyText() const { return m_emptyText; }

    /// The visible time range [from, to) in milliseconds since the epoch.
    std::pair<qint64, qint64> range() const;
    /// Where the plot area is, and where a time or a value lands in it (for tests too).
    QRectF plotArea() const;
    double xForTime(qint64 msecs) const;
    double yForValue(double value) const;
    /// The top of the scale: a round step above the highest value or capacity line.
    double yMaximum() const;
    /// The values of the grid lines, from 0 to yMaximum() in round steps (1, 2 or 5 x 10^n).
    QList<double> yTicks() const;
    /// One entry of the legend: a series (its index, for its colour) or, with series -1, the
    /// "paused" note; rect is where it is drawn.
    struct LegendItem
    {
        QString name;
        int series = -1;
        QRectF rect;
    };
    /// The legend laid out for a width: the series with data in the window, flowed in rows.
    QList<LegendItem> legend(int width) const;
    /// The text of the read-out for the sample nearest to x, or empty.
    QString readout(double x) const;

    /// Colours, from the palette where it has them (dark mode).
    QColor seriesColor(int index) const;
    QColor poolLineColor() const;
    QColor serverLineColor() const;
    QColor gapColor() const;

    QSize sizeHint() const override { return {640, 260}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Scale
    {
        double step = 0;
        double top = 0;
    };

    int serverCapacity() const;
    Scale scale() const;
    int leftMargin() const;
    /// Whether anything is drawn in [from, to).
    bool hasDataIn(qint64 fromMsecs, qint64 toMsecs) const;
    QString minuteReadout(qint64 msecs) const;
    void paintSamples(QPainter &painter, const QRectF &area) const;
    void paintMinutes(QPainter &painter, const QRectF &area) const;

    const SampleHistory *m_history = nullptr;
    const MinuteHistory *m_minutes = nullptr;
    std::optional<std::pair<qint64, qint64>> m_zoom;
    QString m_emptyText;
    SampleHistory::Series m_series = SampleHistory::Series::ByState;
    qint64 m_window = qint64(5) * 60 * 1000;
    std::shared_ptr<Clock> m_clock;
    int m_poolCapacity = 0;
    bool m_paused = false;
    qint64 m_pausedAt = 0;
    double m_hoverX = -1;
    /// The scale and the legend's height of the last paint: scale() scans the samples, so a
    /// paint computes it once, and the read-out places itself where the paint drew.
    Scale m_paintedScale;
    int m_legendHeight = 20;
};
