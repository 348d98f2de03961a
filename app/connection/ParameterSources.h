#pragma once

#include "connection/AttemptResult.h"
#include "connection/ConnectionUrl.h"

#include <QStringList>

typedef struct pg_conn PGconn;

/// Where each effective connection parameter came from (the profile, a PG* environment
/// variable, pg_service.conf, .pgpass, or libpq's default), and which PG* variables silently
/// change a connection that does not set the parameter itself.
namespace ParameterSources {

/// For a live connection: the parameters in effect and their origins.
QList<ParameterSource> describe(const ConnectionUrl &url, bool passwordGivenSeparately,
                                PGconn *conn);
/// Whether libpq ignores this password file because other users may use it (a mode wider
/// than 0600; Windows keeps access rights elsewhere, and libpq does not check there).
bool passwordFileTooOpen(const QString &path);
/// PG* variables that fill in a parameter the profile leaves unset, in words.
QStringList strayEnvironment(const ConnectionUrl &url, bool passwordGivenSeparately);

} // namespace ParameterSources
