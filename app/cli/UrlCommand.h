#pragma once

#include "cli/Subcommand.h"

/// orderflow-dbadmin url: parses and validates a connection string, password redacted.
namespace UrlCommand {

/// Its row in the command table.
Subcommand subcommand();

} // namespace UrlCommand
