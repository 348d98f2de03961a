#pragma once

#include <QWidget>

/// A horizontal bar of a server's connection slots: this database's sessions, other
/// databases' sessions, the slots reserved for superusers (and pg_use_reserved_connections),
/// and what is free. Colours follow the palette, so it reads in dark mode too.
class CapacityBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CapacityBar)

public:
    explicit CapacityBar(QWidget *parent = nullptr);

    void setValues(int inDatabase, int elsewhere, int reserved, int maxConnections);
    int inDatabase() const { return m_inDatabase; }
    int elsewhere() const { return m_elsewhere; }
    int reserved() const { return m_reserved; }
    int maxConnections() const { return m_max; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_inDatabase = 0;
    int m_elsewhere = 0;
    int m_reserved = 0;
    int m_max = 0;
};
