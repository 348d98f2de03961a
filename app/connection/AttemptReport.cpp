#include "AttemptReport.h"

#include "connection/ExtensionRequirements.h"

#include <QJsonArray>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace AttemptReport {

double rounded(double value)
{
    return std::round(value * 10.0) / 10.0;
}

namespace {

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

QJsonObject toJson(const AttemptResult &result, const QStringList &requiredExtensions)
{
    QJsonArray stages;
    for (const StageTiming &timing : result.stages) {
        // The stages that ran or were passed over; those after the end never happened.
        if (timing.skip == StageTiming::Skip::NotReached)
            continue;
        QJsonObject stage{{u"stage"_s, ConnectionStages::id(timing.stage)},
                          {u"ms"_s, rounded(timing.milliseconds)},
                          // "ok" says the stage did not fail; "state" says more.
                          {u"ok"_s, timing.state != StageState::Failed},
                          {u"state"_s, timing.stateId()}};
        if (timing.skip != StageTiming::Skip::None)
            stage.insert(u"note"_s, timing.note());
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

    QJsonValue tunnel;
    if (result.tunnel) {
        QJsonObject object{{u"kind"_s, result.tunnel->kind},
                           {u"route"_s, result.tunnel->route},
                           {u"local_port"_s,
                            result.tunnel->localPort > 0 ? QJsonValue(result.tunnel->localPort)
                                                         : QJsonValue()}};
        if (!result.diagnosis.sshHostKeyFingerprint.isEmpty())
            object.insert(u"host_key"_s,
                          QJsonObject{{u"host"_s, result.diagnosis.sshHost},
                                      {u"fingerprint"_s, result.diagnosis.sshHostKeyFingerprint}});
        tunnel = object;
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
            {u"tunnel"_s, tunnel},
            {u"parameters"_s, parameters},
            {u"warnings"_s, QJsonArray::fromStringList(result.warnings)},
            {u"server"_s, server},
            {u"extensions"_s, extensions},
            {u"requirements"_s, requirements},
            {u"connections"_s, connections},
    };
}

} // namespace AttemptReport
