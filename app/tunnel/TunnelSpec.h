#pragma once

#include "connection/ConnectionUrl.h"
#include "profiles/Profile.h"
#include "profiles/Route.h"

#include <QString>
#include <QStringList>

/// One tunnel to open: the route, where it forwards to, and how host keys are treated. Two
/// users of the same spec share one tunnel (TunnelRegistry).
struct TunnelSpec
{
    Route route;
    /// The database server as the last SSH host (or the tunnel command) sees it: the profile's
    /// host (hostaddr when set), or a socket directory; localhost when the profile names none.
    QString targetHost;
    int targetPort = 5432;
    /// Unknown host keys are added to known_hosts (StrictHostKeyChecking=accept-new); a changed
    /// key is refused all the same.
    bool acceptNewHostKey = false;
    /// The host ([host]:port as known_hosts writes it) and fingerprint the user accepted after
    /// seeing them (the window's Accept). ssh then writes new keys to a file of the tunnel's own
    /// (Tunnel::newKeysFile), and only the accepted key of the accepted host is copied into
    /// ~/.ssh/known_hosts; any other new key stops the tunnel as not accepted.
    QString acceptedHost;
    QString acceptedFingerprint;
    /// What ssh is given through the askpass helper (AskpassServer), read from the keychain entry
    /// SecretStore::sshSecretId(secretOwner) when the tunnel opens; None: ssh never asks
    /// (BatchMode).
    SshSecret secret = SshSecret::None;
    QString secretOwner;
    /// For each SSH connection (ConnectTimeout), and for a tunnel command's port to open.
    int timeoutSeconds = 10;

    /// The spec for reaching url's server over route; the first host and port of a list.
    static TunnelSpec forUrl(const Route &route, const ConnectionUrl &url);
    static TunnelSpec forProfile(const Profile &profile);
    /// Same key, same tunnel.
    QString key() const;
    bool forwardsToSocket() const { return targetHost.startsWith(u'/'); }
    /// The target as ssh -L writes it: host:port, [v6]:port, or the socket file.
    QString forwardTarget() const;
    /// url as libpq dials it through this tunnel open on localPort: hostaddr 127.0.0.1 and the
    /// local port, the URL's own host name kept (verify-full checks the certificate against
    /// it); of a list, the host the tunnel forwards to. A socket target's host becomes 127.0.0.1.
    ConnectionUrl throughTunnel(ConnectionUrl url, quint16 localPort) const;
};

namespace SshInvocation {

/// The OpenSSH client: on Windows the one that ships with Windows 10 and later, on macOS
/// /usr/bin/ssh, elsewhere ssh from PATH.
QString program();
/// The arguments of ssh for spec, forwarding 127.0.0.1:localPort. Every hop gets the same
/// options (no prompt, strict host keys, the identity with IdentitiesOnly, no connection
/// sharing that could outlive the tunnel, -v for the lines the diagnosis reads), so jump
/// hosts are chained with ProxyCommand rather than -J, which passes none of them on. With an
/// accepted fingerprint, new keys go to newKeysFile (read before the user's known_hosts).
QStringList arguments(const TunnelSpec &spec, quint16 localPort, const QString &newKeysFile = {});
/// The arguments of the route's tunnel command (after its program) with {port} filled.
QStringList tunnelCommandArguments(const TunnelSpec &spec, quint16 localPort);
/// The line ssh -v prints when it sets up the forward (before it binds the port).
QString listeningLine(quint16 localPort);
/// The line ssh -v prints once all its forwards listen.
QString readyLine();

} // namespace SshInvocation
