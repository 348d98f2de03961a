#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>

/// orderflow-dbadmin url: parses and validates a connection string, password redacted.
class UrlCommand final
{
    Q_DECLARE_TR_FUNCTIONS(UrlCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
};
