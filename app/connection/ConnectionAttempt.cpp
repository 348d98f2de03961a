#include "ConnectionAttempt.h"

#include "Logging.h"
#include "connection/ErrorClassifier.h"
#include "connection/NetworkProbe.h"
#include "connection/ParameterSources.h"
#include "connection/PgConnection.h"
#include "connection/ServerFactsCache.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QPointer>
#include <QThread>

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <poll.h>
#endif

#include <algorithm>
#include <atomic>
#include <ctime>

using namespace Qt::Literals::StringLiterals;

struct AttemptShared
{
    std::atomic<bool> stop{false};
};

namespace {

struct ConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
using Connection = std::unique_ptr<PGconn, ConnDeleter>;

ConnectionStage stageFor(ConnStatusType status)
{
    switch (status) {
    case CONNECTION_STARTED:
    case CONNECTION_MADE:
        return ConnectionStage::Connect;
    case CONNECTION_SSL_STARTUP:
    case CONNECTION_GSS_STARTUP:
        return ConnectionStage::Tls;
    case CONNECTION_AWAITING_RESPONSE:
        return ConnectionStage::Auth;
    default:
        return ConnectionStage::Database;
    }
}

QString x509Name(X509_NAME *name)
{
    if (!name)
        return {};
    char buffer[512] = {};
    X509_NAME_oneline(name, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

} // namespace

/// Runs one attempt on a worker thread. It lives in the caller's thread (so Qt delivers its
/// signals there, and drops them if the attempt is gone); only run() executes on the worker.
class AttemptWorker final : public QObject
{
    Q_OBJECT

public:
    AttemptWorker(std::shared_ptr<AttemptShared> shared, ConnectionUrl url,
                  std::optional<QString> password, QElapsedTimer clock, int timeoutSeconds,
                  bool keepConnection, SessionPolicy policy)
        : m_shared(std::move(shared))
        , m_url(std::move(url))
        , m_password(std::move(password))
        , m_clock(clock)
        , m_timeoutSeconds(timeoutSeconds)
        , m_keepConnection(keepConnection)
        , m_policy(policy)
    { }

    void run();

Q_SIGNALS:
    void stageEntered(ConnectionStage stage, double atMs);
    void done(const AttemptResult &result);

private:
    bool stopped() const { return m_shared->stop.load(); }
    void enter(ConnectionStage stage);
    void fail(Diagnosis diagnosis);
    bool resolveHosts(QMap<QString, QString> &params, Diagnosis *failure);
    Connection connectWith(const QMap<QString, QString> &params, FailureEvidence *evidence,
                           bool track);
    void refine(Diagnosis &diagnosis, const FailureEvidence &evidence,
                const QMap<QString, QString> &params);
    void runChecks(PGconn *conn, AttemptResult &result);
    PgResult exec(PGconn *conn, const char *sql);
    int remainingMs() const;

    std::shared_ptr<AttemptShared> m_shared;
    ConnectionUrl m_url;
    std::optional<QString> m_password;
    QElapsedTimer m_clock;
    int m_timeoutSeconds;
    bool m_keepConnection;
    SessionPolicy m_policy;
    ConnectionStage m_stage = ConnectionStage::Parse;
    QStringList m_resolveEvidence;
};

int AttemptWorker::remainingMs() const
{
    return int(std::max<qint64>(0, qint64(m_timeoutSeconds) * 1000 - m_clock.elapsed()));
}

void AttemptWorker::enter(ConnectionStage stage)
{
    if (int(stage) <= int(m_stage))
        return;
    m_stage = stage;
    Q_EMIT stageEntered(stage, double(m_clock.nsecsElapsed()) / 1e6);
}

void AttemptWorker::fail(Diagnosis diagnosis)
{
    // The evidence may place the failure later than libpq's state showed (a missing database
    // is reported right after authentication succeeded): the timeline follows the evidence.
    enter(diagnosis.stage);
    AttemptResult result;
    result.ok = false;
    result.diagnosis = std::move(diagnosis);
    result.diagnosis.stage = m_stage;
    Q_EMIT done(result);
}

bool AttemptWorker::resolveHosts(QMap<QString, QString> &params, Diagnosis *failure)
{
    if (!params.contains(u"host"_s) || params.contains(u"hostaddr"_s))
        return true;
    const QStringList hosts = params.value(u"host"_s).split(u',');
    const QStringList ports
            = params.contains(u"port"_s) ? params.value(u"port"_s).split(u',') : QStringList();
    QStringList outHosts, outAddrs, outPorts;
    NetworkProbe::Resolution lastFailure;
    QString failedHost;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString &host = hosts.at(i);
        const QString port = ports.size() == hosts.size() ? ports.at(i)
                : ports.size() == 1                       ? ports.first()
                                                          : QString();
        if (host.isEmpty() || NetworkProbe::isSocketDirectory(host)
            || !QHostAddress(host).isNull()) {
            outHosts << host;
            outAddrs << QString();
            outPorts << port;
            continue;
        }
        const NetworkProbe::Resolution resolution = NetworkProbe::resolve(host);
        if (stopped())
            return false;
        if (resolution.status != NetworkProbe::Resolution::Status::Resolved) {
            lastFailure = resolution;
            failedHost = host;
            m_resolveEvidence << tr("%1 does not resolve: %2").arg(host, resolution.error);
            continue;
        }
        m_resolveEvidence << tr("%1 resolves to %2").arg(host, resolution.addresses.join(u", "_s));
        // libpq tries every address of a host; keep that by listing each one.
        for (const QString &address : resolution.addresses) {
            outHosts << host;
            outAddrs << address;
            outPorts << port;
        }
    }
    if (outHosts.isEmpty()) {
        *failure = DiagnosisTable::make(DiagnosisCategory::HostNotFound, ConnectionStage::Resolve,
                                        tr("could not translate host name \"%1\" to address: %2")
                                                .arg(failedHost, lastFailure.error));
        failure->evidence = m_resolveEvidence;
        if (lastFailure.status == NetworkProbe::Resolution::Status::NoAnswer)
            failure->hints.append(tr("No name server answered: check the network connection, "
                                     "VPN and DNS settings"));
        return false;
    }
    params.insert(u"host"_s, outHosts.join(u','));
    if (std::any_of(outAddrs.cbegin(), outAddrs.cend(),
                    [](const QString &a) { return !a.isEmpty(); }))
        params.insert(u"hostaddr"_s, outAddrs.join(u','));
    if (std::any_of(outPorts.cbegin(), outPorts.cend(),
                    [](const QString &p) { return !p.isEmpty(); }))
        params.insert(u"port"_s, outPorts.join(u','));
    return true;
}

Connection AttemptWorker::connectWith(const QMap<QString, QString> &params,
                                      FailureEvidence *evidence, bool track)
{
    QList<QByteArray> keys, values;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        keys << it.key().toUtf8();
        values << it.value().toUtf8();
    }
    std::vector<const char *> keyPointers, valuePointers;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        keyPointers.push_back(keys.at(i).constData());
        valuePointers.push_back(values.at(i).constData());
    }
    keyPointers.push_back(nullptr);
    valuePointers.push_back(nullptr);

    Connection conn(PQconnectStartParams(keyPointers.data(), valuePointers.data(), 0));
    if (!conn) {
        evidence->rawMessage = tr("out of memory");
        return conn;
    }
    // Verbose errors carry the SQLSTATE, which connection errors have no other way to give.
    PQsetErrorVerbosity(conn.get(), PQERRORS_VERBOSE);
    evidence->passwordSupplied
            = params.contains(u"password"_s) || qEnvironmentVariableIsSet("PGPASSWORD");
    evidence->password = params.value(u"password"_s);
    ConnectionStage furthest = ConnectionStage::Connect;
    if (PQstatus(conn.get()) == CONNECTION_BAD) {
        evidence->rawMessage = QString::fromUtf8(PQerrorMessage(conn.get()));
        evidence->stage = furthest;
        return {};
    }
    PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
    while (true) {
        if (stopped())
            return {};
        if (poll == PGRES_POLLING_READING || poll == PGRES_POLLING_WRITING) {
            if (!PgAsync::waitForSocket(PQsocket(conn.get()), poll == PGRES_POLLING_WRITING,
                                        m_shared->stop))
                return {};
        }
        poll = PQconnectPoll(conn.get());
        const ConnStatusType status = PQstatus(conn.get());
        if (status != CONNECTION_STARTED && status != CONNECTION_BAD)
            evidence->connected = true;
        if (status == CONNECTION_AUTH_OK)
            evidence->authenticated = true;
        if (status != CONNECTION_BAD && int(stageFor(status)) > int(furthest))
            furthest = stageFor(status);
        if (track)
            enter(furthest);
        if (poll == PGRES_POLLING_OK)
            return conn;
        if (poll == PGRES_POLLING_FAILED) {
            evidence->rawMessage = QString::fromUtf8(PQerrorMessage(conn.get()));
            evidence->stage = furthest;
            return {};
        }
    }
}

