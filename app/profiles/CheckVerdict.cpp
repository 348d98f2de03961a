#include "CheckVerdict.h"

#include "connection/AttemptReport.h"
#include "profiles/Profile.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(CheckVerdict)
};

} // namespace

QString CheckVerdict::healthId(Health health)
{
    switch (health) {
    case Health::Healthy:
        return u"healthy"_s;
    case Health::ChecksFailed:
        return u"checks_failed"_s;
    case Health::Failed:
        return u"failed"_s;
    case Health::Cancelled:
        break;
    }
    return u"cancelled"_s;
}

std::optional<CheckVerdict::Health> CheckVerdict::healthFromId(const QString &id)
{
    for (Health health :
         {Health::Healthy, Health::ChecksFailed, Health::Failed, Health::Cancelled}) {
        if (healthId(health) == id)
            return health;
    }
    return std::nullopt;
}

CheckVerdict CheckVerdict::of(const AttemptResult &result, const Profile *profile)
{
    CheckVerdict verdict;
    verdict.requiredExtensions = RequiredChecks::requiredExtensions(profile);
    verdict.stages = result.stages;
    if (result.cancelled) {
        verdict.health = Health::Cancelled;
        verdict.summary = Text::tr("Cancelled.");
        return verdict;
    }
    if (!result.ok) {
        verdict.health = Health::Failed;
        verdict.summary = result.diagnosis.headline();
        return verdict;
    }
    verdict.checks = RequiredChecks::evaluate(profile, result);
    const QList<RequiredCheck> failed = verdict.failedChecks();
    if (failed.isEmpty()) {
        verdict.health = Health::Healthy;
        verdict.summary = Text::tr("Connected to PostgreSQL %1 in %2 ms.")
                                  .arg(result.server.version)
                                  .arg(QString::number(result.elapsedMs, 'f', 0));
        return verdict;
    }
    verdict.health = Health::ChecksFailed;
    for (StageTiming &timing : verdict.stages) {
        if (timing.stage == ConnectionStage::Checks)
            timing.state = StageState::Failed;
    }
    QStringList labels;
    for (const RequiredCheck &check : failed)
        labels << check.label;
    verdict.summary = failed.size() == 1
            ? Text::tr("Connected, but 1 required check failed: %1.").arg(labels.first())
            : Text::tr("Connected, but %1 required checks failed: %2.")
                      .arg(failed.size())
                      .arg(labels.join(u", "_s));
    return verdict;
}

QList<RequiredCheck> CheckVerdict::failedChecks() const
{
    QList<RequiredCheck> failed;
    for (const RequiredCheck &check : checks) {
        if (!check.met)
            failed << check;
    }
    return failed;
}

QJsonObject CheckVerdict::toJson(const AttemptResult &result) const
{
    AttemptResult seen = result;
    seen.stages = stages;
    QJsonObject object = AttemptReport::toJson(seen, requiredExtensions);
    // "ok" is true exactly when the exit code is 0; "category" stays "ok" for exit 3.
    object.insert(u"ok"_s, health == Health::Healthy);
    object.insert(u"summary"_s, summary);
    object.insert(u"checks"_s,
                  result.ok ? QJsonValue(RequiredChecks::toJson(checks)) : QJsonValue());
    return object;
}
