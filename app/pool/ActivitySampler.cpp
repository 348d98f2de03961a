#include "ActivitySampler.h"

#include "connection/ConnectionAttempt.h"
#include "connection/ErrorClassifier.h"
#include "connection/PgConnection.h"
#include "connection/SlotCounts.h"
#include "pool/PgBouncerConsole.h"
#include "profiles/Profile.h"
#include "tunnel/TunnelRegistry.h"

#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {

// Prepared once per session: the server plans the tick's statement once, not every second.
constexpr char sampleStatement[] = "orderflow_activity_sample";

int number(const QMap<QString, QString> &row, const QString &column)
{
    return row.value(column).toInt();
}

PgBouncerSample readPgBouncer(const ConnectionUrl &url, const std::optional<QString> &password,
                              std::shared_ptr<PgConnection> &connection,
                              const std::atomic<bool> &stop)
{
    PgBouncerSample sample;
    if (!connection || !connection->isOk()) {
        connection = PgBouncerConsole::open(url, password, 5, &sample.error);
        if (!connection)
            return sample;
    }
    const PgAsync::Outcome pools = PgAsync::run(connection->get(), "SHOW POOLS", stop);
    const PgAsync::Outcome stats = PgAsync::run(connection->get(), "SHOW STATS", stop);
    if (!pools.ok || !stats.ok) {
        sample.error
                = ErrorClassifier::cleanMessage(pools.ok ? stats.rawError : pools.rawError, {});
        if (pools.connectionLost || stats.connectionLost)
            connection.reset();
        return sample;
    }
    sample.ok = true;
    for (const auto &row : pools.rows) {
        PgBouncerPool pool;
        pool.database = row.value(u"database"_s);
        pool.user = row.value(u"user"_s);
        pool.clientsActive = number(row, u"cl_active"_s);
        pool.clientsWaiting = number(row, u"cl_waiting"_s);
        pool.serversActive = number(row, u"sv_active"_s);
        pool.serversIdle = number(row, u"sv_idle"_s);
        pool.serversUsed = number(row, u"sv_used"_s);
        pool.maxWaitSeconds
                = row.value(u"maxwait"_s).toDouble() + row.value(u"maxwait_us"_s).toDouble() / 1e6;
        pool.poolMode = row.value(u"pool_mode"_s);
        sample.pools << pool;
    }
    for (const auto &row : stats.rows) {
        PgBouncerStatsRow entry;
        entry.database = row.value(u"database"_s);
        entry.totalTransactions = row.value(u"total_xact_count"_s).toLongLong();
        entry.totalQueries = row.value(u"total_query_count"_s).toLongLong();
        entry.averageWaitMicroseconds = row.value(u"avg_wait_time"_s).toLongLong();
        sample.stats << entry;
    }
    return sample;
}

} // namespace

ActivitySampler::ActivitySampler(QObject *parent)
    : QObject(parent)
    , m_clock(std::make_shared<SystemClock>())
    , m_bouncer(std::make_shared<std::shared_ptr<PgConnection>>())
    , m_stop(std::make_shared<std::atomic<bool>>(false))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ActivitySampler::tick);
}

ActivitySampler::~ActivitySampler()
{
    m_stop->store(true);
}

void ActivitySampler::setTarget(const ConnectionUrl &url, const std::optional<QString> &password,
                                SessionPolicy policy, std::shared_ptr<TunnelLease> tunnel)
{
    m_tunnel = std::move(tunnel);
    m_passwordSupplier = {};
    m_url = url;
    m_password = password;
    m_passwordUnused = password.has_value();
    m_policy = policy;
    m_connection.reset();
}

void ActivitySampler::setProfile(const Profile &profile, const std::optional<QString> &password,
                                 SecretStore *secrets)
{
    setTarget(profile.connectionUrl(), password, profile.sessionPolicy(),
              TunnelRegistry::leaseFor(profile));
    setPasswordSupplier(PasswordResolver::supplierFor(profile, secrets));
    PgBouncerRoute bouncer = PgBouncerRoute::forProfile(profile);
    const std::optional<QString> bouncerPassword
            = bouncer.isSet() ? password : std::optional<QString>();
    setPgBouncer(std::move(bouncer), bouncerPassword);
}

void ActivitySampler::setPgBouncer(PgBouncerRoute route, const std::optional<QString> &password)
{
    m_bouncerRoute = std::move(route);
    m_bouncerPassword = password;
    m_bouncer = std::make_shared<std::shared_ptr<PgConnection>>();
}

std::optional<bool> ActivitySampler::sessionReadOnly() const
{
    if (!m_connection || !m_connection->isOk())
        return std::nullopt;
    return m_sessionReadOnly;
}

int ActivitySampler::backoffDelay() const
{
    if (m_failures <= 0)
        return m_interval;
    const int shift = qMin(m_failures - 1, 16);
    return int(qMin<qint64>(m_maxBackoff, qint64(m_interval) << shift));
}

void ActivitySampler::start()
{
    if (m_running)
        return;
    m_running = true;
    m_failures = 0;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_generation.advance();
    m_timer.start(0);
}

void ActivitySampler::stop()
{
    m_running = false;
    m_timer.stop();
    m_stop->store(true);
    m_generation.advance();
    // A statement stopped mid-way is cancelled, but its answer is never read: the connection
    // would stay busy, so the next start connects afresh. (The running tick keeps its own copy.)
    if (m_ticking)
        m_connection.reset();
    m_ticking = false;
    if (m_attempt)
        m_attempt->cancel();
}