void AttemptWorker::run()
{
    QMap<QString, QString> params = m_url.params();
    if (m_password)
        params.insert(u"password"_s, *m_password);
    if (!params.contains(u"application_name"_s))
        params.insert(u"fallback_application_name"_s, u"orderflow-dbadmin"_s);
    // The deadline is ours; libpq's connect_timeout would only apply to blocking calls.
    params.remove(u"connect_timeout"_s);
    // Every session of the tool comes through here, so here the policy reaches libpq.
    m_policy.applyTo(params);

    enter(ConnectionStage::Resolve);
    Diagnosis resolveFailure;
    if (!resolveHosts(params, &resolveFailure)) {
        if (!stopped())
            fail(resolveFailure);
        return;
    }
    enter(ConnectionStage::Connect);

    FailureEvidence evidence;
    Connection conn = connectWith(params, &evidence, true);
    if (stopped())
        return;
    if (!conn) {
        Diagnosis diagnosis = ErrorClassifier::classify(evidence);
        refine(diagnosis, evidence, params);
        if (!stopped())
            fail(diagnosis);
        return;
    }

    enter(ConnectionStage::Checks);
    AttemptResult result;
    runChecks(conn.get(), result);
    if (stopped())
        return;
    if (!result.ok) {
        fail(result.diagnosis);
        return;
    }
    ServerFactsCache::store(QString::fromUtf8(PQhost(conn.get())),
                            QString::fromUtf8(PQport(conn.get())), result.server);
    result.parameters = ParameterSources::describe(m_url, m_password.has_value(), conn.get());
    if (m_keepConnection)
        result.connection = std::make_shared<PgConnection>(conn.release());
    Q_EMIT done(result);
}

