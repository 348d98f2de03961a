#pragma once

#include "connection/ConnectionUrl.h"

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QObject;
class TunnelLease;
struct Profile;

/// How the pool monitor reaches a profile's PgBouncer admin console: directly; through a tunnel
/// of its own to PgBouncer's host and port as the last SSH hop sees them, when the profile's
/// route is SSH; or not at all, when a tunnel command forwards only the database's port.
struct PgBouncerRoute
{
    Q_DECLARE_TR_FUNCTIONS(PgBouncerRoute)

public:
    /// The admin console (dbname pgbouncer) as the profile names it; unset for none.
    std::optional<ConnectionUrl> adminUrl;
    /// SSH: the lease on the console's own tunnel, held while the monitor reads it.
    std::shared_ptr<TunnelLease> tunnel;
    /// Why the console cannot be reached over the profile's route; empty when it can.
    QString unreachable;

    /// Profile::pgbouncerAdminUrl() over profile.route; leases the SSH tunnel (not opened yet).
    static PgBouncerRoute forProfile(const Profile &profile);
    /// A console dialled as it is.
    static PgBouncerRoute direct(const ConnectionUrl &adminUrl);

    /// Where to dial the console, or why it cannot be dialled.
    struct Dial
    {
        std::optional<ConnectionUrl> url;
        QString error;
    };
    /// Calls back with the console's address: at once for a direct route, once the tunnel is
    /// open for an SSH one (its local port is known on context's thread only).
    void whenDialable(QObject *context, const std::function<void(const Dial &)> &callback) const;

    bool isSet() const { return adminUrl.has_value(); }
    bool isReachable() const { return adminUrl && unreachable.isEmpty(); }
    /// host:port of the console as its route sees it, for status lines.
    QString address() const;
};
