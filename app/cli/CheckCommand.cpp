#include "CheckCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"
#include "profiles/SupportReport.h"
#include "secrets/PasswordResolver.h"
#include "tunnel/TunnelRegistry.h"

#include <QCommandLineParser>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

namespace {

int exitCodeOf(const CheckVerdict &verdict, const AttemptResult &result)
{
    switch (verdict.health) {
    case CheckVerdict::Health::Healthy:
        return ExitHealthy;
    case CheckVerdict::Health::ChecksFailed:
        return ExitCheckFailed;
    case CheckVerdict::Health::Failed:
    case CheckVerdict::Health::Cancelled:
        break;
    }
    return exitCodeFor(result.diagnosis.category);
}

enum class Output { Text, Json, Report };

// Prints the result and gives the exit code that goes with it.
int report(Output output, const AttemptResult &result, const Profile *profile)
{
    const CheckVerdict verdict = CheckVerdict::of(result, profile);
    if (output == Output::Json)
        printJson(verdict.toJson(result));
    else
        printOut(SupportReport::text(result, verdict, profile, output == Output::Report));
    return exitCodeOf(verdict, result);
}

} // namespace

void CheckCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    const bool fromUrl = parser.isSet(u"url"_s);
    if (parser.isSet(u"profile"_s) == fromUrl)
        return context.usageError(tr("check needs either --profile NAME or --url URL"));
    if (parser.isSet(u"json"_s) && parser.isSet(u"report"_s))
        return context.usageError(tr("check takes --json or --report, not both"));
    int timeout = 0;
    if (parser.isSet(u"timeout"_s)) {
        bool ok = false;
        timeout = parser.value(u"timeout"_s).toInt(&ok);
        if (!ok || timeout < 1 || timeout > 3600)
            return context.usageError(tr("--timeout takes a number of seconds from 1 to 3600"));
    }
    const Output output = parser.isSet(u"json"_s) ? Output::Json
            : parser.isSet(u"report"_s)           ? Output::Report
                                                  : Output::Text;

    auto *attempt = new ConnectionAttempt(&context);
    auto profile = std::make_shared<std::optional<Profile>>();
    QObject::connect(attempt, &ConnectionAttempt::finished, &context,
                     [&context, output, attempt, profile](const AttemptResult &result) {
                         attempt->deleteLater();
                         context.finish(report(output, result, *profile ? &**profile : nullptr));
                     });

    QString routeError;
    const auto route = routeFrom(parser, &routeError);
    if (!route)
        return context.usageError(routeError);
    if (!fromUrl && !route->isDirect())
        return context.usageError(tr("--ssh and --tunnel-command go with --url; a profile has "
                                     "its own route"));
    const bool acceptNewHostKey = parser.isSet(u"accept-new-host-key"_s);
    auto tunnelFor = [acceptNewHostKey, timeout](TunnelSpec spec) {
        spec.acceptNewHostKey = acceptNewHostKey;
        if (timeout > 0)
            spec.timeoutSeconds = timeout;
        return TunnelRegistry::instance()->lease(spec);
    };

    if (fromUrl) {
        ConnectionRequest request;
        request.text = parser.value(u"url"_s);
        request.timeoutSeconds = timeout;
        // A string that does not parse is the attempt's to diagnose (invalid_url).
        if (const auto url = ConnectionUrl::parse(request.text)) {
            request.tunnel = tunnelFor(TunnelSpec::forUrl(*route, *url));
            const UrlPassword given = passwordFor(*url, parser.isSet(u"password-stdin"_s));
            if (!given.ok)
                return context.finish(ExitUsage);
            if (given.fromStdin) {
                request.password = given.fromStdin;
                request.passwordOrigin = u"stdin"_s;
            }
        }
        return attempt->start(request);
    }

    context.withProfile(
            parser.value(u"profile"_s),
            [&context, profile, attempt, timeout, output, tunnelFor](const Profile &chosen) {
                *profile = chosen;
                auto *resolver = new PasswordResolver(context.secrets(), &context);
                resolver->resolve(chosen, &context,
                                  [&context, attempt, resolver, chosen, timeout, output,
                                   tunnelFor](const PasswordOutcome &outcome) {
                                      resolver->deleteLater();
                                      if (!outcome.ok) {
                                          attempt->deleteLater();
                                          AttemptResult result;
                                          result.diagnosis = outcome.failure;
                                          result.target = chosen.redactedUrl();
                                          return context.finish(report(output, result, &chosen));
                                      }
                                      ConnectionRequest request;
                                      request.url = chosen.connectionUrl();
                                      request.password = outcome.password;
                                      request.passwordOrigin = outcome.origin;
                                      request.policy = chosen.sessionPolicy();
                                      request.timeoutSeconds = timeout;
                                      request.tunnel = tunnelFor(TunnelSpec::forProfile(chosen));
                                      attempt->start(request);
                                  });
            });
}

Subcommand CheckCommand::subcommand()
{
    return {
            .name = u"check"_s,
            .usage = targetUsage() + u" "_s + routeUsage()
                    + u" [--accept-new-host-key] [--json | --report] [--timeout SECONDS]"_s,
            .summary = tr("test a connection and diagnose failures"),
            .options = targetOptions() + routeOptions()
                    + QList<QCommandLineOption>{{u"accept-new-host-key"_s,
                                                 tr("Add an SSH host key that is not known yet to "
                                                    "~/.ssh/known_hosts (a changed key is still "
                                                    "refused).")},
                                                {u"json"_s, tr("Print JSON.")},
                                                {u"report"_s,
                                                 tr("Print a report for a support ticket "
                                                    "(versions, time, environment).")},
                                                {u"timeout"_s, tr("Seconds for the whole attempt."),
                                                 u"SECONDS"_s}},
            .run = &run,
    };
}