PgResult AttemptWorker::exec(PGconn *conn, const char *sql)
{
    PgResult result = PgAsync::exec(conn, sql, m_shared->stop);
    if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK)
        return {};
    return result;
}

void AttemptWorker::runChecks(PGconn *conn, AttemptResult &result)
{
    ServerFacts &facts = result.server;
    facts.versionNum = PQserverVersion(conn);
    facts.version = QString::fromUtf8(PQparameterStatus(conn, "server_version"));
    facts.sslInUse = PQsslInUse(conn) == 1;
    if (facts.sslInUse) {
        facts.sslProtocol = QString::fromUtf8(PQsslAttribute(conn, "protocol"));
        facts.sslCipher = QString::fromUtf8(PQsslAttribute(conn, "cipher"));
        if (auto *ssl = static_cast<SSL *>(PQsslStruct(conn, "OpenSSL"))) {
            if (X509 *certificate = SSL_get1_peer_certificate(ssl)) {
                facts.certificateSubject = x509Name(X509_get_subject_name(certificate));
                facts.certificateIssuer = x509Name(X509_get_issuer_name(certificate));
                std::tm expiry{};
                if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &expiry) == 1) {
                    facts.certificateNotAfter = QDateTime(
                            QDate(expiry.tm_year + 1900, expiry.tm_mon + 1, expiry.tm_mday),
                            QTime(expiry.tm_hour, expiry.tm_min, expiry.tm_sec), Qt::UTC);
                }
                X509_free(certificate);
            }
        }
    }

    // The panels' single query doubles as the check: capacity, sessions, extensions.
    PgResult snapshotResult = exec(conn, ServerSnapshot::query(facts.versionNum).constData());
    if (stopped())
        return;
    const bool settings = PQstatus(conn) == CONNECTION_OK;
    if (snapshotResult) {
        QString error;
        result.snapshot = ServerSnapshot::fromJson(
                QByteArray(PQgetvalue(snapshotResult.get(), 0, 0)), &error);
        if (result.snapshot) {
            facts.maxConnections = result.snapshot->maxConnections;
            facts.superuserReservedConnections = result.snapshot->superuserReserved;
            facts.reservedConnections = result.snapshot->reserved;
        } else {
            result.warnings << error;
        }
    } else if (settings) {
        result.warnings << tr("The server facts could not be read: %1")
                                   .arg(ErrorClassifier::cleanMessage(
                                           QString::fromUtf8(PQerrorMessage(conn)), {}));
    }

    QList<double> roundTrips;
    for (int i = 0; i < 5 && settings; ++i) {
        QElapsedTimer trip;
        trip.start();
        if (!exec(conn, "SELECT 1"))
            break;
        roundTrips << double(trip.nsecsElapsed()) / 1e6;
    }
    if (stopped())
        return;
    if (!settings || roundTrips.size() < 5) {
        FailureEvidence evidence;
        evidence.rawMessage = QString::fromUtf8(PQerrorMessage(conn));
        evidence.stage = ConnectionStage::Checks;
        evidence.connected = evidence.authenticated = true;
        evidence.passwordSupplied = true;
        evidence.password = m_password.value_or(m_url.password());
        result.ok = false;
        result.diagnosis = ErrorClassifier::classify(evidence);
        if (result.diagnosis.category == DiagnosisCategory::Unknown
            && PQstatus(conn) == CONNECTION_BAD)
            result.diagnosis
                    = DiagnosisTable::make(DiagnosisCategory::ServerClosed, ConnectionStage::Checks,
                                           result.diagnosis.message);
        return;
    }
    std::sort(roundTrips.begin(), roundTrips.end());
    result.latencyMs = roundTrips.at(roundTrips.size() / 2);
    result.ok = true;
    result.diagnosis = DiagnosisTable::make(DiagnosisCategory::Ok, ConnectionStage::Checks, {});
}

