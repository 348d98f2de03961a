#include "RequiredChecks.h"

#include "connection/ExtensionRequirements.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace RequiredChecks {

QList<RequiredCheck> evaluate(const Profile &profile, const AttemptResult &result)
{
    QList<RequiredCheck> checks;
    if (!result.ok)
        return checks;
    if (profile.environment == Environment::Production) {
        const QString sslmode = profile.params.value(u"sslmode"_s);
        const bool verified = result.server.sslInUse
                && (sslmode == u"verify-full"_s || sslmode == u"verify-ca"_s);
        RequiredCheck check;
        check.name = u"verified_tls"_s;
        check.met = verified;
        check.message = verified
                ? QCoreApplication::translate("RequiredChecks",
                                              "TLS in use with the server certificate verified "
                                              "(sslmode=%1)")
                          .arg(sslmode)
                : QCoreApplication::translate(
                          "RequiredChecks",
                          "A production connection must use verified TLS: set "
                          "sslmode=verify-full and sslrootcert to the server's CA certificate "
                          "(now: sslmode=%1, TLS %2)")
                          .arg(sslmode.isEmpty() ? u"prefer"_s : sslmode,
                               result.server.sslInUse ? u"in use"_s : u"not in use"_s);
        checks << check;
    }
    return checks;
}

QList<RequiredCheck> extensionChecks(const QStringList &required, const ServerSnapshot &snapshot)
{
    QList<RequiredCheck> checks;
    for (const RequirementStatus &status : ExtensionRequirements::evaluate(required, snapshot)) {
        if (status.met)
            continue;
        QStringList names;
        for (const ExtensionInfo &info : status.candidates)
            names << u"%1 (%2)"_s.arg(info.name, ExtensionInfo::statusId(info.status));
        checks << RequiredCheck{
                u"extension:"_s + status.requirement, false,
                QCoreApplication::translate("RequiredChecks",
                                            "required extension %1 is not installed in database "
                                            "%2: %3")
                        .arg(status.requirement, snapshot.database, names.join(u", "_s))};
    }
    return checks;
}

bool allMet(const QList<RequiredCheck> &checks)
{
    return std::all_of(checks.cbegin(), checks.cend(),
                       [](const RequiredCheck &check) { return check.met; });
}

QJsonArray toJson(const QList<RequiredCheck> &checks)
{
    QJsonArray array;
    for (const RequiredCheck &check : checks)
        array.append(QJsonObject{
                {u"name"_s, check.name}, {u"met"_s, check.met}, {u"message"_s, check.message}});
    return array;
}

} // namespace RequiredChecks
