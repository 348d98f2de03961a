#include "TunnelSpec.h"

#include "PlainText.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

TunnelSpec TunnelSpec::forUrl(const Route &route, const ConnectionUrl &url)
{
    TunnelSpec spec;
    spec.route = route;
    const QString address = url.value(u"hostaddr"_s).section(u',', 0, 0).trimmed();
    const QString host = url.value(u"host"_s).section(u',', 0, 0).trimmed();
    spec.targetHost = !address.isEmpty() ? address : !host.isEmpty() ? host : u"localhost"_s;
    bool ok = false;
    const int port = url.value(u"port"_s).section(u',', 0, 0).trimmed().toInt(&ok);
    spec.targetPort = ok && port > 0 ? port : 5432;
    const int timeout = url.value(u"connect_timeout"_s).toInt(&ok);
    if (ok && timeout > 0)
        spec.timeoutSeconds = timeout;
    return spec;
}

TunnelSpec TunnelSpec::forProfile(const Profile &profile)
{
    TunnelSpec spec = forUrl(profile.route, profile.connectionUrl());
    if (profile.route.kind == Route::Kind::Ssh && profile.sshSecret != SshSecret::None) {
        spec.secret = profile.sshSecret;
        spec.secretOwner = profile.id;
    }
    return spec;
}

QString TunnelSpec::key() const
{
    return route.kindId() + u'\n' + route.redacted() + u'\n' + route.command.join(u'\x1f') + u'\n'
            + route.identityFile + u'\n' + forwardTarget()
            + (acceptNewHostKey ? u"\naccept-new"_s : QString()) + u'\n' + acceptedHost + u'\n'
            + acceptedFingerprint + u'\n' + SshSecrets::id(secret) + u'\n' + secretOwner;
}

QString TunnelSpec::forwardTarget() const
{
    if (forwardsToSocket())
        return targetHost + u"/.s.PGSQL."_s + QString::number(targetPort);
    const QString host = targetHost.contains(u':') ? u'[' + targetHost + u']' : targetHost;
    return host + u':' + QString::number(targetPort);
}

ConnectionUrl TunnelSpec::throughTunnel(ConnectionUrl url, quint16 localPort) const
{
    if (forwardsToSocket()) {
        url.setValue(u"host"_s, u"127.0.0.1"_s);
        url.remove(u"hostaddr"_s);
    } else {
        url.setValue(u"hostaddr"_s, u"127.0.0.1"_s);
        if (url.has(u"host"_s))
            url.setValue(u"host"_s, url.value(u"host"_s).section(u',', 0, 0).trimmed());
    }
    url.setValue(u"port"_s, QString::number(localPort));
    return url;
}