void AttemptWorker::refine(Diagnosis &diagnosis, const FailureEvidence &evidence,
                           const QMap<QString, QString> &params)
{
    diagnosis.evidence << m_resolveEvidence;
    const QStringList hosts = params.value(u"host"_s).split(u',');
    const QStringList addrs = params.value(u"hostaddr"_s).split(u',');
    const QStringList ports = params.value(u"port"_s).split(u',');
    const QString host = hosts.value(0);
    const QString address = addrs.value(0).isEmpty() ? host : addrs.value(0);
    const quint16 port = quint16(ports.value(0).isEmpty() ? 5432 : ports.value(0).toUInt());
    const QString sslmode = params.value(u"sslmode"_s, u"prefer"_s);
    const int probeMs = std::clamp(remainingMs(), 300, 2000);

    switch (diagnosis.category) {
    case DiagnosisCategory::ConnectionRefused: {
        if (NetworkProbe::isSocketDirectory(host)) {
            const QString path = NetworkProbe::socketPath(host, port);
            diagnosis.evidence << (QFileInfo::exists(path)
                                           ? tr("The socket file %1 exists, but no server "
                                                "accepts connections on it (a stale file from a "
                                                "stopped server?)")
                                                     .arg(path)
                                           : tr("There is no socket file %1: no server runs "
                                                "with that socket folder and port")
                                                     .arg(path));
        } else {
            const auto outcome = NetworkProbe::tcpConnect(address, port, probeMs);
            if (outcome == NetworkProbe::ConnectOutcome::TimedOut
                || outcome == NetworkProbe::ConnectOutcome::Unreachable) {
                diagnosis = DiagnosisTable::make(DiagnosisCategory::Timeout, diagnosis.stage,
                                                 diagnosis.message, diagnosis.sqlstate);
                diagnosis.evidence << (outcome == NetworkProbe::ConnectOutcome::TimedOut
                                               ? tr("%1 port %2 does not answer: packets seem "
                                                    "to be dropped")
                                               : tr("There is no network route to %1"))
                                              .arg(address)
                                              .arg(port);
                break;
            }
            diagnosis.evidence << tr("Nothing listens on %1 port %2 (the connection was "
                                     "refused)")
                                          .arg(address)
                                          .arg(port);
        }
        if (NetworkProbe::isLoopback(host) || NetworkProbe::isLoopback(address)) {
            QList<quint16> local = NetworkProbe::localServerPorts(
                    NetworkProbe::isSocketDirectory(host) ? host : QString());
            local.removeAll(port);
            if (local.isEmpty()) {
                diagnosis.hints.append(tr("No PostgreSQL server seems to run on this machine: "
                                          "start it (docker compose up -d postgres, or your "
                                          "system's service manager)"));
            } else {
                QStringList list;
                for (quint16 p : std::as_const(local))
                    list << QString::number(p);
                diagnosis.evidence << tr("A PostgreSQL server answers on this machine on port(s) "
                                         "%1")
                                              .arg(list.join(u", "_s));
                diagnosis.hints.append(tr("Did you mean port %1? Change the port in the "
                                          "connection string")
                                               .arg(local.first()));
            }
        }
        break;
    }
    case DiagnosisCategory::HbaRejected: {
        if (sslmode == u"disable"_s || sslmode == u"allow"_s || sslmode == u"prefer"_s) {
            // Would the same connection be let in over SSL? Then a hostssl line demands it.
            QMap<QString, QString> withSsl = params;
            withSsl.insert(u"sslmode"_s, u"require"_s);
            FailureEvidence sslEvidence;
            Connection probe = connectWith(withSsl, &sslEvidence, false);
            const bool passedHba = probe || sslEvidence.authenticated
                    || (ErrorClassifier::sqlstate(sslEvidence.rawMessage) != u"28000"_s
                        && sslEvidence.stage >= ConnectionStage::Auth);
            if (passedHba) {
                const QStringList evidenceSoFar = diagnosis.evidence;
                diagnosis = DiagnosisTable::make(DiagnosisCategory::SslRequired, diagnosis.stage,
                                                 diagnosis.message, diagnosis.sqlstate);
                diagnosis.evidence = evidenceSoFar;
                diagnosis.evidence << tr("The connection was not encrypted (sslmode=%1), and the "
                                         "same connection with sslmode=require gets past "
                                         "pg_hba.conf: the matching line is of type hostssl")
                                              .arg(sslmode);
                break;
            }
        }
        diagnosis.evidence << tr("pg_hba.conf has no line that accepts this user, database and "
                                 "address (or a reject line matches first)");
        break;
    }
    case DiagnosisCategory::Unknown:
    case DiagnosisCategory::SslUnavailable:
    case DiagnosisCategory::SslVerifyFailed:
    case DiagnosisCategory::ServerClosed: {
        if (!diagnosis.sqlstate.isEmpty() || diagnosis.stage > ConnectionStage::Tls)
            break;
        // Ask the server ourselves whether it offers TLS: its one-byte answer does not
        // depend on anybody's language.
        const auto answer = NetworkProbe::sslRequest(
                NetworkProbe::isSocketDirectory(host) ? host : address, port, probeMs);
        DiagnosisCategory category = diagnosis.category;
        QString seen;
        switch (answer) {
        case NetworkProbe::SslAnswer::Offered:
            if (diagnosis.stage == ConnectionStage::Tls && sslmode.startsWith(u"verify"_s))
                category = DiagnosisCategory::SslVerifyFailed;
            seen = tr("The server offers TLS (it answered the SSL request with 'S')");
            break;
        case NetworkProbe::SslAnswer::NotOffered:
            if (sslmode == u"require"_s || sslmode.startsWith(u"verify"_s))
                category = DiagnosisCategory::SslUnavailable;
            seen = tr("The server does not offer TLS (it answered the SSL request with 'N')");
            break;
        case NetworkProbe::SslAnswer::Closed:
            category = DiagnosisCategory::ServerClosed;
            seen = tr("Something accepts connections on %1 port %2 but closes them at once "
                      "without a word: it does not behave like PostgreSQL")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::NoAnswer:
            category = DiagnosisCategory::Timeout;
            seen = tr("Something accepts connections on %1 port %2 but never answers")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::Other:
            seen = tr("The program on %1 port %2 does not speak PostgreSQL's protocol")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::Unreachable:
            break;
        }
        if (category != diagnosis.category) {
            const QStringList evidenceSoFar = diagnosis.evidence;
            diagnosis = DiagnosisTable::make(category, diagnosis.stage, diagnosis.message,
                                             diagnosis.sqlstate);
            diagnosis.evidence = evidenceSoFar;
        }
        if (!seen.isEmpty())
            diagnosis.evidence << seen;
        break;
    }
    case DiagnosisCategory::TooManyConnections: {
        const auto known = ServerFactsCache::find(host, QString::number(port));
        if (known && known->maxConnections > 0) {
            const int reserved
                    = known->superuserReservedConnections + std::max(0, known->reservedConnections);
            diagnosis.evidence << tr("When last seen, the server allowed max_connections = %1, "
                                     "of which %2 are reserved (superuser_reserved_connections "
                                     "%3, reserved_connections %4): %5 for ordinary users")
                                          .arg(known->maxConnections)
                                          .arg(reserved)
                                          .arg(known->superuserReservedConnections)
                                          .arg(std::max(0, known->reservedConnections))
                                          .arg(known->maxConnections - reserved);
        } else {
            diagnosis.evidence << tr("The server's max_connections is not visible from a refused "
                                     "connection: a superuser can still connect to the "
                                     "reserved slots and run SHOW max_connections");
        }
        break;
    }
    case DiagnosisCategory::AuthFailed:
        if (!evidence.passwordSupplied)
            diagnosis.evidence << tr("No password was supplied: none is stored for this "
                                     "profile, and neither PGPASSWORD nor .pgpass provided one");
        break;
    default:
        break;
    }
}

