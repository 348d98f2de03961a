#pragma once

#include <atomic>
#include <memory>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

/// An open libpq connection handed from a connection attempt to whoever keeps using it (the
/// server panels' session). Used by one thread at a time; closed when the last owner lets go.
class PgConnection final
{
public:
    explicit PgConnection(PGconn *conn);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    PGconn *get() const { return m_conn; }
    bool isOk() const;

private:
    PGconn *m_conn;
};

struct PgResultDeleter
{
    void operator()(PGresult *result) const;
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

/// libpq's asynchronous query API with a stop flag checked every 20 ms, for worker threads.
namespace PgAsync {

/// Waits until the socket is ready; false when stopped first.
bool waitForSocket(int socket, bool forWrite, const std::atomic<bool> &stop);
/// Sends one statement and returns its (last) result, or null when it could not be sent,
/// the connection broke, or stop was set. The caller checks PQresultStatus.
PgResult exec(PGconn *conn, const char *sql, const std::atomic<bool> &stop);

} // namespace PgAsync
