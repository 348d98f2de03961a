#include "MonitorCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "cli/HistoryCommand.h"
#include "connection/ConnectionUrl.h"
#include "history/HistoryWriter.h"
#include "pool/ActivitySampler.h"
#include "pool/PgBouncerRoute.h"
#include "profiles/Profile.h"
#include "secrets/PasswordResolver.h"
#include "tunnel/TunnelRegistry.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

void MonitorCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.isSet(u"profile"_s) == parser.isSet(u"url"_s))
        return context.usageError(tr("monitor needs either --profile NAME or --url URL"));
    bool ok = false;
    const int interval = parser.value(u"interval"_s).toInt(&ok);
    if (!ok || interval < 100 || interval > 3600000)
        return context.usageError(tr("--interval takes milliseconds from 100 to 3600000"));
    int samples = -1;
    if (parser.isSet(u"samples"_s)) {
        samples = parser.value(u"samples"_s).toInt(&ok);
        if (!ok || samples < 1)
            return context.usageError(tr("--samples takes a positive number"));
    }
    const bool json = parser.isSet(u"json"_s);
    // History is kept per profile: a bare URL has no id to keep it under.
    if (parser.isSet(u"record"_s) && !parser.isSet(u"profile"_s))
        return context.usageError(tr("--record needs --profile NAME"));
    // Set once the profile is known; every sample is queued to it from then on.
    auto record = std::make_shared<std::function<void(const ActivitySample &)>>();

    auto *sampler = new ActivitySampler(&context);
    sampler->setInterval(interval);
    auto pool = std::make_shared<PoolSettings>();
    auto remaining = std::make_shared<int>(samples);
    // The table's header once sampling starts, not above an error about the profile or URL.
    auto start = [sampler, json]() {
        if (!json)
            printOut(tr("time      ok  in_db  active  idle  idle_tx  total/usable  pool  tool"));
        sampler->start();
    };
    QObject::connect(
            sampler, &ActivitySampler::sampleReceived, &context,
            [&context, sampler, json, pool, remaining, record](const ActivitySample &sample) {
                if (*record)
                    (*record)(sample);
                if (json) {
                    printJson(sample.toJson(*pool));
                } else if (sample.ok) {
                    printOut(u"%1  ok  %2  %3  %4  %5  %6  %7  %8"_s
                                     .arg(sample.t.toLocalTime().toString(u"HH:mm:ss"_s))
                                     .arg(sample.counts.inDatabase, 5)
                                     .arg(sample.byState.value(u"active"_s), 6)
                                     .arg(sample.byState.value(u"idle"_s), 4)
                                     .arg(sample.byState.value(u"idle in transaction"_s), 7)
                                     .arg(u"%1/%2"_s.arg(sample.counts.total)
                                                  .arg(sample.serverCapacity()),
                                          12)
                                     .arg(pool->capacity(), 4)
                                     .arg(sample.counts.toolSessions, 4));
                } else {
                    printOut(u"%1  --  %2: %3"_s.arg(sample.t.toLocalTime().toString(u"HH:mm:ss"_s),
                                                     sample.category,
                                                     QString(sample.message).replace(u'\n', u' ')));
                }
                if (*remaining > 0 && --*remaining == 0) {
                    sampler->stop();
                    context.finish(ExitHealthy);
                }
            });

    if (parser.isSet(u"url"_s)) {
        QString parseError;
        const auto url = ConnectionUrl::parseValid(parser.value(u"url"_s), &parseError);
        if (!url) {
            printErr(tr("invalid connection string: %1").arg(parseError));
            return context.finish(ExitUsage);
        }
        const UrlPassword given = passwordFor(*url, parser.isSet(u"password-stdin"_s));
        if (!given.ok)
            return context.finish(ExitUsage);
        sampler->setTarget(*url, given.fromStdin);
        return start();
    }

    context.withProfile(
            parser.value(u"profile"_s),
            [&context, pool, sampler, start, json, record,
             recording = parser.isSet(u"record"_s)](const Profile &chosen) {
                *pool = chosen.pool;
                if (recording)
                    *record = [writer = HistoryCommand::startRecording(context), id = chosen.id,
                               capacity = chosen.pool.capacity()](const ActivitySample &sample) {
                        writer->record(HistorySample::of(id, sample, capacity));
                    };
                auto *resolver = new PasswordResolver(context.secrets(), &context);
                resolver->resolve(
                        chosen, &context,
                        [&context, resolver, sampler, chosen, start,
                         json](const PasswordOutcome &outcome) {
                            resolver->deleteLater();
                            if (!outcome.ok) {
                                printErr(outcome.failure.headline() + u' '
                                         + outcome.failure.message);
                                return context.finish(exitCodeFor(outcome.failure.category));
                            }
                            sampler->setTarget(chosen.connectionUrl(), outcome.password,
                                               chosen.sessionPolicy(),
                                               TunnelRegistry::leaseFor(chosen));
                            sampler->setPasswordSupplier(
                                    PasswordResolver::supplierFor(chosen, context.secrets()));
                            PgBouncerRoute bouncer = PgBouncerRoute::forProfile(chosen);
                            // The table has no PgBouncer column; JSON says it in each sample.
                            if (!json && bouncer.isSet() && !bouncer.isReachable())
                                printErr(bouncer.unreachable);
                            if (bouncer.isSet())
                                sampler->setPgBouncer(std::move(bouncer), outcome.password);
                            start();
                        });
            });
}

Subcommand MonitorCommand::subcommand()
{
    return {
            .name = u"monitor"_s,
            .usage = targetUsage() + u" [--interval MS] [--samples N] [--json] [--record]"_s,
            .summary = tr("sample a server's connections and pool use"),
            .options = targetOptions()
                    + QList<QCommandLineOption>{{u"interval"_s,
                                                 tr("Milliseconds between samples (default 1000)."),
                                                 u"MS"_s, u"1000"_s},
                                                {u"samples"_s, tr("Stop after N samples."), u"N"_s},
                                                {u"json"_s, tr("One JSON object per line.")},
                                                {u"record"_s,
                                                 tr("Also keep each sample in the history "
                                                    "(history export reads it back).")}},
            .run = &run,
    };
}
