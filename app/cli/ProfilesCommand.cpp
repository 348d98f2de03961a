#include "ProfilesCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "connection/ConnectionUrl.h"
#include "interop/Catalogue.h"
#include "profiles/ProfileRepository.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

void ProfilesCommand::list(CommandContext &context, const QCommandLineParser &parser)
{
    const bool json = parser.isSet(u"json"_s);
    context.withProfiles([&context, json]() {
        const QList<Profile> &profiles = context.repository()->profiles();
        if (json) {
            QJsonArray array;
            for (const Profile &profile : profiles) {
                array.append(QJsonObject{
                        {u"id"_s, profile.id},
                        {u"name"_s, profile.name},
                        {u"environment"_s, Environments::id(profile.environment)},
                        {u"url"_s, profile.redactedUrl()},
                        {u"password_stored"_s, profile.hasStoredPassword()},
                        {u"route"_s,
                         profile.route.isDirect()
                                 ? QJsonValue()
                                 : QJsonValue(QJsonObject{
                                         {u"kind"_s, profile.route.kindId()},
                                         {u"route"_s, profile.route.redacted()},
                                         // What the keychain holds for it, never the secret.
                                         {u"ssh_secret"_s,
                                          profile.sshSecret == SshSecret::None
                                                  ? QJsonValue()
                                                  : QJsonValue(
                                                          SshSecrets::id(profile.sshSecret))}})},
                });
            }
            printJson(array);
        } else if (profiles.isEmpty()) {
            printErr(tr("No profiles yet. Add one with: orderflow-dbadmin profiles add NAME --url "
                        "URL"));
        } else {
            QString out;
            for (const Profile &profile : profiles)
                // One .arg() call: a "%2" inside a name must stay text.
                out += u"%1 %2 %3%4\n"_s.arg(
                        terminalSafe(profile.name).leftJustified(20),
                        Environments::id(profile.environment).leftJustified(12),
                        terminalSafe(profile.redactedUrl()),
                        profile.route.isDirect()
                                ? QString()
                                : u" ("_s + terminalSafe(profile.route.via()) + u')');
            printOut(out);
        }
        context.finish(ExitHealthy);
    });
}

void ProfilesCommand::add(CommandContext &context, const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return context.usageError(tr("profiles add needs exactly one NAME"));
    if (!parser.isSet(u"url"_s))
        return context.usageError(tr("profiles add needs --url URL"));
    const auto clash = clashPolicy(parser);
    if (!clash)
        return context.usageError(tr("--rename and --replace exclude each other"));
    const QString name = positional.first().trimmed();
    if (name.isEmpty())
        return context.usageError(tr("the profile name is empty"));

    Environment environment = Environments::guessFromName(name);
    if (parser.isSet(u"environment"_s)) {
        const QString id = parser.value(u"environment"_s);
        const auto chosen = Environments::fromId(id);
        if (!chosen)
            return context.usageError(tr("unknown environment \"%1\" (development, staging, "
                                         "production, test, other)")
                                              .arg(id));
        environment = *chosen;
    }

    QString error;
    const auto url = ConnectionUrl::parseValid(parser.value(u"url"_s), &error);
    if (!url) {
        printErr(tr("invalid connection string: %1").arg(error));
        return context.finish(ExitUsage);
    }

    const auto route = routeFrom(parser, &error);
    if (!route)
        return context.usageError(error);

    NewProfile entry;
    entry.profile = Profile::fromUrl(name, environment, *url);
    entry.profile.route = *route;
    const UrlPassword given = passwordFor(*url, parser.isSet(u"password-stdin"_s));
    if (!given.ok)
        return context.finish(ExitUsage);
    if (given.fromStdin)
        entry.password = given.fromStdin;
    else if (url->hasPassword())
        entry.password = url->password();
    const bool passphrase = parser.isSet(u"ssh-passphrase-stdin"_s);
    const bool sshPassword = parser.isSet(u"ssh-password-stdin"_s);
    if (passphrase || sshPassword) {
        const QString flag = passphrase ? u"--ssh-passphrase-stdin"_s : u"--ssh-password-stdin"_s;
        if (passphrase && sshPassword)
            return context.usageError(
                    tr("--ssh-passphrase-stdin and --ssh-password-stdin exclude each other"));
        if (route->kind != Route::Kind::Ssh)
            return context.usageError(tr("%1 needs --ssh").arg(flag));
        // After the database password's line when both come from standard input.
        const int line = parser.isSet(u"password-stdin"_s) ? 1 : 0;
        entry.sshSecret = standardInputLines().value(line);
        if (entry.sshSecret->isEmpty())
            return context.usageError(
                    line == 0 ? tr("%1 was given but standard input held no line").arg(flag)
                              : tr("%1 was given but standard input held no second line (the "
                                   "first is the database password)")
                                        .arg(flag));
        entry.profile.sshSecret = passphrase ? SshSecret::Passphrase : SshSecret::Password;
    }

    context.withProfiles([&context, entry, clash]() {
        context.actions()->add(
                {entry}, *clash, &context, [&context](const ProfileActionResult &result) {
                    printWarnings(result);
                    if (!result.ok())
                        return context.failWith(result);
                    const Profile &saved = result.profiles.constFirst();
                    printOut(tr("Saved profile \"%1\" (%2): %3")
                                     .arg(terminalSafe(saved.name),
                                          Environments::id(saved.environment),
                                          terminalSafe(saved.redactedUrl())));
                    if (!saved.route.isDirect())
                        printOut(tr("It is reached %1: %2")
                                         .arg(terminalSafe(saved.route.via()),
                                              terminalSafe(saved.route.redacted())));
                    if (saved.hasStoredPassword())
                        printOut(tr("The password is in the system keychain as %1 / %2.")
                                         .arg(SecretStore::serviceName(),
                                              SecretStore::keyFor(saved.id)));
                    const QString sshEntry
                            = SecretStore::keyFor(SecretStore::sshSecretId(saved.id));
                    if (saved.sshSecret == SshSecret::Passphrase)
                        printOut(
                                tr("The SSH key's passphrase is in the system keychain as %1 / %2.")
                                        .arg(SecretStore::serviceName(), sshEntry));
                    if (saved.sshSecret == SshSecret::Password)
                        printOut(tr("The SSH password is in the system keychain as %1 / %2.")
                                         .arg(SecretStore::serviceName(), sshEntry));
                    context.finish(ExitHealthy);
                });
    });
}

