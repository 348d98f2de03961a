#include "HistoryCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "pool/Clock.h"
#include "profiles/Profile.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

namespace {

void printProblems(HistoryStore &store)
{
    for (const QString &problem : store.takeProblems())
        printErr(HistoryCommand::tr("warning: %1").arg(problem));
}

QString isoTime(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n')
        && !text.contains(u'\r'))
        return text;
    return u'"' + QString(text).replace(u'"', u"\"\""_s) + u'"';
}

QString number(const std::optional<double> &value)
{
    return value ? QString::number(*value) : QString();
}

QString samplesCsv(const QList<HistorySample> &samples)
{
    QStringList header{u"t"_s, u"ok"_s, u"category"_s};
    for (int i = 0; i < HistoryMetricCount; ++i)
        header << HistoryMetrics::column(HistoryMetric(i));
    header << u"message"_s;
    QString csv = header.join(u',') + u'\n';
    for (const HistorySample &sample : samples) {
        QStringList fields{isoTime(sample.msecs), sample.ok ? u"1"_s : u"0"_s, sample.category};
        for (int i = 0; i < HistoryMetricCount; ++i)
            fields << number(sample.value(HistoryMetric(i)));
        fields << csvField(PlainText::terminalSafe(QString(sample.message).replace(u'\n', u' ')));
        csv += fields.join(u',') + u'\n';
    }
    return csv;
}

QString minutesCsv(const QList<HistoryMinute> &minutes)
{
    QStringList header{u"t"_s, u"samples"_s, u"failures"_s};
    for (int i = 0; i < HistoryMetricCount; ++i) {
        const QString column = HistoryMetrics::column(HistoryMetric(i));
        header << column + u"_min"_s << column + u"_max"_s << column + u"_mean"_s;
    }
    QString csv = header.join(u',') + u'\n';
    for (const HistoryMinute &minute : minutes) {
        QStringList fields{isoTime(minute.msecs), QString::number(minute.samples),
                           QString::number(minute.failures)};
        for (const HistoryMinute::Range &range : minute.ranges) {
            if (range.present)
                fields << QString::number(range.min) << QString::number(range.max)
                       << QString::number(range.mean);
            else
                fields << QString() << QString() << QString();
        }
        csv += fields.join(u',') + u'\n';
    }
    return csv;
}

QJsonObject minuteJson(const HistoryMinute &minute)
{
    QJsonObject object{{u"t"_s, isoTime(minute.msecs)},
                       {u"samples"_s, minute.samples},
                       {u"failures"_s, minute.failures}};
    for (int i = 0; i < HistoryMetricCount; ++i) {
        const HistoryMinute::Range &range = minute.range(HistoryMetric(i));
        object.insert(HistoryMetrics::column(HistoryMetric(i)),
                      range.present ? QJsonValue(QJsonObject{{u"min"_s, range.min},
                                                             {u"max"_s, range.max},
                                                             {u"mean"_s, range.mean}})
                                    : QJsonValue());
    }
    return object;
}

QString testsCsv(const QList<HistoryTest> &tests)
{
    QString csv = u"t,ok,health,category,failed_stage,elapsed_ms,summary\n"_s;
    for (const HistoryTest &test : tests)
        csv += QStringList{isoTime(test.msecs),
                           test.ok ? u"1"_s : u"0"_s,
                           test.health,
                           test.category,
                           test.failedStage,
                           QString::number(test.elapsedMs),
                           csvField(PlainText::terminalSafe(test.summary))}
                        .join(u',')
                + u'\n';
    return csv;
}

// Opens the store for a command; history that cannot be kept is a warning, not a failure.
std::unique_ptr<HistoryStore> openStore(const Clock *clock, HistoryStore::Mode mode)
{
    auto store = std::make_unique<HistoryStore>(HistoryStore::defaultPath(), clock);
    store->open(mode);
    printProblems(*store);
    return store;
}

const SystemClock systemClock;

} // namespace

std::optional<qint64> HistoryCommand::parseDuration(const QString &text)
{
    static const QRegularExpression pattern(u"^([0-9]{1,6})([smhd])$"_s);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 count = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    const qint64 seconds = unit == u's' ? 1 : unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400;
    if (count == 0)
        return std::nullopt;
    return count * seconds * 1000;
}

HistoryWriter *HistoryCommand::startRecording(CommandContext &context)
{
    // A command records a few rows and ends: reading a 70 MiB file whole for damage first
    // would add a fifth of a second to it.
    auto *writer = new HistoryWriter(HistoryStore::defaultPath(), {}, &context,
                                     HistoryStore::Mode::Append);
    // Direct: a problem found by the last write, as the run ends, is still printed.
    QObject::connect(
            writer, &HistoryWriter::problemReported, writer,
            [](const QString &problem) { printErr(tr("warning: %1").arg(problem)); },
            Qt::DirectConnection);
    return writer;
}

