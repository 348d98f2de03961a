#pragma once

#include "connection/SlotCounts.h"

#include <QWidget>

/// A horizontal bar of a server's connection slots: this database's sessions, other
/// databases' sessions and the tool's own, the slots reserved for superusers (and
/// pg_use_reserved_connections), and what is free. Colours follow the palette, so it reads in dark
/// mode too.
class CapacityBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CapacityBar)

public:
    explicit CapacityBar(QWidget *parent = nullptr);

    void setCounts(const SlotCounts &counts);
    const SlotCounts &counts() const { return m_counts; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    SlotCounts m_counts;
};
