#include "SupportReport.h"

#include "connection/SslModes.h"

#include "PlainText.h"
#include "connection/AttemptReport.h"
#include "connection/AttemptResult.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

namespace SupportReport {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SupportReport)
};

QString rounded(double value)
{
    return QString::number(AttemptReport::rounded(value));
}

QString libpqVersion()
{
    const int version = PQlibVersion();
    return u"%1.%2"_s.arg(version / 10000).arg(version % 10000);
}

QString indented(const QString &text)
{
    return u"  "_s + QString(text).replace(u'\n', u"\n  "_s);
}

// Each item on one line, whatever the server or the profile put in it: a name with a line
// break must not add a step of its own.
QString list(const QString &title, const QStringList &lines, bool numbered)
{
    if (lines.isEmpty())
        return {};
    QString out = u"\n"_s + title + u'\n';
    for (qsizetype i = 0; i < lines.size(); ++i)
        out += (numbered ? u"  %1. "_s.arg(i + 1) : u"  - "_s)
                + PlainText::terminalSafe(lines.at(i)) + u'\n';
    return out;
}

QString environmentHeader(const Profile *profile)
{
    QString out = Text::tr("OrderFlow DB Admin connection report\n");
    out += Text::tr("Product: OrderFlow DB Admin %1\n").arg(QStringLiteral(ORDERFLOW_VERSION));
    out += Text::tr("libpq: %1\n").arg(libpqVersion());
    out += Text::tr("Qt: %1\n").arg(QString::fromLatin1(qVersion()));
    out += Text::tr("OS: %1 (%2 %3, %4)\n")
                   .arg(QSysInfo::prettyProductName(), QSysInfo::kernelType(),
                        QSysInfo::kernelVersion(), QSysInfo::currentCpuArchitecture());
    out += Text::tr("Time (UTC): %1\n")
                   .arg(QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm:ss'Z'"_s));
    if (profile)
        out += Text::tr("Profile: %1, environment %2\n")
                       .arg(profile->name, Environments::id(profile->environment));
    else
        out += Text::tr("Profile: none (a connection string)\n");
    return out + u'\n';
}

QString stages(const QList<StageTiming> &timings)
{
    QString out = Text::tr("\nStages:\n");
    for (const StageTiming &timing : timings) {
        QString line = u"  %1 %2"_s.arg(timing.stateId(), -8)
                               .arg(ConnectionStages::id(timing.stage), -9);
        const bool ran = timing.skip != StageTiming::Skip::NotNeeded
                && timing.skip != StageTiming::Skip::NotReached;
        if (ran)
            line += Text::tr(" %1 ms").arg(rounded(timing.milliseconds));
        if (timing.skip != StageTiming::Skip::None)
            line += u" ("_s + timing.note() + u')';
        out += line + u'\n';
    }
    return out;
}

QString serverFacts(const AttemptResult &result)
{
    const ServerFacts &facts = result.server;
    QString out
            = Text::tr("\nServer: PostgreSQL %1 (%2)\n").arg(facts.version).arg(facts.versionNum);
    if (facts.sslInUse) {
        out += Text::tr("TLS: %1, %2\n").arg(facts.sslProtocol, facts.sslCipher);
        if (!facts.certificateSubject.isEmpty())
            out += Text::tr("Certificate: %1, issued by %2, valid until %3\n")
                           .arg(facts.certificateSubject, facts.certificateIssuer,
                                facts.certificateNotAfter.toString(Qt::ISODate));
    } else {
        out += Text::tr("TLS: not in use\n");
    }
    out += Text::tr("Round trip: %1 ms\n").arg(rounded(result.latencyMs));
    if (facts.maxConnections > 0)
        out += Text::tr("max_connections: %1 (superuser_reserved_connections %2)\n")
                       .arg(facts.maxConnections)
                       .arg(facts.superuserReservedConnections);
    return out;
}

} // namespace

QString text(const AttemptResult &result, const CheckVerdict &verdict, const Profile *profile,
             bool withEnvironment)
{
    QString out = withEnvironment ? environmentHeader(profile) : QString();
    const Diagnosis &diagnosis = result.diagnosis;
    out += Text::tr("Summary: %1\n").arg(verdict.summary);
    out += Text::tr("Target: %1\n")
                   .arg(result.target.isEmpty() ? Text::tr("(not readable)") : result.target);
    if (result.tunnel)
        out += result.tunnel->localPort > 0
                ? Text::tr("Through: %1 (libpq dials its local port 127.0.0.1:%2)\n")
                          .arg(PlainText::terminalSafe(result.tunnel->route),
                               QString::number(result.tunnel->localPort))
                : Text::tr("Through: %1\n").arg(PlainText::terminalSafe(result.tunnel->route));
    if (!result.ok && !result.cancelled) {
        out += Text::tr("Category: %1, at stage %2\n")
                       .arg(diagnosis.categoryId(), ConnectionStages::id(diagnosis.stage));
        const StepContext &tried = diagnosis.context;
        if (!tried.host.isEmpty() || !tried.user.isEmpty())
            out += Text::tr("Tried: user %1 at %2 port %3, database %4, sslmode %5\n")
                           .arg(PlainText::terminalSafe(tried.user),
                                PlainText::terminalSafe(tried.host),
                                PlainText::terminalSafe(tried.port),
                                PlainText::terminalSafe(tried.dbname),
                                PlainText::terminalSafe(tried.sslmode.isEmpty()
                                                                ? SslModes::defaultMode()
                                                                : tried.sslmode));
    }
    out += Text::tr("Elapsed: %1 ms\n").arg(rounded(result.elapsedMs));
    if (!verdict.stages.isEmpty())
        out += stages(verdict.stages);

    if (result.ok) {
        out += serverFacts(result);
        for (const RequiredCheck &check : verdict.failedChecks()) {
            out += Text::tr("\nFailed required check: %1\n")
                           .arg(PlainText::terminalSafe(check.message));
            for (const QString &step : check.fix)
                out += u"  - "_s + PlainText::terminalSafe(step) + u'\n';
        }
    } else if (!result.cancelled) {
        if (!diagnosis.message.isEmpty())
            out += Text::tr("\nMessage:\n") + indented(diagnosis.message) + u'\n';
        if (!diagnosis.sqlstate.isEmpty())
            out += Text::tr("SQLSTATE: %1\n").arg(diagnosis.sqlstate);
        out += list(Text::tr("Evidence:"), diagnosis.evidence, false);
        out += list(Text::tr("What to do:"), diagnosis.hints(), true);
    }
    out += list(Text::tr("Warnings:"), result.warnings, false);
    QStringList sources;
    for (const ParameterSource &source : result.parameters)
        sources << u"%1 = %2  (%3%4)"_s.arg(source.keyword, source.value, source.originId(),
                                            source.detail.isEmpty() ? QString()
                                                                    : u": "_s + source.detail);
    out += list(Text::tr("Parameters in effect:"), sources, false);
    // Whatever still came from outside (a server message's escape sequences) stays inert on a
    // terminal and on the clipboard; the report's own line breaks stay.
    return PlainText::terminalSafe(out, true);
}

} // namespace SupportReport
