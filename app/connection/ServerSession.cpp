#include "ServerSession.h"

#include "connection/ConnectionAttempt.h"
#include "connection/ErrorClassifier.h"
#include "connection/PgConnection.h"
#include "connection/SlotCounts.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>
#include <utility>

using namespace Qt::Literals::StringLiterals;

/// A statement queued behind the current refresh.
struct ServerSession::Job
{
    QString sql;
    QPointer<QObject> context;
    StatementCallback callback;
};

ServerSession::ServerSession(QObject *parent)
    : QObject(parent)
    , m_stop(std::make_shared<std::atomic<bool>>(false))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ServerSession::refreshNow);
}

ServerSession::~ServerSession()
{
    // A query still running on the pool sees this within 20 ms and lets the connection go.
    m_stop->store(true);
}

void ServerSession::setTarget(const ConnectionUrl &url, const std::optional<QString> &password,
                              SessionPolicy policy, std::shared_ptr<TunnelLease> tunnel)
{
    m_tunnel = std::move(tunnel);
    m_stop->store(true);
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_generation.advance();
    m_url = url;
    m_password = password;
    m_passwordUnused = password.has_value();
    m_passwordSupplier = {};
    m_policy = policy;
    m_hasTarget = true;
    m_connection.reset();
    m_last.reset();
    m_busy = false;
    if (m_attempt) {
        m_attempt->cancel();
        m_attempt->deleteLater();
        m_attempt = nullptr;
    }
    if (m_active)
        refreshNow();
}

void ServerSession::setInterval(int milliseconds)
{
    m_interval = qMax(250, milliseconds);
    if (m_timer.isActive())
        m_timer.start(m_interval);
}

void ServerSession::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    if (!active) {
        m_timer.stop();
        return;
    }
    const bool stale
            = !m_last || m_last->takenAt.msecsTo(QDateTime::currentDateTimeUtc()) >= m_interval;
    if (stale)
        refreshNow();
    else
        scheduleNext();
}

bool ServerSession::isConnected() const
{
    return m_connection && m_connection->isOk();
}

void ServerSession::scheduleNext()
{
    if (m_active && m_hasTarget && !m_busy)
        m_timer.start(m_interval);
}

void ServerSession::refreshNow()
{
    if (!m_hasTarget || m_busy)
        return;
    m_timer.stop();
    m_busy = true;
    Q_EMIT refreshStarted();
    if (!isConnected()) {
        connectAndRefresh();
        return;
    }
    runNext();
}

void ServerSession::connectAndRefresh()
{
    m_connection.reset();
    // The password given with the target serves the first connection: whoever gave it has
    // just run the command. Reconnections ask the supplier for a fresh one.
    const bool givenPassword = std::exchange(m_passwordUnused, false);
    if (!m_passwordSupplier || givenPassword)
        return startAttempt();
    const quint64 generation = m_generation.value();
    m_passwordSupplier(this, [this, generation](const PasswordOutcome &outcome) {
        // The target changed meanwhile: its own refresh asks again.
        if (generation != m_generation.value())
            return;
        if (!outcome.ok) {
            AttemptResult failure;
            failure.diagnosis = outcome.failure;
            failure.target = m_url.redacted();
            return failConnect(failure);
        }
        m_password = outcome.password;
        startAttempt();
    });
}

void ServerSession::startAttempt()
{
    if (!m_attempt) {
        m_attempt = new ConnectionAttempt(this);
        connect(m_attempt, &ConnectionAttempt::finished, this, [this](const AttemptResult &result) {
            if (result.cancelled)
                return;
            if (!result.ok || !result.connection)
                return failConnect(result);
            m_connection = result.connection;
            if (result.snapshot) {
                m_last = result.snapshot;
                Q_EMIT snapshotReceived(*result.snapshot);
            }
            // Statements queued meanwhile run now; the connect already brought a snapshot.
            if (!m_pending.isEmpty()) {
                runNext();
                return;
            }
            finishRefresh();
        });
    }
    ConnectionRequest request;
    request.url = m_url;
    request.password = m_password;
    request.keepConnection = true;
    request.tunnel = m_tunnel;
    request.policy = m_policy;
    request.sessionName = SlotCounts::serverSessionName();
    m_attempt->start(request);
}

