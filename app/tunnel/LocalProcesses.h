#pragma once

#include <QString>
#include <QtGlobal>

/// What this machine's process table says about the programs a tunnel talks to (Linux /proc;
/// elsewhere nothing is known).
namespace LocalProcesses {

struct Answer
{
    /// Known: a listener answers there, and whether it belongs to the session.
    bool known = false;
    bool inSession = false;
    /// When not: the process that holds the listener, as "1234 (python3)"; empty when it is not
    /// this user's (then it cannot be seen).
    QString holder;
};

/// Who answers a connection to 127.0.0.1:port. A tunnel's port is picked free and then bound by
/// ssh or the tunnel command; another local program could bind it in between (or a forged line
/// could make it look bound), and libpq would then send the password to that program.
/// Whether the listener that a connection to 127.0.0.1:port reaches belongs to a process of
/// session (the tunnel's process leads one). Linux only (/proc); elsewhere not known.
Answer listenerOfLoopbackPort(quint16 port, qint64 session);

/// The parent of a process; 0 when not known.
qint64 parentOf(qint64 pid);
/// The process at the other end of a connected local (Unix) socket, if it is this user's; 0
/// when not known.
qint64 peerOf(qintptr socketDescriptor);

} // namespace LocalProcesses
