#include "PlainText.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace PlainText {

namespace {

// Characters that must not appear as themselves where people read code or a parser reads a
// line: controls end lines (a "\r" ends a Python comment), format characters reorder what is
// shown (a right-to-left override makes a name read as another), separators break lines in
// editors and YAML.
bool hidden(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

// Python string literals and YAML double-quoted scalars share these escapes (\\, \", \n, \r,
// \t, \uXXXX, \UXXXXXXXX), so one writer serves both.
QString backslashQuoted(const QString &text)
{
    QString out = u"\""_s;
    for (const char32_t c : text.toUcs4()) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'"')
            out += u"\\\""_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else if (c == u'\r')
            out += u"\\r"_s;
        else if (c == u'\t')
            out += u"\\t"_s;
        // Unassigned code points too: YAML refuses U+FFFE and U+FFFF as they are.
        else if (hidden(c) || QChar::category(c) == QChar::Other_NotAssigned)
            out += c <= 0xFFFF ? u"\\u%1"_s.arg(uint(c), 4, 16, QChar(u'0'))
                               : u"\\U%1"_s.arg(uint(c), 8, 16, QChar(u'0'));
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out + u'"';
}

} // namespace

// Names, URLs and server messages may come from others: a terminal must not act on their
// control characters (escape sequences that rewrite the screen or the title).
QString terminalSafe(QString text, bool keepLines)
{
    for (QChar &c : text) {
        if (keepLines && (c == u'\n' || c == u'\t'))
            continue;
        if (hidden(c.unicode()))
            c = QChar::ReplacementCharacter;
    }
    return text;
}

bool shellSafe(const QString &text)
{
    // Anchored for real: "$" alone would also match before a final newline.
    static const QRegularExpression plain(
            QRegularExpression::anchoredPattern(u"[A-Za-z0-9_.,:/@%+=-]+"_s));
    return plain.match(text).hasMatch();
}

QString shellQuoted(const QString &text)
{
    if (shellSafe(text))
        return text;
    return u'\'' + terminalSafe(text).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

QString pythonString(const QString &text)
{
    return backslashQuoted(text);
}

QString yamlString(const QString &text)
{
    return backslashQuoted(text);
}

QString html(const QString &text)
{
    return u"<p style=\"white-space:pre-wrap\">"_s + text.toHtmlEscaped() + u"</p>"_s;
}

} // namespace PlainText
