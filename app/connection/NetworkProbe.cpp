#include "NetworkProbe.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QLocalSocket>
#include <QTcpSocket>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netdb.h>
#include <sys/socket.h>
#endif

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace NetworkProbe {

Resolution resolve(const QString &host)
{
    Resolution result;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *list = nullptr;
    const int rc = ::getaddrinfo(host.toUtf8().constData(), nullptr, &hints, &list);
    if (rc != 0) {
        result.error = QString::fromLocal8Bit(gai_strerror(rc));
        switch (rc) {
        case EAI_NONAME:
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
        case EAI_NODATA:
#endif
        case EAI_FAIL:
            result.status = Resolution::Status::NotFound;
            break;
        case EAI_AGAIN:
            result.status = Resolution::Status::NoAnswer;
            break;
        default:
            result.status = Resolution::Status::Failed;
            break;
        }
        return result;
    }
    for (addrinfo *entry = list; entry; entry = entry->ai_next) {
        QHostAddress address(entry->ai_addr);
        const QString text = address.toString();
        if (!text.isEmpty() && !result.addresses.contains(text))
            result.addresses << text;
    }
    freeaddrinfo(list);
    if (result.addresses.isEmpty())
        result.status = Resolution::Status::NotFound;
    return result;
}

ConnectOutcome tcpConnect(const QString &address, quint16 port, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(address), port);
    if (socket.waitForConnected(timeoutMs)) {
        socket.abort();
        return ConnectOutcome::Connected;
    }
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        return ConnectOutcome::Refused;
    case QAbstractSocket::SocketTimeoutError:
        return ConnectOutcome::TimedOut;
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::HostNotFoundError:
        return ConnectOutcome::Unreachable;
    default:
        return ConnectOutcome::Failed;
    }
}

namespace {

const QByteArray &sslRequestPacket()
{
    // Int32 length 8, Int32 code 80877103 (1234 << 16 | 5679).
    static const QByteArray packet("\x00\x00\x00\x08\x04\xd2\x16\x2f", 8);
    return packet;
}

SslAnswer readAnswer(QIODevice &device, const std::function<bool(int)> &waitForRead,
                     const std::function<bool()> &closed, int timeoutMs)
{
    device.write(sslRequestPacket());
    QElapsedTimer timer;
    timer.start();
    while (device.bytesAvailable() < 1) {
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0)
            return SslAnswer::NoAnswer;
        if (!waitForRead(left))
            return closed() ? SslAnswer::Closed : SslAnswer::NoAnswer;
    }
    char answer = 0;
    device.getChar(&answer);
    if (answer == 'S')
        return SslAnswer::Offered;
    if (answer == 'N')
        return SslAnswer::NotOffered;
    return SslAnswer::Other;
}

} // namespace

SslAnswer sslRequest(const QString &hostOrSocketDir, quint16 port, int timeoutMs)
{
    if (isSocketDirectory(hostOrSocketDir)) {
        QLocalSocket socket;
        socket.connectToServer(socketPath(hostOrSocketDir, port));
        if (!socket.waitForConnected(timeoutMs))
            return SslAnswer::Unreachable;
        return readAnswer(
                socket, [&](int ms) { return socket.waitForReadyRead(ms); },
                [&] { return socket.state() != QLocalSocket::ConnectedState; }, timeoutMs);
    }
    QTcpSocket socket;
    socket.connectToHost(hostOrSocketDir, port);
    if (!socket.waitForConnected(timeoutMs))
        return SslAnswer::Unreachable;
    return readAnswer(
            socket, [&](int ms) { return socket.waitForReadyRead(ms); },
            [&] { return socket.state() != QAbstractSocket::ConnectedState; }, timeoutMs);
}

QString socketPath(const QString &socketDir, quint16 port)
{
    return QDir(socketDir).filePath(u".s.PGSQL.%1"_s.arg(port));
}

bool isSocketDirectory(const QString &host)
{
    return host.startsWith(u'/') || host.startsWith(u'@');
}

bool isLoopback(const QString &host)
{
    if (host.isEmpty() || isSocketDirectory(host) || host == u"localhost"_s)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

namespace {

// TCP ports listening on loopback or on every address, from the kernel's tables (Linux);
// empty elsewhere, where the usual ports are probed instead.
QList<quint16> listeningLoopbackPorts()
{
    QList<quint16> ports;
    for (const QString &table : {u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s}) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        // "sl local_address rem_address st ...": address:port in hex, state 0A is LISTEN.
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() < 4 || fields.at(3) != "0A")
                continue;
            const QList<QByteArray> local = fields.at(1).split(':');
            if (local.size() != 2)
                continue;
            const QByteArray &address = local.at(0);
            const bool loopbackOrAny = address == "0100007F" || address == "00000000"
                    || address == "00000000000000000000000001000000"
                    || address == "00000000000000000000000000000000";
            bool ok = false;
            const quint16 port = quint16(local.at(1).toUInt(&ok, 16));
            if (loopbackOrAny && ok && !ports.contains(port))
                ports << port;
        }
    }
    return ports;
}

} // namespace

QList<quint16> localServerPorts(const QString &extraSocketDir)
{
    QList<quint16> ports;
    QStringList folders{u"/var/run/postgresql"_s, u"/tmp"_s};
    if (!extraSocketDir.isEmpty())
        folders.prepend(extraSocketDir);
    for (const QString &folder : std::as_const(folders)) {
        const QStringList sockets
                = QDir(folder).entryList({u".s.PGSQL.*"_s}, QDir::System | QDir::Hidden);
        for (const QString &name : sockets) {
            if (name.endsWith(u".lock"_s))
                continue;
            bool ok = false;
            const quint16 port = quint16(name.mid(9).toUInt(&ok));
            if (ok && !ports.contains(port))
                ports << port;
        }
    }
    QList<quint16> candidates{5432, 5433, 5434, 6432};
    for (quint16 port : listeningLoopbackPorts()) {
        if (!candidates.contains(port))
            candidates << port;
    }
    // A program that is not PostgreSQL may keep silent until the short deadline: ask at most
    // a few dozen, PostgreSQL's usual ports first.
    constexpr qsizetype mostAsked = 32;
    for (quint16 port : candidates.mid(0, mostAsked)) {
        if (ports.contains(port))
            continue;
        const SslAnswer answer = sslRequest(u"127.0.0.1"_s, port, 150);
        if (answer == SslAnswer::Offered || answer == SslAnswer::NotOffered)
            ports << port;
    }
    std::sort(ports.begin(), ports.end());
    return ports;
}

} // namespace NetworkProbe