ConnectionAttempt::ConnectionAttempt(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<AttemptResult>();
    qRegisterMetaType<ConnectionStage>();
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, [this]() {
        const ConnectionStage stage = m_currentStage.value_or(ConnectionStage::Connect);
        Diagnosis diagnosis
                = DiagnosisTable::make(DiagnosisCategory::Timeout, stage,
                                       tr("no answer within %1 s (%2)")
                                               .arg(m_timeoutSeconds)
                                               .arg(ConnectionStages::displayName(stage)));
        if (stage == ConnectionStage::Resolve)
            diagnosis.evidence << tr("Looking up the host name took longer than the whole "
                                     "deadline: the name server is slow or unreachable");
        else if (stage >= ConnectionStage::Tls)
            diagnosis.evidence << tr("The connection was established, but the server did not "
                                     "answer while: %1. The port may belong to another "
                                     "program, or the server is overloaded")
                                          .arg(ConnectionStages::displayName(stage));
        else
            diagnosis.evidence << tr("The server's address did not accept or refuse the "
                                     "connection: packets seem to be dropped (firewall)");
        finishEarly(diagnosis, false);
    });
}

ConnectionAttempt::~ConnectionAttempt()
{
    if (m_shared)
        m_shared->stop = true;
}

void ConnectionAttempt::start(const ConnectionRequest &request)
{
    if (m_running)
        cancel();
    ++m_generation;
    m_clock.start();
    m_running = true;
    m_warnings.clear();
    m_stages.clear();
    m_currentStage = ConnectionStage::Parse;
    m_currentStageStartMs = 0;
    Q_EMIT stageStarted(ConnectionStage::Parse);

    std::optional<ConnectionUrl> url = request.url;
    QString error;
    if (!url) {
        url = ConnectionUrl::parse(request.text, &error);
        if (url) {
            const QStringList problems = url->validate();
            if (!problems.isEmpty()) {
                error = ConnectionUrl::scrub(problems.join(u"; "_s), url->password());
                url.reset();
            }
        }
    }
    if (!url) {
        m_target = QString();
        finishEarly(
                DiagnosisTable::make(DiagnosisCategory::InvalidUrl, ConnectionStage::Parse, error),
                false);
        return;
    }
    ConnectionUrl display = *url;
    if (request.password && !request.password->isEmpty())
        display.setValue(u"password"_s, *request.password);
    m_target = display.redacted();
    m_warnings = ParameterSources::strayEnvironment(*url, request.password.has_value());

    m_timeoutSeconds = request.timeoutSeconds > 0 ? request.timeoutSeconds
            : url->value(u"connect_timeout"_s).toInt() > 0
            ? url->value(u"connect_timeout"_s).toInt()
            : 10;

    m_shared = std::make_shared<AttemptShared>();
    auto *worker = new AttemptWorker(m_shared, *url, request.password, m_clock, m_timeoutSeconds,
                                     request.keepConnection, request.policy);
    connect(worker, &AttemptWorker::stageEntered, this, &ConnectionAttempt::onWorkerStage);
    connect(worker, &AttemptWorker::done, this, &ConnectionAttempt::onWorkerFinished);
    QThread *thread = QThread::create([worker]() { worker->run(); });
    thread->setObjectName(u"connection-attempt"_s);
    // Neither is owned by the attempt: an abandoned worker (stuck in a name lookup) finishes
    // on its own time and cleans up after itself.
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_deadline.start(m_timeoutSeconds * 1000);
    thread->start();
}

