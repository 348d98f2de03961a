#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

/// One SSH host as ProxyJump and the command line write it: [user@]host[:port], or a Host alias
/// of the user's ~/.ssh/config (then host is the alias and ssh's config says the rest).
struct SshHost
{
    QString user;
    QString host;
    /// 0: the config's or ssh's default.
    int port = 0;

    /// Parses one [user@]host[:port] ([v6-address]:port for IPv6); nullopt with the reason when
    /// it is not one: empty, a space or control character, or a leading '-' (ssh would read
    /// it as an option).
    static std::optional<SshHost> parse(const QString &text, QString *error);
    /// As ProxyJump writes it.
    QString toString() const;

    friend bool operator==(const SshHost &, const SshHost &) = default;
};

/// What the keychain holds for an SSH route, besides the database password: the passphrase of the
/// identity (every hop uses it), or the SSH password. ssh gets it through this program acting as
/// its askpass helper, never on a command line or in the environment.
enum class SshSecret { None, Passphrase, Password };

namespace SshSecrets {
/// "passphrase", "password"; empty for None.
QString id(SshSecret secret);
std::optional<SshSecret> fromId(const QString &id);
/// Why ssh could not be given secret (empty; a line break or NUL, where ssh's askpass reading
/// cuts it); empty when it can.
QString problem(const QString &secret);
} // namespace SshSecrets

/// How a profile reaches its server: directly, through SSH (the system's OpenSSH client, with
/// the user's config, agent and known_hosts), or through a command that opens a tunnel on a
/// local port ({port} in its arguments). No secret is part of it: a key's passphrase lives in
/// the keychain like the database password.
struct Route
{
    enum class Kind { Direct, Ssh, Command };

    Kind kind = Kind::Direct;
    /// Ssh: where the forward starts from (the last hop).
    SshHost destination;
    /// Ssh: the hosts before it, in order (ProxyJump syntax in the file, comma-separated).
    QList<SshHost> jumps;
    /// Ssh: an identity file that every hop uses (IdentitiesOnly); empty for ssh's own choice.
    QString identityFile;
    /// Command: the program and its arguments, run without a shell; one holds {port}.
    QStringList command;

    bool isDirect() const { return kind == Kind::Direct; }
    /// "ssh" or "command"; "direct".
    QString kindId() const;

    /// An SSH route from the command line's or the form's text; nullopt with the reason when a
    /// part does not parse or the identity file's name holds a control character.
    static std::optional<Route> ssh(const QString &destination, const QString &jumps,
                                    const QString &identityFile, QString *error);
    /// A tunnel command from one line (split as a shell would, quotes kept together, but never
    /// run by one); nullopt with the reason when it is empty or has no {port}.
    static std::optional<Route> tunnelCommand(const QString &line, QString *error);

    /// The jump hosts as ProxyJump writes them: "a,b".
    QString jumpsText() const;
    /// The command as one line that tunnelCommand() reads back.
    QString commandLine() const;
    /// For the profile bar and the sidebar: "via bastion-eu", "via bastion-eu and 2 more",
    /// "via kubectl"; empty for a direct route.
    QString via() const;
    /// For JSON, reports and displays: the destination with its jumps ("ssh deploy@bastion-eu
    /// via jump-1"), or the command with the values of arguments that look like secrets
    /// (--token, password=...) shown as ***.
    QString redacted() const;

    /// Absent (an empty object) for a direct route.
    QJsonObject toJson() const;
    /// A route from the profile file; nullopt with the reason when it is damaged.
    static std::optional<Route> fromJson(const QJsonObject &object, QString *error);

    friend bool operator==(const Route &, const Route &) = default;
};
