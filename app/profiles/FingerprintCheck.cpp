#include "FingerprintCheck.h"

#include <QCoreApplication>

namespace FingerprintCheck {

Verdict check(const Profile &profile, const ServerSnapshot &snapshot,
              const QList<Profile> &profiles, const QDateTime &now)
{
    Verdict verdict;
    if (snapshot.systemIdentifier.isEmpty())
        return verdict; // the role may not read it: nothing to compare
    verdict.fingerprint = ClusterFingerprint{snapshot.systemIdentifier, snapshot.serverAddress,
                                             snapshot.serverPort, snapshot.version, now};
    if (profile.fingerprint.isEmpty())
        verdict.remember = true;
    else if (profile.fingerprint.systemIdentifier != snapshot.systemIdentifier)
        verdict.moved = true;

    // Most dangerous first: production on the other side.
    const Profile *worst = nullptr;
    for (const Profile &other : profiles) {
        if (other.id == profile.id || other.environment == profile.environment
            || other.fingerprint.systemIdentifier != snapshot.systemIdentifier)
            continue;
        if (!worst || other.environment == Environment::Production)
            worst = &other;
    }
    if (worst) {
        verdict.crossesEnvironments = true;
        verdict.otherProfile = worst->name;
        verdict.otherEnvironment = worst->environment;
        verdict.warning = QCoreApplication::translate(
                                  "FingerprintCheck",
                                  "The %1 profile \"%2\" reached the cluster remembered for the %3 "
                                  "profile \"%4\" (system identifier %5 at %6:%7). Check its host "
                                  "and port before doing anything else.")
                                  .arg(Environments::nameInText(profile.environment), profile.name,
                                       Environments::nameInText(worst->environment), worst->name,
                                       snapshot.systemIdentifier, snapshot.serverAddress)
                                  .arg(snapshot.serverPort);
    } else if (verdict.moved) {
        verdict.warning
                = QCoreApplication::translate(
                          "FingerprintCheck",
                          "\"%1\" reached a different cluster than the one it first reached "
                          "on %2 (system identifier %3, now %4). If the server was not "
                          "rebuilt on purpose, check the host and port.")
                          .arg(profile.name,
                               profile.fingerprint.firstSeen.toLocalTime().toString(Qt::ISODate),
                               profile.fingerprint.systemIdentifier, snapshot.systemIdentifier);
    }
    return verdict;
}

} // namespace FingerprintCheck