void ConnectionAttempt::cancel()
{
    if (!m_running)
        return;
    Diagnosis diagnosis;
    diagnosis.stage = m_currentStage.value_or(ConnectionStage::Parse);
    diagnosis.message = tr("cancelled");
    finishEarly(diagnosis, true);
}

void ConnectionAttempt::closeStagesUpTo(ConnectionStage stage, bool passed, double atMs)
{
    if (!m_currentStage)
        return;
    StageTiming timing;
    timing.stage = *m_currentStage;
    timing.milliseconds = atMs - m_currentStageStartMs;
    timing.passed = passed;
    m_stages << timing;
    Q_EMIT stageFinished(timing.stage, timing.milliseconds, passed);
    // Stages libpq went straight past (no TLS with sslmode=disable) are left out.
    m_currentStage.reset();
    m_currentStageStartMs = atMs;
    Q_UNUSED(stage);
}

void ConnectionAttempt::onWorkerStage(ConnectionStage stage, double atMs)
{
    if (!m_running)
        return;
    closeStagesUpTo(stage, true, atMs);
    m_currentStage = stage;
    m_currentStageStartMs = atMs;
    Q_EMIT stageStarted(stage);
}

void ConnectionAttempt::onWorkerFinished(const AttemptResult &workerResult)
{
    if (!m_running)
        return;
    closeStagesUpTo(ConnectionStage::Checks, workerResult.ok, double(m_clock.nsecsElapsed()) / 1e6);
    Q_EMIT finished(complete(workerResult));
}

