#pragma once

#include <QString>

/// What a secret looks like in text that is meant to hold none: a file to be committed, a
/// member of a file this version does not know. One place, so that whatever writes such a file
/// and whatever reads it refuse the same things.
namespace SecretScan {

/// Whether a member, setting or variable of this name holds a secret: it ends in password,
/// passwd or passphrase, in any case and with any prefix (password, PGPASSWORD, db_password,
/// sshPassphrase). Names that merely say where a password comes from (password_source,
/// password_command) do not.
bool isSecretName(const QString &name);
/// What in text looks like a secret, in words for the user: a URL with a password, a
/// password=... setting (a connection string, a command line, an environment assignment) or a
/// private key. Empty when none. A redacted value (***) and a variable ($DB_PASSWORD,
/// ${DB_PASSWORD}) are references, not secrets.
QString secretIn(const QString &text);

} // namespace SecretScan
