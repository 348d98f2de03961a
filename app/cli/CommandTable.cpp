#include "CommandTable.h"

#include "cli/CheckCommand.h"
#include "cli/CommandSupport.h"
#include "cli/ExportCommand.h"
#include "cli/HistoryCommand.h"
#include "cli/ImportCommand.h"
#include "cli/MonitorCommand.h"
#include "cli/ProfilesCommand.h"
#include "cli/UrlCommand.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString program = u"  orderflow-dbadmin"_s;
// Summaries start in this column: on the usage line when it is one line and leaves room,
// else on a line of their own, so that a summary never reads as an option.
constexpr qsizetype summaryColumn = 47;
// Usage lines wrap before this width, continuing under the subcommand's name.
constexpr qsizetype lineWidth = 100;

// The usage split at the spaces between options, never inside a bracket: "[--rename |
// --replace]" stays one piece.
QStringList usagePieces(const QString &usage)
{
    QStringList pieces;
    QString piece;
    int depth = 0;
    for (const QChar c : usage) {
        if (c == u'[' || c == u'(')
            ++depth;
        else if (c == u']' || c == u')')
            --depth;
        if (c == u' ' && depth == 0) {
            pieces << piece;
            piece.clear();
        } else {
            piece += c;
        }
    }
    return pieces << piece;
}

QString helpRow(const QString &usage, const QString &summary)
{
    QStringList lines{program};
    for (const QString &piece : usagePieces(usage)) {
        QString &line = lines.last();
        if (line.size() > program.size() && line.size() + 1 + piece.size() > lineWidth)
            lines << QString(program.size() + 1, u' ') + piece;
        else
            line += u' ' + piece;
    }
    if (!summary.isEmpty()) {
        QString &last = lines.last();
        if (lines.size() == 1 && last.size() + 2 <= summaryColumn)
            last = last.leftJustified(summaryColumn) + summary;
        else
            lines << QString(summaryColumn, u' ') + summary;
    }
    return lines.join(u'\n') + u'\n';
}

// "--name VALUE", or "-h, --help": how an option is typed.
QString optionLabel(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names << (name.size() == 1 ? u"-"_s : u"--"_s) + name;
    QString label = names.join(u", "_s);
    if (!option.valueName().isEmpty())
        label += u' ' + option.valueName();
    return label;
}

// Options below each other, their descriptions in a column and wrapped at the line width.
QString optionRows(const QList<QCommandLineOption> &options)
{
    qsizetype column = 0;
    for (const QCommandLineOption &option : options)
        column = std::max(column, optionLabel(option).size() + 6);
    QString rows;
    for (const QCommandLineOption &option : options) {
        QString line = QString(u"  "_s + optionLabel(option)).leftJustified(column);
        bool first = true;
        for (const QString &word : option.description().split(u' ', Qt::SkipEmptyParts)) {
            if (!first && line.size() + 1 + word.size() > lineWidth) {
                rows += line + u'\n';
                line = QString(column, u' ');
                first = true;
            }
            line += (first ? QString() : u" "_s) + word;
            first = false;
        }
        rows += line + u'\n';
    }
    return rows;
}

QString exitCodes()
{
    return CommandTable::tr("Exit codes: 0 healthy, 1 could not connect, 2 usage error or invalid "
                            "input,\n"
                            "3 a required check failed, 4 keychain unavailable.\n");
}

} // namespace

CommandTable::CommandTable(QList<Subcommand> subcommands)
    : m_subcommands(std::move(subcommands))
{ }

CommandTable CommandTable::standard()
{
    return CommandTable(
            QList<Subcommand>{CheckCommand::subcommand(), UrlCommand::subcommand(),
                              MonitorCommand::subcommand()}
            + ProfilesCommand::subcommands()
            + QList<Subcommand>{ImportCommand::subcommand(), ExportCommand::subcommand()}
            + HistoryCommand::subcommands());
}

