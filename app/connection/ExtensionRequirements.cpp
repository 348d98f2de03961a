#include "ExtensionRequirements.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace ExtensionRequirements {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ExtensionRequirements)
};

bool isContrib(const QString &name)
{
    static const QStringList contrib{
            u"pg_trgm"_s,       u"uuid-ossp"_s, u"pgcrypto"_s,   u"hstore"_s,
            u"citext"_s,        u"btree_gin"_s, u"btree_gist"_s, u"pg_stat_statements"_s,
            u"fuzzystrmatch"_s, u"unaccent"_s};
    return contrib.contains(name);
}

} // namespace

QString sqlName(const QString &name)
{
    const QString trimmed = name.trimmed();
    return trimmed.compare(u"pgvector"_s, Qt::CaseInsensitive) == 0 ? u"vector"_s : trimmed;
}

QList<RequirementStatus> evaluate(const QStringList &required, const ServerSnapshot &snapshot)
{
    QList<RequirementStatus> statuses;
    for (const QString &requirement : required) {
        RequirementStatus status;
        status.requirement = requirement;
        QStringList names;
        for (const QString &part : requirement.split(u'|', Qt::SkipEmptyParts))
            names << sqlName(part);
        for (const QString &name : std::as_const(names)) {
            ExtensionInfo info;
            info.name = name;
            if (const auto known = snapshot.extension(name))
                info = *known;
            else
                info.status = ExtensionInfo::Status::Missing;
            status.candidates << info;
            if (!status.met && info.status == ExtensionInfo::Status::Installed) {
                status.met = true;
                status.satisfiedBy = name;
            }
        }
        const bool uuidGroup = names.contains(u"uuid-ossp"_s) || names.contains(u"pgcrypto"_s);
        if (uuidGroup && snapshot.versionNum >= 130000) {
            status.note = Text::tr(
                    "gen_random_uuid() is built into PostgreSQL 13 and later, so neither "
                    "uuid-ossp nor pgcrypto is strictly needed on this server.");
            if (!status.met) {
                status.met = true;
                status.satisfiedBy = Text::tr("built-in gen_random_uuid()");
            }
        }
        statuses << status;
    }
    return statuses;
}

bool allMet(const QList<RequirementStatus> &statuses)
{
    return std::all_of(statuses.cbegin(), statuses.cend(),
                       [](const RequirementStatus &status) { return status.met; });
}

QJsonArray extensionsJson(const QList<RequirementStatus> &statuses)
{
    QJsonArray array;
    for (const RequirementStatus &status : statuses) {
        for (const ExtensionInfo &info : status.candidates) {
            array.append(QJsonObject{
                    {u"name"_s, info.name},
                    {u"status"_s, ExtensionInfo::statusId(info.status)},
                    {u"installed_version"_s,
                     info.installedVersion.isEmpty() ? QJsonValue()
                                                     : QJsonValue(info.installedVersion)},
                    {u"default_version"_s,
                     info.defaultVersion.isEmpty() ? QJsonValue()
                                                   : QJsonValue(info.defaultVersion)},
                    {u"update_available"_s, info.updateAvailable()},
            });
        }
    }
    return array;
}

QJsonArray requirementsJson(const QList<RequirementStatus> &statuses)
{
    QJsonArray array;
    for (const RequirementStatus &status : statuses) {
        QJsonObject object{{u"name"_s, status.requirement}, {u"met"_s, status.met}};
        if (!status.satisfiedBy.isEmpty())
            object.insert(u"satisfied_by"_s, status.satisfiedBy);
        if (!status.note.isEmpty())
            object.insert(u"note"_s, status.note);
        array.append(object);
    }
    return array;
}

QStringList installHints(const QString &name, int serverVersionNum)
{
    const int major = serverVersionNum / 10000;
    const QString nn = major > 0 ? QString::number(major) : u"NN"_s;
    if (name == u"vector"_s) {
        return {Text::tr("pgvector is created with the SQL name \"vector\": CREATE EXTENSION "
                         "vector;"),
                Text::tr("Debian/Ubuntu: sudo apt install postgresql-%1-pgvector (from the "
                         "PostgreSQL "
                         "apt repository, apt.postgresql.org)")
                        .arg(nn),
                Text::tr("RHEL/Fedora: sudo dnf install pgvector_%1 (from the PostgreSQL yum "
                         "repository)")
                        .arg(nn),
                Text::tr("macOS (Homebrew): brew install pgvector"),
                Text::tr("Docker: use the image pgvector/pgvector:pg%1 instead of postgres:%1")
                        .arg(nn)};
    }
    if (isContrib(name)) {
        return {Text::tr("%1 ships with PostgreSQL's contrib modules").arg(name),
                Text::tr("Debian/Ubuntu: sudo apt install postgresql-contrib (part of "
                         "postgresql-%1)")
                        .arg(nn),
                Text::tr("RHEL/Fedora: sudo dnf install postgresql%1-contrib").arg(nn),
                Text::tr("The official Docker image already includes it")};
    }
    return {Text::tr("Install the extension's package for PostgreSQL %1 on the server, then create "
                     "it "
                     "in the database")
                    .arg(nn)};
}

QString createStatement(const QString &name)
{
    QString quoted = name;
    quoted.replace(u'"', u"\"\""_s);
    return u"CREATE EXTENSION IF NOT EXISTS \"%1\";"_s.arg(quoted);
}

Permission mayCreate(const ServerSnapshot &snapshot, const ExtensionInfo &extension)
{
    if (extension.status == ExtensionInfo::Status::Missing)
        return {false,
                Text::tr("%1 is not installed on the server: no role can create it until its "
                         "package is installed")
                        .arg(extension.name)};
    if (snapshot.isSuperuser)
        return {true, Text::tr("%1 is a superuser").arg(snapshot.user)};
    if (extension.trusted && snapshot.canCreateInDatabase)
        return {true,
                Text::tr("%1 is a trusted extension and %2 has CREATE on database %3")
                        .arg(extension.name, snapshot.user, snapshot.database)};
    if (extension.trusted)
        return {false,
                Text::tr("%1 is trusted, but %2 lacks CREATE on database %3: ask an "
                         "administrator to GRANT CREATE ON DATABASE %3 TO %2, or to create it")
                        .arg(extension.name, snapshot.user, snapshot.database)};
    return {false,
            Text::tr("Only a superuser can create %1 (it is not a trusted extension): ask an "
                     "administrator to run the statement")
                    .arg(extension.name)};
}

} // namespace ExtensionRequirements
