#include "EnvFile.h"

#include "PlainText.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace EnvFile {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(EnvFile)
};

// The .env is read by a POSIX shell (set -a; . .env), python-dotenv, compose and parse(): each
// value is written in a form all of them read back the same. Single quotes are literal for
// all, except that python-dotenv unescapes \\ and \' and expands ${...} in them too; double
// quotes share only the \\ and \" escapes, and the shell expands $ and ` in them.
QString quoted(const QString &value)
{
    if (value.isEmpty() || PlainText::shellSafe(value))
        return value;
    if (!value.contains(u'\'') && !value.contains(u'\\') && !value.contains(u"${"_s))
        return u'\'' + value + u'\'';
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    // No form fits a value with both kinds ($ or ` and ' or \): the shell, compose and parse()
    // read \$ and \` as the character, python-dotenv keeps the backslash (and expands ${...}
    // wherever it is).
    escaped.replace(u'$', u"\\$"_s).replace(u'`', u"\\`"_s);
    return u'"' + escaped + u'"';
}

QString leftTrimmed(const QString &text)
{
    qsizetype start = 0;
    while (start < text.size() && text.at(start).isSpace())
        ++start;
    return text.mid(start);
}

} // namespace

// From the entries read so far: the process's own environment is deliberately not
// consulted, the file describes itself.
QString expand(const QString &text, const QMap<QString, QString> &known)
{
    static const QRegularExpression reference(
            u"\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)"_s);
    QString out;
    qsizetype last = 0;
    auto it = reference.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += text.mid(last, match.capturedStart() - last);
        const QString name = match.captured(1).isEmpty() ? match.captured(3) : match.captured(1);
        const QString value = known.value(name);
        out += value.isEmpty() && match.capturedLength(2) > 0 ? match.captured(2) : value;
        last = match.capturedEnd();
    }
    return out + text.mid(last);
}

QString ParseResult::value(const QString &key) const
{
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
        if (it->key == key)
            return it->value;
    }
    return {};
}

bool ParseResult::contains(const QString &key) const
{
    return std::any_of(entries.cbegin(), entries.cend(),
                       [&](const Entry &entry) { return entry.key == key; });
}

ParseResult parse(const QByteArray &content)
{
    ParseResult result;
    QMap<QString, QString> known;
    // Where each key's entry is, to replace it when the key comes again.
    QHash<QString, qsizetype> lineOfKey;
    const QString text = QString::fromUtf8(content);
    const QStringList lines = text.split(u'\n');
    static const QRegularExpression keyPattern(u"^[A-Za-z_][A-Za-z0-9_.]*$"_s);
    auto fail = [&](int line, const QString &message) {
        result.ok = false;
        result.entries.clear();
        result.errorLine = line;
        result.error = message;
        return result;
    };

    for (int index = 0; index < lines.size(); ++index) {
        const int lineNumber = index + 1;
        QString line = lines.at(index);
        if (line.endsWith(u'\r'))
            line.chop(1);
        // Trimmed on the left only: a quoted value may end its first line with spaces of its own.
        QString statement = leftTrimmed(line);
        if (statement.isEmpty() || statement.startsWith(u'#'))
            continue;
        if (statement.startsWith(u"export "_s) || statement.startsWith(u"export\t"_s))
            statement = leftTrimmed(statement.mid(7));
        const qsizetype equals = statement.indexOf(u'=');
        if (equals < 0)
            return fail(lineNumber, Text::tr("line %1: expected KEY=value").arg(lineNumber));
        const QString key = statement.left(equals).trimmed();
        if (!keyPattern.match(key).hasMatch())
            // Not quoted: the text before "=" may be a whole URL with its password.
            return fail(lineNumber,
                        Text::tr("line %1: the text before \"=\" is not a variable name (letters, "
                                 "digits and _, not starting with a digit)")
                                .arg(lineNumber));
        QString raw = leftTrimmed(statement.mid(equals + 1));
        QString value;
        QString unexpanded;
        if (raw.startsWith(u'\'') || raw.startsWith(u'"')) {
            const QChar quote = raw.at(0);
            // A quoted value may run over several lines.
            QString body = raw.mid(1);
            qsizetype end = -1;
            int lastLine = index;
            // Each character is looked at once, however many lines the value runs over: an
            // unclosed quote in a large file stays linear.
            qsizetype scanned = 0;
            while (true) {
                for (qsizetype &i = scanned; i < body.size(); ++i) {
                    if (quote == u'"' && body.at(i) == u'\\') {
                        ++i;
                        continue;
                    }
                    if (body.at(i) == quote) {
                        end = i;
                        break;
                    }
                }
                if (end >= 0 || lastLine + 1 >= lines.size())
                    break;
                ++lastLine;
                QString next = lines.at(lastLine);
                if (next.endsWith(u'\r'))
                    next.chop(1);
                body += u'\n' + next;
            }
            if (end < 0)
                return fail(lineNumber,
                            Text::tr("line %1: the quoted value of %2 is not closed")
                                    .arg(lineNumber)
                                    .arg(key));
            const QString rest = body.mid(end + 1).trimmed();
            if (!rest.isEmpty() && !rest.startsWith(u'#'))
                return fail(lastLine + 1,
                            Text::tr("line %1: unexpected text after the quoted value of %2")
                                    .arg(lastLine + 1)
                                    .arg(key));
            value = body.left(end);
            if (quote == u'"') {
                // \$ is a literal dollar: keep it out of the reference expansion.
                value.replace(u"\\$"_s, QString(QChar(0xE000)));
                QString unescaped;
                for (qsizetype i = 0; i < value.size(); ++i) {
                    if (value.at(i) == u'\\' && i + 1 < value.size()) {
                        const QChar next = value.at(++i);
                        unescaped += next == u'n' ? u'\n' : next == u't' ? u'\t' : next;
                    } else {
                        unescaped += value.at(i);
                    }
                }
                unexpanded = QString(unescaped).replace(QChar(0xE000), u'$');
                value = expand(unescaped, known).replace(QChar(0xE000), u'$');
            } else {
                unexpanded = value;
            }
            index = lastLine;
        } else {
            // An unquoted value ends at " #".
            const qsizetype comment = raw.indexOf(u" #"_s);
            unexpanded = (comment >= 0 ? raw.left(comment) : raw).trimmed();
            value = expand(unexpanded, known);
        }
        known.insert(key, value);
        // A key set twice: the last one counts, as for docker compose and python-dotenv.
        const auto earlier = lineOfKey.constFind(key);
        if (earlier != lineOfKey.cend()) {
            result.warnings << Text::tr(
                                       "line %1 sets %2 again (first set on line %3): the last one "
                                       "counts")
                                       .arg(QString::number(lineNumber), key,
                                            QString::number(result.entries.at(*earlier).line));
            result.entries[*earlier] = Entry{key, value, lineNumber, unexpanded};
        } else {
            lineOfKey.insert(key, result.entries.size());
            result.entries << Entry{key, value, lineNumber, unexpanded};
        }
    }
    result.ok = true;
    return result;
}

QString write(const QList<std::pair<QString, QString>> &entries)
{
    QString out;
    for (const auto &[key, value] : entries)
        out += key + u'=' + quoted(value) + u'\n';
    return out;
}

} // namespace EnvFile