void ActivitySampler::tick()
{
    if (!m_running || m_ticking)
        return;
    m_ticking = true;
    m_tickStarted.start();
    if (m_connection && m_connection->isOk()) {
        sampleConnected();
        return;
    }
    m_connection.reset();
    // The password given with the target serves the first connection: whoever gave it has
    // just run the command. Reconnections ask the supplier for a fresh one.
    const bool givenPassword = std::exchange(m_passwordUnused, false);
    if (!m_passwordSupplier || givenPassword)
        return connectAndSample();
    const quint64 generation = m_generation.value();
    m_passwordSupplier(this, [this, generation](const PasswordOutcome &outcome) {
        if (generation != m_generation.value() || !m_ticking)
            return;
        if (!outcome.ok) {
            ActivitySample failure;
            failure.ok = false;
            failure.category = outcome.failure.categoryId();
            failure.message = outcome.failure.message;
            return finishTick(failure);
        }
        m_password = outcome.password;
        // The admin console takes the same password (setPgBouncer).
        if (m_bouncerRoute.isSet())
            m_bouncerPassword = outcome.password;
        connectAndSample();
    });
}

void ActivitySampler::connectAndSample()
{
    if (!m_attempt) {
        m_attempt = new ConnectionAttempt(this);
        connect(m_attempt, &ConnectionAttempt::finished, this, [this](const AttemptResult &result) {
            if (result.cancelled || !m_ticking)
                return;
            if (!result.ok || !result.connection || !result.snapshot) {
                ActivitySample failure;
                failure.ok = false;
                failure.category = result.diagnosis.categoryId();
                failure.message = result.diagnosis.message;
                finishTick(failure);
                return;
            }
            m_connection = result.connection;
            // Read here, while no worker uses the connection.
            const char *readOnly
                    = PQparameterStatus(m_connection->get(), "default_transaction_read_only");
            m_sessionReadOnly
                    = readOnly ? std::optional<bool>(qstrcmp(readOnly, "on") == 0) : std::nullopt;
            // The connect brought a full snapshot: that is this tick's sample.
            addPgBouncer(ActivitySample::fromSnapshot(*result.snapshot));
        });
    }
    ConnectionRequest request;
    request.url = m_url;
    request.password = m_password;
    request.keepConnection = true;
    request.tunnel = m_tunnel;
    request.policy = m_policy;
    request.sessionName = SlotCounts::monitorSessionName();
    request.timeoutSeconds = qBound(2, m_interval / 1000 * 5, 10);
    m_attempt->start(request);
}

void ActivitySampler::sampleConnected()
{
    auto tick = [connection = m_connection, stop = m_stop]() {
        return PgAsync::runPrepared(*connection, sampleStatement, ActivitySample::query(), *stop);
    };
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(), tick, this, m_generation,
            [this](const PgAsync::Outcome &server) {
                ActivitySample sample;
                const auto read
                        = server.ok ? ActivitySample::fromJson(server.firstValue()) : std::nullopt;
                if (read) {
                    sample = *read;
                } else if (server.ok) {
                    // Answered, but not as the query promises: a failure with a name.
                    sample.ok = false;
                    sample.category = DiagnosisTable::id(DiagnosisCategory::Unknown);
                    sample.message = tr("the server's answer to the sampling query could not be "
                                        "read");
                } else {
                    const Diagnosis diagnosis = ErrorClassifier::classifyQueryFailure(
                            server.rawError, server.connectionLost,
                            m_password.value_or(m_url.password()));
                    if (server.connectionLost)
                        m_connection.reset();
                    sample.ok = false;
                    sample.category = diagnosis.categoryId();
                    sample.message = diagnosis.message;
                }
                addPgBouncer(std::move(sample));
            });
}

void ActivitySampler::addPgBouncer(ActivitySample sample)
{
    if (!m_bouncerRoute.isSet())
        return finishTick(std::move(sample));
    const quint64 generation = m_generation.value();
    m_bouncerRoute.whenDialable(this,
                                [this, generation, sample = std::move(sample)](
                                        const PgBouncerRoute::Dial &dial) mutable {
                                    if (generation != m_generation.value() || !m_ticking)
                                        return;
                                    if (!dial.url) {
                                        PgBouncerSample failed;
                                        failed.error = dial.error;
                                        sample.pgbouncer = failed;
                                        return finishTick(std::move(sample));
                                    }
                                    readPgBouncerAt(*dial.url, std::move(sample));
                                });
}

void ActivitySampler::readPgBouncerAt(const ConnectionUrl &url, ActivitySample sample)
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [url, password = m_bouncerPassword, bouncer = m_bouncer, stop = m_stop]() {
                return readPgBouncer(url, password, *bouncer, *stop);
            },
            this, m_generation,
            [this, sample = std::move(sample)](const PgBouncerSample &bouncerSample) mutable {
                sample.pgbouncer = bouncerSample;
                finishTick(std::move(sample));
            });
}

void ActivitySampler::finishTick(ActivitySample sample)
{
    m_ticking = false;
    if (!m_running)
        return;
    sample.t = m_clock->now();
    sample.seconds = double(m_tickStarted.nsecsElapsed()) / 1e9;
    m_failures = sample.ok ? 0 : m_failures + 1;
    Q_EMIT sampleReceived(sample);
    if (!m_running)
        return; // a receiver stopped us
    const int delay = sample.ok ? int(qMax<qint64>(0, m_interval - m_tickStarted.elapsed()))
                                : backoffDelay();
    m_timer.start(delay);
}
