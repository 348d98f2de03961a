#pragma once

#include "cli/Subcommand.h"

#include <QList>

#include <optional>

/// The subcommands, listed once: the command line dispatches through this table and
/// generates --help from it, so a subcommand cannot be runnable yet missing from the help.
class CommandTable final
{
public:
    /// What the words of a command line name: a subcommand and the arguments left for it,
    /// or no subcommand and a usage error.
    struct Match
    {
        std::optional<Subcommand> subcommand;
        QStringList arguments;
        QString error;
    };

    explicit CommandTable(QList<Subcommand> subcommands);
    /// Every subcommand of orderflow-dbadmin, in the order --help lists them.
    static CommandTable standard();

    const QList<Subcommand> &subcommands() const { return m_subcommands; }
    /// words: the command line after the program name.
    Match find(const QStringList &words) const;
    /// The whole --help text.
    QString helpText() const;

private:
    QList<Subcommand> m_subcommands;
};
