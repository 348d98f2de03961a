#pragma once

#include "AsyncTask.h"
#include "connection/ConnectionUrl.h"
#include "connection/SessionPolicy.h"
#include "pool/ActivitySample.h"
#include "pool/Clock.h"
#include "pool/PgBouncerRoute.h"
#include "secrets/PasswordResolver.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

class ConnectionAttempt;
class SecretStore;
class TunnelLease;
class PgConnection;
struct Profile;

/// The pool monitor's sampler: one connection, one query per tick (default every second),
/// never two ticks at once, its own session left out. When the server goes away every tick
/// reports the doctor's category, the ticks back off exponentially (at most 30 s apart) for
/// as long as it takes, and sampling resumes by itself when the server is back. With a
/// PgBouncer admin target it also reads SHOW POOLS and SHOW STATS, through that target's own
/// tunnel when it has one.
class ActivitySampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivitySampler)

public:
    explicit ActivitySampler(QObject *parent = nullptr);
    ~ActivitySampler() override;

    /// Where to connect, and how (Profile::sessionPolicy); drops any open connection.
    void setTarget(const ConnectionUrl &url, const std::optional<QString> &password,
                   SessionPolicy policy = {}, std::shared_ptr<TunnelLease> tunnel = {});
    /// Asked for the password before each new connection, after setTarget (which clears it):
    /// a command's short-lived token never goes stale in a long session.
    void setPasswordSupplier(PasswordResolver::Supplier supplier)
    {
        m_passwordSupplier = std::move(supplier);
    }
    /// The admin console (dbname pgbouncer) and how it is reached (PgBouncerRoute::forProfile);
    /// a route without an admin URL for none. One that cannot be reached is not dialled: each
    /// sample says why instead.
    void setPgBouncer(PgBouncerRoute route, const std::optional<QString> &password);
    /// setTarget, setPasswordSupplier and setPgBouncer as the profile says (its route's tunnel,
    /// its password command, its PgBouncer admin console), with the password found for it.
    void setProfile(const Profile &profile, const std::optional<QString> &password,
                    SecretStore *secrets);
    /// The admin console's route as set; its unreachable says why it is not read.
    const PgBouncerRoute &pgBouncerRoute() const { return m_bouncerRoute; }
    void setInterval(int milliseconds) { m_interval = qMax(100, milliseconds); }
    int interval() const { return m_interval; }
    void setMaxBackoff(int milliseconds) { m_maxBackoff = milliseconds; }
    /// Timestamps come from here; the default is the system clock.
    void setClock(std::shared_ptr<Clock> clock) { m_clock = std::move(clock); }

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    int consecutiveFailures() const { return m_failures; }
    /// Milliseconds until the next tick after a failure: interval x 2^(failures - 1), capped.
    int backoffDelay() const;
    /// What the server reported for default_transaction_read_only when the current connection
    /// opened (PostgreSQL 14 and later report it); unset while not connected.
    std::optional<bool> sessionReadOnly() const;

Q_SIGNALS:
    void sampleReceived(const ActivitySample &sample);

private:
    void tick();
    /// Opens the sampling connection (its first sample comes with it).
    void connectAndSample();
    void sampleConnected();
    /// Adds what the admin console says to sample (opening its tunnel first), then finishes.
    void addPgBouncer(ActivitySample sample);
    void readPgBouncerAt(const ConnectionUrl &url, ActivitySample sample);
    void finishTick(ActivitySample sample);

    ConnectionUrl m_url;
    /// The route's tunnel, held while this targets it; unset for a direct route.
    std::shared_ptr<TunnelLease> m_tunnel;
    std::optional<QString> m_password;
    PasswordResolver::Supplier m_passwordSupplier;
    SessionPolicy m_policy;
    std::optional<bool> m_sessionReadOnly;
    PgBouncerRoute m_bouncerRoute;
    std::optional<QString> m_bouncerPassword;
    int m_interval = 1000;
    int m_maxBackoff = 30000;
    std::shared_ptr<Clock> m_clock;
    bool m_running = false;
    bool m_ticking = false;
    int m_failures = 0;
    QTimer m_timer;
    QElapsedTimer m_tickStarted;
    ConnectionAttempt *m_attempt = nullptr;
    std::shared_ptr<PgConnection> m_connection;
    std::shared_ptr<std::shared_ptr<PgConnection>> m_bouncer;
    std::shared_ptr<std::atomic<bool>> m_stop;
    AsyncTask::Generation m_generation;
};
