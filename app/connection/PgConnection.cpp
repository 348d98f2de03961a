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

void PgConnection::setPrepared(const QByteArray &name, bool prepared)
{
    if (prepared)
        m_prepared.insert(name);
    else
        m_prepared.remove(name);
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

namespace {

// Waits for the answer to what was just sent and returns its last result.
PgResult finish(PGconn *conn, const std::atomic<bool> &stop, QDeadlineTimer deadline)
{
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

} // namespace

PgResult exec(PGconn *conn, const char *sql, const std::atomic<bool> &stop, QDeadlineTimer deadline)
{
    if (!PQsendQuery(conn, sql))
        return {};
    return finish(conn, stop, deadline);
}

} // namespace PgAsync

namespace PgAsync {

QByteArray Outcome::firstValue() const
{
    if (rows.isEmpty() || rows.first().isEmpty())
        return {};
    return rows.first().first().toUtf8();
}

namespace {

Outcome outcomeOf(PGconn *conn, const PgResult &result)
{
    Outcome outcome;
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

bool failedWith(const PgResult &result, const char *sqlstate)
{
    return result && qstrcmp(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE), sqlstate) == 0;
}

} // namespace

Outcome run(PGconn *conn, const QByteArray &sql, const std::atomic<bool> &stop)
{
    return outcomeOf(conn, exec(conn, sql.constData(), stop));
}

Outcome runPrepared(PgConnection &connection, const QByteArray &name, const QByteArray &sql,
                    const std::atomic<bool> &stop)
{
    PGconn *conn = connection.get();
    const QDeadlineTimer noDeadline(QDeadlineTimer::Forever);
    if (!connection.isPrepared(name)) {
        if (!PQsendPrepare(conn, name.constData(), sql.constData(), 0, nullptr))
            return outcomeOf(conn, {});
        PgResult prepared = finish(conn, stop, noDeadline);
        // 42P05: a pooler's server session has it from an earlier call.
        if (!prepared
            || (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK
                && !failedWith(prepared, "42P05")))
            return outcomeOf(conn, prepared);
        connection.setPrepared(name, true);
    }
    if (!PQsendQueryPrepared(conn, name.constData(), 0, nullptr, nullptr, nullptr, 0))
        return outcomeOf(conn, {});
    PgResult result = finish(conn, stop, noDeadline);
    // 26000: this server session does not have it (a pooler moved us, or DEALLOCATE ran).
    if (failedWith(result, "26000")) {
        connection.setPrepared(name, false);
        return run(conn, sql, stop);
    }
    return outcomeOf(conn, result);
}

} // namespace PgAsync
