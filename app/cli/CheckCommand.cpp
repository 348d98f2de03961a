#include "CheckCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "cli/HistoryCommand.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "history/HistoryRecords.h"
#include "history/HistoryWriter.h"
#include "pool/PoolerReader.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"
#include "profiles/SupportReport.h"
#include "secrets/PasswordResolver.h"
#include "tunnel/TunnelRegistry.h"

#include <QCommandLineParser>
#include <QDateTime>

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

// Prints the result and gives the exit code that goes with it; the pooler's findings, if any,
// are shown but leave the exit code to the database connection.
int report(Output output, const AttemptResult &result, const Profile *profile,
           const std::optional<PoolerReport> &pooler = std::nullopt)
{
    const CheckVerdict verdict = CheckVerdict::of(result, profile);
    if (output == Output::Json) {
        QJsonObject object = verdict.toJson(result);
        object.insert(u"pooler"_s, pooler ? QJsonValue(pooler->toJson()) : QJsonValue());
        printJson(object);
    } else {
        QString text = SupportReport::text(result, verdict, profile, output == Output::Report);
        if (pooler)
            text += u'\n' + pooler->text() + u'\n';
        printOut(text);
    }
    return exitCodeOf(verdict, result);
}

// The server's slots for ordinary roles, as the attempt found them; -1 when it did not connect.
int serverCapacityOf(const AttemptResult &result)
{
    return result.ok && result.snapshot ? result.snapshot->slotCounts().usable() : -1;
}

// The profile checked, its password for its PgBouncer admin console after the attempt, and
// where its test is recorded.
struct Target
{
    std::optional<Profile> profile;
    std::optional<QString> password;
    HistoryWriter *history = nullptr;

    // As the window records its tests: the window then shows this one, and history export
    // prints it. A history that cannot be written is a warning on stderr, never another exit
    // code or another line on stdout.
    void record(const AttemptResult &result) const
    {
        if (!profile || !history || result.cancelled)
            return;
        history->record(HistoryTest::of(profile->id, QDateTime::currentMSecsSinceEpoch(), result,
                                        CheckVerdict::of(result, &*profile)));
    }
};

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
    auto target = std::make_shared<Target>();
    QObject::connect(
            attempt, &ConnectionAttempt::finished, &context,
            [&context, output, attempt, target, timeout](const AttemptResult &result) {
                attempt->deleteLater();
                target->record(result);
                const Profile *profile = target->profile ? &*target->profile : nullptr;
                if (!profile || !profile->pgbouncer.enabled)
                    return context.finish(report(output, result, profile));
                // After the attempt, not beside it: an SSH host key it accepted is known by
                // the time the console's own tunnel starts.
                auto *reader = new PoolerReader(&context);
                reader->read(*profile, target->password, timeout > 0 ? timeout : 5,
                             [&context, output, result, chosen = *profile,
                              reader](const PoolerSettings &settings) {
                                 reader->deleteLater();
                                 context.finish(report(output, result, &chosen,
                                                       PoolerReport::of(settings, chosen,
                                                                        serverCapacityOf(result))));
                             });
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
            [&context, target, attempt, timeout, output, tunnelFor](const Profile &chosen) {
                target->profile = chosen;
                target->history = HistoryCommand::startRecording(context);
                auto *resolver = new PasswordResolver(context.secrets(), &context);
                resolver->resolve(chosen, &context,
                                  [&context, attempt, resolver, chosen, timeout, output, target,
                                   tunnelFor](const PasswordOutcome &outcome) {
                                      resolver->deleteLater();
                                      if (!outcome.ok) {
                                          attempt->deleteLater();
                                          AttemptResult result;
                                          result.diagnosis = outcome.failure;
                                          result.target = chosen.redactedUrl();
                                          target->record(result);
                                          return context.finish(report(output, result, &chosen));
                                      }
                                      target->password = outcome.password;
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
