#include "Tunnel.h"

#include "Logging.h"
#include "secrets/SecretStore.h"
#include "tunnel/Askpass.h"
#include "tunnel/LocalProcesses.h"
#include "tunnel/TunnelLog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <pwd.h>
#include <unistd.h>
#endif
#if !defined(SIGTERM)
#define SIGTERM 15
#endif
#if !defined(SIGKILL)
#define SIGKILL 9
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace {

// A long-lived tunnel prints a few lines per connection through it: the newest are enough.
constexpr qsizetype keptLines = 2000;
constexpr int probeIntervalMs = 100;
// ssh answers SIGTERM within milliseconds; a process that has not ended by then is killed.
constexpr int killAfterMs = 200;

// The process and everything in its process group (it leads one: setsid at start).
void signalGroup(qint64 pid, int number)
{
#if defined(Q_OS_UNIX)
    if (pid > 0)
        ::kill(-pid_t(pid), number);
#else
    Q_UNUSED(pid);
    Q_UNUSED(number);
#endif
}

quint16 freeLoopbackPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

Tunnel::Tunnel(TunnelSpec spec, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this]() {
        fail(isSsh() ? tr("ssh did not open the forward within %1 s").arg(m_spec.timeoutSeconds)
                     : tr("the command did not listen on 127.0.0.1:%1 within %2 s")
                               .arg(QString::number(m_localPort),
                                    QString::number(m_spec.timeoutSeconds)));
    });
    m_probeTimer.setInterval(probeIntervalMs);
    connect(&m_probeTimer, &QTimer::timeout, this, &Tunnel::probePort);
}

Tunnel::~Tunnel()
{
    close();
}

void Tunnel::open()
{
    if (m_state == State::Opening || m_state == State::Open)
        return;
    m_portRetries = 0;
    ++m_opening;
    if (needsSecret())
        readSecretThenStart();
    else
        start();
}

void Tunnel::readSecretThenStart()
{
    m_state = State::Opening;
    m_failure = {};
    if (!m_secrets)
        m_secrets = new SecretStore(this);
    m_secrets->readPassword(
            SecretStore::sshSecretId(m_spec.secretOwner), this,
            [this, opening = m_opening](const SecretResult &read) {
                if (opening != m_opening || m_state != State::Opening)
                    return; // closed or opened again meanwhile
                const QString what = m_spec.secret == SshSecret::Password
                        ? tr("The SSH password")
                        : tr("The passphrase of the SSH key");
                if (!read.ok()) {
                    failWith(DiagnosisCategory::KeychainUnavailable,
                             read.status == SecretResult::Status::NotFound
                                     ? tr("%1 was saved for this profile, but the keychain has no "
                                          "entry for it now: it was removed outside this "
                                          "program. Save it again on the Connection page.")
                                               .arg(what)
                                     : tr("%1 could not be read from the keychain: %2")
                                               .arg(what, read.message));
                    return;
                }
                // ssh asks once per hop for a passphrase, once for the destination's password.
                const int answers = m_spec.secret == SshSecret::Password
                        ? 1
                        : int(m_spec.route.jumps.size()) + 1;
                m_askpass = std::make_unique<AskpassServer>(m_spec.secret, read.password, answers);
                QString error;
                if (!m_askpass->listen(&error)) {
                    m_askpass.reset();
                    failWith(DiagnosisCategory::Unknown,
                             tr("%1 could not be handed to ssh: no local socket (%2)")
                                     .arg(what, error));
                    return;
                }
                start();
            });
}

void Tunnel::failWith(DiagnosisCategory category, const QString &message)
{
    m_state = State::Failed;
    close();
    m_failure = DiagnosisTable::make(category, ConnectionStage::Tunnel, message);
    qCDebug(lcConnection) << "tunnel: failed," << m_failure.categoryId();
    Q_EMIT failed(m_failure);
}

