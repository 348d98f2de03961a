#include "TunnelLog.h"

#include "PlainText.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(TunnelLog)
};

bool isDebug(const QString &line)
{
    return line.startsWith(u"debug"_s) || line.startsWith(u"OpenSSH_"_s)
            || line.startsWith(u"Authenticated to "_s) || line.startsWith(u"Transferred: "_s)
            || line.startsWith(u"Bytes per second: "_s);
}

std::optional<QRegularExpressionMatch> lastMatch(const QStringList &lines, const QString &pattern)
{
    const QRegularExpression expression(pattern);
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        QRegularExpressionMatch match = expression.match(*it);
        if (match.hasMatch())
            return match;
    }
    return std::nullopt;
}

QString safe(const QString &text)
{
    return PlainText::terminalSafe(text);
}

Diagnosis make(DiagnosisCategory category, const QString &message, const TunnelSpec &spec,
               const QStringList &lines)
{
    Diagnosis diagnosis = DiagnosisTable::make(category, ConnectionStage::Tunnel, safe(message));
    diagnosis.context.host = spec.targetHost;
    diagnosis.context.port = QString::number(spec.targetPort);
    const QStringList readable = TunnelLog::readableLines(lines);
    for (const QString &line : readable) {
        if (line != diagnosis.message)
            diagnosis.evidence << Text::tr("ssh said: %1").arg(line);
    }
    return diagnosis;
}

// The hop the last lines were about: "user@host:port" from ssh -v.
QString lastHop(const QStringList &lines)
{
    if (const auto match = lastMatch(lines, u"^debug1: Authenticating to (.+) as '(.*)'$"_s))
        return match->captured(2) + u'@' + match->captured(1);
    if (const auto match = lastMatch(lines, u"^debug1: Connecting to (\\S+) .*port (\\d+)\\.$"_s))
        return match->captured(1) + u':' + match->captured(2);
    return {};
}

std::optional<Diagnosis> hostKeyChanged(const TunnelSpec &spec, const QStringList &lines)
{
    const auto changed = lastMatch(
            lines, u"^Host key for (.+) has changed and you have requested strict checking\\.$"_s);
    const bool banner
            = lines.contains(u"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @"_s);
    if (!changed && !banner)
        return std::nullopt;
    const QString host = changed ? changed->captured(1) : lastHop(lines);
    Diagnosis diagnosis = make(DiagnosisCategory::SshHostKeyChanged,
                               changed ? changed->captured(0)
                                       : u"WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!"_s,
                               spec, lines);
    const qsizetype sent
            = lines.indexOf(QRegularExpression(u"^The fingerprint for the .* key sent by the "
                                               "remote host is$"_s));
    const QString fingerprint = sent >= 0
            ? lines.value(sent + 1).chopped(lines.value(sent + 1).endsWith(u'.') ? 1 : 0)
            : QString();
    // ssh's banner says it at length; the two facts that matter stand alone.
    diagnosis.evidence = {u"Host key verification failed."_s};
    const auto offending = lastMatch(lines, u"^Offending (\\S+) key in (.+):(\\d+)$"_s);
    if (offending)
        diagnosis.evidence.prepend(Text::tr("%1 holds another %2 key for %3 at line %4")
                                           .arg(safe(offending->captured(2)),
                                                safe(offending->captured(1)), safe(host),
                                                offending->captured(3)));
    if (!fingerprint.isEmpty())
        diagnosis.evidence.prepend(Text::tr("%1 sent a key with the fingerprint %2")
                                           .arg(safe(host), safe(fingerprint)));
    diagnosis.leadingSteps << Text::tr("Ask the administrator of %1 whether its host key was "
                                       "replaced, and compare the fingerprint it sent (%2) with "
                                       "theirs")
                                      .arg(safe(host),
                                           fingerprint.isEmpty() ? u"?"_s : safe(fingerprint));
    diagnosis.extraSteps
            << Text::tr("Only if they confirm it: remove the old key with "
                        "ssh-keygen -R %1%2, then connect again and accept the new one")
                       .arg(PlainText::shellQuoted(host),
                            offending ? u" -f "_s + PlainText::shellQuoted(offending->captured(2))
                                      : QString());
    return diagnosis;
}

