#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>
#include <QList>

#include <functional>

class MetricsExporter;
struct Profile;

/// orderflow-dbadmin monitor: samples a server's connections (and PgBouncer's pool) at an interval.
class MonitorCommand final
{
    Q_DECLARE_TR_FUNCTIONS(MonitorCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
    /// monitor --listen: samples the profiles and serves their metrics until a signal.
    static void listen(CommandContext &context, const QCommandLineParser &parser, int interval);
    /// Finds each profile's password in turn and adds the profile to exporter, then runs done;
    /// ends the run naming the profile whose password cannot be found.
    static void resolvePasswords(CommandContext &context, QList<Profile> profiles,
                                 MetricsExporter *exporter, int interval,
                                 const std::function<void()> &done);
};
