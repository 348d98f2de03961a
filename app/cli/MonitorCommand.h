#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>

/// orderflow-dbadmin monitor: samples a server's connections (and PgBouncer's pool) at an interval.
class MonitorCommand final
{
    Q_DECLARE_TR_FUNCTIONS(MonitorCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
};
