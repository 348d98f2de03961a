#pragma once

/// Reads the system's font configuration on a thread of its own at start-up. The window's first
/// text otherwise waits for it on the UI thread: fontconfig parses every file of its
/// configuration and loads its caches (about 5 ms of a 45 ms start here), while the thread can do
/// it as QApplication connects to the display. Fontconfig allows this: the configuration it
/// keeps is set once, atomically, and a second reader that arrives early builds its own and
/// takes the first one set. Does nothing where Qt draws text without fontconfig (Windows,
/// macOS).
namespace FontConfigWarmUp {

void start();

} // namespace FontConfigWarmUp
