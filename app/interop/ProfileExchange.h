#pragma once

#include "profiles/NewProfile.h"
#include "profiles/Profile.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// Profiles in and out of the files people already have. Exports carry a password only when
/// the caller passes one (the user asked for it explicitly); imports hand passwords back
/// separately, for the keychain, and never put them in a profile.
namespace ProfileExchange {

enum class Format { Env, PgService, Compose, SqlAlchemy, Psql };

QStringList formatIds();
std::optional<Format> formatFromId(const QString &id);
QString write(const Profile &profile, Format format, const std::optional<QString> &password = {});

using Imported = NewProfile;

struct ImportResult
{
    bool ok = false;
    QList<Imported> profiles;
    int errorLine = 0;
    QString error;
    /// What the file's reader noticed but accepted (a key set twice).
    QStringList warnings;
};

/// DATABASE_URL becomes "Development", TEST_DATABASE_URL "Test", any other NAME_URL holding a
/// PostgreSQL URL "name"; DB_PASSWORD fills in a URL that has no password. All or nothing.
ImportResult fromEnv(const QByteArray &content);
/// One profile per [service] section. All or nothing.
ImportResult fromPgService(const QByteArray &content);

} // namespace ProfileExchange
