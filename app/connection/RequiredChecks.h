#pragma once

#include "connection/AttemptResult.h"
#include "profiles/Profile.h"

#include <QJsonArray>
#include <QList>
#include <QString>

/// A check that a connected profile must pass (exit code 3 on the command line when one
/// fails): today, that a production profile uses verified TLS.
struct RequiredCheck
{
    QString name;
    bool met = false;
    QString message;
};

namespace RequiredChecks {

QList<RequiredCheck> evaluate(const Profile &profile, const AttemptResult &result);
bool allMet(const QList<RequiredCheck> &checks);
QJsonArray toJson(const QList<RequiredCheck> &checks);

} // namespace RequiredChecks
