#include "AttemptReport.h"

#include "connection/ExtensionRequirements.h"

#include <QJsonArray>
#include <cmath>

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

QString StageTiming::stateId() const
{
    switch (state) {
    case StageState::Ok:
        return u"ok"_s;
    case StageState::Failed:
        return u"failed"_s;
    case StageState::Skipped:
        break;
    }
    return u"skipped"_s;
}

namespace AttemptReport {

namespace {

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
    for (const StageTiming &timing : result.stages) {
        QJsonObject stage{{u"stage"_s, ConnectionStages::id(timing.stage)},
                          {u"ms"_s,
                           timing.milliseconds >= 0 ? QJsonValue(rounded(timing.milliseconds))
                                                    : QJsonValue()},
                          // "ok" says the stage did not fail; "state" says more.
                          {u"ok"_s, timing.state != StageState::Failed},
                          {u"state"_s, timing.stateId()}};
        if (!timing.note.isEmpty())
            stage.insert(u"note"_s, timing.note);
        stages.append(stage);
    }
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
            {u"hints"_s, QJsonArray::fromStringList(result.diagnosis.hints())},
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

} // namespace AttemptReport
