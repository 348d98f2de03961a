#pragma once

#include "cli/Subcommand.h"

/// orderflow-dbadmin import: saves the profiles of a .env or pg_service.conf file, or .pgpass
/// passwords.
namespace ImportCommand {

/// Its row in the command table.
Subcommand subcommand();

} // namespace ImportCommand
