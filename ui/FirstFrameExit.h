#pragma once

#include <QObject>

/// Ends the application once the widget it watches has painted for the first time, and as the
/// process ends writes its peak resident set size to stderr (a line with VmHWM, from
/// /proc/self/status): how tests/bench/bench_startup times and weighs the window from process
/// start to its first frame, next to a bare Qt window measured the same way. Only installed
/// when ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT is set.
class FirstFrameExit final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstFrameExit)

public:
    explicit FirstFrameExit(QObject *watched);
    static bool requested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};
