#include "ImportCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "interop/ImportFile.h"
#include "interop/PgPassFile.h"
#include "interop/ProfileExchange.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineParser>
#include <QFile>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

void ImportCommand::takePasswords(CommandContext &context, const QString &path)
{
    const PgPassFile::ParseResult file = PgPassFile::read(path);
    if (!file.ok) {
        printErr(tr("%1: %2 (nothing was imported)").arg(path, terminalSafe(file.error)));
        return context.finish(ExitUsage);
    }
    context.withProfiles([&context, path, file]() {
        context.actions()->takePasswords(
                [file](const Profile &profile) { return file.passwordFor(profile); }, &context,
                [&context, path](const ProfileActionResult &result) {
                    for (const Profile &profile : result.profiles)
                        printOut(tr("\"%1\" took its password from %2 into the keychain.")
                                         .arg(terminalSafe(profile.name), path));
                    if (!result.ok())
                        return context.failWith(result);
                    if (result.profiles.isEmpty()) {
                        printErr(tr("%1: no entry matches a saved profile's host, port, "
                                    "database and user; nothing was imported")
                                         .arg(path));
                        return context.finish(ExitUsage);
                    }
                    context.finish(ExitHealthy);
                });
    });
}

void ImportCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    const bool env = parser.isSet(u"env"_s);
    const int sources
            = int(env) + int(parser.isSet(u"pg-service"_s)) + int(parser.isSet(u"pgpass"_s));
    if (sources != 1 || !parser.positionalArguments().isEmpty())
        return context.usageError(
                tr("import needs one of --env FILE, --pg-service FILE or --pgpass FILE"));
    const auto clash = clashPolicy(parser);
    if (!clash)
        return context.usageError(tr("--rename and --replace exclude each other"));

    if (parser.isSet(u"pgpass"_s))
        return takePasswords(context, parser.value(u"pgpass"_s));

    const QString path = parser.value(env ? u"env"_s : u"pg-service"_s);
    const ImportFile::Content content = ImportFile::read(path);
    if (!content.ok) {
        printErr(tr("cannot read %1: %2").arg(path, content.error));
        return context.finish(ExitUsage);
    }
    const ProfileExchange::ImportResult imported = env
            ? ProfileExchange::fromEnv(content.bytes)
            : ProfileExchange::fromPgService(content.bytes);
    if (!imported.ok) {
        printErr(tr("%1: %2 (nothing was imported)").arg(path, terminalSafe(imported.error)));
        return context.finish(ExitUsage);
    }
    for (const QString &warning : imported.warnings)
        printErr(tr("%1: warning: %2").arg(path, terminalSafe(warning)));
    context.withProfiles([&context, path, imported, clash]() {
        context.actions()->add(
                imported.profiles, *clash, &context,
                [&context, path](const ProfileActionResult &result) {
                    printWarnings(result);
                    if (!result.ok()) {
                        printErr(tr("%1: nothing was imported.").arg(path));
                        return context.failWith(result);
                    }
                    for (const Profile &profile : result.profiles)
                        printOut(tr("Imported \"%1\" (%2): %3%4")
                                         .arg(terminalSafe(profile.name),
                                              Environments::id(profile.environment),
                                              terminalSafe(profile.redactedUrl()),
                                              profile.hasStoredPassword()
                                                      ? tr(", password in the keychain")
                                                      : QString()));
                    context.finish(ExitHealthy);
                });
    });
}

Subcommand ImportCommand::subcommand()
{
    return {
            .name = u"import"_s,
            .usage = u"(--env FILE | --pg-service FILE | --pgpass FILE) [--rename | --replace]"_s,
            .summary = tr("save profiles from a file, passwords from .pgpass"),
            .options
            = QList<QCommandLineOption>{{u"env"_s, tr("A .env file."), u"FILE"_s},
                                        {u"pg-service"_s, tr("A pg_service.conf file."), u"FILE"_s},
                                        {u"pgpass"_s, tr("A .pgpass file."), u"FILE"_s}}
                    + clashOptions(),
            // Refused below with the message that names the three sources.
            .positional = Subcommand::Positional::Allowed,
            .run = &run,
    };
}
