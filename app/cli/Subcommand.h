#pragma once

#include <QString>
#include <QStringList>

class CommandContext;

/// One row of the command table: how a subcommand is called, what --help says about it,
/// and the function that runs it.
struct Subcommand
{
    /// Runs the subcommand on the arguments after its name; ends through context.finish().
    using Handler = void (*)(CommandContext &context, const QStringList &arguments);

    /// "check", or "profiles add" for an action of a group.
    QString name;
    /// Its arguments and options as --help shows them after the name.
    QString usage;
    /// One line for --help.
    QString summary;
    Handler run = nullptr;
};
