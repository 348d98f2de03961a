#include "ServerSnapshot.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVersionNumber>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

bool ExtensionInfo::updateAvailable() const
{
    if (installedVersion.isEmpty() || defaultVersion.isEmpty())
        return false;
    const QVersionNumber installed = QVersionNumber::fromString(installedVersion);
    const QVersionNumber available = QVersionNumber::fromString(defaultVersion);
    if (installed.isNull() || available.isNull())
        return installedVersion != defaultVersion;
    return available > installed;
}

QString ExtensionInfo::statusId(Status status)
{
    switch (status) {
    case Status::Installed:
        return u"installed"_s;
    case Status::Available:
        return u"available"_s;
    case Status::Missing:
        break;
    }
    return u"missing"_s;
}

QByteArray ServerSnapshot::query(int serverVersionNum)
{
    // One statement, one round trip: everything as a single JSON value. alembic_version is
    // read through query_to_xml so the statement still parses where the table is absent.
    const QByteArray trusted = serverVersionNum >= 130000 ? "coalesce(v.trusted, false)" : "false";
    return R"SQL(
SELECT json_build_object(
  'taken_at', now(),
  'system_identifier', CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE')
    THEN (SELECT system_identifier::text FROM pg_control_system()) END,
  'server_address', coalesce(host(inet_server_addr()), 'local socket'),
  'server_port', inet_server_port(),
  'database', current_database(),
  'user', current_user,
  'version', current_setting('server_version'),
  'version_num', current_setting('server_version_num')::int,
  'max_connections', current_setting('max_connections')::int,
  'superuser_reserved', current_setting('superuser_reserved_connections')::int,
  'reserved', coalesce(current_setting('reserved_connections', true), '0')::int,
  'is_superuser', (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
  'read_all_stats', pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'),
  'can_create', has_database_privilege(current_database(), 'CREATE'),
  'createdb', (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user),
  'extensions', (
    SELECT coalesce(json_agg(json_build_object(
             'name', a.name, 'default_version', a.default_version,
             'installed_version', a.installed_version, 'trusted', )SQL"
            + trusted + R"SQL(,
             'comment', a.comment) ORDER BY a.name), '[]'::json)
    FROM pg_available_extensions a
    LEFT JOIN pg_available_extension_versions v
      ON v.name = a.name AND v.version = a.default_version),
  'sessions', (
    SELECT coalesce(json_agg(json_build_object(
             'pid', s.pid, 'database', s.datname, 'user', s.usename,
             'application_name', s.application_name, 'client_addr', host(s.client_addr),
             'state', s.state,
             'state_seconds', extract(epoch FROM now() - s.state_change),
             'xact_seconds', extract(epoch FROM now() - s.xact_start),
             'own', s.pid = pg_backend_pid())), '[]'::json)
    FROM pg_stat_activity s
    WHERE )SQL"
            + SlotCounts::holdsClientSlotSql() + R"SQL(),
  'alembic', CASE WHEN to_regclass('alembic_version') IS NULL THEN NULL
    WHEN NOT has_table_privilege(to_regclass('alembic_version'), 'SELECT')
      THEN json_build_object('readable', false)
    ELSE json_build_object('readable', true, 'revision',
      coalesce((xpath('/row/v/text()', query_to_xml(
        'SELECT encode(convert_to(string_agg(version_num::text, '',''), ''UTF8''), ''hex'') AS v
         FROM alembic_version',
        false, true, '')))[1]::text, '')) END
)::text
)SQL";
}