void ProfilesCommand::remove(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("profiles remove needs exactly one NAME"));
    const QString confirmation = parser.value(u"confirm"_s);

    context.withProfile(
            parser.positionalArguments().first(), [&context, confirmation](const Profile &profile) {
                context.actions()->remove(
                        profile.id, confirmation, &context,
                        [&context, profile](const ProfileActionResult &result) {
                            if (result.status == ProfileActionResult::Status::ConfirmationNeeded) {
                                printErr(tr("orderflow-dbadmin: \"%1\" is a production profile; "
                                            "nothing was removed. To remove it, add --confirm %2")
                                                 .arg(terminalSafe(profile.name),
                                                      shellQuoted(profile.name)));
                                return context.finish(ExitUsage);
                            }
                            if (!result.ok())
                                return context.failWith(result);
                            printOut(tr("Removed profile \"%1\".").arg(terminalSafe(profile.name)));
                            context.finish(ExitHealthy);
                        });
            });
}

void ProfilesCommand::rotatePassword(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("profiles rotate-password needs exactly one NAME"));
    int length = PasswordRotation::DefaultLength;
    if (parser.isSet(u"length"_s)) {
        bool ok = false;
        length = parser.value(u"length"_s).toInt(&ok);
        if (!ok)
            return context.usageError(tr("--length needs a number"));
    }
    const bool updateShared = parser.isSet(u"update-shared"_s);
    const bool skipShared = parser.isSet(u"skip-shared"_s);
    if (updateShared && skipShared)
        return context.usageError(tr("--update-shared and --skip-shared exclude each other"));
    const QString confirmation = parser.value(u"confirm"_s);

    context.withProfile(
            parser.positionalArguments().first(), [=, &context](const Profile &profile) {
                const QList<Profile> sharing
                        = PasswordRotation::sharingRole(context.repository()->profiles(), profile);
                QStringList sharingNames;
                QStringList sharingIds;
                for (const Profile &other : sharing) {
                    sharingNames << u'"' + terminalSafe(other.name) + u'"';
                    sharingIds << other.id;
                }
                if (!sharing.isEmpty() && !updateShared && !skipShared) {
                    printErr(tr("orderflow-dbadmin: nothing was changed. These profiles log in as "
                                "the "
                                "same role on the same server, and the old password would stop "
                                "working "
                                "for them too: %1. Add --update-shared to give them the new "
                                "password as "
                                "well, or --skip-shared to leave them.")
                                     .arg(sharingNames.join(u", "_s)));
                    return context.finish(ExitUsage);
                }
                auto *rotation
                        = new PasswordRotation(context.repository(), context.secrets(), &context);
                rotation->start(
                        profile.id, confirmation, length, updateShared ? sharingIds : QStringList(),
                        [=, &context](const PasswordRotation::Outcome &outcome) {
                            rotation->deleteLater();
                            ProfileActionResult result = outcome.result;
                            if (result.status == ProfileActionResult::Status::ConfirmationNeeded) {
                                printErr(tr("orderflow-dbadmin: \"%1\" is a production profile; "
                                            "nothing "
                                            "was changed. To rotate its password, add --confirm %2")
                                                 .arg(terminalSafe(profile.name),
                                                      shellQuoted(profile.name)));
                                return context.finish(ExitUsage);
                            }
                            if (!result.ok()) {
                                // The one time this command prints a password: the server holds it
                                // and nothing else does.
                                if (outcome.passwordToKeep)
                                    result.errors
                                            << tr("New password: %1").arg(*outcome.passwordToKeep);
                                return context.failWith(result);
                            }
                            const ConnectionUrl url = profile.connectionUrl();
                            printOut(tr("Rotated the password of \"%1\" (role %2 on %3): the "
                                        "server, the "
                                        "keychain and the profile hold the new one.")
                                             .arg(terminalSafe(profile.name),
                                                  terminalSafe(url.value(u"user"_s)),
                                                  terminalSafe(url.value(u"host"_s) + u':'
                                                               + url.value(u"port"_s))));
                            if (updateShared && !sharingNames.isEmpty())
                                printOut(tr("Also given the new password: %1.")
                                                 .arg(sharingNames.join(u", "_s)));
                            else if (!sharingNames.isEmpty())
                                printErr(tr("Left as they were, with a password that no longer "
                                            "works: "
                                            "%1.")
                                                 .arg(sharingNames.join(u", "_s)));
                            for (const QString &warning : std::as_const(result.warnings))
                                printErr(u"orderflow-dbadmin: "_s + terminalSafe(warning));
                            context.finish(ExitHealthy);
                        });
            });
}

