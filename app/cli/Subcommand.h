#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

class CommandContext;
class QCommandLineParser;

/// One row of the command table: how a subcommand is called, the options it takes, what --help
/// says about it, and the function that runs it. The dispatcher parses the arguments with these
/// options and the subcommand's --help lists them, so the two cannot disagree.
struct Subcommand
{
    /// Runs the subcommand once its arguments parsed; ends through context.finish().
    using Handler = void (*)(CommandContext &context, const QCommandLineParser &parser);
    /// Whether words other than options and their values are arguments (a NAME) or an error.
    enum class Positional { Refused, Allowed };

    /// "check", or "profiles add" for an action of a group.
    QString name = {};
    /// Its arguments and options as --help shows them after the name. The syntax is the same
    /// in every language, so it is not translated.
    QString usage = {};
    /// One line for --help.
    QString summary = {};
    /// Every option it takes, with the description its --help shows.
    QList<QCommandLineOption> options = {};
    Positional positional = Positional::Refused;
    Handler run = nullptr;
};
