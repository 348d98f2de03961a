#pragma once

#include "connection/AttemptResult.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "connection/ErrorClassifier.h"
#include "connection/PgConnection.h"
#include "connection/SessionPolicy.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

/// What an attempt and its worker share across threads: the stop request.
struct AttemptShared
{
    std::atomic<bool> stop{false};
};

/// Closes a connection the worker still holds (a failed or abandoned one).
struct ConnectionCloser
{
    void operator()(PGconn *conn) const;
};

/// Runs one attempt on a worker thread. It lives in the caller's thread (so Qt delivers its
/// signals there, and drops them if the attempt is gone); only run() executes on the worker.
class AttemptWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptWorker)

public:
    /// url is request's, parsed; timeoutSeconds is the attempt's deadline.
    AttemptWorker(std::shared_ptr<AttemptShared> shared, ConnectionUrl url,
                  const ConnectionRequest &request, QElapsedTimer clock, int timeoutSeconds);

    void run();

Q_SIGNALS:
    void stageEntered(ConnectionStage stage, double atMs);
    void done(const AttemptResult &result);

private:
    bool stopped() const { return m_shared->stop.load(); }
    void enter(ConnectionStage stage);
    void fail(Diagnosis diagnosis);
    bool resolveHosts(QMap<QString, QString> &params, Diagnosis *failure);
    /// track: the attempt's own connection (its stages are reported); a probe instead gives
    /// up at its deadline.
    std::unique_ptr<PGconn, ConnectionCloser>
    connectWith(const QMap<QString, QString> &params, FailureEvidence *evidence, bool track,
                QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    bool passesHba(const QMap<QString, QString> &params, QDeadlineTimer deadline);
    std::optional<QStringList> connectableDatabases(const QMap<QString, QString> &params,
                                                    QDeadlineTimer deadline);
    QString passwordOrigin(PGconn *conn) const;
    /// The password file libpq reads for this connection.
    static QString passwordFile(PGconn *conn);
    void runChecks(PGconn *conn, AttemptResult &result);
    PgResult exec(PGconn *conn, const char *sql,
                  QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    int remainingMs() const;

    std::shared_ptr<AttemptShared> m_shared;
    ConnectionUrl m_url;
    std::optional<QString> m_password;
    QString m_passwordOrigin;
    QElapsedTimer m_clock;
    int m_timeoutSeconds;
    bool m_keepConnection;
    SessionPolicy m_policy;
    std::optional<QString> m_sessionName;
    StepContext m_stepContext;
    ConnectionStage m_stage = ConnectionStage::Parse;
    QStringList m_resolveEvidence;
    /// The attempt's connection got as far as encryption (known for a later failure too).
    bool m_tlsInUse = false;
};
