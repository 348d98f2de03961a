#pragma once

#include "cli/Subcommand.h"

/// orderflow-dbadmin check: tests a connection, diagnoses a failure, and checks what the profile
/// requires.
namespace CheckCommand {

/// Its row in the command table.
Subcommand subcommand();

} // namespace CheckCommand
