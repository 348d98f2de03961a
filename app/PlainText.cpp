#include "PlainText.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace PlainText {

// Names, URLs and server messages may come from others: a terminal must not act on their
// control characters (escape sequences that rewrite the screen or the title).
QString terminalSafe(QString text, bool keepLines)
{
    // Format characters too: a right-to-left override can make a name read as another.
    for (QChar &c : text) {
        if (keepLines && (c == u'\n' || c == u'\t'))
            continue;
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            c = QChar::ReplacementCharacter;
    }
    return text;
}

QString shellQuoted(const QString &text)
{
    // Anchored for real: "$" alone would also match before a final newline.
    static const QRegularExpression plain(
            QRegularExpression::anchoredPattern(u"[A-Za-z0-9_.,:/@%+=-]+"_s));
    if (plain.match(text).hasMatch())
        return text;
    return u'\'' + terminalSafe(text).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

} // namespace PlainText
