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
/// password to "user@host's password:".
class AskpassServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AskpassServer)

public:
    AskpassServer(SshSecret kind, QString secret, QObject *parent = nullptr);
    ~AskpassServer() override;

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
