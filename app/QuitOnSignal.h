#pragma once

/// SIGTERM, SIGINT and SIGHUP end the event loop (exit status 128 + the signal) instead of the
/// process, so that what the application started (tunnels) is stopped on the way out, as on a
/// normal quit. Call once, after the application object exists. Nothing on Windows, where a
/// console's Ctrl+C ends the tunnels' processes too.
namespace QuitOnSignal {
void install();
/// From now on a signal ends the event loop with status 0: for a service (monitor --listen),
/// whose service manager stops it with SIGTERM as its normal end.
void exitCleanly();
} // namespace QuitOnSignal
