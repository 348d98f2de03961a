#include "CheckCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "connection/AttemptReport.h"
#include "connection/ConnectionAttempt.h"
#include "profiles/Profile.h"
#include "profiles/RequiredChecks.h"
#include "secrets/PasswordResolver.h"

#include <QCommandLineParser>
#include <QJsonObject>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

namespace {

void run(CommandContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption profileOption(u"profile"_s, tr("A saved profile."), u"NAME"_s);
    const QCommandLineOption urlOption(u"url"_s, tr("A connection string."), u"URL"_s);
    const QCommandLineOption jsonOption(u"json"_s, tr("Print JSON."));
    const QCommandLineOption timeoutOption(u"timeout"_s, tr("Seconds for the whole attempt."),
                                           u"SECONDS"_s);
    parser.addOptions({profileOption, urlOption, jsonOption, timeoutOption});
    if (!context.parse(parser, u"check"_s, arguments))
        return;
    if (parser.isSet(profileOption) == parser.isSet(urlOption))
        return context.usageError(tr("check needs either --profile NAME or --url URL"));
    int timeout = 0;
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        timeout = parser.value(timeoutOption).toInt(&ok);
        if (!ok || timeout < 1 || timeout > 3600)
            return context.usageError(tr("--timeout takes a number of seconds from 1 to 3600"));
    }
    const bool json = parser.isSet(jsonOption);

    auto *attempt = new ConnectionAttempt(&context);
    auto profile = std::make_shared<std::optional<Profile>>();
    QObject::connect(
            attempt, &ConnectionAttempt::finished, &context,
            [&context, json, attempt, profile](const AttemptResult &result) {
                attempt->deleteLater();
                int code = ExitHealthy;
                const QStringList required = *profile ? (*profile)->requiredExtensions
                                                      : Profile::defaultRequiredExtensions();
                QJsonObject object = AttemptReport::toJson(result, required);
                QString failedChecks;
                if (result.ok) {
                    QList<RequiredCheck> checks;
                    if (*profile)
                        checks = RequiredChecks::evaluate(**profile, result);
                    if (result.snapshot)
                        checks << RequiredChecks::extensionChecks(required, *result.snapshot);
                    object.insert(u"checks"_s, RequiredChecks::toJson(checks));
                    if (!RequiredChecks::allMet(checks)) {
                        // Connected, but a required check failed: "ok" is false, the
                        // category stays "ok", and the exit code is 3.
                        code = ExitCheckFailed;
                        object.insert(u"ok"_s, false);
                        for (const RequiredCheck &check : std::as_const(checks)) {
                            if (!check.met)
                                failedChecks
                                        += tr("Required check failed: %1\n").arg(check.message);
                        }
                    }
                }
                if (!result.ok)
                    code = exitCodeFor(result.diagnosis.category);
                if (json)
                    printJson(object);
                else
                    printOut(AttemptReport::toText(result) + failedChecks);
                context.finish(code);
            });

    auto report = [&context, json](const Diagnosis &diagnosis, const QString &target, int code) {
        AttemptResult result;
        result.diagnosis = diagnosis;
        result.target = target;
        if (json)
            printJson(AttemptReport::toJson(result));
        else
            printOut(AttemptReport::toText(result));
        context.finish(code);
    };

    if (parser.isSet(urlOption)) {
        ConnectionRequest request;
        request.text = parser.value(urlOption);
        request.timeoutSeconds = timeout;
        return attempt->start(request);
    }

    context.withProfile(parser.value(profileOption),
                        [&context, profile, attempt, timeout, report](const Profile &chosen) {
                            *profile = chosen;
                            auto *resolver = new PasswordResolver(context.secrets(), &context);
                            resolver->resolve(
                                    chosen, &context,
                                    [attempt, resolver, chosen, timeout,
                                     report](const PasswordOutcome &outcome) {
                                        resolver->deleteLater();
                                        if (!outcome.ok) {
                                            attempt->deleteLater();
                                            return report(outcome.failure, chosen.redactedUrl(),
                                                          exitCodeFor(outcome.failure.category));
                                        }
                                        ConnectionRequest request;
                                        request.url = chosen.connectionUrl();
                                        request.password = outcome.password;
                                        request.policy = chosen.sessionPolicy();
                                        request.timeoutSeconds = timeout;
                                        attempt->start(request);
                                    });
                        });
}

} // namespace

Subcommand CheckCommand::subcommand()
{
    return {u"check"_s, tr("(--profile NAME | --url URL) [--json] [--timeout SECONDS]"),
            tr("test a connection and diagnose failures"), &run};
}