void ConnectionAttempt::finishEarly(const Diagnosis &diagnosis, bool cancelled)
{
    if (!m_running)
        return;
    closeStagesUpTo(diagnosis.stage, false, double(m_clock.nsecsElapsed()) / 1e6);
    AttemptResult result;
    result.ok = false;
    result.cancelled = cancelled;
    result.diagnosis = diagnosis;
    result = complete(result);
    // Delivered from the event loop like every other result, never inside the caller's call;
    // a result of an earlier run never reaches a newer one.
    const quint64 generation = m_generation;
    QPointer<ConnectionAttempt> self(this);
    QMetaObject::invokeMethod(
            this,
            [self, result, generation]() {
                if (self && self->m_generation == generation)
                    Q_EMIT self->finished(result);
            },
            Qt::QueuedConnection);
}

AttemptResult ConnectionAttempt::complete(AttemptResult result)
{
    m_running = false;
    m_deadline.stop();
    if (m_shared)
        m_shared->stop = true;
    m_shared.reset();
    result.stages = m_stages;
    result.elapsedMs = double(m_clock.nsecsElapsed()) / 1e6;
    result.target = m_target;
    result.warnings = m_warnings + result.warnings;
    if (!result.ok && !result.cancelled)
        qCDebug(lcConnection) << "attempt failed:" << result.diagnosis.categoryId() << "at"
                              << ConnectionStages::id(result.diagnosis.stage);
    return result;
}

#include "ConnectionAttempt.moc"
