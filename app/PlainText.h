#pragma once

#include <QString>

/// Text from files, servers and other people, made safe for where it goes next.
namespace PlainText {

/// The text with control and format characters replaced, for a terminal; with keepLines,
/// line breaks and tabs stay.
QString terminalSafe(QString text, bool keepLines = false);
/// The text as one POSIX shell word, for a command line the user can paste; quoted only when
/// it must be.
QString shellQuoted(const QString &text);

} // namespace PlainText
