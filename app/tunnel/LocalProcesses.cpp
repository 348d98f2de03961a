#include "LocalProcesses.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStringList>

#if defined(Q_OS_LINUX)
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace LocalProcesses {

#if defined(Q_OS_LINUX)

namespace {

// /proc/net/tcp and tcp6 write addresses as hex words in the machine's byte order: 127.0.0.1 is
// 0100007F, ::ffff:127.0.0.1 ends in it.
const QString loopback4 = u"0100007F"_s;
const QString mapped6 = u"0000000000000000FFFF00000100007F"_s;
constexpr auto listening = "0A";

// The inodes of the listeners a connection to 127.0.0.1:port reaches: those bound to that
// address if any (the kernel prefers them), else those bound to any address.
QSet<QString> listenerInodes(quint16 port)
{
    const QString portHex = u"%1"_s.arg(port, 4, 16, QLatin1Char('0')).toUpper();
    QSet<QString> exact;
    QSet<QString> wildcard;
    for (const QString &table : {u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s}) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        file.readLine(); // the header
        while (!file.atEnd()) {
            const QStringList fields
                    = QString::fromLatin1(file.readLine()).simplified().split(u' ');
            if (fields.size() < 10 || fields.at(3) != QLatin1StringView(listening))
                continue;
            const QString address = fields.at(1).section(u':', 0, 0);
            if (fields.at(1).section(u':', 1, 1) != portHex)
                continue;
            if (address == loopback4 || address == mapped6)
                exact.insert(fields.at(9));
            else if (address.count(u'0') == address.size())
                wildcard.insert(fields.at(9));
        }
    }
    return exact.isEmpty() ? wildcard : exact;
}

// A numeric field of /proc/PID/stat counted from the state (0), after the command's name,
// which may hold spaces and parentheses: 1 the parent, 3 the session. -1 when unreadable.
qint64 statField(const QString &pid, int index)
{
    QFile file(u"/proc/"_s + pid + u"/stat"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    bool ok = false;
    const qint64 value = fields.size() > index ? fields.at(index).toLongLong(&ok) : -1;
    return ok ? value : -1;
}

qint64 sessionOf(const QString &pid)
{
    return statField(pid, 3);
}

bool holdsOneOf(const QString &pid, const QSet<QString> &inodes)
{
    const QDir fds(u"/proc/"_s + pid + u"/fd"_s);
    for (const QString &fd : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        // "socket:[12345]"; symLinkTarget makes it a path below the folder.
        const qsizetype open = target.lastIndexOf(u"socket:["_s);
        if (open >= 0 && inodes.contains(target.mid(open + 8).chopped(1)))
            return true;
    }
    return false;
}

QString nameOf(const QString &pid)
{
    QFile file(u"/proc/"_s + pid + u"/comm"_s);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

} // namespace

Answer listenerOfLoopbackPort(quint16 port, qint64 session)
{
    Answer answer;
    const QSet<QString> inodes = listenerInodes(port);
    if (inodes.isEmpty() || session <= 0)
        return answer;
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QStringList others;
    for (const QString &pid : pids) {
        bool numeric = false;
        pid.toLongLong(&numeric);
        if (!numeric)
            continue;
        if (sessionOf(pid) != session) {
            others << pid;
            continue;
        }
        if (holdsOneOf(pid, inodes)) {
            answer.known = true;
            answer.inSession = true;
            return answer;
        }
    }
    // Not the session's (whose processes are this user's, so always seen): name the holder when
    // this user may see it; another user's is not.
    answer.known = true;
    for (const QString &pid : std::as_const(others)) {
        if (holdsOneOf(pid, inodes)) {
            answer.holder = u"%1 (%2)"_s.arg(pid, nameOf(pid));
            break;
        }
    }
    return answer;
}

qint64 parentOf(qint64 pid)
{
    return qMax<qint64>(0, statField(QString::number(pid), 1));
}

qint64 peerOf(qintptr socketDescriptor)
{
    ucred credentials{};
    socklen_t size = sizeof credentials;
    if (::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0
        || credentials.uid != ::getuid())
        return 0;
    return credentials.pid;
}

#else

Answer listenerOfLoopbackPort(quint16, qint64)
{
    return {};
}

qint64 parentOf(qint64)
{
    return 0;
}

qint64 peerOf(qintptr)
{
    return 0;
}

#endif

} // namespace LocalProcesses
