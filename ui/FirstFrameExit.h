#pragma once

#include <QObject>

/// Ends the application once the widget it watches has painted for the first time: how
/// tests/bench/bench_startup times the window from process start to its first frame, next to
/// a bare Qt window measured the same way. Only installed when ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT
/// is set.
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
