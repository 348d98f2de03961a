#pragma once

#include "connection/AttemptResult.h"
#include "connection/ServerSnapshot.h"
#include "profiles/Profile.h"

#include <QJsonArray>
#include <QList>
#include <QString>

/// A check that a connected profile must pass (exit code 3 on the command line when one
/// fails): a production profile uses verified TLS; the required extensions are installed.
struct RequiredCheck
{
    QString name;
    bool met = false;
    QString message;
    /// A few words for a headline: "vector missing", "TLS not verified".
    QString label;
    /// What to do when it is not met, in order.
    QStringList fix;
};

namespace RequiredChecks {

/// The extensions a profile requires; OrderFlow's own for a bare URL (profile null).
QStringList requiredExtensions(const Profile *profile);
/// Every check of a successful attempt: verified TLS for production (profile may be null for
/// a bare URL) and the required extensions.
QList<RequiredCheck> evaluate(const Profile *profile, const AttemptResult &result);
QJsonArray toJson(const QList<RequiredCheck> &checks);

} // namespace RequiredChecks
