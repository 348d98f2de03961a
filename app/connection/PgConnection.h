#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

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
    /// Whether this session was seen to hold the named prepared statement.
    bool isPrepared(const QByteArray &name) const { return m_prepared.contains(name); }
    void setPrepared(const QByteArray &name, bool prepared);

private:
    PGconn *m_conn;
    QSet<QByteArray> m_prepared;
};

struct PgResultDeleter
{
    void operator()(PGresult *result) const;
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

/// libpq's asynchronous query API with a stop flag checked every 20 ms, for worker threads.
namespace PgAsync {

/// Waits until the socket is ready; false when stopped, or past the deadline, first.
bool waitForSocket(int socket, bool forWrite, const std::atomic<bool> &stop,
                   QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
/// Sends one statement and returns its (last) result, or null when it could not be sent,
/// the connection broke, or stop was set or the deadline passed (the server is then asked to
/// cancel the statement).
/// The caller checks PQresultStatus.
PgResult exec(PGconn *conn, const char *sql, const std::atomic<bool> &stop,
              QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

/// What one statement on a kept connection came to, as plain values for another thread.
struct Outcome
{
    bool ok = false;
    /// Every row, column name to text.
    QList<QMap<QString, QString>> rows;
    /// libpq's or the server's message when !ok (not yet cleaned of secrets).
    QString rawError;
    /// The connection itself broke (the server went away, the backend was terminated).
    bool connectionLost = false;

    /// The first column of the first row.
    QByteArray firstValue() const;
};
Outcome run(PGconn *conn, const QByteArray &sql, const std::atomic<bool> &stop);
/// Runs a statement without parameters prepared as NAME once per session, so that the server
/// plans it once instead of at every call. Behind a pooler that gives each transaction another
/// server session (PgBouncer in transaction mode) the statement may be missing there: that call
/// then sends the text itself, and the next call prepares it again.
Outcome runPrepared(PgConnection &connection, const QByteArray &name, const QByteArray &sql,
                    const std::atomic<bool> &stop);

} // namespace PgAsync
