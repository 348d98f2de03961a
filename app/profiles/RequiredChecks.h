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
};

namespace RequiredChecks {

QList<RequiredCheck> evaluate(const Profile &profile, const AttemptResult &result);
/// One failed check per required extension (or group) that this database lacks.
QList<RequiredCheck> extensionChecks(const QStringList &required, const ServerSnapshot &snapshot);
bool allMet(const QList<RequiredCheck> &checks);
QJsonArray toJson(const QList<RequiredCheck> &checks);

} // namespace RequiredChecks
