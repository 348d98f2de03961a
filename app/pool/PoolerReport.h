#pragma once

#include "profiles/Profile.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

#include <optional>

/// What PgBouncer's admin console says about the pooling of one database (SHOW CONFIG and
/// SHOW DATABASES): the database's own pool_mode and pool_size where it sets them, else the
/// defaults. Plain values, read on a worker thread.
struct PoolerSettings
{
    /// host:port of the console, for messages (never a password).
    QString address;
    /// Whether the console answered both statements; error says why not.
    bool read = false;
    QString error;
    /// The profile's database, and whether PgBouncer has an entry for it (or a "*" fallback).
    QString database;
    bool databaseListed = false;
    QString poolMode;
    int defaultPoolSize = 0;
    /// The database's pool_size (its own, else default_pool_size).
    int poolSize = 0;
    int reservePoolSize = 0;
    int maxClientConn = 0;
    /// 0: no limit.
    int maxDbConnections = 0;
    /// PgBouncer 1.21 and later; unset for older versions, which have no such setting.
    std::optional<int> maxPreparedStatements;

    /// From the rows of SHOW CONFIG (key, value) and SHOW DATABASES, for database.
    static PoolerSettings fromRows(const QList<QMap<QString, QString>> &config,
                                   const QList<QMap<QString, QString>> &databases,
                                   const QString &database);
};

/// One mismatch between the application's engine settings and its pooler's: how bad, what is
/// wrong in one sentence, the figures that show it, and the setting that fixes it.
struct PoolerFinding
{
    enum class Severity { Info, Warning, Error };

    QString id;
    Severity severity = Severity::Warning;
    QString message;
    QString evidence;
    QString fix;

    static QString severityId(Severity severity);
    QJsonObject toJson() const;
};

/// The pooler checks of one profile: the profile's pool settings and SQLAlchemy driver against
/// what its PgBouncer says, and PgBouncer's server pools against the server's capacity. The
/// one owner of these rules, for the Pool page, the security audit and check.
struct PoolerReport
{
    Q_DECLARE_TR_FUNCTIONS(PoolerReport)

public:
    PoolerSettings settings;
    /// The most client connections the profile's pools can open (PoolSettings::capacity()).
    int clientConnections = 0;
    QList<PoolerFinding> findings;

    /// serverCapacity: the server's slots for ordinary roles (SlotCounts::usable()); -1 when
    /// not known, which leaves out the check that needs it.
    static PoolerReport of(const PoolerSettings &settings, const Profile &profile,
                           int serverCapacity);

    /// The "pooler" member of check --json.
    QJsonObject toJson() const;
    /// One line per finding (severity, message, evidence, fix), or a line saying all fits.
    QStringList lines() const;
    /// A heading and the lines, indented: what check prints and the Pool page shows.
    QString text() const;
};

Q_DECLARE_METATYPE(PoolerSettings)
Q_DECLARE_METATYPE(PoolerReport)
