#pragma once

/// The command line's exit codes; scripts depend on them (DESIGN.md, "Command line").
enum ExitCode : int {
    ExitHealthy = 0,
    ExitConnectionFailed = 1,
    ExitUsage = 2,
    ExitCheckFailed = 3,
    ExitKeychainUnavailable = 4,
};
