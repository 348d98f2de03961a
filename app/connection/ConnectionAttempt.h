#pragma once

#include "AsyncTask.h"
#include "connection/AttemptResult.h"
#include "connection/ConnectionUrl.h"
#include "connection/SessionPolicy.h"
#include "connection/SlotCounts.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class TunnelLease;

/// What to connect to, and with which password.
struct ConnectionRequest
{
    /// The parameters, already parsed; when unset, text is parsed first (the "parse" stage).
    std::optional<ConnectionUrl> url;
    QString text;
    /// A password from the keychain, the session or a command; it overrides the URL's. Unset
    /// leaves libpq's own sources (the URL, PGPASSWORD, .pgpass).
    std::optional<QString> password;
    /// Seconds for the whole attempt; 0 means the URL's connect_timeout, else 10.
    int timeoutSeconds = 0;
    /// Hand the open connection over in the result instead of closing it.
    bool keepConnection = false;
    /// Read-only or not, disposable data or not; callers with a profile take
    /// profile.sessionPolicy().
    SessionPolicy policy;
    /// For a session the tool keeps open (the Server page's, a monitor's): its application_name,
    /// whatever the URL, a service file or PGAPPNAME say, so that the counts (SlotCounts) tell it
    /// from the application's. Unset for a connection test, which shows what the profile's
    /// settings give: then the tool's name only when they name none.
    std::optional<QString> sessionName;
    /// The tunnel of the profile's route (TunnelRegistry::lease); unset for a direct route. The
    /// attempt opens it first (the "tunnel" stage) and points libpq at its local port with
    /// hostaddr, keeping host for TLS verification. Whoever keeps the connection keeps the lease.
    std::shared_ptr<TunnelLease> tunnel;
    /// Where password came from (PasswordOutcome::origin: keychain, session or command; stdin
    /// for --password-stdin), for the evidence of a failed login.
    QString passwordOrigin;
};

struct AttemptShared;

/// One staged connection test. libpq runs on a worker thread (its name resolution blocks),
/// so the caller's thread never waits on the network. The attempt enforces its own deadline,
/// can be cancelled at any moment (finished() follows at once), reports each stage as it
/// passes, and on failure gathers evidence and a diagnosis from the one table.
class ConnectionAttempt final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionAttempt)

public:
    explicit ConnectionAttempt(QObject *parent = nullptr);
    ~ConnectionAttempt() override;

    void start(const ConnectionRequest &request);
    /// Stops the attempt; finished() with cancelled = true follows from the event loop.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void stageStarted(ConnectionStage stage);
    void stageFinished(ConnectionStage stage, double milliseconds, StageState state);
    void finished(const AttemptResult &result);

private:
    void startWorker(const ConnectionUrl &url, ConnectionRequest request);
    /// A failure through a tunnel that the tunnel explains better: the forward the last hop
    /// could not open, or the tunnel that ended meanwhile.
    void explainThroughTunnel(AttemptResult &result) const;
    void onWorkerStage(ConnectionStage stage, double startedAtMs);
    void onWorkerFinished(const AttemptResult &result);
    void finishEarly(const Diagnosis &diagnosis, bool cancelled);
    /// Ends the stage under way; stages libpq went straight past (no TLS with sslmode=disable)
    /// are left out.
    void closeCurrentStage(StageState state, double atMs);
    /// tlsKnown: the result says whether TLS was in use (the worker's, not an early end).
    AttemptResult complete(AttemptResult result, bool tlsKnown);

    std::shared_ptr<AttemptShared> m_shared;
    QTimer m_deadline;
    QElapsedTimer m_clock;
    bool m_running = false;
    int m_timeoutSeconds = 10;
    QString m_target;
    /// What the steps of an early failure (the deadline) are written for.
    StepContext m_stepContext;
    std::optional<ConnectionStage> m_currentStage;
    double m_currentStageStartMs = 0;
    QList<StageTiming> m_stages;
    QStringList m_warnings;
    AsyncTask::Generation m_generation;
    std::shared_ptr<TunnelLease> m_tunnel;
    /// The tunnel's line count when libpq started through it.
    qsizetype m_tunnelLinesBefore = 0;
};
