#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>

/// orderflow-dbadmin import: saves the profiles of a .env or pg_service.conf file, or .pgpass
/// passwords.
class ImportCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ImportCommand)

public:
    /// Its row in the command table.
    static Subcommand subcommand();

private:
    static void run(CommandContext &context, const QCommandLineParser &parser);
    // A .pgpass file holds no profiles: it gives its passwords to the saved profiles it matches.
    static void takePasswords(CommandContext &context, const QString &path);
};