std::optional<Diagnosis> hostKeyUnknown(const TunnelSpec &spec, const QStringList &lines)
{
    const auto unknown = lastMatch(
            lines,
            u"^No (\\S+) host key is known for (.+) and you have requested strict checking\\.$"_s);
    if (!unknown && !lines.contains(u"Host key verification failed."_s))
        return std::nullopt;
    const QString host = unknown ? unknown->captured(2) : lastHop(lines);
    Diagnosis diagnosis = make(DiagnosisCategory::SshHostKeyUnknown,
                               unknown ? unknown->captured(0) : u"Host key verification failed."_s,
                               spec, lines);
    diagnosis.sshHost = host;
    if (const auto key = lastMatch(lines, u"^debug1: Server host key: (\\S+) (\\S+)$"_s)) {
        diagnosis.sshHostKeyFingerprint = key->captured(2);
        diagnosis.evidence.prepend(
                Text::tr("%1 sent the %2 key %3")
                        .arg(safe(host), safe(key->captured(1)), safe(key->captured(2))));
        diagnosis.leadingSteps << Text::tr("Compare %1 with the fingerprint of %2 that its "
                                           "administrator gives you (on the host: ssh-keygen -lf "
                                           "/etc/ssh/ssh_host_ed25519_key.pub)")
                                          .arg(safe(key->captured(2)), safe(host));
    }
    return diagnosis;
}

std::optional<Diagnosis> authFailed(const TunnelSpec &spec, const QStringList &lines)
{
    const auto denied = lastMatch(lines, u"^(.+): Permission denied \\((.+)\\)\\.$"_s);
    if (!denied)
        return std::nullopt;
    Diagnosis diagnosis = make(DiagnosisCategory::SshAuthFailed, denied->captured(0), spec, lines);
    diagnosis.evidence.prepend(Text::tr("%1 accepts these methods: %2")
                                       .arg(safe(denied->captured(1)), safe(denied->captured(2))));
    if (const auto missing
        = lastMatch(lines, u"^Warning: Identity file (.+) not accessible: (.+)\\.$"_s))
        diagnosis.leadingSteps << Text::tr("The identity file %1 cannot be read (%2): check its "
                                           "path in the profile's route")
                                          .arg(safe(missing->captured(1)),
                                               safe(missing->captured(2)));
    if (const auto badLoad = lastMatch(lines, u"^Load key \"(.+)\": (.+)$"_s))
        diagnosis.leadingSteps << Text::tr("The key %1 could not be loaded: %2")
                                          .arg(safe(badLoad->captured(1)),
                                               safe(badLoad->captured(2)));
    if (const auto accepted
        = lastMatch(lines, u"^debug1: Server accepts key: (\\S+) (\\S+) (\\S+)"_s)) {
        // Accepted but not used: its private half could not be opened without its passphrase.
        diagnosis.leadingSteps << Text::tr("%1 accepts the key %2, but it needs its passphrase: "
                                           "load it into ssh-agent (ssh-add %3) or save the "
                                           "passphrase in the profile")
                                          .arg(safe(denied->captured(1)),
                                               safe(accepted->captured(1)),
                                               PlainText::shellQuoted(accepted->captured(1)));
    } else {
        QStringList offered;
        const QRegularExpression offer(u"^debug1: Offering public key: (\\S+) (\\S+) (\\S+)"_s);
        for (const QString &line : lines) {
            if (const auto match = offer.match(line); match.hasMatch())
                offered << u"%1 (%2 %3)"_s.arg(safe(match.captured(1)), match.captured(2),
                                               match.captured(3));
        }
        offered.removeDuplicates();
        diagnosis.evidence
                << (offered.isEmpty()
                            ? Text::tr("No key was offered (none in ssh-agent, none "
                                       "readable among the identity files)")
                            : Text::tr("Keys offered and refused: %1").arg(offered.join(u", "_s)));
    }
    return diagnosis;
}

