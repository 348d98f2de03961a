#pragma once

#include "cli/Subcommand.h"

#include <QList>

/// orderflow-dbadmin profiles list | add | remove: the saved profiles and their passwords.
namespace ProfilesCommand {

/// Its rows in the command table, one per action, in the order --help lists them.
QList<Subcommand> subcommands();

} // namespace ProfilesCommand
