#pragma once

#include <QLocale>
#include <QString>

/// The product's translations, built into the executable, and Qt's own, chosen by the user's
/// language. English is the source language and needs none.
namespace Translations {

/// Installs, on the running application, the product's translation for the locale's languages
/// and, for the same language, Qt's own (qtbase: its dialogs and command line parser) when the
/// system provides it. The system locale follows LC_ALL, LC_MESSAGES and LANG, in that order,
/// then LANGUAGE for a list of preferences; a "C" or "POSIX" locale keeps English. Call it once
/// the application object exists and before any text is made. Returns the language installed
/// ("de"), or an empty string when the product speaks English.
QString install(const QLocale &locale = QLocale::system());

} // namespace Translations
