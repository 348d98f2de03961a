#pragma once

#include "connection/Diagnosis.h"
#include "tunnel/TunnelSpec.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryFile>
#include <QTimer>

#include <memory>

class AskpassServer;
class QTcpSocket;
class SecretStore;

/// One running tunnel: ssh -N -L (or a tunnel command) on a free port of 127.0.0.1. Open once
/// ssh has set up its forward and entered its session (or, for a command, once the port accepts);
/// given up at the deadline with what the process printed as evidence. The process runs without a
/// shell, in a session of its own (no terminal to prompt on), and is stopped with this object; on
/// Linux it is also stopped by the kernel if this process dies.
class Tunnel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Tunnel)

public:
    enum class State { Closed, Opening, Open, Failed };

    explicit Tunnel(TunnelSpec spec, QObject *parent = nullptr);
    ~Tunnel() override;

    const TunnelSpec &spec() const { return m_spec; }
    State state() const { return m_state; }
    /// The forwarded port on 127.0.0.1 while opening or open.
    quint16 localPort() const { return m_localPort; }
    /// Why it failed to open or ended (state Failed).
    const Diagnosis &failure() const { return m_failure; }

    /// Starts the process unless opening or open.
    void open();
    /// Stops the process without waiting for it to end (it is killed if SIGTERM does not end
    /// it soon); no signal follows.
    void close();
    /// The same, waiting for the process to end: when the program quits.
    void closeNow();

    /// How many lines the process has printed; linesSince(n) are those printed after the first
    /// n. Reads what is waiting in the pipe first.
    qsizetype lineCount();
    QStringList linesSince(qsizetype count) const;

Q_SIGNALS:
    void opened(quint16 localPort);
    /// It did not open (then state Failed), or it ended after it had opened.
    void failed(const Diagnosis &diagnosis);

private:
    bool needsSecret() const { return isSsh() && m_spec.secret != SshSecret::None; }
    /// Reads the route's secret from the keychain, then starts ssh with an askpass server that
    /// holds it until the tunnel opened or failed.
    void readSecretThenStart();
    void start();
    enum class Wait { No, Yes };
    void stop(Wait wait);
    /// Fails at the tunnel stage with a reason of this program's own (not ssh's lines), the
    /// process stopped if it runs.
    void failWith(DiagnosisCategory category, const QString &message);
    void readOutput();
    /// With an accepted fingerprint: notes each host key ssh added (to m_newKeys), and one that
    /// is not the accepted one of the accepted host.
    void checkAddedHostKey(const QString &line);
    /// Copies the keys ssh added (all of them the accepted one) into the user's known_hosts.
    void keepAcceptedKeys();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void probePort();
    void becomeOpen();
    void fail(const QString &ending);
    bool isSsh() const { return m_spec.route.kind == Route::Kind::Ssh; }

    TunnelSpec m_spec;
    State m_state = State::Closed;
    quint16 m_localPort = 0;
    Diagnosis m_failure;
    QProcess *m_process = nullptr;
    QTcpSocket *m_probe = nullptr;
    QTimer m_deadline;
    QTimer m_probeTimer;
    QStringList m_lines;
    /// Lines dropped from the front of m_lines (it keeps the newest only).
    qsizetype m_dropped = 0;
    QByteArray m_partialLine;
    int m_portRetries = 0;
    /// ssh has said it sets up the forward on m_localPort.
    bool m_forwardRequested = false;
    /// The fingerprint of the key ssh -v last said a host sent.
    QString m_lastHostKey;
    /// With an accepted fingerprint: where ssh writes new keys, and the keys it added.
    std::unique_ptr<QTemporaryFile> m_newKeys;
    int m_keysAdded = 0;
    /// Serves the secret while opening (needsSecret()); the keychain it is read from.
    std::unique_ptr<AskpassServer> m_askpass;
    SecretStore *m_secrets = nullptr;
    /// Counts opens, so that a keychain answer for an earlier one is dropped.
    int m_opening = 0;
    /// A host whose new key was not the accepted one (not kept), and that key.
    QString m_notAcceptedHost;
    QString m_notAcceptedKey;
};