void Tunnel::start()
{
    // A retry on another port keeps the secret it was given.
    std::unique_ptr<AskpassServer> askpass = std::move(m_askpass);
    close();
    m_askpass = std::move(askpass);
    m_notAcceptedHost.clear();
    m_notAcceptedKey.clear();
    m_lastHostKey.clear();
    m_keysAdded = 0;
    m_forwardRequested = false;
    m_newKeys.reset();
    if (!m_spec.acceptedFingerprint.isEmpty()) {
        m_newKeys = std::make_unique<QTemporaryFile>();
        if (!m_newKeys->open())
            m_newKeys.reset();
    }
    m_state = State::Opening;
    m_failure = {};
    m_localPort = freeLoopbackPort();
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // ssh runs ProxyCommand with $SHELL; the chain is quoted for a POSIX shell.
    environment.insert(u"SHELL"_s, u"/bin/sh"_s);
    // No askpass helper of the user's own is run: either none (BatchMode), or this program
    // (force: without a terminal or DISPLAY too), which asks m_askpass for the secret.
    environment.remove(u"SSH_ASKPASS"_s);
    environment.remove(Askpass::socketVariable());
    if (m_askpass) {
        environment.insert(u"SSH_ASKPASS"_s, QCoreApplication::applicationFilePath());
        environment.insert(u"SSH_ASKPASS_REQUIRE"_s, u"force"_s);
        environment.insert(Askpass::socketVariable(), m_askpass->socketPath());
    }
    m_process->setProcessEnvironment(environment);
#if defined(Q_OS_UNIX)
    m_process->setChildProcessModifier([]() {
        // No controlling terminal: ssh cannot prompt on the user's terminal, and a Ctrl+C
        // there reaches this program, which stops the tunnel itself.
        ::setsid();
#if defined(Q_OS_LINUX)
        // Stopped by the kernel when this program dies without stopping it (SIGKILL).
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    });
#endif
    if (isSsh()) {
        m_process->setProgram(SshInvocation::program());
        m_process->setArguments(SshInvocation::arguments(
                m_spec, m_localPort, m_newKeys ? m_newKeys->fileName() : QString()));
    } else {
        m_process->setProgram(m_spec.route.command.value(0));
        m_process->setArguments(SshInvocation::tunnelCommandArguments(m_spec, m_localPort));
    }
    connect(m_process, &QProcess::readyReadStandardOutput, this, &Tunnel::readOutput);
    connect(m_process, &QProcess::finished, this, &Tunnel::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("%1 could not be started: %2")
                         .arg(m_process->program(), m_process->errorString()));
    });
    qCDebug(lcConnection) << "tunnel: starting" << m_spec.route.kindId() << "on port"
                          << m_localPort;
    // ssh's ConnectTimeout applies to each hop's connection: its own reason comes first.
    const int hops = isSsh() ? int(m_spec.route.jumps.size()) + 1 : 1;
    m_deadline.start((m_spec.timeoutSeconds * hops + (isSsh() ? 2 : 0)) * 1000);
    m_process->start();
    if (m_askpass)
        m_askpass->setAskingProcess(m_process->processId());
    if (!isSsh())
        m_probeTimer.start();
}

void Tunnel::close()
{
    stop(Wait::No);
}

void Tunnel::closeNow()
{
    stop(Wait::Yes);
}

void Tunnel::stop(Wait wait)
{
    m_askpass.reset();
    m_deadline.stop();
    m_probeTimer.stop();
    if (m_probe) {
        m_probe->abort();
        m_probe->deleteLater();
        m_probe = nullptr;
    }
    if (m_process) {
        QProcess *process = m_process;
        m_process = nullptr;
        process->disconnect(this);
        if (process->state() == QProcess::NotRunning) {
            // Maybe inside one of its own signals (finished, errorOccurred).
            process->deleteLater();
        } else {
            // SIGTERM lets ssh close its connections, and reaches what a tunnel command
            // started (a wrapper's children); one that ignores it is killed.
            const qint64 pid = process->processId();
            signalGroup(pid, SIGTERM);
            if (wait == Wait::Yes) {
                if (!process->waitForFinished(killAfterMs)) {
                    signalGroup(pid, SIGKILL);
                    process->waitForFinished(killAfterMs);
                }
                process->deleteLater();
            } else {
                // Not waited for on the caller's (the UI) thread: the process object goes once
                // the process has ended, on its own, even after this tunnel.
                process->setParent(nullptr);
                connect(process, &QProcess::finished, process, &QObject::deleteLater);
                QTimer::singleShot(killAfterMs, process, [process, pid]() {
                    if (process->state() != QProcess::NotRunning)
                        signalGroup(pid, SIGKILL);
                });
            }
        }
    }
    if (m_state != State::Failed)
        m_state = State::Closed;
}

