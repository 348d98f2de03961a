#include "PgBouncerRoute.h"

#include "profiles/Profile.h"
#include "tunnel/TunnelRegistry.h"
#include "tunnel/TunnelSpec.h"

using namespace Qt::Literals::StringLiterals;

PgBouncerRoute PgBouncerRoute::forProfile(const Profile &profile)
{
    PgBouncerRoute route;
    route.adminUrl = profile.pgbouncerAdminUrl();
    if (!route.adminUrl)
        return route;
    switch (profile.route.kind) {
    case Route::Kind::Direct:
        break;
    case Route::Kind::Ssh:
        // A forward of its own: the database's tunnel leads to the database's port only.
        route.tunnel = TunnelRegistry::instance()->lease(
                TunnelSpec::forUrl(profile.route, *route.adminUrl));
        break;
    case Route::Kind::Command:
        // The command is the user's and takes one {port}; what it forwards is up to it.
        route.unreachable
                = tr("PgBouncer's admin console (%1) is not read: the profile's tunnel command "
                     "forwards only the database's port, so PgBouncer cannot be reached through "
                     "it.")
                          .arg(route.address());
        break;
    }
    return route;
}

PgBouncerRoute PgBouncerRoute::direct(const ConnectionUrl &adminUrl)
{
    PgBouncerRoute route;
    route.adminUrl = adminUrl;
    return route;
}

void PgBouncerRoute::whenDialable(QObject *context,
                                  const std::function<void(const Dial &)> &callback) const
{
    if (!isReachable())
        return callback(Dial{std::nullopt, unreachable});
    if (!tunnel)
        return callback(Dial{adminUrl, {}});
    tunnel->whenOpen(context,
                     [lease = tunnel, admin = *adminUrl, callback](const TunnelOutcome &outcome) {
                         if (!outcome.ok)
                             return callback(Dial{std::nullopt, outcome.failure.message});
                         callback(Dial{lease->spec().throughTunnel(admin, outcome.localPort), {}});
                     });
}

QString PgBouncerRoute::address() const
{
    if (!adminUrl)
        return {};
    const QString host = adminUrl->value(u"host"_s);
    const bool v6 = host.contains(u':') && !host.startsWith(u'/');
    return (v6 ? u'[' + host + u']' : host) + u':' + adminUrl->value(u"port"_s);
}
