#include "MonitorCommand.h"

#include "QuitOnSignal.h"
#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "cli/HistoryCommand.h"
#include "connection/ConnectionUrl.h"
#include "history/HistoryWriter.h"
#include "metrics/MetricsExporter.h"
#include "metrics/MetricsHttpServer.h"
#include "pool/ActivitySampler.h"
#include "pool/PgBouncerRoute.h"
#include "profiles/Profile.h"
#include "profiles/ProfileRepository.h"
#include "secrets/PasswordResolver.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QHostAddress>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

namespace {

// "127.0.0.1:9187" or "[::1]:9187": an IP address (a name could resolve to more than the one
// address the user meant) and a port; port 0 takes a free one.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    const bool bracketed = host.startsWith(u'[') && host.endsWith(u']');
    if (bracketed)
        host = host.mid(1, host.size() - 2);
    // An IPv6 address needs its brackets, or the port could not be told from it.
    if (host.contains(u':') != bracketed || !address->setAddress(host))
        return false;
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    *port = quint16(number);
    return true;
}

} // namespace

void MonitorCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    bool ok = false;
    const int interval = parser.value(u"interval"_s).toInt(&ok);
    if (!ok || interval < 100 || interval > 3600000)
        return context.usageError(tr("--interval takes milliseconds from 100 to 3600000"));
    if (parser.isSet(u"listen"_s))
        return listen(context, parser, interval);
    if (parser.isSet(u"all"_s))
        return context.usageError(tr("--all goes with --listen"));
    if (parser.isSet(u"profile"_s) == parser.isSet(u"url"_s))
        return context.usageError(tr("monitor needs either --profile NAME or --url URL"));
    if (parser.values(u"profile"_s).size() > 1)
        return context.usageError(tr("monitor takes one --profile, or several with --listen"));
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
                            sampler->setProfile(chosen, outcome.password, context.secrets());
                            const PgBouncerRoute &bouncer = sampler->pgBouncerRoute();
                            // The table has no PgBouncer column; JSON says it in each sample.
                            if (!json && bouncer.isSet() && !bouncer.isReachable())
                                printErr(bouncer.unreachable);
                            start();
                        });
            });
}

void MonitorCommand::listen(CommandContext &context, const QCommandLineParser &parser, int interval)
{
    for (const QString &option : {u"url"_s, u"password-stdin"_s, u"samples"_s, u"json"_s}) {
        if (parser.isSet(option))
            return context.usageError(tr("--listen does not take --%1").arg(option));
    }
    if (parser.isSet(u"profile"_s) == parser.isSet(u"all"_s))
        return context.usageError(tr("--listen needs --profile NAME (one or more) or --all"));
    QHostAddress address;
    quint16 port = 0;
    if (!parseListenAddress(parser.value(u"listen"_s), &address, &port))
        return context.usageError(tr("--listen takes ADDR:PORT with an IP address as ADDR, such as "
                                     "127.0.0.1:9187 or [::1]:9187"));
    const QStringList names = parser.values(u"profile"_s);
    context.withProfiles([&context, names, address, port, interval]() {
        QList<Profile> chosen;
        if (names.isEmpty())
            chosen = context.repository()->profiles();
        for (const QString &name : names) {
            const auto profile = context.profileNamed(name);
            if (!profile)
                return;
            // Named twice ("Prod" and "prod"): sampled once, or its series would clash.
            const bool known
                    = std::any_of(chosen.cbegin(), chosen.cend(),
                                  [&profile](const Profile &p) { return p.id == profile->id; });
            if (!known)
                chosen << *profile;
        }
        if (chosen.isEmpty()) {
            printErr(tr("orderflow-dbadmin: there are no profiles to monitor"));
            return context.finish(ExitUsage);
        }
        auto *exporter = new MetricsExporter(context.secrets(), &context);
        auto serve = [&context, exporter, address, port]() {
            auto *server = new MetricsHttpServer(
                    [exporter](MetricsText::Format format) { return exporter->page(format); },
                    &context);
            if (!server->listen(address, port)) {
                printErr(tr("orderflow-dbadmin: cannot listen on %1: %2")
                                 .arg(address.toString(), server->errorString()));
                return context.finish(ExitUsage);
            }
            exporter->start();
            const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                    ? u'[' + address.toString() + u']'
                    : address.toString();
            printOut(tr("Serving metrics at http://%1:%2/metrics until stopped (SIGTERM).")
                             .arg(host, QString::number(server->port())));
            // A service's normal end: stopped by its service manager, it exits 0.
            QuitOnSignal::exitCleanly();
        };
        resolvePasswords(context, chosen, exporter, interval, serve);
    });
}

void MonitorCommand::resolvePasswords(CommandContext &context, QList<Profile> profiles,
                                      MetricsExporter *exporter, int interval,
                                      const std::function<void()> &done)
{
    if (profiles.isEmpty())
        return done();
    const Profile profile = profiles.takeFirst();
    auto *resolver = new PasswordResolver(context.secrets(), &context);
    resolver->resolve(profile, &context,
                      [&context, resolver, profile, profiles, exporter, interval,
                       done](const PasswordOutcome &outcome) {
                          resolver->deleteLater();
                          if (!outcome.ok) {
                              printErr(tr("orderflow-dbadmin: profile \"%1\": %2 %3")
                                               .arg(terminalSafe(profile.name),
                                                    outcome.failure.headline(),
                                                    outcome.failure.message));
                              return context.finish(exitCodeFor(outcome.failure.category));
                          }
                          exporter->addProfile(profile, outcome.password, interval);
                          resolvePasswords(context, profiles, exporter, interval, done);
                      });
}

Subcommand MonitorCommand::subcommand()
{
    return {
            .name = u"monitor"_s,
            .usage = targetUsage()
                    + u" [--interval MS] [--samples N] [--json] [--record] | --listen ADDR:PORT "
                      "(--profile NAME ... | --all) [--interval MS]"_s,
            .summary = tr("sample a server's connections and pool use, or serve them to "
                          "Prometheus"),
            .options = targetOptions()
                    + QList<QCommandLineOption>{{u"interval"_s,
                                                 tr("Milliseconds between samples (default 1000)."),
                                                 u"MS"_s, u"1000"_s},
                                                {u"samples"_s, tr("Stop after N samples."), u"N"_s},
                                                {u"json"_s, tr("One JSON object per line.")},
                                                {u"record"_s,
                                                 tr("Also keep each sample in the history "
                                                    "(history export reads it back).")},
                                                {u"listen"_s,
                                                 tr("Serve the samples of each --profile (or of "
                                                    "--all) at "
                                                    "http://ADDR:PORT/metrics for Prometheus, "
                                                    "until SIGTERM; "
                                                    "ADDR is an IP address, port 0 takes a free "
                                                    "port."),
                                                 u"ADDR:PORT"_s},
                                                {u"all"_s,
                                                 tr("With --listen: every saved profile.")}},
            .run = &run,
    };
}