void Tunnel::readOutput()
{
    if (!m_process)
        return;
    m_partialLine += m_process->readAllStandardOutput();
    qsizetype end = 0;
    bool listening = false;
    while ((end = m_partialLine.indexOf('\n')) >= 0) {
        QString line = QString::fromUtf8(m_partialLine.left(end));
        m_partialLine.remove(0, end + 1);
        // ssh ends its lines with CR LF.
        if (line.endsWith(u'\r'))
            line.chop(1);
        // ssh names the forward before it binds; it enters its session once every forward
        // listens.
        if (isSsh() && line == SshInvocation::listeningLine(m_localPort))
            m_forwardRequested = true;
        if (isSsh() && m_forwardRequested && line == SshInvocation::readyLine())
            listening = true;
        checkAddedHostKey(line);
        // ssh's lines hold no secret; a tunnel command's output might (a token).
        if (isSsh())
            qCDebug(lcConnection) << "tunnel:" << line;
        m_lines << line;
    }
    if (m_lines.size() > keptLines) {
        const qsizetype excess = m_lines.size() - keptLines;
        m_lines.remove(0, excess);
        m_dropped += excess;
    }
    if (!m_notAcceptedHost.isEmpty() && m_state == State::Opening) {
        fail(tr("ssh was stopped: %1 sent a key that was not accepted").arg(m_notAcceptedHost));
        return;
    }
    if (listening && m_state == State::Opening)
        becomeOpen();
}

void Tunnel::checkAddedHostKey(const QString &line)
{
    if (!m_newKeys)
        return;
    static const QRegularExpression hostKey(u"^debug1: Server host key: \\S+ (\\S+)$"_s);
    static const QRegularExpression added(
            u"^Warning: Permanently added '(.+)' \\(.+\\) to the list of known hosts\\.$"_s);
    if (const auto match = hostKey.match(line); match.hasMatch())
        m_lastHostKey = match.captured(1);
    const auto match = added.match(line);
    if (!match.hasMatch())
        return;
    ++m_keysAdded;
    // ssh wrote it to m_newKeys only: a key that was not accepted stays out of known_hosts.
    // With CheckHostIP ssh names the address too: "bastion,10.0.0.5".
    const QString host = match.captured(1).section(u',', 0, 0);
    if (host != m_spec.acceptedHost || m_lastHostKey != m_spec.acceptedFingerprint) {
        m_notAcceptedHost = match.captured(1);
        m_notAcceptedKey = m_lastHostKey;
    }
}

void Tunnel::keepAcceptedKeys()
{
    if (!m_newKeys || m_keysAdded == 0 || !m_notAcceptedHost.isEmpty())
        return;
    m_newKeys->seek(0);
    const QByteArray lines = m_newKeys->readAll();
    m_keysAdded = 0;
    if (lines.isEmpty())
        return;
    // Where ssh itself reads it: the account's home (the passwd entry), not $HOME.
    QString home = QDir::homePath();
#if defined(Q_OS_UNIX)
    if (const passwd *entry = ::getpwuid(::getuid()))
        home = QString::fromLocal8Bit(entry->pw_dir);
#endif
    QDir().mkpath(home + u"/.ssh"_s);
    QFile knownHosts(home + u"/.ssh/known_hosts"_s);
    if (!knownHosts.open(QIODevice::Append) || knownHosts.write(lines) != lines.size())
        qCWarning(lcConnection) << "tunnel: the accepted host key could not be added to"
                                << knownHosts.fileName() << knownHosts.errorString();
}

qsizetype Tunnel::lineCount()
{
    // Lines ssh wrote just before the connection through it failed may still wait in the pipe.
    if (m_process && m_process->state() == QProcess::Running) {
        m_process->waitForReadyRead(0);
        readOutput();
    }
    return m_dropped + m_lines.size();
}

QStringList Tunnel::linesSince(qsizetype count) const
{
    return m_lines.mid(qMax<qsizetype>(0, count - m_dropped));
}

void Tunnel::probePort()
{
    if (m_probe || m_state != State::Opening)
        return;
    m_probe = new QTcpSocket(this);
    QTcpSocket *probe = m_probe;
    auto done = [this, probe](bool accepted) {
        probe->abort();
        probe->deleteLater();
        if (m_probe != probe)
            return;
        m_probe = nullptr;
        if (accepted && m_state == State::Opening)
            becomeOpen();
    };
    connect(probe, &QTcpSocket::connected, this, [done]() { done(true); });
    connect(probe, &QTcpSocket::errorOccurred, this, [done]() { done(false); });
    probe->connectToHost(QHostAddress::LocalHost, m_localPort);
}

