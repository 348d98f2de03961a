#pragma once

#include "cli/Subcommand.h"

#include <QCoreApplication>
#include <QList>

#include <optional>

/// The subcommands, listed once: the command line dispatches through this table and
/// generates --help from it, so a subcommand cannot be runnable yet missing from the help,
/// nor take an option that its --help does not list.
class CommandTable final
{
    Q_DECLARE_TR_FUNCTIONS(CommandTable)

public:
    /// What the words of a command line ask for: a subcommand and the arguments left for it,
    /// a help text to print, or a usage error.
    struct Match
    {
        std::optional<Subcommand> subcommand = {};
        QStringList arguments = {};
        QString error = {};
        /// Set when the words ask for --help (or -h): the general help, a group's or a
        /// subcommand's.
        QString help = {};
    };

    explicit CommandTable(QList<Subcommand> subcommands);
    /// Every subcommand of orderflow-dbadmin, in the order --help lists them.
    static CommandTable standard();

    const QList<Subcommand> &subcommands() const { return m_subcommands; }
    /// words: the command line after the program name. --help or -h after a subcommand asks for
    /// that subcommand's help; alone, or with the window's options only, for the whole help.
    Match find(const QStringList &words) const;
    /// The whole --help text.
    QString helpText() const;
    /// One subcommand's --help: its usage, summary, options and the exit codes.
    QString helpText(const Subcommand &subcommand) const;
    /// A group's --help ("profiles --help"): the usage and summary of each of its actions.
    QString groupHelpText(const QString &group) const;

private:
    Match lookup(const QStringList &words) const;

    QList<Subcommand> m_subcommands;
};
