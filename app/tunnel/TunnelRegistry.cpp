#include "TunnelRegistry.h"

#include "tunnel/Tunnel.h"

#include <QCoreApplication>
#include <QThread>

namespace {

// Delivered from the event loop, never inside the caller's call.
void deliver(QObject *context, const TunnelLease::Callback &callback, const TunnelOutcome &outcome)
{
    QMetaObject::invokeMethod(
            context, [callback, outcome]() { callback(outcome); }, Qt::QueuedConnection);
}

TunnelOutcome outcomeOf(const Tunnel *tunnel)
{
    TunnelOutcome outcome;
    outcome.ok = tunnel->state() == Tunnel::State::Open;
    outcome.localPort = outcome.ok ? tunnel->localPort() : 0;
    if (!outcome.ok)
        outcome.failure = tunnel->failure();
    return outcome;
}

} // namespace

TunnelLease::TunnelLease(TunnelRegistry *registry, QString key, TunnelSpec spec)
    : m_registry(registry)
    , m_key(std::move(key))
    , m_spec(std::move(spec))
{ }

TunnelLease::~TunnelLease()
{
    if (!m_registry)
        return;
    // The last holder may be a worker's copy: the registry lives on the main thread.
    if (QThread::currentThread() == m_registry->thread())
        m_registry->release(m_key);
    else
        QMetaObject::invokeMethod(
                m_registry, [registry = m_registry, key = m_key]() { registry->release(key); },
                Qt::QueuedConnection);
}

Tunnel *TunnelLease::tunnel() const
{
    return m_registry ? m_registry->m_tunnels.value(m_key).tunnel : nullptr;
}

void TunnelLease::whenOpen(QObject *context, const Callback &callback)
{
    Tunnel *target = tunnel();
    if (!target) {
        TunnelOutcome closed;
        closed.failure = DiagnosisTable::make(DiagnosisCategory::Unknown, ConnectionStage::Tunnel,
                                              QCoreApplication::translate("TunnelLease",
                                                                          "the application is "
                                                                          "quitting"));
        return deliver(context, callback, closed);
    }
    if (target->state() == Tunnel::State::Open)
        return deliver(context, callback, outcomeOf(target));
    // Whichever comes first; both connections go with it. From the signal's arguments, not the
    // tunnel: it may be gone by the time a queued call runs.
    auto fired = std::make_shared<bool>(false);
    auto connections
            = std::make_shared<std::pair<QMetaObject::Connection, QMetaObject::Connection>>();
    auto once = [callback, fired, connections](const TunnelOutcome &outcome) {
        if (*fired)
            return;
        *fired = true;
        QObject::disconnect(connections->first);
        QObject::disconnect(connections->second);
        callback(outcome);
    };
    connections->first = QObject::connect(
            target, &Tunnel::opened, context,
            [once](quint16 port) {
                once(TunnelOutcome{true, port, {}});
            },
            Qt::QueuedConnection);
    connections->second = QObject::connect(
            target, &Tunnel::failed, context,
            [once](const Diagnosis &failure) {
                once(TunnelOutcome{false, 0, failure});
            },
            Qt::QueuedConnection);
    target->open();
}

quint16 TunnelLease::localPort() const
{
    const Tunnel *target = tunnel();
    return target && target->state() == Tunnel::State::Open ? target->localPort() : 0;
}

qsizetype TunnelLease::lineCount() const
{
    Tunnel *target = tunnel();
    return target ? target->lineCount() : 0;
}

QStringList TunnelLease::linesSince(qsizetype count) const
{
    const Tunnel *target = tunnel();
    return target ? target->linesSince(count) : QStringList();
}

std::optional<Diagnosis> TunnelLease::failure() const
{
    const Tunnel *target = tunnel();
    if (target && target->state() == Tunnel::State::Failed)
        return target->failure();
    return std::nullopt;
}

TunnelRegistry *TunnelRegistry::instance()
{
    static QPointer<TunnelRegistry> registry;
    if (!registry) {
        registry = new TunnelRegistry(QCoreApplication::instance());
        QObject::connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, registry,
                         &TunnelRegistry::closeAll);
    }
    return registry;
}

TunnelRegistry::TunnelRegistry(QObject *parent)
    : QObject(parent)
{ }

TunnelRegistry::~TunnelRegistry()
{
    closeAll();
}

std::shared_ptr<TunnelLease> TunnelRegistry::leaseFor(const Profile &profile)
{
    return instance()->lease(TunnelSpec::forProfile(profile));
}

std::shared_ptr<TunnelLease> TunnelRegistry::lease(const TunnelSpec &spec)
{
    if (spec.route.isDirect())
        return nullptr;
    const QString key = spec.key();
    Entry &entry = m_tunnels[key];
    if (!entry.tunnel)
        entry.tunnel = new Tunnel(spec, this);
    ++entry.leases;
    return std::make_shared<TunnelLease>(this, key, spec);
}

void TunnelRegistry::release(const QString &key)
{
    auto it = m_tunnels.find(key);
    if (it == m_tunnels.end() || --it->leases > 0)
        return;
    Tunnel *tunnel = it->tunnel;
    m_tunnels.erase(it);
    tunnel->close();
    tunnel->deleteLater();
}

void TunnelRegistry::closeAll()
{
    // The program is quitting: its event loop will not run again to finish a stop.
    for (const Entry &entry : std::as_const(m_tunnels))
        entry.tunnel->closeNow();
}
