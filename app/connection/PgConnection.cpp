#include "PgConnection.h"

#include <QtGlobal>

#include <libpq-fe.h>

#include <QMap>

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

bool waitForSocket(int socket, bool forWrite, const std::atomic<bool> &stop,
                   QDeadlineTimer deadline)
{
    while (!stop.load() && !deadline.hasExpired()) {
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

// Asks the server to stop the statement this connection runs. Without it a stopped statement
// goes on in its backend, holding the slot and any locks, until it ends by itself: the server
// does not notice that its client left.
void cancelRunning(PGconn *conn)
{
    if (PGcancel *cancel = PQgetCancel(conn)) {
        char error[256] = {};
        PQcancel(cancel, error, int(sizeof error));
        PQfreeCancel(cancel);
    }
}

PgResult exec(PGconn *conn, const char *sql, const std::atomic<bool> &stop, QDeadlineTimer deadline)
{
    if (!PQsendQuery(conn, sql))
        return {};
    while (PQflush(conn) == 1) {
        if (!waitForSocket(PQsocket(conn), true, stop, deadline)) {
            cancelRunning(conn);
            return {};
        }
    }
    while (PQisBusy(conn)) {
        if (!waitForSocket(PQsocket(conn), false, stop, deadline)) {
            cancelRunning(conn);
            return {};
        }
        if (!PQconsumeInput(conn))
            return {};
    }
    PgResult last;
    while (PgResult next{PQgetResult(conn)})
        last = std::move(next);
    return last;
}

} // namespace PgAsync

namespace PgAsync {

QByteArray Outcome::firstValue() const
{
    if (rows.isEmpty() || rows.first().isEmpty())
        return {};
    return rows.first().first().toUtf8();
}

Outcome run(PGconn *conn, const QByteArray &sql, const std::atomic<bool> &stop)
{
    Outcome outcome;
    PgResult result = exec(conn, sql.constData(), stop);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        outcome.ok = true;
        const int columns = PQnfields(result.get());
        for (int row = 0; row < PQntuples(result.get()); ++row) {
            QMap<QString, QString> values;
            for (int column = 0; column < columns; ++column)
                values.insert(QString::fromUtf8(PQfname(result.get(), column)),
                              QString::fromUtf8(PQgetvalue(result.get(), row, column)));
            outcome.rows << values;
        }
    } else {
        outcome.rawError = QString::fromUtf8(result ? PQresultErrorMessage(result.get())
                                                    : PQerrorMessage(conn));
        outcome.connectionLost = PQstatus(conn) != CONNECTION_OK;
    }
    return outcome;
}

} // namespace PgAsync
