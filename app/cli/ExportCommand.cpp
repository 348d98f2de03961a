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

void ExportCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("export needs exactly one profile NAME"));
    const auto format = ProfileExchange::formatFromId(parser.value(u"format"_s));
    if (!format)
        return context.usageError(
                tr("export needs --format %1").arg(ProfileExchange::formatIds().join(u'|')));
    const bool withPassword = parser.isSet(u"with-password"_s);
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

Subcommand ExportCommand::subcommand()
{
    const QString formats = ProfileExchange::formatIds().join(u'|');
    return {
            .name = u"export"_s,
            .usage = u"NAME --format %1 [--with-password]"_s.arg(formats),
            .summary = tr("print a profile in the format another tool reads"),
            .options = {{u"format"_s, tr("The format: %1.").arg(formats), u"FORMAT"_s},
                        {u"with-password"_s, tr("Include the password from the keychain.")}},
            .positional = Subcommand::Positional::Allowed,
            .run = &run,
    };
}
