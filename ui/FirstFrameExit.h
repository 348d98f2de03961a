#pragma once

class QWidget;

/// Ends the application once the widget it watches has painted for the first time. It writes to
/// stderr the moment that frame was shown (on the monotonic clock) and, as the process ends, its
/// peak resident set size (a line with VmHWM, from /proc/self/status): how
/// tests/bench/bench_startup times and weighs the window from process start to its first frame,
/// next to a bare Qt window measured the same way. Only installed when
/// ORDERFLOW_DBADMIN_FIRST_FRAME_EXIT is set.
namespace FirstFrameExit {

void install(QWidget *window);
bool requested();

} // namespace FirstFrameExit
