#pragma once

#include "connection/Diagnosis.h"
#include "tunnel/TunnelSpec.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class Tunnel;

/// What a user of a tunnel waits for: the local port, or why it did not open.
struct TunnelOutcome
{
    bool ok = false;
    quint16 localPort = 0;
    Diagnosis failure;
};

class TunnelRegistry;

/// A user's hold on a tunnel: while one lease of a spec exists, its tunnel may run; the last
/// one released stops it. Held by whoever keeps connections through it (the Test, Server and
/// Pool pages, monitor); a connection attempt only borrows it.
class TunnelLease final
{
    Q_DISABLE_COPY_MOVE(TunnelLease)

public:
    using Callback = std::function<void(const TunnelOutcome &)>;

    TunnelLease(TunnelRegistry *registry, QString key, TunnelSpec spec);
    ~TunnelLease();

    const TunnelSpec &spec() const { return m_spec; }
    /// Calls back from the event loop once the tunnel is open: at once when it is, after opening
    /// it (again, when it ended or failed before) otherwise. Dropped when context is gone.
    void whenOpen(QObject *context, const Callback &callback);
    /// The forwarded port while open, else 0.
    quint16 localPort() const;
    /// How many lines the tunnel has printed, and those after the first count: what it said
    /// while one connection went through it.
    qsizetype lineCount() const;
    QStringList linesSince(qsizetype count) const;
    /// Whether it failed (ended, or did not open) since opening; then its diagnosis.
    std::optional<Diagnosis> failure() const;

private:
    Tunnel *tunnel() const;

    QPointer<TunnelRegistry> m_registry;
    QString m_key;
    TunnelSpec m_spec;
};

/// The one owner of this process's tunnels: one per spec, shared by its leases, stopped when the
/// last lease goes and when the application quits.
class TunnelRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TunnelRegistry)

public:
    /// This process's registry, a child of the application object (stopped with it).
    static TunnelRegistry *instance();
    ~TunnelRegistry() override;

    /// A lease on spec's tunnel; nullptr for a direct route.
    std::shared_ptr<TunnelLease> lease(const TunnelSpec &spec);
    /// A lease on the tunnel of profile's route, from this process's registry.
    static std::shared_ptr<TunnelLease> leaseFor(const Profile &profile);
    /// Stops every tunnel (the application quits, or SIGTERM came).
    void closeAll();

private:
    friend class TunnelLease;
    explicit TunnelRegistry(QObject *parent);
    void release(const QString &key);

    struct Entry
    {
        Tunnel *tunnel = nullptr;
        int leases = 0;
    };
    QHash<QString, Entry> m_tunnels;
};
