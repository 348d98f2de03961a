#include "PgBouncerConsole.h"

#include "connection/ErrorClassifier.h"
#include "connection/KeywordValueArrays.h"
#include "connection/PgConnection.h"
#include "pool/PoolerReport.h"

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

namespace PgBouncerConsole {

// No SessionPolicy here: the console is PgBouncer's own, not a PostgreSQL session, and has no
// default_transaction_read_only to set.
std::shared_ptr<PgConnection> open(const ConnectionUrl &url, const std::optional<QString> &password,
                                   int timeoutSeconds, QString *error)
{
    QMap<QString, QString> params = url.params();
    if (password)
        params.insert(u"password"_s, *password);
    params.insert(u"connect_timeout"_s, QString::number(timeoutSeconds));
    const KeywordValueArrays arrays(params);
    auto connection = std::make_shared<PgConnection>(
            PQconnectdbParams(arrays.keywords(), arrays.values(), 0));
    if (connection->isOk())
        return connection;
    if (error)
        *error = ErrorClassifier::cleanMessage(QString::fromUtf8(PQerrorMessage(connection->get())),
                                               password.value_or(QString()));
    return nullptr;
}

PoolerSettings readSettings(const ConnectionUrl &url, const std::optional<QString> &password,
                            const QString &database, const QString &address, int timeoutSeconds,
                            const std::atomic<bool> &stop)
{
    PoolerSettings failed;
    failed.address = address;
    failed.database = database;
    const auto connection = open(url, password, timeoutSeconds, &failed.error);
    if (!connection)
        return failed;
    const PgAsync::Outcome config = PgAsync::run(connection->get(), "SHOW CONFIG", stop);
    const PgAsync::Outcome databases = PgAsync::run(connection->get(), "SHOW DATABASES", stop);
    if (!config.ok || !databases.ok) {
        failed.error = ErrorClassifier::cleanMessage(
                config.ok ? databases.rawError : config.rawError, password.value_or(QString()));
        return failed;
    }
    PoolerSettings settings = PoolerSettings::fromRows(config.rows, databases.rows, database);
    settings.address = address;
    return settings;
}

} // namespace PgBouncerConsole
