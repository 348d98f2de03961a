#pragma once

#include "connection/ConnectionUrl.h"

#include <QString>

#include <atomic>
#include <memory>
#include <optional>

class PgConnection;
struct PoolerSettings;

/// PgBouncer's admin console (dbname pgbouncer), read on a worker thread: the monitor's SHOW
/// POOLS and SHOW STATS, and the pooler checks' SHOW CONFIG and SHOW DATABASES.
namespace PgBouncerConsole {

/// Connects (blocking, with libpq's own timeout of timeoutSeconds); null with a password-free
/// error when the console refuses or does not answer. The console speaks only the simple query
/// protocol and connects in a moment on loopback, so a blocking connect is fine on a worker.
std::shared_ptr<PgConnection> open(const ConnectionUrl &url, const std::optional<QString> &password,
                                   int timeoutSeconds, QString *error);

/// SHOW CONFIG and SHOW DATABASES, for the given database; address names the console in
/// messages. A console that cannot be read gives settings with read false and the reason.
PoolerSettings readSettings(const ConnectionUrl &url, const std::optional<QString> &password,
                            const QString &database, const QString &address, int timeoutSeconds,
                            const std::atomic<bool> &stop);

} // namespace PgBouncerConsole
