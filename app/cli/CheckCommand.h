#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>

/// orderflow-dbadmin check: tests a connection, diagnoses a failure, and checks what the profile
/// requires.
class CheckCommand final
{
    Q_DECLARE_TR_FUNCTIONS(CheckCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
};
