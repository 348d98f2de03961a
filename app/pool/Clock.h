#pragma once

#include <QDateTime>

/// Where samples get their timestamps; tests substitute a clock they control.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

/// The wall clock, in UTC.
class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

/// A clock that only moves when told to.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &start)
        : m_now(start)
    { }
    QDateTime now() const override { return m_now; }
    void advance(qint64 milliseconds) { m_now = m_now.addMSecs(milliseconds); }
    void set(const QDateTime &now) { m_now = now; }

private:
    QDateTime m_now;
};
