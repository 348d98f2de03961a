#include "PgServiceFile.h"

#include "connection/ConnectionUrl.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace PgServiceFile {

namespace {

// libpq reads the file line by line into a 1024-byte buffer and refuses the whole file
// ("line N too long") when a line and its newline fill it: 1021 bytes is the longest line
// that libpq 15 reads.
constexpr qsizetype LongestLine = 1021;

} // namespace

ParseResult parse(const QByteArray &content)
{
    ParseResult result;
    auto fail = [&](int line, const QString &message) {
        result.ok = false;
        result.services.clear();
        result.errorLine = line;
        result.error = message;
        return result;
    };
    const QStringList known = ConnectionUrl::knownKeywords();
    const QStringList lines = QString::fromUtf8(content).split(u'\n');
    for (int index = 0; index < lines.size(); ++index) {
        const int lineNumber = index + 1;
        const QString line = lines.at(index).trimmed(); // also drops a Windows \r
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u'[')) {
            if (!line.endsWith(u']') || line.size() < 3)
                return fail(lineNumber,
                            QCoreApplication::translate("PgServiceFile",
                                                        "line %1: a section name must be [name]")
                                    .arg(lineNumber));
            result.services << Service{line.mid(1, line.size() - 2).trimmed(), {}, lineNumber};
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0)
            return fail(
                    lineNumber,
                    QCoreApplication::translate("PgServiceFile", "line %1: expected keyword=value")
                            .arg(lineNumber));
        if (result.services.isEmpty())
            return fail(lineNumber,
                        QCoreApplication::translate(
                                "PgServiceFile", "line %1: a setting before any [service] section")
                                .arg(lineNumber));
        const QString keyword = line.left(equals).trimmed();
        if (!known.contains(keyword) || keyword == u"service"_s)
            return fail(
                    lineNumber,
                    QCoreApplication::translate("PgServiceFile",
                                                "line %1: \"%2\" is not a libpq connection keyword")
                            .arg(lineNumber)
                            .arg(keyword.left(40)));
        result.services.last().params.insert(keyword, line.mid(equals + 1).trimmed());
    }
    result.ok = true;
    return result;
}

QString write(const QList<Service> &services)
{
    QString out;
    for (const Service &service : services) {
        if (!out.isEmpty())
            out += u'\n';
        out += u'[' + service.name + u"]\n"_s;
        for (auto it = service.params.cbegin(); it != service.params.cend(); ++it) {
            // libpq reads a value to the end of its line, with no escapes, the line trimmed: a
            // value it would read back differently is left out rather than changed.
            const QString &value = it.value();
            const QString line = it.key() + u'=' + value;
            if (value.contains(u'\n') || value.contains(u'\r') || value != value.trimmed())
                out += u"# %1 left out: a service file cannot hold its line breaks or "
                       "surrounding spaces\n"_s.arg(it.key());
            else if (line.toUtf8().size() > LongestLine)
                out += u"# %1 left out: libpq reads lines of at most %2 bytes\n"_s.arg(
                        it.key(), QString::number(LongestLine));
            else
                out += line + u'\n';
        }
    }
    return out;
}

} // namespace PgServiceFile
