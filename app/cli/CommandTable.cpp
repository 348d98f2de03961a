#include "CommandTable.h"

#include "cli/CheckCommand.h"
#include "cli/CommandSupport.h"
#include "cli/ExportCommand.h"
#include "cli/ImportCommand.h"
#include "cli/MonitorCommand.h"
#include "cli/ProfilesCommand.h"
#include "cli/UrlCommand.h"

using namespace Qt::Literals::StringLiterals;
using CommandSupport::tr;

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
            + QList<Subcommand>{ImportCommand::subcommand(), ExportCommand::subcommand()});
}

CommandTable::Match CommandTable::find(const QStringList &words) const
{
    const QString command = words.value(0);
    // A group ("profiles") is the first word of the names of its actions ("profiles add").
    // One argument that holds a space names neither: "profiles add" in quotes is unknown.
    QStringList actions;
    for (const Subcommand &subcommand : m_subcommands) {
        if (command.contains(u' '))
            break;
        if (subcommand.name == command)
            return {subcommand, words.mid(1), {}};
        if (subcommand.name.startsWith(command + u' '))
            actions << subcommand.name.mid(command.size() + 1);
    }
    if (actions.isEmpty())
        return {std::nullopt,
                {},
                tr("unknown command \"%1\"").arg(CommandSupport::terminalSafe(command))};
    if (words.size() < 2) {
        const QString last = actions.takeLast();
        return {std::nullopt,
                {},
                actions.isEmpty()
                        ? tr("%1 needs %2").arg(command, last)
                        : tr("%1 needs %2 or %3").arg(command, actions.join(u", "_s), last)};
    }
    const QString &action = words.at(1);
    for (const Subcommand &subcommand : m_subcommands) {
        if (subcommand.name == command + u' ' + action)
            return {subcommand, words.mid(2), {}};
    }
    return {std::nullopt,
            {},
            tr("unknown %1 action \"%2\" (%3)")
                    .arg(command, CommandSupport::terminalSafe(action), actions.join(u", "_s))};
}

QString CommandTable::helpText() const
{
    QString text = tr("Usage:\n")
            + helpRow(tr("[--profile NAME]"), tr("open the window, optionally on a profile"))
            + helpRow(u"[--color-scheme light|dark]"_s,
                      tr("the window in the Fusion style with a light or a dark palette"))
            + helpRow(u"--version | --help"_s, {});
    for (const Subcommand &subcommand : m_subcommands)
        text += helpRow(subcommand.name + u' ' + subcommand.usage, subcommand.summary);
    return text
            + tr("\n"
                 "URL is a postgresql:// or postgres:// URL, a SQLAlchemy postgresql+driver:// "
                 "URL, or libpq key=value pairs.\n"
                 "ENV is development, staging, production, test or other.\n"
                 "Passwords are kept in the system keychain (service orderflow-dbadmin), never "
                 "in the profiles file;\n"
                 "--password-stdin reads the password from standard input instead of the URL.\n"
                 "A name already saved is refused unless --rename or --replace says what to do.\n"
                 "\n"
                 "Exit codes: 0 healthy, 1 could not connect, 2 usage error or invalid input,\n"
                 "3 a required check failed, 4 keychain unavailable.\n"
                 "\n"
                 "Environment: ORDERFLOW_DBADMIN_CONFIG_DIR overrides the folder of "
                 "profiles.json.\n");
}
