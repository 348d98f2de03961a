#include "RequiredChecks.h"

#include "connection/SslModes.h"

#include "connection/ExtensionRequirements.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace RequiredChecks {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(RequiredChecks)
};

RequiredCheck verifiedTls(const Profile &profile, const AttemptResult &result)
{
    const QString sslmode = profile.params.value(u"sslmode"_s);
    RequiredCheck check;
    check.name = u"verified_tls"_s;
    check.met
            = result.server.sslInUse && (sslmode == u"verify-full"_s || sslmode == u"verify-ca"_s);
    if (check.met) {
        check.message = Text::tr("TLS in use with the server certificate verified (sslmode=%1)")
                                .arg(sslmode);
        return check;
    }
    check.label
            = result.server.sslInUse ? Text::tr("TLS not verified") : Text::tr("TLS not in use");
    check.message
            = Text::tr("A production connection must use verified TLS (now: sslmode=%1, TLS %2)")
                      .arg(sslmode.isEmpty() ? SslModes::defaultMode() : sslmode,
                           result.server.sslInUse ? Text::tr("in use") : Text::tr("not in use"));
    check.fix = {
            Text::tr("Set sslmode=verify-full in the connection string"),
            Text::tr("Set sslrootcert to the CA certificate that signed the server's certificate "
                     "(for AWS RDS, the RDS CA bundle)")};
    if (!result.server.sslInUse)
        check.fix << Text::tr(
                "If the server does not offer TLS, ask its administrator to enable it "
                "(ssl = on with a certificate)");
    return check;
}

RequiredCheck extensionCheck(const RequirementStatus &status, const ServerSnapshot &snapshot)
{
    RequiredCheck check;
    check.name = u"extension:"_s + status.requirement;
    check.met = status.met;
    // "uuid-ossp|pgcrypto" is the profile's notation; people read "uuid-ossp or pgcrypto".
    const QString requirement = QString(status.requirement).replace(u'|', Text::tr(" or "));
    if (status.met) {
        check.message = Text::tr("required extension %1 is installed in database %2 (%3)")
                                .arg(requirement, snapshot.database, status.satisfiedBy);
        return check;
    }
    const ExtensionInfo *available = nullptr;
    for (const ExtensionInfo &info : status.candidates) {
        if (!available && info.status == ExtensionInfo::Status::Available)
            available = &info;
    }
    check.label = Text::tr("%1 missing").arg(requirement);
    if (available) {
        check.message = Text::tr("required extension %1 is not created in database %2; the server "
                                 "has %3")
                                .arg(requirement, snapshot.database, available->name);
        check.fix << Text::tr("Create it in database %1: %2 (the Server page's Create button; a "
                              "production profile asks for its name first)")
                             .arg(snapshot.database,
                                  ExtensionRequirements::createStatement(available->name));
    } else if (!status.candidates.isEmpty()) {
        const QString name = status.candidates.first().name;
        check.message
                = Text::tr("required extension %1 is missing from the server").arg(requirement);
        check.fix << Text::tr("Install %1 on the server (one of these), then create it in database "
                              "%2:")
                             .arg(name, snapshot.database)
                  << ExtensionRequirements::installHints(name, snapshot.versionNum);
    }
    return check;
}

} // namespace

QStringList requiredExtensions(const Profile *profile)
{
    return profile ? profile->requiredExtensions : Profile::defaultRequiredExtensions();
}

QList<RequiredCheck> evaluate(const Profile *profile, const AttemptResult &result)
{
    QList<RequiredCheck> checks;
    if (!result.ok)
        return checks;
    if (profile && profile->environment == Environment::Production)
        checks << verifiedTls(*profile, result);
    if (result.snapshot) {
        const QStringList required
                = profile ? profile->requiredExtensions : Profile::defaultRequiredExtensions();
        for (const RequirementStatus &status :
             ExtensionRequirements::evaluate(required, *result.snapshot))
            checks << extensionCheck(status, *result.snapshot);
    }
    return checks;
}

QJsonArray toJson(const QList<RequiredCheck> &checks)
{
    QJsonArray array;
    for (const RequiredCheck &check : checks)
        array.append(QJsonObject{{u"name"_s, check.name},
                                 {u"met"_s, check.met},
                                 {u"message"_s, check.message},
                                 {u"fix"_s, QJsonArray::fromStringList(check.fix)}});
    return array;
}

} // namespace RequiredChecks
