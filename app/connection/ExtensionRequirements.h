#pragma once

#include "connection/ServerSnapshot.h"

#include <QJsonArray>
#include <QStringList>

/// Whether one required extension (or group: "uuid-ossp|pgcrypto") is there.
struct RequirementStatus
{
    /// As the profile states it: "pg_trgm", "uuid-ossp|pgcrypto".
    QString requirement;
    bool met = false;
    /// The extension that satisfies it, or a description of what does.
    QString satisfiedBy;
    /// Every extension the requirement names, with its status in this database.
    QList<ExtensionInfo> candidates;
    /// Something worth knowing (gen_random_uuid() is built in since PostgreSQL 13).
    QString note;
};

/// The profile's required extensions checked against a server snapshot, with the steps that
/// get a missing one (packages per platform for the server's major version) and the SQL that
/// creates an available one.
namespace ExtensionRequirements {

/// "pgvector" is installed as "vector": requirements use SQL names.
QString sqlName(const QString &name);
QList<RequirementStatus> evaluate(const QStringList &required, const ServerSnapshot &snapshot);
bool allMet(const QList<RequirementStatus> &statuses);

/// The `extensions` and `requirements` members of check --json.
QJsonArray extensionsJson(const QList<RequirementStatus> &statuses);
QJsonArray requirementsJson(const QList<RequirementStatus> &statuses);

/// How to get an extension that is missing from the server.
QStringList installHints(const QString &name, int serverVersionNum);
/// The statement that creates it in the current database.
QString createStatement(const QString &name);

struct Permission
{
    bool allowed = false;
    QString reason;
};
/// Whether the connected role may create the extension: a superuser may; otherwise a trusted
/// extension and CREATE on the database.
Permission mayCreate(const ServerSnapshot &snapshot, const ExtensionInfo &extension);

} // namespace ExtensionRequirements
