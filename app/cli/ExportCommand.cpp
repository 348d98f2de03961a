#include "ExportCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "interop/ProfileExchange.h"
#include "profiles/Profile.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

namespace {

void run(CommandContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption formatOption(u"format"_s, tr("The format."), u"FORMAT"_s);
    const QCommandLineOption passwordOption(u"with-password"_s,
                                            tr("Include the password from the keychain."));
    parser.addOptions({formatOption, passwordOption});
    if (!context.parse(parser, u"export"_s, arguments, CommandContext::Positional::Allowed))
        return;
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("export needs exactly one profile NAME"));
    const auto format = ProfileExchange::formatFromId(parser.value(formatOption));
    if (!format)
        return context.usageError(
                tr("export needs --format %1").arg(ProfileExchange::formatIds().join(u'|')));
    const bool withPassword = parser.isSet(passwordOption);
    const ProfileExchange::Format chosenFormat = *format;
    context.withProfile(
            parser.positionalArguments().first(),
            [&context, withPassword, chosenFormat](const Profile &chosen) {
                if (!withPassword) {
                    printOut(ProfileExchange::write(chosen, chosenFormat));
                    return context.finish(ExitHealthy);
                }
                context.secrets()->readPassword(
                        chosen.id, &context,
                        [&context, chosen, chosenFormat](const SecretResult &result) {
                            if (!result.ok()) {
                                printErr(tr("The password could not be read from the keychain: %1")
                                                 .arg(result.message));
                                return context.finish(result.keychainUnavailable()
                                                              ? ExitKeychainUnavailable
                                                              : ExitUsage);
                            }
                            printErr(tr("warning: the output contains the password of %1; keep it "
                                        "out of version control.")
                                             .arg(terminalSafe(chosen.name)));
                            printOut(ProfileExchange::write(chosen, chosenFormat, result.password));
                            context.finish(ExitHealthy);
                        });
            });
}

} // namespace

Subcommand ExportCommand::subcommand()
{
    return {u"export"_s,
            tr("NAME --format %1 [--with-password]").arg(ProfileExchange::formatIds().join(u'|')),
            tr("print a profile in the format another tool reads"), &run};
}
