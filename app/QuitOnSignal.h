#pragma once

/// SIGTERM, SIGINT and SIGHUP end the event loop (exit status 128 + the signal) instead of the
/// process, so that what the application started (tunnels) is stopped on the way out, as on a
/// normal quit. Call once, after the application object exists. Nothing on Windows, where a
/// console's Ctrl+C ends the tunnels' processes too.
namespace QuitOnSignal {
void install();
}