void ServerSession::failConnect(const AttemptResult &result)
{
    Q_EMIT refreshFailed(result);
    // Statements waiting for a connection cannot run now.
    const auto pending = std::exchange(m_pending, {});
    for (const auto &job : pending) {
        if (job->context)
            job->callback(false, result.diagnosis.message);
    }
    finishRefresh();
}

void ServerSession::runNext()
{
    // A queued statement first, then the snapshot that shows its effect.
    std::shared_ptr<Job> job;
    if (!m_pending.isEmpty())
        job = m_pending.takeFirst();
    const QByteArray sql
            = job ? job->sql.toUtf8() : ServerSnapshot::query(m_last ? m_last->versionNum : 130000);
    // A target changed meanwhile (a new generation) drops the answer.
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [connection = m_connection, sql, stop = m_stop]() {
                return PgAsync::run(connection->get(), sql, *stop);
            },
            this, m_generation,
            [this, job](const PgAsync::Outcome &outcome) {
                if (job) {
                    if (job->context)
                        job->callback(outcome.ok,
                                      ErrorClassifier::cleanMessage(outcome.rawError, {}));
                    if (outcome.connectionLost)
                        m_connection.reset();
                    if (isConnected())
                        runNext();
                    else
                        connectAndRefresh();
                    return;
                }
                if (outcome.ok) {
                    QString error;
                    if (auto snapshot = ServerSnapshot::fromJson(outcome.firstValue(), &error)) {
                        m_last = snapshot;
                        Q_EMIT snapshotReceived(*snapshot);
                    } else {
                        AttemptResult failure;
                        failure.diagnosis = DiagnosisTable::make(DiagnosisCategory::Unknown,
                                                                 ConnectionStage::Checks, error);
                        Q_EMIT refreshFailed(failure);
                    }
                } else {
                    AttemptResult failure;
                    failure.diagnosis = ErrorClassifier::classifyQueryFailure(
                            outcome.rawError, outcome.connectionLost,
                            m_password.value_or(m_url.password()));
                    // The steps name this session's target (forTarget asks nothing of the
                    // system, so it is fine on this thread).
                    failure.diagnosis.context
                            = StepContext::forTarget(m_url.params(), m_policy.dataDisposable);
                    if (outcome.connectionLost)
                        m_connection.reset();
                    failure.target = m_url.redacted();
                    Q_EMIT refreshFailed(failure);
                }
                finishRefresh();
            });
}

void ServerSession::finishRefresh()
{
    m_busy = false;
    scheduleNext();
}

void ServerSession::execute(const QString &sql, QObject *context, StatementCallback callback)
{
    auto job = std::make_shared<Job>();
    job->sql = sql;
    job->context = context;
    job->callback = std::move(callback);
    m_pending << job;
    if (!m_busy) {
        m_timer.stop();
        m_busy = true;
        Q_EMIT refreshStarted();
        if (isConnected())
            runNext();
        else
            connectAndRefresh();
    }
}

void ServerSession::executeConfirmed(const QString &sql, QObject *context,
                                     StatementCallback callback)
{
    if (!m_policy.readOnly)
        return execute(sql, context, std::move(callback));
    // A connection of its own rather than SET default_transaction_read_only = off on this one:
    // the kept session never holds a writable state that a later statement (or, behind a
    // transaction pooler, another client) could inherit, and CREATE DATABASE, which cannot
    // run inside a transaction block, needs no special case.
    auto *writer = new ServerSession(this);
    writer->setTarget(m_url, m_password, SessionPolicy(), m_tunnel);
    writer->setPasswordSupplier(m_passwordSupplier);
    QPointer<QObject> guard(context);
    writer->execute(
            sql, this,
            [this, writer, guard, callback = std::move(callback)](bool ok, const QString &error) {
                writer->deleteLater();
                if (guard)
                    callback(ok, error);
                refreshNow();
            });
}
