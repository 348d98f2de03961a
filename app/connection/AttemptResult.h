#pragma once

#include "connection/ConnectionStage.h"
#include "connection/Diagnosis.h"
#include "connection/ServerSnapshot.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

class PgConnection;

/// Whether a stage did its job. Skipped: it had nothing to do (TLS not in use), was never
/// reached (a stage after the failed one), or was cancelled.
enum class StageState { Ok, Failed, Skipped };

/// How long one stage of an attempt took, and how it went.
struct StageTiming
{
    /// Why a skipped stage was skipped.
    enum class Skip { None, NotNeeded, NotReached, TlsNotInUse, Cancelled };

    ConnectionStage stage = ConnectionStage::Parse;
    /// 0 for a stage that never ran.
    double milliseconds = 0;
    StageState state = StageState::Skipped;
    Skip skip = Skip::None;

    /// Fixed identifier for JSON: ok, failed or skipped.
    QString stateId() const;
    /// Why it was skipped, in words; empty otherwise.
    QString note() const;
};

/// What a successful connection learnt about the server.
struct ServerFacts
{
    QString version;
    int versionNum = 0;
    /// Also set for a failed attempt that got as far as encryption.
    bool sslInUse = false;
    QString sslProtocol;
    QString sslCipher;
    QString certificateSubject;
    QString certificateIssuer;
    QDateTime certificateNotAfter;
    int maxConnections = -1;
    int superuserReservedConnections = -1;
    /// reserved_connections (PostgreSQL 16 and later); -1 when the server has none.
    int reservedConnections = -1;
};

/// Where one effective connection parameter came from.
struct ParameterSource
{
    enum class Origin { Profile, Environment, Service, PasswordFile, Default };
    QString keyword;
    /// The value in effect; "***" for the password.
    QString value;
    Origin origin = Origin::Default;
    /// The environment variable for Origin::Environment (PGSSLMODE, ...).
    QString detail;

    QString originId() const;
};

/// The tunnel an attempt went through.
struct TunnelUse
{
    /// "ssh" or "command".
    QString kind;
    /// The route without secrets (Route::redacted).
    QString route;
    /// 0 when it did not open.
    int localPort = 0;
};

/// The outcome of one ConnectionAttempt.
struct AttemptResult
{
    bool ok = false;
    bool cancelled = false;
    /// Category Ok when connected; otherwise the diagnosis of the failure.
    Diagnosis diagnosis;
    /// Every stage, in order: those passed, the one that failed, those skipped.
    QList<StageTiming> stages;
    double elapsedMs = 0;
    /// Median round trip of a trivial query, when connected.
    double latencyMs = -1;
    ServerFacts server;
    QList<ParameterSource> parameters;
    /// Things that work but deserve a look (a PG* variable overriding the profile, ...).
    QStringList warnings;
    /// The redacted URL of the target.
    QString target;
    /// What the checks stage saw of the server: extensions, sessions, capacity.
    std::optional<ServerSnapshot> snapshot;
    /// Set when the attempt went through a tunnel.
    std::optional<TunnelUse> tunnel;
    /// The open connection, when the request asked to keep it.
    std::shared_ptr<PgConnection> connection;
};

Q_DECLARE_METATYPE(AttemptResult)
Q_DECLARE_METATYPE(ConnectionStage)
Q_DECLARE_METATYPE(StageState)
