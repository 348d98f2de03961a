#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

class HistoryWriter;

/// orderflow-dbadmin history export | prune | clear: reads back and manages what monitor
/// --record, the Pool page and connection tests remembered in history.sqlite.
class HistoryCommand final
{
    Q_DECLARE_TR_FUNCTIONS(HistoryCommand)

public:
    /// Its rows in the command table, one per action.
    static QList<Subcommand> subcommands();
    /// A writer to history.sqlite for the rest of the run, whose problems go to stderr as
    /// warnings; it writes what is left when the run ends.
    static HistoryWriter *startRecording(CommandContext &context);
    /// "30s", "15m", "24h", "7d" in milliseconds; nullopt for anything else.
    static std::optional<qint64> parseDuration(const QString &text);

private:
    static void exportRows(CommandContext &context, const QCommandLineParser &parser);
    static void prune(CommandContext &context, const QCommandLineParser &parser);
    static void clear(CommandContext &context, const QCommandLineParser &parser);
};