std::optional<Diagnosis> unreachable(const TunnelSpec &spec, const QStringList &lines)
{
    std::optional<QRegularExpressionMatch> match;
    QString step;
    if ((match = lastMatch(lines, u"^ssh: connect to host (\\S+) port (\\d+): (.+)$"_s)))
        step = Text::tr("%1 port %2 did not take the SSH connection (%3): check the name, the "
                        "port and that its SSH server runs")
                       .arg(safe(match->captured(1)), match->captured(2), safe(match->captured(3)));
    else if ((match = lastMatch(lines, u"^ssh: Could not resolve hostname (\\S+): (.+)$"_s)))
        step = Text::tr("The name %1 does not resolve (%2): check it, or connect to the network "
                        "(VPN) where it does, or use a Host alias of ~/.ssh/config")
                       .arg(safe(match->captured(1)), safe(match->captured(2)));
    else if (lines.contains(u"stdio forwarding failed"_s)
             && (match = lastMatch(lines, u"^channel \\d+: open failed: (.+)$"_s)))
        step = Text::tr("A jump host could not reach the next host (%1): check the next host's "
                        "name and port as the jump host sees them")
                       .arg(safe(match->captured(1)));
    else if ((match = lastMatch(lines,
                                u"^(kex_exchange_identification: .+|Connection closed by .+|"
                                "Connection timed out during banner exchange|Connection to "
                                ".+ (closed by remote host|timed out while waiting to "
                                "read)\\.?|Timeout, server .+ not responding\\.)$"_s)))
        step = Text::tr("The SSH connection to %1 ended early; if %1 is reached through a jump "
                        "host, the jump host's lines above say why")
                       .arg(safe(lastHop(lines)));
    if (!match)
        return std::nullopt;
    Diagnosis diagnosis = make(DiagnosisCategory::SshUnreachable, match->captured(0), spec, lines);
    diagnosis.leadingSteps << step;
    return diagnosis;
}

} // namespace

namespace TunnelLog {

QStringList readableLines(const QStringList &lines, qsizetype count)
{
    QStringList out;
    for (const QString &line : lines) {
        if (!isDebug(line) && !line.trimmed().isEmpty() && !line.startsWith(u"@@@@"_s))
            out << safe(line.trimmed());
    }
    out.removeDuplicates();
    return out.mid(qMax<qsizetype>(0, out.size() - count));
}

Diagnosis explainSsh(const TunnelSpec &spec, const QStringList &lines, const QString &ending)
{
    // A changed key first: its banner also ends in "Host key verification failed.".
    for (auto reader : {hostKeyChanged, hostKeyUnknown, authFailed, unreachable}) {
        if (auto diagnosis = reader(spec, lines)) {
            diagnosis->evidence << ending;
            return *diagnosis;
        }
    }
    if (auto forward = forwardFailure(spec, lines)) {
        forward->evidence << ending;
        return *forward;
    }
    const QStringList readable = readableLines(lines, 1);
    Diagnosis diagnosis = make(DiagnosisCategory::SshUnreachable,
                               readable.isEmpty() ? ending : readable.constFirst(), spec, lines);
    diagnosis.evidence << ending;
    return diagnosis;
}

Diagnosis explainCommand(const TunnelSpec &spec, const QStringList &lines, const QString &ending)
{
    Diagnosis diagnosis = DiagnosisTable::make(DiagnosisCategory::TunnelCommandFailed,
                                               ConnectionStage::Tunnel, safe(ending));
    diagnosis.context.host = spec.targetHost;
    diagnosis.context.port = QString::number(spec.targetPort);
    const QStringList readable = readableLines(lines);
    for (const QString &line : readable)
        diagnosis.evidence << Text::tr("it said: %1").arg(line);
    if (readable.isEmpty())
        diagnosis.evidence << Text::tr("it printed nothing");
    diagnosis.evidence << Text::tr("the command: %1").arg(safe(spec.route.redacted()));
    return diagnosis;
}

Diagnosis explain(const TunnelSpec &spec, const QStringList &lines, const QString &ending)
{
    return spec.route.kind == Route::Kind::Ssh ? explainSsh(spec, lines, ending)
                                               : explainCommand(spec, lines, ending);
}

std::optional<Diagnosis> forwardFailure(const TunnelSpec &spec, const QStringList &lines)
{
    const auto failed = lastMatch(lines, u"^channel \\d+: open failed: (.+)$"_s);
    if (!failed)
        return std::nullopt;
    Diagnosis diagnosis = make(DiagnosisCategory::SshForwardFailed, failed->captured(0), spec, {});
    diagnosis.leadingSteps << Text::tr("%1 could not open %2 (%3)")
                                      .arg(safe(spec.route.destination.toString()),
                                           safe(spec.forwardTarget()), safe(failed->captured(1)));
    return diagnosis;
}

bool localPortTaken(const QStringList &lines)
{
    return lastMatch(lines, u"^bind \\[?127\\.0\\.0\\.1\\]?:\\d+: Address already in use$"_s)
            .has_value();
}

} // namespace TunnelLog
