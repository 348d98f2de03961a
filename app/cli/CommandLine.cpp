#include "CommandLine.h"

#include "ComponentVersions.h"
#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/CommandTable.h"
#include "cli/ExitCode.h"

#include <QCommandLineParser>

using namespace Qt::Literals::StringLiterals;

CommandLine::CommandLine(const QStringList &arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(arguments)
    , m_context(new CommandContext(this))
{
    connect(m_context, &CommandContext::finished, this, &CommandLine::finished);
}

CommandLine::~CommandLine() = default;

bool CommandLine::handles(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--help"_s || argument == u"-h"_s || argument == u"--version"_s
            || argument == u"-v"_s)
            return true;
        if (argument == u"--profile"_s || argument == u"--color-scheme"_s) {
            ++i; // its value is a profile or scheme name, not a subcommand
            continue;
        }
        // Any word is a subcommand; an unknown one gets a usage error, not a window.
        if (!argument.startsWith(u'-'))
            return true;
    }
    return false;
}

QString CommandLine::versionText()
{
    return ComponentVersions::running().line();
}

QString CommandLine::helpText()
{
    return CommandTable::standard().helpText();
}

void CommandLine::start()
{
    const QStringList rest = m_arguments.mid(1);
    if (rest.contains(u"--version"_s) || rest.contains(u"-v"_s)) {
        CommandSupport::printOut(versionText());
        return m_context->finish(ExitHealthy);
    }
    // --help after a subcommand prints that subcommand's help; the table decides which.
    const CommandTable::Match match = CommandTable::standard().find(rest);
    if (!match.help.isEmpty()) {
        CommandSupport::printOut(match.help);
        return m_context->finish(ExitHealthy);
    }
    if (!match.subcommand)
        return m_context->usageError(match.error);
    // The options come from the subcommand's row, the same ones its --help lists.
    QCommandLineParser parser;
    if (m_context->parse(parser, *match.subcommand, match.arguments))
        match.subcommand->run(*m_context, parser);
}
