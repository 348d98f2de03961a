#pragma once

#include "connection/ConnectionStage.h"

#include <QString>
#include <QStringList>

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
    Unknown,
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
    /// Numbered steps: the category's own (from the configuration document first), then what
    /// the evidence adds.
    QStringList hints;

    QString categoryId() const;
    /// One plain sentence for the headline.
    QString headline() const;
};

/// The single table of categories, headlines, document sections and fix steps, shared by the
/// window, the command line and the monitor.
namespace DiagnosisTable {

QString id(DiagnosisCategory category);
QString headline(DiagnosisCategory category);
/// The section of the database configuration document the hints start from, or empty.
QString documentSection(DiagnosisCategory category);
/// The category's own steps, the document's solutions first.
QStringList hints(DiagnosisCategory category);
/// A Diagnosis with the table's headline and hints for this category.
Diagnosis make(DiagnosisCategory category, ConnectionStage stage, const QString &message,
               const QString &sqlstate = {});
QList<DiagnosisCategory> allFailures();

} // namespace DiagnosisTable
