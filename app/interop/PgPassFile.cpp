#include "PgPassFile.h"

#include "connection/ParameterSources.h"
#include "interop/ImportFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace PgPassFile {

namespace {

bool fieldMatches(const QString &pattern, const QString &value)
{
    return pattern == u"*"_s || pattern == value;
}

} // namespace

bool Entry::matches(const QString &h, const QString &p, const QString &d, const QString &u) const
{
    // libpq treats "localhost" and a socket directory alike for the host field.
    const bool hostOk = fieldMatches(host, h)
            || (host == u"localhost"_s && (h.isEmpty() || h.startsWith(u'/')));
    return hostOk && fieldMatches(port, p) && fieldMatches(database, d) && fieldMatches(user, u);
}

std::optional<Entry> ParseResult::find(const QString &host, const QString &port,
                                       const QString &database, const QString &user) const
{
    for (const Entry &entry : entries) {
        if (entry.matches(host, port, database, user))
            return entry;
    }
    return std::nullopt;
}

ParseResult parse(const QByteArray &content)
{
    ParseResult result;
    const QStringList lines = QString::fromUtf8(content).split(u'\n');
    for (int index = 0; index < lines.size(); ++index) {
        QString line = lines.at(index);
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith(u'#'))
            continue;
        QStringList fields{QString()};
        for (qsizetype i = 0; i < line.size(); ++i) {
            const QChar c = line.at(i);
            if (c == u'\\' && i + 1 < line.size())
                fields.last() += line.at(++i);
            else if (c == u':' && fields.size() < 5)
                fields << QString();
            else
                fields.last() += c;
        }
        if (fields.size() != 5) {
            result.ok = false;
            result.entries.clear();
            result.errorLine = index + 1;
            result.error = QCoreApplication::translate(
                                   "PgPassFile",
                                   "line %1: expected hostname:port:database:username:password")
                                   .arg(index + 1);
            return result;
        }
        result.entries << Entry{fields.at(0), fields.at(1), fields.at(2),
                                fields.at(3), fields.at(4), index + 1};
    }
    result.ok = true;
    return result;
}

ParseResult read(const QString &path)
{
    ParseResult result;
    if (ParameterSources::passwordFileTooOpen(path)) {
        result.error
                = QCoreApplication::translate("PgPassFile",
                                              "%1 may be read by other users; libpq ignores such a "
                                              "file, and so do we. Run: chmod 0600 %1")
                          .arg(path);
        return result;
    }
    const ImportFile::Content content = ImportFile::read(path);
    if (!content.ok) {
        result.error = content.error;
        return result;
    }
    return parse(content.bytes);
}

std::optional<QString> ParseResult::passwordFor(const Profile &profile) const
{
    const auto &params = profile.params;
    const auto entry = find(params.value(u"host"_s, Profile::defaultHost()),
                            params.value(u"port"_s, Profile::defaultPort()),
                            params.value(u"dbname"_s, Profile::defaultDatabase()),
                            params.value(u"user"_s, Profile::defaultUser()));
    return entry ? std::optional<QString>(entry->password) : std::nullopt;
}

} // namespace PgPassFile
