#include "PgConnection.h"

#include <QtGlobal>

#include <libpq-fe.h>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <poll.h>
#endif

PgConnection::PgConnection(PGconn *conn)
    : m_conn(conn)
{ }

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

bool PgConnection::isOk() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

void PgResultDeleter::operator()(PGresult *result) const
{
    PQclear(result);
}

namespace PgAsync {

bool waitForSocket(int socket, bool forWrite, const std::atomic<bool> &stop)
{
    while (!stop.load()) {
#ifdef Q_OS_WIN
        WSAPOLLFD fd{};
        fd.fd = SOCKET(socket);
        fd.events = forWrite ? POLLWRNORM : POLLRDNORM;
        const int rc = WSAPoll(&fd, 1, 20);
#else
        pollfd fd{};
        fd.fd = socket;
        fd.events = short(forWrite ? POLLOUT : POLLIN);
        const int rc = ::poll(&fd, 1, 20);
#endif
        if (rc != 0)
            return true; // ready, or an error the next libpq call will report
    }
    return false;
}

PgResult exec(PGconn *conn, const char *sql, const std::atomic<bool> &stop)
{
    if (!PQsendQuery(conn, sql))
        return {};
    while (PQflush(conn) == 1) {
        if (!waitForSocket(PQsocket(conn), true, stop))
            return {};
    }
    while (PQisBusy(conn)) {
        if (!waitForSocket(PQsocket(conn), false, stop) || !PQconsumeInput(conn))
            return {};
    }
    PgResult last;
    while (PgResult next{PQgetResult(conn)})
        last = std::move(next);
    return last;
}

} // namespace PgAsync
