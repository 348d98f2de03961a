#pragma once

#include "profiles/Route.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

class QLocalServer;

/// Gives ssh the route's passphrase or password while a tunnel opens. ssh runs this program as
/// its SSH_ASKPASS with the prompt as argument (Askpass::answerIfAsked); that process asks this
/// server over a local socket only its user may open, named in ORDERFLOW_DBADMIN_ASKPASS. The
/// secret is therefore never on a command line or in an environment, and is answered only to
/// ssh's own prompts of the secret's kind: a passphrase to "Enter passphrase for key ...", a
/// password to "user@host's password:" of the forwarding ssh itself, a bounded number of times.
class AskpassServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AskpassServer)

public:
    /// answers: how many prompts it answers at most (ssh asks once per hop for a passphrase,
    /// once for a password).
    AskpassServer(SshSecret kind, QString secret, int answers, QObject *parent = nullptr);
    ~AskpassServer() override;

    /// The ssh that forwards: a password goes only to a helper it started itself (Linux), not
    /// to one a jump host's ssh started (a ProxyJump of the user's config asks for the jump
    /// host's password, which is not this one).
    void setAskingProcess(qint64 pid) { m_askingProcess = pid; }

    /// Starts listening; false with the reason in error when the socket cannot be made.
    bool listen(QString *error);
    /// The socket's path, for ORDERFLOW_DBADMIN_ASKPASS.
    QString socketPath() const;
    /// The prompts ssh showed, each with what it got: for the diagnosis of a refused secret.
    const QStringList &prompts() const { return m_prompts; }
    int answered() const { return m_answered; }

    /// Whether a prompt asks for a secret of kind (the prompts OpenSSH itself writes).
    static bool asksFor(SshSecret kind, const QString &prompt);

private:
    void answer(class QLocalSocket *socket);

    SshSecret m_kind;
    QString m_secret;
    QLocalServer *m_server = nullptr;
    int m_answers;
    qint64 m_askingProcess = 0;
    QStringList m_prompts;
    int m_answered = 0;
};

namespace Askpass {

/// The environment variable that names the socket of the AskpassServer to ask.
QString socketVariable();
/// When ssh started this process as its askpass helper (socketVariable() set): asks the
/// server for the answer to argv[1], prints it, and returns the exit status (0: answered, 1:
/// refused or no answer). nullopt otherwise: the program runs as usual.
std::optional<int> answerIfAsked(int argc, char **argv);

} // namespace Askpass
