#pragma once

#include <QString>

/// Text from files, servers and other people, made safe for where it goes next.
namespace PlainText {

/// The text with control, format and line-separator characters replaced, for a terminal or a
/// one-line comment in a file; with keepLines, line breaks and tabs stay.
QString terminalSafe(QString text, bool keepLines = false);
/// True when a POSIX shell reads the text as one word, unchanged, without quotes.
bool shellSafe(const QString &text);
/// The text as one POSIX shell word, for a command line the user can paste; quoted only when
/// it must be.
QString shellQuoted(const QString &text);
/// The text as a Python string literal that reads back to it, in double quotes.
QString pythonString(const QString &text);
/// The text as a YAML double-quoted scalar that reads back to it.
QString yamlString(const QString &text);
/// The text as HTML that shows it as it is, spaces and line breaks kept: for a tooltip, which Qt
/// shows as HTML whenever the text merely looks like HTML.
QString html(const QString &text);

} // namespace PlainText