std::optional<ServerSnapshot> ServerSnapshot::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        if (error)
            *error = QCoreApplication::translate("ServerSnapshot",
                                                 "the server's answer is not readable: %1")
                             .arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    ServerSnapshot snapshot;
    snapshot.takenAt
            = QDateTime::fromString(root.value(u"taken_at"_s).toString(), Qt::ISODateWithMs);
    if (!snapshot.takenAt.isValid())
        snapshot.takenAt = QDateTime::currentDateTimeUtc();
    snapshot.systemIdentifier = root.value(u"system_identifier"_s).toString();
    snapshot.serverAddress = root.value(u"server_address"_s).toString();
    snapshot.serverPort = root.value(u"server_port"_s).toInt();
    snapshot.database = root.value(u"database"_s).toString();
    snapshot.user = root.value(u"user"_s).toString();
    snapshot.version = root.value(u"version"_s).toString();
    snapshot.versionNum = root.value(u"version_num"_s).toInt();
    snapshot.maxConnections = root.value(u"max_connections"_s).toInt();
    snapshot.superuserReserved = root.value(u"superuser_reserved"_s).toInt();
    snapshot.reserved = root.value(u"reserved"_s).toInt();
    snapshot.isSuperuser = root.value(u"is_superuser"_s).toBool();
    snapshot.readAllStats = snapshot.isSuperuser || root.value(u"read_all_stats"_s).toBool();
    snapshot.canCreateInDatabase = root.value(u"can_create"_s).toBool();
    snapshot.canCreateDatabase = root.value(u"createdb"_s).toBool();

    const QJsonArray extensions = root.value(u"extensions"_s).toArray();
    for (const auto &value : extensions) {
        const QJsonObject object = value.toObject();
        ExtensionInfo extension;
        extension.name = object.value(u"name"_s).toString();
        extension.defaultVersion = object.value(u"default_version"_s).toString();
        extension.installedVersion = object.value(u"installed_version"_s).toString();
        extension.trusted = object.value(u"trusted"_s).toBool();
        extension.comment = object.value(u"comment"_s).toString();
        extension.status = extension.installedVersion.isEmpty() ? ExtensionInfo::Status::Available
                                                                : ExtensionInfo::Status::Installed;
        snapshot.extensions << extension;
    }
    const QJsonArray sessions = root.value(u"sessions"_s).toArray();
    for (const auto &value : sessions) {
        const QJsonObject object = value.toObject();
        SessionInfo session;
        session.pid = object.value(u"pid"_s).toInt();
        session.database = object.value(u"database"_s).toString();
        session.user = object.value(u"user"_s).toString();
        session.applicationName = object.value(u"application_name"_s).toString();
        session.clientAddress = object.value(u"client_addr"_s).toString();
        session.state = object.value(u"state"_s).toString();
        session.stateSeconds = object.value(u"state_seconds"_s).toDouble();
        session.transactionSeconds = object.value(u"xact_seconds"_s).isNull()
                ? -1
                : object.value(u"xact_seconds"_s).toDouble();
        session.own = object.value(u"own"_s).toBool();
        snapshot.sessions << session;
    }
    const QJsonValue alembic = root.value(u"alembic"_s);
    if (alembic.isObject()) {
        snapshot.alembicReadable = alembic.toObject().value(u"readable"_s).toBool();
        // Sent as hex: XML (query_to_xml) cannot carry every byte a row may hold.
        snapshot.alembicRevision = QString::fromUtf8(
                QByteArray::fromHex(alembic.toObject().value(u"revision"_s).toString().toLatin1()));
    }
    return snapshot;
}

std::optional<ExtensionInfo> ServerSnapshot::extension(const QString &name) const
{
    for (const ExtensionInfo &info : extensions) {
        if (info.name == name)
            return info;
    }
    return std::nullopt;
}

SlotCounts ServerSnapshot::slotCounts() const
{
    SlotCounts counts;
    counts.database = database;
    counts.inDatabase = databaseCounts().total;
    counts.toolSessions
            = int(std::count_if(sessions.cbegin(), sessions.cend(),
                                [](const SessionInfo &session) { return session.tool(); }));
    counts.total = int(sessions.size());
    counts.maxConnections = maxConnections;
    counts.superuserReserved = superuserReserved;
    counts.reserved = reserved;
    return counts;
}

namespace {

ConnectionCounts count(const QList<SessionInfo> &sessions, const QString &database)
{
    ConnectionCounts counts;
    for (const SessionInfo &session : sessions) {
        if (session.tool() || (!database.isNull() && session.database != database))
            continue;
        ++counts.total;
        // Without pg_read_all_stats other roles' sessions show no state.
        const QString state = session.state.isEmpty() ? u"unknown"_s : session.state;
        ++counts.byState[state];
        ++counts.byApplication[session.applicationName.isEmpty() ? u"(none)"_s
                                                                 : session.applicationName];
        ++counts.byClient[session.clientAddress.isEmpty() ? u"local socket"_s
                                                          : session.clientAddress];
        ++counts.byUser[session.user.isEmpty() ? u"(unknown)"_s : session.user];
    }
    return counts;
}

QJsonObject countsObject(const QMap<QString, int> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

} // namespace

ConnectionCounts ServerSnapshot::databaseCounts() const
{
    return count(sessions, database);
}

ConnectionCounts ServerSnapshot::serverCounts() const
{
    return count(sessions, QString());
}

QJsonObject ServerSnapshot::connectionsJson() const
{
    const ConnectionCounts inDatabase = databaseCounts();
    QJsonObject object = slotCounts().toJson();
    object.insert(u"by_state"_s, countsObject(inDatabase.byState));
    object.insert(u"by_application"_s, countsObject(inDatabase.byApplication));
    object.insert(u"complete"_s, readAllStats);
    return object;
}
