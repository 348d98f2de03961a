#pragma once

#include <QString>
#include <QStringList>

/// Small, blocking network checks that give a failed attempt its evidence independently of
/// the language libpq or the server speak. They run on the attempt's worker thread, never on
/// the UI thread, and only against the attempt's own target (or, for a loopback target,
/// the same machine).
namespace NetworkProbe {

struct Resolution
{
    enum class Status { Resolved, NotFound, NoAnswer, Failed };
    Status status = Status::Resolved;
    /// Numeric addresses, in the resolver's order.
    QStringList addresses;
    /// The resolver's own words (gai_strerror).
    QString error;
};

/// getaddrinfo for a TCP host name; NotFound when the name does not exist, NoAnswer when no
/// name server answered (EAI_AGAIN).
Resolution resolve(const QString &host);

enum class ConnectOutcome { Connected, Refused, TimedOut, Unreachable, Failed };
/// A plain TCP connect, to tell "refused" from "dropped" from "no route".
ConnectOutcome tcpConnect(const QString &address, quint16 port, int timeoutMs);

enum class SslAnswer { Offered, NotOffered, Closed, NoAnswer, Unreachable, Other };
/// Sends PostgreSQL's SSLRequest and reads the one-byte answer: 'S' (the server offers TLS),
/// 'N' (it does not), the connection closed, or silence.
SslAnswer sslRequest(const QString &hostOrSocketDir, quint16 port, int timeoutMs);

/// The path of the Unix socket of a server in socketDir on port.
QString socketPath(const QString &socketDir, quint16 port);
bool isSocketDirectory(const QString &host);
bool isLoopback(const QString &host);

/// Ports on which a PostgreSQL server answers on this machine: socket files in the usual
/// folders, and SSLRequest answers on the usual ports and on every port listening on
/// loopback (Linux). For a refused local connection.
QList<quint16> localServerPorts(const QString &extraSocketDir = {});

} // namespace NetworkProbe