namespace {

// ssh expands %-tokens in IdentityFile and ProxyCommand; a literal % is written %%.
QString percentEscaped(QString text)
{
    return text.replace(u'%', u"%%"_s);
}

enum class Hop { Jump, Destination };

// What every hop takes. A saved SSH password is the destination's alone: a jump host is never
// asked for one (BatchMode), so it cannot be handed the destination's. A passphrase unlocks the
// key here, on every hop, and never leaves this machine.
QStringList hopOptions(const TunnelSpec &spec, const QString &newKeysFile, Hop hop)
{
    const SshSecret secret = hop == Hop::Jump && spec.secret == SshSecret::Password
            ? SshSecret::None
            : spec.secret;
    QStringList options{u"-v"_s, u"-o"_s,
                        secret == SshSecret::None ? u"BatchMode=yes"_s : u"BatchMode=no"_s, u"-o"_s,
                        spec.acceptNewHostKey || !newKeysFile.isEmpty()
                                ? u"StrictHostKeyChecking=accept-new"_s
                                : u"StrictHostKeyChecking=yes"_s,
                        u"-o"_s, u"ConnectTimeout="_s + QString::number(spec.timeoutSeconds),
                        // A master from the user's config (ControlPersist) would outlive us.
                        u"-o"_s, u"ControlMaster=no"_s, u"-o"_s, u"ControlPath=none"_s, u"-o"_s,
                        u"PermitLocalCommand=no"_s};
    // ssh asks the askpass helper for nothing but its own prompts, once: never a prompt a server
    // wrote (keyboard-interactive could ask "Enter passphrase for key" to phish it), and the
    // password never for a passphrase or the other way round.
    if (secret != SshSecret::None)
        options << u"-o"_s << u"KbdInteractiveAuthentication=no"_s << u"-o"_s
                << u"NumberOfPasswordPrompts=1"_s << u"-o"_s
                << (secret == SshSecret::Password ? u"PasswordAuthentication=yes"_s
                                                  : u"PasswordAuthentication=no"_s);
    if (!spec.route.identityFile.isEmpty())
        options << u"-i"_s << percentEscaped(QDir::fromNativeSeparators(spec.route.identityFile))
                << u"-o"_s << u"IdentitiesOnly=yes"_s;
    // ssh adds new keys to the first file and checks all: the user's are read, not written.
    if (!newKeysFile.isEmpty())
        options << u"-o"_s
                << u"UserKnownHostsFile=\"%1\" ~/.ssh/known_hosts ~/.ssh/known_hosts2"_s.arg(
                           percentEscaped(newKeysFile));
    return options;
}

QStringList hostArguments(const SshHost &host)
{
    QStringList out;
    if (host.port > 0)
        out << u"-p"_s << QString::number(host.port);
    if (!host.user.isEmpty())
        out << u"-l"_s << host.user;
    return out << u"--"_s << host.host;
}

// The ProxyCommand that reaches the host after jumps[last]: ssh -W through it, itself reached
// through the hops before it. Each level's own %h:%p stays a token; everything else, the
// deeper levels' tokens included, is escaped once more so that this level's expansion leaves
// it as it was.
QString proxyCommand(const TunnelSpec &spec, qsizetype last, const QString &newKeysFile)
{
    // ssh runs it as "exec COMMAND" with /bin/sh (Tunnel sets SHELL). %h is quoted and
    // bracketed: a host name must not reach the shell as syntax, and -W reads [v6]:port.
    QStringList words{PlainText::shellQuoted(percentEscaped(SshInvocation::program())), u"-W"_s,
                      u"'[%h]:%p'"_s};
    QStringList arguments = hopOptions(spec, newKeysFile, Hop::Jump);
    if (last > 0)
        arguments << u"-o"_s << u"ProxyCommand="_s + proxyCommand(spec, last - 1, newKeysFile);
    arguments << hostArguments(spec.route.jumps.at(last));
    for (const QString &argument : arguments)
        words << PlainText::shellQuoted(percentEscaped(argument));
    return words.join(u' ');
}

} // namespace

namespace SshInvocation {

QString program()
{
#if defined(Q_OS_WIN)
    const QString shipped = qEnvironmentVariable("SystemRoot", u"C:\\Windows"_s)
            + u"\\System32\\OpenSSH\\ssh.exe"_s;
    return QFileInfo::exists(shipped) ? shipped : u"ssh.exe"_s;
#elif defined(Q_OS_MACOS)
    return u"/usr/bin/ssh"_s;
#else
    return u"ssh"_s;
#endif
}

QStringList arguments(const TunnelSpec &spec, quint16 localPort, const QString &newKeysFile)
{
    QStringList out{
            u"-N"_s, u"-T"_s,
            u"-o"_s, u"ExitOnForwardFailure=yes"_s,
            u"-o"_s, u"ServerAliveInterval=15"_s,
            u"-o"_s, u"ServerAliveCountMax=3"_s,
            u"-L"_s, u"127.0.0.1:%1:%2"_s.arg(QString::number(localPort), spec.forwardTarget())};
    out << hopOptions(spec, newKeysFile, Hop::Destination);
    if (!spec.route.jumps.isEmpty())
        out << u"-o"_s
            << u"ProxyCommand="_s + proxyCommand(spec, spec.route.jumps.size() - 1, newKeysFile);
    return out << hostArguments(spec.route.destination);
}

QStringList tunnelCommandArguments(const TunnelSpec &spec, quint16 localPort)
{
    QStringList out;
    for (QString argument : spec.route.command.mid(1))
        out << argument.replace(u"{port}"_s, QString::number(localPort));
    return out;
}

QString listeningLine(quint16 localPort)
{
    return u"debug1: Local forwarding listening on 127.0.0.1 port %1."_s.arg(localPort);
}

QString readyLine()
{
    return u"debug1: Entering interactive session."_s;
}

} // namespace SshInvocation