void Tunnel::becomeOpen()
{
    // The port was free when picked; should another program have taken it since (or a line
    // the server sent have faked ssh's), libpq must not send it the password.
    const LocalProcesses::Answer owner = LocalProcesses::listenerOfLoopbackPort(
            m_localPort, m_process ? m_process->processId() : 0);
    if (owner.known && !owner.inSession) {
        const QString holder = owner.holder.isEmpty() ? tr("a program of another user")
                                                      : tr("process %1").arg(owner.holder);
        failWith(isSsh() ? DiagnosisCategory::SshForwardFailed
                         : DiagnosisCategory::TunnelCommandFailed,
                 tr("127.0.0.1:%1 is answered by %2, not by the tunnel; nothing was sent to it. "
                    "Test again: another free port is picked.")
                         .arg(QString::number(m_localPort), holder));
        return;
    }
    keepAcceptedKeys();
    // ssh has authenticated on every hop: the secret is not needed until it opens again.
    m_askpass.reset();
    m_deadline.stop();
    m_probeTimer.stop();
    m_state = State::Open;
    qCDebug(lcConnection) << "tunnel: open on port" << m_localPort;
    Q_EMIT opened(m_localPort);
}

void Tunnel::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput();
    // Another program took the port between our pick and ssh's bind: pick again.
    if (m_state == State::Opening && isSsh() && TunnelLog::localPortTaken(m_lines)
        && m_portRetries < 3) {
        ++m_portRetries;
        start();
        return;
    }
    const QString program = isSsh() ? u"ssh"_s : m_spec.route.command.value(0).section(u'/', -1);
    fail(status == QProcess::CrashExit
                 ? tr("%1 ended by a signal").arg(program)
                 : tr("%1 exited with status %2").arg(program, QString::number(exitCode)));
}

void Tunnel::fail(const QString &ending)
{
    if (m_state != State::Opening && m_state != State::Open)
        return;
    const bool wasOpen = m_state == State::Open;
    // Before reading what is left: reading may find a reason to fail, which must not come
    // back here.
    m_state = State::Failed;
    readOutput();
    keepAcceptedKeys();
    const QString how = wasOpen ? tr("%1, after the tunnel had opened").arg(ending)
            : isSsh()           ? tr("%1, before its forward listened").arg(ending)
                                : tr("%1, before its port opened").arg(ending);
    m_failure = TunnelLog::explain(m_spec, m_lines, how);
    if (m_askpass && m_askpass->answered() > 0
        && m_failure.category == DiagnosisCategory::SshAuthFailed)
        m_failure.leadingSteps = QStringList(
                m_spec.secret == SshSecret::Password
                        ? tr("The SSH password saved in the keychain was refused: save the "
                             "right one on the Connection page.")
                        : m_spec.route.jumps.isEmpty()
                        ? tr("The passphrase saved in the keychain did not unlock the key: save "
                             "the right one on the Connection page.")
                        // The key may have been unlocked, and refused by a later host.
                        : tr("The passphrase saved in the keychain may not unlock the key, or a "
                             "host after the first refuses the key: check the passphrase on "
                             "the Connection page, and the key's public half on each host."));
    if (m_askpass)
        m_failure.evidence << m_askpass->prompts();
    if (!m_notAcceptedHost.isEmpty()) {
        // The host shown changed its key meanwhile, or another host on the route is unknown
        // too: either way that key was not accepted, and is shown to be.
        const bool sameHost = m_notAcceptedHost == m_spec.acceptedHost;
        m_failure = DiagnosisTable::make(sameHost ? DiagnosisCategory::SshHostKeyChanged
                                                  : DiagnosisCategory::SshHostKeyUnknown,
                                         ConnectionStage::Tunnel, ending);
        m_failure.sshHost = m_notAcceptedHost;
        m_failure.sshHostKeyFingerprint = sameHost ? QString() : m_notAcceptedKey;
        m_failure.evidence << tr("%1 sent the key %2, not the accepted one; it was not added to "
                                 "known_hosts")
                                      .arg(m_notAcceptedHost, m_notAcceptedKey);
    }
    close();
    m_state = State::Failed;
    qCDebug(lcConnection) << "tunnel: failed," << m_failure.categoryId();
    Q_EMIT failed(m_failure);
}
