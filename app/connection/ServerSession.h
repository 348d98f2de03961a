#pragma once

#include "AsyncTask.h"
#include "connection/AttemptResult.h"
#include "connection/ConnectionUrl.h"
#include "connection/ServerSnapshot.h"
#include "connection/SessionPolicy.h"
#include "secrets/PasswordResolver.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class ConnectionAttempt;
class TunnelLease;
class PgConnection;

/// One connection per profile, kept open, refreshing a ServerSnapshot on an interval for the
/// server panels: one query per refresh, never two at once, paused while nobody looks. A
/// refresh that fails reports the doctor's diagnosis, and the next one reconnects.
class ServerSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSession)

public:
    using StatementCallback = std::function<void(bool ok, const QString &error)>;

    explicit ServerSession(QObject *parent = nullptr);
    ~ServerSession() override;

    /// Where to connect, and how (Profile::sessionPolicy); drops any open connection.
    void setTarget(const ConnectionUrl &url, const std::optional<QString> &password,
                   SessionPolicy policy = {}, std::shared_ptr<TunnelLease> tunnel = {});
    /// Asked for the password before each new connection, after setTarget (which clears it):
    /// a command's short-lived token never goes stale when the session reconnects.
    void setPasswordSupplier(PasswordResolver::Supplier supplier)
    {
        m_passwordSupplier = std::move(supplier);
    }
    void setInterval(int milliseconds);
    int interval() const { return m_interval; }
    /// Inactive sessions do not refresh (their panel is hidden or the window minimised).
    void setActive(bool active);
    bool isActive() const { return m_active; }
    bool isBusy() const { return m_busy; }
    bool isConnected() const;

    /// Starts a refresh now unless one is running.
    void refreshNow();
    /// Runs one statement on the session's connection after the current refresh; a refresh
    /// follows, so the panels show its effect.
    void execute(const QString &sql, QObject *context, StatementCallback callback);
    /// Runs one statement that the user confirmed by typing the profile's name: on a read-only
    /// session on a connection of its own that may write, closed once it ran; otherwise as
    /// execute(). A refresh follows.
    void executeConfirmed(const QString &sql, QObject *context, StatementCallback callback);

    std::optional<ServerSnapshot> lastSnapshot() const { return m_last; }

Q_SIGNALS:
    void refreshStarted();
    void snapshotReceived(const ServerSnapshot &snapshot);
    void refreshFailed(const AttemptResult &failure);

private:
    struct Job;
    void runNext();
    void connectAndRefresh();
    void startAttempt();
    /// Reports a refresh that could not connect, and the statements waiting for it.
    void failConnect(const AttemptResult &result);
    void finishRefresh();
    void scheduleNext();

    ConnectionUrl m_url;
    /// The route's tunnel, held while this targets it; unset for a direct route.
    std::shared_ptr<TunnelLease> m_tunnel;
    std::optional<QString> m_password;
    /// The password came with the target and no connection has used it yet.
    bool m_passwordUnused = false;
    PasswordResolver::Supplier m_passwordSupplier;
    SessionPolicy m_policy;
    bool m_hasTarget = false;
    int m_interval = 5000;
    bool m_active = false;
    bool m_busy = false;
    QTimer m_timer;
    ConnectionAttempt *m_attempt = nullptr;
    std::shared_ptr<PgConnection> m_connection;
    std::shared_ptr<std::atomic<bool>> m_stop;
    std::optional<ServerSnapshot> m_last;
    QList<std::shared_ptr<Job>> m_pending;
    AsyncTask::Generation m_generation;
};
