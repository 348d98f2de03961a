#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

/// The line of each member name, array element and string of a JSON text. QJsonDocument tells
/// no lines, and a person fixing a file by hand needs them. Paths are the member names and
/// array indices from the top, joined by '/': "profiles/2/route".
class JsonLines final
{
public:
    /// One string of the text: a member's name or a string value.
    struct Text
    {
        /// The member it names, or the member or element it is the value of.
        QString path;
        QString text;
        bool isName = false;
        int line = 0;
    };

    /// Reads text that QJsonDocument accepted; for other text the lines are meaningless.
    static JsonLines scan(const QByteArray &json);
    /// The line where the member or element at path starts; 0 when there is none.
    int lineOf(const QString &path) const { return m_lines.value(path); }
    /// The line of a byte offset (as QJsonParseError gives it).
    static int lineAt(const QByteArray &json, qsizetype offset);
    const QList<Text> &texts() const { return m_texts; }

private:
    QHash<QString, int> m_lines;
    QList<Text> m_texts;
};
