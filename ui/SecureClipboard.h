#pragma once

#include <QString>

/// The clipboard, careful with secrets: a copied password is marked as secret for clipboard
/// managers (KDE's password-manager hint, macOS's concealed type, Windows' history
/// exclusion) and cleared after a while and on quit, if it is still there.
namespace SecureClipboard {

void copyText(const QString &text);
void copySecret(const QString &text, int clearAfterMilliseconds = 30000);
/// Clears the clipboard when it still holds the last secret copied; true when it did.
bool clearSecret();

} // namespace SecureClipboard