CommandTable::Match CommandTable::find(const QStringList &words) const
{
    QStringList rest = words;
    const bool help = rest.removeAll(u"--help"_s) + rest.removeAll(u"-h"_s) > 0;
    // Nothing but the program's own options (the window's --profile NAME) around --help: the
    // whole help, as for no words at all.
    if (rest.isEmpty() || (help && rest.constFirst().startsWith(u'-')))
        return {.help = helpText()};
    Match match = lookup(rest);
    if (!help)
        return match;
    if (match.subcommand)
        return {.help = helpText(*match.subcommand)};
    if (rest.size() == 1) {
        const QString group = groupHelpText(rest.constFirst());
        if (!group.isEmpty())
            return {.help = group};
    }
    // An unknown subcommand stays a usage error with --help: a script learns of the typo.
    return match;
}

CommandTable::Match CommandTable::lookup(const QStringList &words) const
{
    const QString command = words.value(0);
    // A group ("profiles") is the first word of the names of its actions ("profiles add").
    // One argument that holds a space names neither: "profiles add" in quotes is unknown.
    QStringList actions;
    for (const Subcommand &subcommand : m_subcommands) {
        if (command.contains(u' '))
            break;
        if (subcommand.name == command)
            return {subcommand, words.mid(1), {}, {}};
        if (subcommand.name.startsWith(command + u' '))
            actions << subcommand.name.mid(command.size() + 1);
    }
    if (actions.isEmpty())
        return {.error = tr("unknown command \"%1\"").arg(CommandSupport::terminalSafe(command))};
    if (words.size() < 2) {
        const QString last = actions.takeLast();
        return {.error = actions.isEmpty()
                        ? tr("%1 needs %2").arg(command, last)
                        : tr("%1 needs %2 or %3").arg(command, actions.join(u", "_s), last)};
    }
    const QString &action = words.at(1);
    for (const Subcommand &subcommand : m_subcommands) {
        if (subcommand.name == command + u' ' + action)
            return {subcommand, words.mid(2), {}, {}};
    }
    return {.error
            = tr("unknown %1 action \"%2\" (%3)")
                      .arg(command, CommandSupport::terminalSafe(action), actions.join(u", "_s))};
}

QString CommandTable::helpText() const
{
    QString text = tr("Usage:\n")
            + helpRow(u"[--profile NAME]"_s, tr("open the window, optionally on a profile"))
            + helpRow(u"[--color-scheme light|dark]"_s,
                      tr("the window in the Fusion style with a light or a dark palette"))
            + helpRow(u"--version | --help"_s, {});
    for (const Subcommand &subcommand : m_subcommands)
        text += helpRow(subcommand.name + u' ' + subcommand.usage, subcommand.summary);
    return text + u'\n'
            + tr("SUBCOMMAND --help prints that subcommand's options.\n"
                 "URL is a postgresql:// or postgres:// URL, a SQLAlchemy postgresql+driver:// "
                 "URL, or libpq key=value pairs.\n"
                 "ENV is development, staging, production, test or other.\n"
                 "Passwords are kept in the system keychain (service orderflow-dbadmin), never "
                 "in the profiles file;\n"
                 "--password-stdin reads the password from standard input instead of the URL.\n"
                 "A name already saved is refused unless --rename or --replace says what to do.\n")
            + u'\n' + exitCodes() + u'\n'
            + tr("Environment: ORDERFLOW_DBADMIN_CONFIG_DIR overrides the folder of "
                 "profiles.json and history.sqlite;\nLANG, LC_ALL and LC_MESSAGES choose the "
                 "language.\n");
}

QString CommandTable::helpText(const Subcommand &subcommand) const
{
    const QCommandLineOption help({u"h"_s, u"help"_s}, tr("Show this help."));
    return tr("Usage:\n") + helpRow(subcommand.name + u' ' + subcommand.usage, subcommand.summary)
            + u'\n' + tr("Options:\n") + optionRows(subcommand.options + QList{help}) + u'\n'
            + exitCodes();
}

QString CommandTable::groupHelpText(const QString &group) const
{
    if (group.isEmpty() || group.contains(u' '))
        return {};
    QString rows;
    for (const Subcommand &subcommand : m_subcommands) {
        if (subcommand.name.startsWith(group + u' '))
            rows += helpRow(subcommand.name + u' ' + subcommand.usage, subcommand.summary);
    }
    if (rows.isEmpty())
        return {};
    return tr("Usage:\n") + rows + u'\n'
            + tr("%1 ACTION --help prints that action's options.\n").arg(group) + u'\n'
            + exitCodes();
}
