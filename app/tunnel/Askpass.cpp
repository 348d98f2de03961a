#include "Askpass.h"

#include "Logging.h"
#include "PlainText.h"
#include "tunnel/LocalProcesses.h"

#include <QCoreApplication>
#include <QLocalServer>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QUuid>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

// Longer than any prompt ssh writes (it cuts file and host names to 100 and 128 characters).
constexpr qsizetype longestPrompt = 1024;
constexpr int askTimeoutMs = 10000;

} // namespace

AskpassServer::AskpassServer(SshSecret kind, QString secret, int answers, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_secret(std::move(secret))
    , m_answers(answers)
{ }

AskpassServer::~AskpassServer()
{
    // This copy at least is not left behind in freed memory (the keychain's and the socket's
    // are Qt's).
    m_secret.fill(u'\0');
}

bool AskpassServer::listen(QString *error)
{
    m_server = new QLocalServer(this);
    // Only this user may connect (the socket is made in a directory of mode 0700 first).
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name
            = u"orderflow-dbadmin-askpass-"_s + QUuid::createUuid().toString(QUuid::Id128);
    if (!m_server->listen(name)) {
        if (error)
            *error = m_server->errorString();
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this]() {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket]() { answer(socket); });
        }
    });
    return true;
}

QString AskpassServer::socketPath() const
{
    return m_server ? m_server->fullServerName() : QString();
}

void AskpassServer::answer(QLocalSocket *socket)
{
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > longestPrompt)
            socket->abort();
        return;
    }
    const QString prompt = QString::fromUtf8(socket->readLine(longestPrompt + 1)).trimmed();
    const QString shown = PlainText::terminalSafe(prompt);
    // A password goes to the forwarding ssh's own helper only; where that cannot be told (not
    // Linux), the jump hosts are kept from asking by BatchMode (SshInvocation).
    const qint64 peer = LocalProcesses::peerOf(socket->socketDescriptor());
    const bool fromTheForwardingSsh = m_kind != SshSecret::Password || m_askingProcess == 0
            || peer == 0 || LocalProcesses::parentOf(peer) == m_askingProcess;
    const bool answering
            = asksFor(m_kind, prompt) && fromTheForwardingSsh && m_answered < m_answers;
    // The prompt names a key file or user@host, never the secret.
    qCDebug(lcConnection) << "askpass:" << (answering ? "answering" : "refusing") << shown;
    const bool password = m_kind == SshSecret::Password;
    if (answering) {
        ++m_answered;
        m_prompts << (password ? tr("ssh asked \"%1\" and was given the SSH password saved in the "
                                    "keychain")
                               : tr("ssh asked \"%1\" and was given the passphrase saved in the "
                                    "keychain"))
                             .arg(shown);
        socket->write(m_secret.toUtf8() + '\n');
    } else if (!fromTheForwardingSsh) {
        m_prompts << tr("a jump host's ssh asked \"%1\" and was given nothing: the saved SSH "
                        "password is the destination's")
                             .arg(shown);
    } else if (m_answered >= m_answers && asksFor(m_kind, prompt)) {
        m_prompts << tr("ssh asked \"%1\" again and was given nothing: it was answered as often "
                        "as it asks")
                             .arg(shown);
    } else {
        m_prompts << (password ? tr("ssh asked \"%1\" and was given nothing: the SSH password is "
                                    "saved, and this prompt is not for it")
                               : tr("ssh asked \"%1\" and was given nothing: the passphrase is "
                                    "saved, and this prompt is not for it"))
                             .arg(shown);
    }
    socket->disconnectFromServer();
}

bool AskpassServer::asksFor(SshSecret kind, const QString &prompt)
{
    // As OpenSSH's sshconnect2.c writes them.
    static const QRegularExpression passphrase(u"^Enter passphrase for key '[^']+': ?$"_s);
    static const QRegularExpression password(u"^[^@\\s]+@[^@\\s]+'s password: ?$"_s);
    switch (kind) {
    case SshSecret::None:
        return false;
    case SshSecret::Passphrase:
        return passphrase.match(prompt).hasMatch();
    case SshSecret::Password:
        return password.match(prompt).hasMatch();
    }
    return false;
}

namespace Askpass {

QString socketVariable()
{
    return u"ORDERFLOW_DBADMIN_ASKPASS"_s;
}

std::optional<int> answerIfAsked(int argc, char **argv)
{
    const QString path = qEnvironmentVariable(socketVariable().toUtf8().constData());
    if (path.isEmpty())
        return std::nullopt;
    // ssh's other uses of askpass: a notice to show (FIDO touch), or a yes/no question. Neither
    // is answered with the secret.
    const QString kind = qEnvironmentVariable("SSH_ASKPASS_PROMPT");
    if (kind == u"none"_s)
        return 0;
    if (kind == u"confirm"_s || argc < 2)
        return 1;
    QCoreApplication application(argc, argv);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(askTimeoutMs))
        return 1;
    QByteArray prompt = QByteArray(argv[1]).left(longestPrompt);
    prompt.replace('\n', ' ');
    socket.write(prompt + '\n');
    QByteArray answer;
    while (socket.state() == QLocalSocket::ConnectedState && !answer.endsWith('\n')) {
        if (!socket.waitForReadyRead(askTimeoutMs) && socket.bytesAvailable() == 0)
            break;
        answer += socket.readAll();
    }
    answer += socket.readAll();
    if (!answer.endsWith('\n'))
        return 1;
    std::fwrite(answer.constData(), 1, size_t(answer.size()), stdout);
    std::fflush(stdout);
    answer.fill('\0');
    return 0;
}

} // namespace Askpass