void ProfilesCommand::exportCatalogue(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("profiles export-catalogue needs exactly one FILE"));
    const QString path = parser.positionalArguments().first();
    context.withProfiles([&context, path]() {
        const Catalogue::Result written
                = Catalogue::writeFile(path, context.repository()->profiles());
        if (!written.ok) {
            printErr(tr("orderflow-dbadmin: %1: %2 (nothing was written)")
                             .arg(terminalSafe(path), terminalSafe(written.error)));
            return context.finish(ExitUsage);
        }
        printOut(tr("Wrote %1 without passwords; profiles in it: %2.")
                         .arg(terminalSafe(path), QString::number(written.profiles.size())));
        context.finish(ExitHealthy);
    });
}

void ProfilesCommand::importCatalogue(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return context.usageError(tr("profiles import-catalogue needs exactly one FILE"));
    const QString path = parser.positionalArguments().first();
    const bool dryRun = parser.isSet(u"dry-run"_s);
    const QStringList confirmed = parser.values(u"confirm"_s);
    const Catalogue::Result read = Catalogue::readFile(path);
    if (!read.ok) {
        printErr(tr("orderflow-dbadmin: %1: %2 (nothing was imported)")
                         .arg(terminalSafe(path), terminalSafe(read.error)));
        return context.finish(ExitUsage);
    }
    if (!read.otherMembers.isEmpty())
        printErr(tr("orderflow-dbadmin: note: this version does not know %1; only %2 keeps "
                    "them, and an export over it keeps them there.")
                         .arg(terminalSafe(read.otherMembers.join(u", "_s)), terminalSafe(path)));
    context.withProfiles([&context, path, dryRun, confirmed, read]() {
        const Catalogue::Plan plan
                = Catalogue::plan(read.profiles, context.repository()->profiles());
        QString out;
        for (const Catalogue::Change &change : plan.changes) {
            const Profile &profile = change.profile;
            const QString name = u"\"%1\" (%2)"_s.arg(terminalSafe(profile.name),
                                                      Environments::id(profile.environment));
            switch (change.kind) {
            case Catalogue::Change::Kind::Added:
                out += tr("added      %1: %2").arg(name, Catalogue::passwordNote(profile));
                break;
            case Catalogue::Change::Kind::Changed:
                out += tr("changed    %1: %2").arg(name, change.fields.join(u", "_s));
                break;
            case Catalogue::Change::Kind::Unchanged:
                out += tr("unchanged  %1").arg(name);
                break;
            }
            out += u'\n';
        }
        if (!out.isEmpty())
            printOut(out);
        if (!plan.problems.isEmpty()) {
            for (const QString &problem : plan.problems)
                printErr(u"orderflow-dbadmin: "_s + problem);
            printErr(tr("orderflow-dbadmin: %1: nothing was imported.").arg(terminalSafe(path)));
            return context.finish(ExitUsage);
        }
        // A production profile that becomes another environment loses the read-only guard
        // on this tool's sessions: as for removing one, its name must be given again.
        const QStringList unconfirmed = plan.unconfirmed(confirmed);
        for (const QString &name : unconfirmed)
            printErr(tr("orderflow-dbadmin: \"%1\" is a production profile here; the catalogue "
                        "moves it to another environment, which lifts the read-only guard on "
                        "this tool's sessions to it. To allow it, add --confirm %2")
                             .arg(terminalSafe(name), shellQuoted(name)));
        if (dryRun) {
            printOut(tr("%1; nothing was changed (--dry-run).").arg(Catalogue::summary(plan)));
            return context.finish(ExitHealthy);
        }
        if (!unconfirmed.isEmpty()) {
            printErr(tr("orderflow-dbadmin: %1: nothing was imported.").arg(terminalSafe(path)));
            return context.finish(ExitUsage);
        }
        context.actions()->importCatalogue(
                plan, &context, [&context, path, plan](const ProfileActionResult &result) {
                    if (!result.ok()) {
                        printErr(tr("orderflow-dbadmin: %1: nothing was imported.")
                                         .arg(terminalSafe(path)));
                        return context.failWith(result);
                    }
                    printOut(tr("Imported %1: %2. The keychain was not touched.")
                                     .arg(terminalSafe(path), Catalogue::summary(plan)));
                    context.finish(ExitHealthy);
                });
    });
}

