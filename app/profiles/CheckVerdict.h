#pragma once

#include "connection/AttemptResult.h"
#include "profiles/RequiredChecks.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

struct Profile;

/// What one connection test means for a profile (or a bare URL): the health, the one-sentence
/// summary that the Test page, the status light, Copy report and `check` all show, and every
/// required check with the fix of a failed one. The one place that decides it.
struct CheckVerdict
{
    enum class Health {
        /// Connected, and every required check passed.
        Healthy,
        /// Connected, but a required check failed (exit code 3).
        ChecksFailed,
        /// Could not connect; the diagnosis says why.
        Failed,
        Cancelled,
    };

    Health health = Health::Failed;
    QString summary;
    /// Every required check of a successful attempt, met or not.
    QList<RequiredCheck> checks;
    /// The required extensions checked: the profile's, or the default ones for a bare URL.
    QStringList requiredExtensions;
    /// The attempt's stages as the verdict sees them: the checks stage fails with a check.
    QList<StageTiming> stages;

    /// The health's fixed identifier, as the history keeps it: healthy, checks_failed, failed or
    /// cancelled.
    static QString healthId(Health health);
    /// The health of an identifier that healthId() gave; nullopt for any other text.
    static std::optional<Health> healthFromId(const QString &id);

    /// profile: nullptr for a bare URL.
    static CheckVerdict of(const AttemptResult &result, const Profile *profile);

    QList<RequiredCheck> failedChecks() const;
    /// The object of `check --json` (DESIGN.md): the attempt's members, with "ok", "summary",
    /// "stages" and "checks" from the verdict.
    QJsonObject toJson(const AttemptResult &result) const;
};

Q_DECLARE_METATYPE(CheckVerdict)
