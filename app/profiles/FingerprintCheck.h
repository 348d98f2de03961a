#pragma once

#include "connection/ServerSnapshot.h"
#include "profiles/Profile.h"

#include <QList>
#include <QString>

/// Compares the cluster a profile just reached with the clusters remembered for it and for
/// every other profile: the guard against a staging profile that lands on production.
namespace FingerprintCheck {

struct Verdict
{
    /// First contact: the fingerprint to remember for the profile.
    bool remember = false;
    ClusterFingerprint fingerprint;
    /// The profile reached a different cluster than the one it remembers.
    bool moved = false;
    /// Another profile of a different environment remembers this very cluster.
    bool crossesEnvironments = false;
    QString otherProfile;
    Environment otherEnvironment = Environment::Other;
    /// In words, for the warning; empty when all is well.
    QString warning;
};

Verdict check(const Profile &profile, const ServerSnapshot &snapshot,
              const QList<Profile> &profiles,
              const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace FingerprintCheck
