#pragma once

#include <QByteArray>
#include <QString>

/// Reading a file to import (.env, pg_service.conf, .pgpass, a team catalogue): the one place with
/// the size limit, so that a huge or endless file is refused before it is read.
namespace ImportFile {

/// 10 MiB: far more than any real .env, pg_service.conf or .pgpass, and some ten thousand
/// profiles of a catalogue.
constexpr qint64 sizeLimitMiB = 10;
constexpr qint64 sizeLimit = sizeLimitMiB * 1024 * 1024;

struct Content
{
    bool ok = false;
    QByteArray bytes;
    /// Why not, in words, when !ok.
    QString error;
};

Content read(const QString &path);

} // namespace ImportFile