QList<Subcommand> ProfilesCommand::subcommands()
{
    const QCommandLineOption confirm(u"confirm"_s,
                                     tr("The profile's name again; a production profile needs it."),
                                     u"NAME"_s);
    return {
            {
                    .name = u"profiles list"_s,
                    .usage = u"[--json]"_s,
                    .summary = tr("list the saved profiles"),
                    .options = {{u"json"_s, tr("Print JSON.")}},
                    .run = &list,
            },
            {
                    .name = u"profiles add"_s,
                    .usage = u"NAME --url URL [--environment ENV] [--password-stdin] "_s
                            + routeUsage()
                            + u" [--ssh-passphrase-stdin | --ssh-password-stdin]"
                              u" [--rename | --replace]"_s,
                    .summary = tr("save a profile; its password goes to the keychain"),
                    .options
                    = QList<QCommandLineOption>{{u"url"_s, tr("The connection string."), u"URL"_s},
                                                {u"environment"_s,
                                                 tr("The environment: development, "
                                                    "staging, production, test or other "
                                                    "(default: guessed from NAME)."),
                                                 u"ENV"_s},
                                                {u"password-stdin"_s,
                                                 tr("Read the password from standard "
                                                    "input.")},
                                                {u"ssh-passphrase-stdin"_s,
                                                 tr("Read the passphrase of the SSH key from "
                                                    "standard input (the next line after the "
                                                    "password with --password-stdin) into the "
                                                    "keychain.")},
                                                {u"ssh-password-stdin"_s,
                                                 tr("Read the SSH password from standard input, "
                                                    "likewise.")}}
                            + routeOptions() + clashOptions(),
                    .positional = Subcommand::Positional::Allowed,
                    .run = &add,
            },
            {
                    .name = u"profiles remove"_s,
                    .usage = u"NAME [--confirm NAME]"_s,
                    .summary = tr("remove a profile (production needs --confirm)"),
                    .options = {confirm},
                    .positional = Subcommand::Positional::Allowed,
                    .run = &remove,
            },
            {
                    .name = u"profiles rotate-password"_s,
                    .usage = u"NAME [--confirm NAME] [--length N] [--update-shared | "
                             u"--skip-shared]"_s,
                    .summary = tr("rotate the password on the server and in the keychain at once"),
                    .options = {confirm,
                                {u"length"_s,
                                 tr("Characters in the new password, %1 to %2 (default %3).")
                                         .arg(QString::number(PasswordRotation::MinimumLength),
                                              QString::number(PasswordRotation::MaximumLength),
                                              QString::number(PasswordRotation::DefaultLength)),
                                 u"N"_s},
                                {u"update-shared"_s,
                                 tr("Give the new password also to the other profiles that log "
                                    "in as the same role on the same server.")},
                                {u"skip-shared"_s,
                                 tr("Leave those profiles as they are (their saved password "
                                    "stops working).")}},
                    .positional = Subcommand::Positional::Allowed,
                    .run = &rotatePassword,
            },
            {
                    .name = u"profiles export-catalogue"_s,
                    .usage = u"FILE"_s,
                    .summary = tr("write every profile to a team catalogue, without passwords"),
                    .positional = Subcommand::Positional::Allowed,
                    .run = &exportCatalogue,
            },
            {
                    .name = u"profiles import-catalogue"_s,
                    .usage = u"FILE [--dry-run] [--confirm NAME ...]"_s,
                    .summary = tr("add and update profiles from a team catalogue"),
                    .options
                    = {{u"dry-run"_s, tr("Only show what would be added, changed and unchanged.")},
                       {u"confirm"_s,
                        tr("The name of a production profile the catalogue moves to "
                           "another environment; once for each."),
                        u"NAME"_s}},
                    .positional = Subcommand::Positional::Allowed,
                    .run = &importCatalogue,
            },
    };
}
