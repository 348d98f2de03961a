#include "Tunnel.h"

#include "Logging.h"
#include "tunnel/TunnelLog.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <unistd.h>
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace {

// A long-lived tunnel prints a few lines per connection through it: the newest are enough.
constexpr qsizetype keptLines = 2000;
constexpr int probeIntervalMs = 100;

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

qint64 Tunnel::processId() const
{
    return m_process ? m_process->processId() : 0;
}

void Tunnel::open()
{
    if (m_state == State::Opening || m_state == State::Open)
        return;
    m_portRetries = 0;
    start();
}

void Tunnel::start()
{
    close();
    m_wronglyAdded.clear();
    m_lastHostKey.clear();
    m_forwardRequested = false;
    m_state = State::Opening;
    m_failure = {};
    m_localPort = freeLoopbackPort();
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // ssh runs ProxyCommand with $SHELL; the chain is quoted for a POSIX shell.
    environment.insert(u"SHELL"_s, u"/bin/sh"_s);
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
        m_process->setArguments(SshInvocation::arguments(m_spec, m_localPort));
    } else {
        m_process->setProgram(m_spec.route.command.value(0));
        m_process->setArguments(SshInvocation::commandArguments(m_spec, m_localPort));
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
    m_deadline.start(m_spec.timeoutSeconds * 1000);
    m_process->start();
    if (!isSsh())
        m_probeTimer.start();
}

void Tunnel::close()
{
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
        if (process->state() != QProcess::NotRunning) {
            // SIGTERM lets ssh close its connections; a child that ignores it is killed.
            process->terminate();
            if (!process->waitForFinished(500)) {
                process->kill();
                process->waitForFinished(500);
            }
        }
        // Maybe inside one of its own signals (finished, errorOccurred).
        process->deleteLater();
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
        qCDebug(lcConnection) << "tunnel:" << line;
        m_lines << line;
    }
    if (m_lines.size() > keptLines) {
        const qsizetype excess = m_lines.size() - keptLines;
        m_lines.remove(0, excess);
        m_dropped += excess;
    }
    if (!m_wronglyAdded.isEmpty() && m_state == State::Opening) {
        fail(tr("ssh was stopped: %1 sent a key other than the accepted one").arg(m_wronglyAdded));
        return;
    }
    if (listening && m_state == State::Opening)
        becomeOpen();
}

void Tunnel::checkAddedHostKey(const QString &line)
{
    if (m_spec.acceptedFingerprint.isEmpty())
        return;
    static const QRegularExpression hostKey(u"^debug1: Server host key: \\S+ (\\S+)$"_s);
    static const QRegularExpression added(
            u"^Warning: Permanently added '(.+)' \\(.+\\) to the list of known hosts\\.$"_s);
    if (const auto match = hostKey.match(line); match.hasMatch())
        m_lastHostKey = match.captured(1);
    const auto match = added.match(line);
    if (!match.hasMatch() || m_lastHostKey == m_spec.acceptedFingerprint)
        return;
    // ssh has written it already: take it out again, as it was before (the host was unknown).
    m_wronglyAdded = match.captured(1);
    QProcess::startDetached(u"ssh-keygen"_s, {u"-R"_s, m_wronglyAdded});
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
    readOutput();
    const bool wasOpen = m_state == State::Open;
    const QString how = wasOpen ? tr("%1, after the tunnel had opened").arg(ending)
            : isSsh()           ? tr("%1, before its forward listened").arg(ending)
                                : tr("%1, before its port opened").arg(ending);
    m_failure = isSsh() ? TunnelLog::explainSsh(m_spec, m_lines, how)
                        : TunnelLog::explainCommand(m_spec, m_lines, how);
    if (!m_wronglyAdded.isEmpty()) {
        m_failure = DiagnosisTable::make(DiagnosisCategory::SshHostKeyChanged,
                                         ConnectionStage::Tunnel, ending);
        m_failure.evidence << tr("%1 sent the key %2, not the accepted %3; it was removed from "
                                 "known_hosts again")
                                      .arg(m_wronglyAdded, m_lastHostKey,
                                           m_spec.acceptedFingerprint);
    }
    close();
    m_state = State::Failed;
    qCDebug(lcConnection) << "tunnel: failed," << m_failure.categoryId();
    Q_EMIT failed(m_failure);
}
