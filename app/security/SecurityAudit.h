#pragma once

#include "pool/PoolerReport.h"
#include "profiles/Profile.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

/// One finding of the security audit: what was checked, how it came out, why it matters and
/// how to fix it.
struct AuditItem
{
    enum class Level { Pass, Info, Warn, Fail };
    QString id;
    Level level = Level::Info;
    QString title;
    QString why;
    QString fix;

    static QString levelId(Level level);
};

/// The configuration document's Security Best Practices, applied to one profile: verified TLS
/// for production and staging, a strong and recently changed password, no default password
/// outside development, no password in a .env file that git would commit, a pooler where it
/// helps (and, when its admin console was read, whether its settings fit the profile's pool
/// settings and driver), and a read-only role for reporting.
namespace SecurityAudit {

struct Input
{
    Profile profile;
    /// The stored password, when the keychain gave it (never shown, only measured).
    std::optional<QString> password;
    QDateTime now = QDateTime::currentDateTimeUtc();
    /// A .env file that holds this profile's password, and whether git would commit it
    /// (unset when no such file was checked).
    QString envFile;
    std::optional<bool> envFileCommittable;
    /// The pooler checks, when the profile's PgBouncer admin console was read (or tried).
    std::optional<PoolerReport> pooler;
};

QList<AuditItem> audit(const Input &input);
/// The worst level among the items.
AuditItem::Level worst(const QList<AuditItem> &items);
/// One line per finding that fails or warns for a staging or production profile about to be
/// saved (TLS not verified, a well-known default password, a weak password); nothing for the
/// other environments.
QStringList savingWarnings(const Profile &profile, const std::optional<QString> &password);

/// Whether git would commit the file: inside a work tree and not ignored. Unset when git is
/// missing or the file is outside any work tree. Blocking (runs git): call off the UI thread.
std::optional<bool> committableByGit(const QString &path);

} // namespace SecurityAudit