void HistoryCommand::exportRows(CommandContext &context, const QCommandLineParser &parser)
{
    if (!parser.isSet(u"profile"_s))
        return context.usageError(tr("history export needs --profile NAME"));
    const auto since = parseDuration(parser.value(u"since"_s));
    if (!since)
        return context.usageError(tr("--since takes a duration such as 30s, 15m, 24h or 7d"));
    const QString format = parser.value(u"format"_s);
    if (format != u"csv"_s && format != u"json"_s)
        return context.usageError(tr("--format takes csv or json"));
    const QString rows = parser.value(u"rows"_s);
    if (rows != u"samples"_s && rows != u"minutes"_s && rows != u"tests"_s)
        return context.usageError(tr("--rows takes samples, minutes or tests"));
    const bool json = format == u"json"_s;
    context.withProfile(
            parser.value(u"profile"_s), [&context, since, json, rows](const Profile &profile) {
                const auto store = openStore(&systemClock, HistoryStore::Mode::Read);
                const qint64 to = systemClock.now().toMSecsSinceEpoch() + 1;
                const qint64 from = to - 1 - *since;
                QString out;
                if (rows == u"samples"_s) {
                    const QList<HistorySample> samples = store->samples(profile.id, from, to);
                    if (!json)
                        out = samplesCsv(samples);
                    else
                        for (const HistorySample &sample : samples)
                            printJson(sample.toJson());
                } else if (rows == u"minutes"_s) {
                    const QList<HistoryMinute> minutes = store->minutes(profile.id, from, to);
                    if (!json)
                        out = minutesCsv(minutes);
                    else
                        for (const HistoryMinute &minute : minutes)
                            printJson(minuteJson(minute));
                } else {
                    QList<HistoryTest> tests = store->tests(profile.id);
                    std::reverse(tests.begin(), tests.end());
                    tests.removeIf([from](const HistoryTest &test) { return test.msecs < from; });
                    if (!json)
                        out = testsCsv(tests);
                    else
                        for (const HistoryTest &test : tests)
                            printJson(test.toJson());
                }
                if (!json)
                    printOut(out.chopped(1));
                context.finish(ExitHealthy);
            });
}

void HistoryCommand::prune(CommandContext &context, const QCommandLineParser &)
{
    openStore(&systemClock, HistoryStore::Mode::Record)->prune();
    context.finish(ExitHealthy);
}

void HistoryCommand::clear(CommandContext &context, const QCommandLineParser &parser)
{
    if (!parser.isSet(u"profile"_s)) {
        openStore(&systemClock, HistoryStore::Mode::Record)->clear();
        return context.finish(ExitHealthy);
    }
    context.withProfile(parser.value(u"profile"_s), [&context](const Profile &profile) {
        openStore(&systemClock, HistoryStore::Mode::Record)->clear(profile.id);
        context.finish(ExitHealthy);
    });
}

QList<Subcommand> HistoryCommand::subcommands()
{
    const QCommandLineOption profile(u"profile"_s, tr("The saved profile's name."), u"NAME"_s);
    return {
            {
                    .name = u"history export"_s,
                    .usage = u"--profile NAME --since DURATION --format csv|json "
                             "[--rows samples|minutes|tests]"_s,
                    .summary = tr("print a profile's recorded samples or tests"),
                    .options = {profile,
                                {u"since"_s,
                                 tr("How far back: 30s, 15m, 24h, 7d (samples are kept for 24 "
                                    "hours, minutes for 30 days)."),
                                 u"DURATION"_s},
                                {u"format"_s,
                                 tr("csv (a header row, then one row each) or json (one object "
                                    "per line, as monitor --json prints them)."),
                                 u"FORMAT"_s},
                                {u"rows"_s,
                                 tr("samples (1 Hz, default), minutes (min, max and mean per "
                                    "minute) or tests (the last 50 connection tests)."),
                                 u"ROWS"_s, u"samples"_s}},
                    .run = &exportRows,
            },
            {
                    .name = u"history prune"_s,
                    .usage = QString(),
                    .summary = tr("apply the history's retention now"),
                    .run = &prune,
            },
            {
                    .name = u"history clear"_s,
                    .usage = u"[--profile NAME]"_s,
                    .summary = tr("forget the history of one profile, or of all"),
                    .options = {profile},
                    .run = &clear,
            },
    };
}
