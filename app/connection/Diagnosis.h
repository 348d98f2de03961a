#pragma once

#include "connection/ConnectionStage.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

/// Why a connection attempt failed: exactly one of these per failure. The identifiers are a
/// contract (JSON output, scripts); see DESIGN.md, "Diagnosis taxonomy".
enum class DiagnosisCategory {
    Ok,
    ConnectionRefused,
    HostNotFound,
    Timeout,
    AuthFailed,
    RoleNotFound,
    DatabaseNotFound,
    SslRequired,
    SslUnavailable,
    SslVerifyFailed,
    HbaRejected,
    TooManyConnections,
    ServerClosed,
    InvalidUrl,
    KeychainUnavailable,
    SshUnreachable,
    SshHostKeyUnknown,
    SshHostKeyChanged,
    SshAuthFailed,
    SshForwardFailed,
    TunnelCommandFailed,
    Unknown,
};

/// What the steps are written for: the target as libpq saw it, and whether its data may be lost.
struct StepContext
{
    QString host;
    QString port;
    QString dbname;
    QString user;
    QString sslmode;
    /// Development and test data may be thrown away: a step that destroys data is shown there,
    /// marked. Staging, production, other and a bare URL never get one.
    bool dataDisposable = false;

    /// The context of a connection with these libpq parameters, as they are.
    static StepContext forTarget(const QMap<QString, QString> &params, bool dataDisposable);
    /// Fills what the parameters left unset from libpq's defaults (PG* variables, the login
    /// name, port 5432). It may ask the system for the login name: call it off the UI thread.
    void fillLibpqDefaults();
    /// Takes the non-empty values of effective (what libpq really used) over this one's.
    void update(const StepContext &effective);
};

/// One failed (or successful) attempt, explained: the category, where it happened, what the
/// server or libpq said (password-free), and what to do, in order.
struct Diagnosis
{
    DiagnosisCategory category = DiagnosisCategory::Unknown;
    ConnectionStage stage = ConnectionStage::Parse;
    /// The server's or libpq's message, cleaned of passwords and libpq's LOCATION lines.
    QString message;
    /// Five-character SQLSTATE when the server sent one; empty otherwise.
    QString sqlstate;
    /// What was observed beyond the message ("nothing listens on 127.0.0.1:1", ...).
    QStringList evidence;
    /// The likely fix the evidence found, before the category's own steps ("Did you mean
    /// database orderflow?").
    QStringList leadingSteps;
    /// Steps the evidence adds after the category's own.
    QStringList extraSteps;
    /// False when the failure is not the server's (a password command failed): only the
    /// evidence's steps apply.
    bool categorySteps = true;
    /// The target and environment the category's steps are rendered for.
    StepContext context;
    /// ssh_host_key_unknown: the host ([host]:port as known_hosts writes it) and the
    /// fingerprint of the key it sent, for the window to show before accepting it.
    QString sshHost;
    QString sshHostKeyFingerprint;

    QString categoryId() const;
    /// One plain sentence for the headline.
    QString headline() const;
    /// The numbered steps: the evidence's likely fix, the category's own for this context (the
    /// configuration document's first), then the evidence's others.
    QStringList hints() const;
};

/// The single table of categories, headlines, document sections and fix steps, shared by the
/// window, the command line and the monitor.
namespace DiagnosisTable {

QString id(DiagnosisCategory category);
/// The category of an id that id() gave; nullopt for any other text.
std::optional<DiagnosisCategory> fromId(const QString &id);
/// A few words for a list of tests: "connection refused", "authentication".
QString name(DiagnosisCategory category);
QString headline(DiagnosisCategory category);
/// The section of the database configuration document the hints start from, or empty.
QString documentSection(DiagnosisCategory category);
/// The category's own steps, the document's solutions first, with its example host, port,
/// database, user and sslmode replaced by the context's. A step that destroys data is marked
/// so for disposable data, and replaced by a safe one (or left out) otherwise.
QStringList hints(DiagnosisCategory category, const StepContext &context = {});
/// A Diagnosis of this category; its steps follow from the category and context.
Diagnosis make(DiagnosisCategory category, ConnectionStage stage, const QString &message,
               const QString &sqlstate = {});
QList<DiagnosisCategory> allFailures();

} // namespace DiagnosisTable
