#include "JsonLines.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Level
{
    bool array = false;
    int index = -1;
    QString name;
};

QString decodeString(const QByteArray &quoted)
{
    // Most strings hold no escape; the rest are decoded by Qt's own reader.
    if (!quoted.contains('\\'))
        return QString::fromUtf8(quoted.mid(1, quoted.size() - 2));
    return QJsonDocument::fromJson('[' + quoted + ']').array().first().toString();
}

} // namespace

int JsonLines::lineAt(const QByteArray &json, qsizetype offset)
{
    return int(json.left(offset).count('\n')) + 1;
}

JsonLines JsonLines::scan(const QByteArray &json)
{
    JsonLines lines;
    QList<Level> levels;
    auto pathOf = [&levels]() {
        QStringList parts;
        for (const Level &level : std::as_const(levels))
            parts << (level.array ? QString::number(level.index) : level.name);
        return parts.join(u'/');
    };
    int line = 1;
    bool valueExpected = true;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (c == '\n') {
            ++line;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == ':')
            continue;
        if (c == ',') {
            if (!levels.isEmpty() && levels.last().array)
                valueExpected = true;
            continue;
        }
        if (c == '}' || c == ']') {
            if (!levels.isEmpty())
                levels.removeLast();
            valueExpected = false;
            continue;
        }
        // The start of a value: an array's element begins here.
        if (valueExpected && !levels.isEmpty() && levels.last().array) {
            ++levels.last().index;
            lines.m_lines.insert(pathOf(), line);
        }
        valueExpected = false;
        if (c == '{' || c == '[') {
            levels.append({c == '[', -1, {}});
            valueExpected = c == '[';
            continue;
        }
        if (c != '"')
            continue; // a number, true, false or null: the rest of it reads as nothing
        qsizetype end = i + 1;
        while (end < json.size() && json.at(end) != '"')
            end += json.at(end) == '\\' ? 2 : 1;
        const QString text = decodeString(json.mid(i, end - i + 1));
        qsizetype next = end + 1;
        while (next < json.size() && QByteArrayView(" \t\r\n").contains(json.at(next)))
            ++next;
        const bool isName = next < json.size() && json.at(next) == ':' && !levels.isEmpty()
                && !levels.last().array;
        if (isName) {
            levels.last().name = text;
            lines.m_lines.insert(pathOf(), line);
        }
        lines.m_texts.append({pathOf(), text, isName, line});
        i = end;
    }
    return lines;
}
