#pragma once

#include "cli/Subcommand.h"

/// orderflow-dbadmin export: prints a saved profile in the format another tool reads.
namespace ExportCommand {

/// Its row in the command table.
Subcommand subcommand();

} // namespace ExportCommand
