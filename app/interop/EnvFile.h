#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

/// A .env file as docker compose and python-dotenv read it: KEY=value lines, # comments,
/// an optional `export` prefix, single quotes (literal), double quotes (with backslash escapes
/// and ${VAR} references), unquoted values with inline ` #` comments, and ${VAR} or
/// $VAR references resolved within the file. Written by hand: no library reads this format.
namespace EnvFile {

struct Entry
{
    QString key;
    QString value;
    int line = 0;
    /// The value as written, before ${VAR} references were resolved (quotes removed).
    QString raw;
};

/// Resolves ${VAR}, ${VAR:-default} and $VAR in text from the given values.
QString expand(const QString &text, const QMap<QString, QString> &values);

struct ParseResult
{
    bool ok = false;
    QList<Entry> entries;
    /// When !ok: the 1-based line and what is wrong with it (never the value).
    int errorLine = 0;
    QString error;
    /// Things that parse but deserve a word (a key set twice).
    QStringList warnings;

    QString value(const QString &key) const;
    bool contains(const QString &key) const;
};

ParseResult parse(const QByteArray &content);
/// KEY=value lines, quoted where needed so that parse(), a POSIX shell (set -a; . file),
/// compose and python-dotenv read the same values back (python-dotenv all but a value holding
/// both $ or ` and ' or \).
QString write(const QList<std::pair<QString, QString>> &entries);

} // namespace EnvFile
