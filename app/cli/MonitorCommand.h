#pragma once

#include "cli/Subcommand.h"

/// orderflow-dbadmin monitor: samples a server's connections (and PgBouncer's pool) at an interval.
namespace MonitorCommand {

/// Its row in the command table.
Subcommand subcommand();

} // namespace MonitorCommand
