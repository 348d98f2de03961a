#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

#include "SlotCounts.h"

#include <optional>

/// One extension as this database sees it.
struct ExtensionInfo
{
    enum class Status { Installed, Available, Missing };
    QString name;
    Status status = Status::Missing;
    QString installedVersion;
    QString defaultVersion;
    /// Non-superusers with CREATE on the database may create it (PostgreSQL 13+).
    bool trusted = false;
    QString comment;

    bool updateAvailable() const;
    static QString statusId(Status status);
};

/// One client session from pg_stat_activity.
struct SessionInfo
{
    int pid = 0;
    QString database;
    QString user;
    QString applicationName;
    QString clientAddress;
    /// active, idle, idle in transaction, ...; empty when the role may not see it.
    QString state;
    double stateSeconds = 0;
    double transactionSeconds = -1;
    /// The session that took the snapshot.
    bool own = false;

    /// One of the tool's own sessions (this one, another window's, a monitor's).
    bool tool() const { return own || SlotCounts::isToolSession(applicationName); }
};

/// Counts of sessions grouped several ways.
struct ConnectionCounts
{
    int total = 0;
    QMap<QString, int> byState;
    QMap<QString, int> byApplication;
    QMap<QString, int> byClient;
    QMap<QString, int> byUser;
};

/// What one refresh learns about a server, from a single query: capacity, sessions,
/// extensions, privileges and migrations.
struct ServerSnapshot
{
    QDateTime takenAt;
    /// The cluster's identity (pg_control_system), when the role may read it.
    QString systemIdentifier;
    QString serverAddress;
    int serverPort = 0;
    QString database;
    QString user;
    QString version;
    int versionNum = 0;
    int maxConnections = 0;
    int superuserReserved = 0;
    /// reserved_connections (PostgreSQL 16+), 0 before.
    int reserved = 0;
    bool isSuperuser = false;
    /// Member of pg_read_all_stats (or superuser): sees every session's details.
    bool readAllStats = false;
    bool canCreateInDatabase = false;
    bool canCreateDatabase = false;
    QList<ExtensionInfo> extensions;
    QList<SessionInfo> sessions;
    /// The alembic_version table's revision(s); nullopt when the table does not exist.
    std::optional<QString> alembicRevision;
    /// False when the table exists but this role may not read it.
    bool alembicReadable = true;

    /// The single statement a refresh runs, for a server of this version.
    static QByteArray query(int serverVersionNum);
    /// Parses the statement's one JSON value; nullopt (and error) when it does not fit.
    static std::optional<ServerSnapshot> fromJson(const QByteArray &json, QString *error);

    std::optional<ExtensionInfo> extension(const QString &name) const;
    /// How the server's slots are taken, counted as the Pool page and monitor count them.
    SlotCounts slotCounts() const;
    /// Sessions in this database, without the tool's own.
    ConnectionCounts databaseCounts() const;
    /// Sessions on the whole server, without the tool's own.
    ConnectionCounts serverCounts() const;
    /// The `connections` object of check --json.
    QJsonObject connectionsJson() const;
};

Q_DECLARE_METATYPE(ServerSnapshot)
