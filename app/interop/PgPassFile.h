#pragma once

#include "profiles/Profile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

/// libpq's password file (.pgpass): hostname:port:database:username:password lines, with *
/// as a wildcard and \: and \\ escapes. Like libpq, a file others may read is refused.
namespace PgPassFile {

struct Entry
{
    QString host;
    QString port;
    QString database;
    QString user;
    QString password;
    int line = 0;

    bool matches(const QString &host, const QString &port, const QString &database,
                 const QString &user) const;
};

struct ParseResult
{
    bool ok = false;
    QList<Entry> entries;
    int errorLine = 0;
    QString error;

    /// The first entry that matches, as libpq picks it.
    std::optional<Entry> find(const QString &host, const QString &port, const QString &database,
                              const QString &user) const;
    /// The password libpq would take from this file for a profile's connection.
    std::optional<QString> passwordFor(const Profile &profile) const;
};

ParseResult parse(const QByteArray &content);
/// Reads a file, refusing one that is readable or writable by group or others.
ParseResult read(const QString &path);

} // namespace PgPassFile
