#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>
#include <QList>

/// orderflow-dbadmin profiles list | add | remove | rotate-password | export-catalogue |
/// import-catalogue: the saved profiles, their passwords, and the team's catalogue of them.
class ProfilesCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ProfilesCommand)

public:
    /// Its rows in the command table, one per action, in the order --help lists them.
    static QList<Subcommand> subcommands();

private:
    static void list(CommandContext &context, const QCommandLineParser &parser);
    static void add(CommandContext &context, const QCommandLineParser &parser);
    static void remove(CommandContext &context, const QCommandLineParser &parser);
    static void rotatePassword(CommandContext &context, const QCommandLineParser &parser);
    static void exportCatalogue(CommandContext &context, const QCommandLineParser &parser);
    static void importCatalogue(CommandContext &context, const QCommandLineParser &parser);
};
