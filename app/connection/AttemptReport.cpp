#include "AttemptReport.h"

#include "connection/ExtensionRequirements.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

QString ParameterSource::originId() const
{
    switch (origin) {
    case Origin::Profile:
        return u"profile"_s;
    case Origin::Environment:
        return u"environment"_s;
    case Origin::Service:
        return u"service"_s;
    case Origin::PasswordFile:
        return u"pgpass"_s;
    case Origin::Default:
        break;
    }
    return u"default"_s;
}

namespace AttemptReport {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("AttemptReport", text);
}

double rounded(double value)
{
    return std::round(value * 10.0) / 10.0;
}

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

QJsonObject toJson(const AttemptResult &result, const QStringList &requiredExtensions)
{
    QJsonArray stages;
    for (const StageTiming &timing : result.stages)
        stages.append(QJsonObject{{u"stage"_s, ConnectionStages::id(timing.stage)},
                                  {u"ms"_s, rounded(timing.milliseconds)},
                                  {u"ok"_s, timing.passed}});
    QJsonArray parameters;
    for (const ParameterSource &source : result.parameters) {
        QJsonObject entry{{u"keyword"_s, source.keyword},
                          {u"value"_s, source.value},
                          {u"source"_s, source.originId()}};
        if (!source.detail.isEmpty())
            entry.insert(u"detail"_s, source.detail);
        parameters.append(entry);
    }

    QJsonValue server;
    if (result.ok) {
        const ServerFacts &facts = result.server;
        QJsonObject ssl{{u"in_use"_s, facts.sslInUse}};
        if (facts.sslInUse) {
            ssl.insert(u"protocol"_s, nullable(facts.sslProtocol));
            ssl.insert(u"cipher"_s, nullable(facts.sslCipher));
            ssl.insert(u"certificate_subject"_s, nullable(facts.certificateSubject));
            ssl.insert(u"certificate_issuer"_s, nullable(facts.certificateIssuer));
            ssl.insert(u"certificate_not_after"_s,
                       facts.certificateNotAfter.isValid()
                               ? QJsonValue(facts.certificateNotAfter.toString(Qt::ISODate))
                               : QJsonValue());
        }
        server = QJsonObject{{u"version"_s, facts.version},
                             {u"version_num"_s, facts.versionNum},
                             {u"ssl"_s, ssl}};
    }

    QJsonValue extensions, requirements, connections;
    if (result.ok && result.snapshot) {
        const QList<RequirementStatus> statuses
                = ExtensionRequirements::evaluate(requiredExtensions, *result.snapshot);
        extensions = ExtensionRequirements::extensionsJson(statuses);
        requirements = ExtensionRequirements::requirementsJson(statuses);
        connections = result.snapshot->connectionsJson();
    }

    const bool failed = !result.ok;
    return QJsonObject{
            {u"ok"_s, result.ok},
            {u"target"_s, result.target},
            {u"category"_s, result.cancelled ? u"cancelled"_s : result.diagnosis.categoryId()},
            {u"stage"_s, ConnectionStages::id(result.diagnosis.stage)},
            {u"message"_s, failed ? QJsonValue(result.diagnosis.message) : QJsonValue()},
            {u"sqlstate"_s, nullable(result.diagnosis.sqlstate)},
            {u"hints"_s, QJsonArray::fromStringList(result.diagnosis.hints)},
            {u"evidence"_s, QJsonArray::fromStringList(result.diagnosis.evidence)},
            {u"elapsed_ms"_s, rounded(result.elapsedMs)},
            {u"latency_ms"_s,
             result.latencyMs >= 0 ? QJsonValue(rounded(result.latencyMs)) : QJsonValue()},
            {u"stages"_s, stages},
            {u"parameters"_s, parameters},
            {u"warnings"_s, QJsonArray::fromStringList(result.warnings)},
            {u"server"_s, server},
            {u"extensions"_s, extensions},
            {u"requirements"_s, requirements},
            {u"connections"_s, connections},
    };
}

QString toText(const AttemptResult &result)
{
    QString text;
    const Diagnosis &diagnosis = result.diagnosis;
    text += tr("Target: %1\n").arg(result.target.isEmpty() ? tr("(not readable)") : result.target);
    if (result.cancelled)
        text += tr("Result: cancelled after %1 ms\n").arg(rounded(result.elapsedMs));
    else if (result.ok)
        text += tr("Result: connected in %1 ms\n").arg(rounded(result.elapsedMs));
    else
        text += tr("Result: %1 [%2, at stage %3]\n")
                        .arg(diagnosis.headline(), diagnosis.categoryId(),
                             ConnectionStages::id(diagnosis.stage));

    text += tr("\nStages:\n");
    for (const StageTiming &timing : result.stages)
        text += u"  %1 %2 %3 ms\n"_s.arg(timing.passed ? u"ok  "_s : u"FAIL"_s)
                        .arg(ConnectionStages::id(timing.stage), -9)
                        .arg(rounded(timing.milliseconds));

    if (result.ok) {
        const ServerFacts &facts = result.server;
        text += tr("\nServer: PostgreSQL %1 (%2)\n").arg(facts.version).arg(facts.versionNum);
        if (facts.sslInUse) {
            text += tr("TLS: %1, %2\n").arg(facts.sslProtocol, facts.sslCipher);
            if (!facts.certificateSubject.isEmpty())
                text += tr("Certificate: %1, issued by %2, valid until %3\n")
                                .arg(facts.certificateSubject, facts.certificateIssuer,
                                     facts.certificateNotAfter.toString(Qt::ISODate));
        } else {
            text += tr("TLS: not in use\n");
        }
        text += tr("Round trip: %1 ms\n").arg(rounded(result.latencyMs));
        if (facts.maxConnections > 0)
            text += tr("max_connections: %1 (superuser_reserved_connections %2)\n")
                            .arg(facts.maxConnections)
                            .arg(facts.superuserReservedConnections);
    } else if (!result.cancelled) {
        if (!diagnosis.message.isEmpty())
            text += tr("\nMessage:\n  %1\n")
                            .arg(QString(diagnosis.message).replace(u'\n', u"\n  "_s));
        if (!diagnosis.sqlstate.isEmpty())
            text += tr("SQLSTATE: %1\n").arg(diagnosis.sqlstate);
        if (!diagnosis.evidence.isEmpty()) {
            text += tr("\nEvidence:\n");
            for (const QString &line : diagnosis.evidence)
                text += u"  - "_s + line + u'\n';
        }
        if (!diagnosis.hints.isEmpty()) {
            text += tr("\nWhat to do:\n");
            for (qsizetype i = 0; i < diagnosis.hints.size(); ++i)
                text += u"  %1. %2\n"_s.arg(i + 1).arg(diagnosis.hints.at(i));
        }
    }
    if (!result.warnings.isEmpty()) {
        text += tr("\nWarnings:\n");
        for (const QString &line : result.warnings)
            text += u"  - "_s + line + u'\n';
    }
    if (!result.parameters.isEmpty()) {
        text += tr("\nParameters in effect:\n");
        for (const ParameterSource &source : result.parameters)
            text += u"  %1 = %2  (%3%4)\n"_s.arg(source.keyword, source.value, source.originId(),
                                                 source.detail.isEmpty() ? QString()
                                                                         : u": "_s + source.detail);
    }
    return text;
}

} // namespace AttemptReport
