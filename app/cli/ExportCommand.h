#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>

/// orderflow-dbadmin export: prints a saved profile in the format another tool reads.
class ExportCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ExportCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
};
