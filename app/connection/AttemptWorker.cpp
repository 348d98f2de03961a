#include "AttemptWorker.h"

#include "connection/FailureRefiner.h"
#include "connection/KeywordValueArrays.h"
#include "connection/NetworkProbe.h"
#include "connection/ParameterSources.h"
#include "connection/ServerFactsCache.h"
#include "connection/SlotCounts.h"

#include <QDir>
#include <QHostAddress>

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>

using namespace Qt::Literals::StringLiterals;

void ConnectionCloser::operator()(PGconn *conn) const
{
    PQfinish(conn);
}

namespace {

using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

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

AttemptWorker::AttemptWorker(std::shared_ptr<AttemptShared> shared, ConnectionUrl url,
                             const ConnectionRequest &request, QElapsedTimer clock,
                             int timeoutSeconds)
    : m_shared(std::move(shared))
    , m_url(std::move(url))
    , m_password(request.password)
    , m_passwordOrigin(request.passwordOrigin)
    , m_clock(clock)
    , m_timeoutSeconds(timeoutSeconds)
    , m_keepConnection(request.keepConnection)
    , m_policy(request.policy)
    , m_sessionName(request.sessionName)
    , m_stepContext(StepContext::forTarget(m_url.params(), request.policy.dataDisposable))
{ }

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
    result.diagnosis.context = m_stepContext;
    result.server.sslInUse = m_tlsInUse;
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
            failure->extraSteps.append(tr("No name server answered: check the network connection, "
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
                                      FailureEvidence *evidence, bool track,
                                      QDeadlineTimer deadline)
{
    const KeywordValueArrays arrays(params);
    Connection conn(PQconnectStartParams(arrays.keywords(), arrays.values(), 0));
    if (!conn) {
        evidence->rawMessage = tr("out of memory");
        return conn;
    }
    // Verbose errors carry the SQLSTATE, which connection errors have no other way to give.
    PQsetErrorVerbosity(conn.get(), PQERRORS_VERBOSE);
    evidence->password = params.value(u"password"_s);
    ConnectionStage furthest = ConnectionStage::Connect;
    // What libpq settled on (its defaults, .pgpass) is only readable while conn lives.
    auto failed = [&]() {
        evidence->rawMessage = QString::fromUtf8(PQerrorMessage(conn.get()));
        evidence->stage = furthest;
        evidence->effective.host = QString::fromUtf8(PQhost(conn.get()));
        evidence->effective.port = QString::fromUtf8(PQport(conn.get()));
        evidence->effective.dbname = QString::fromUtf8(PQdb(conn.get()));
        evidence->effective.user = QString::fromUtf8(PQuser(conn.get()));
        evidence->passwordOrigin = passwordOrigin(conn.get());
        if (evidence->passwordOrigin.isEmpty()) {
            const QString file = passwordFile(conn.get());
            if (ParameterSources::passwordFileTooOpen(file))
                evidence->ignoredPasswordFile = file;
        }
        return Connection();
    };
    if (PQstatus(conn.get()) == CONNECTION_BAD)
        return failed();
    PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
    while (true) {
        if (stopped())
            return {};
        if (poll == PGRES_POLLING_READING || poll == PGRES_POLLING_WRITING) {
            if (!PgAsync::waitForSocket(PQsocket(conn.get()), poll == PGRES_POLLING_WRITING,
                                        m_shared->stop, deadline))
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
        if (track) {
            enter(furthest);
            // The latest word: libpq may drop TLS and retry without it (sslmode=prefer).
            if (status != CONNECTION_BAD)
                m_tlsInUse = PQsslInUse(conn.get()) == 1;
        }
        if (poll == PGRES_POLLING_OK)
            return conn;
        if (poll == PGRES_POLLING_FAILED)
            return failed();
    }
}

void AttemptWorker::run()
{
    m_stepContext.fillLibpqDefaults();
    QMap<QString, QString> params = m_url.params();
    if (m_password)
        params.insert(u"password"_s, *m_password);
    if (m_sessionName)
        params.insert(u"application_name"_s, *m_sessionName);
    else if (!params.contains(u"application_name"_s))
        params.insert(u"fallback_application_name"_s, SlotCounts::serverSessionName());
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
        m_stepContext.update(evidence.effective);
        Diagnosis diagnosis = ErrorClassifier::classify(evidence);
        diagnosis.evidence << m_resolveEvidence;
        // Each probe ends well before the attempt's own deadline, which would otherwise turn
        // the diagnosis into a timeout.
        const int probeMs = std::clamp(remainingMs() - 250, 100, 2000);
        FailureRefiner::Probes probes;
        probes.passesHba = [this, probeMs](const QMap<QString, QString> &probeParams) {
            return passesHba(probeParams, QDeadlineTimer(probeMs));
        };
        probes.databases = [this, probeMs](const QMap<QString, QString> &probeParams) {
            return connectableDatabases(probeParams, QDeadlineTimer(probeMs));
        };
        FailureRefiner::refine(diagnosis, evidence, params, probeMs, probes);
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

PgResult AttemptWorker::exec(PGconn *conn, const char *sql, QDeadlineTimer deadline)
{
    PgResult result = PgAsync::exec(conn, sql, m_shared->stop, deadline);
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
        result.ok = false;
        result.diagnosis = ErrorClassifier::classifyQueryFailure(
                QString::fromUtf8(PQerrorMessage(conn)), PQstatus(conn) == CONNECTION_BAD,
                m_password.value_or(m_url.password()));
        return;
    }
    std::sort(roundTrips.begin(), roundTrips.end());
    result.latencyMs = roundTrips.at(roundTrips.size() / 2);
    result.ok = true;
    result.diagnosis = DiagnosisTable::make(DiagnosisCategory::Ok, ConnectionStage::Checks, {});
}

bool AttemptWorker::passesHba(const QMap<QString, QString> &params, QDeadlineTimer deadline)
{
    FailureEvidence evidence;
    const Connection probe = connectWith(params, &evidence, false, deadline);
    return probe || evidence.authenticated
            || (ErrorClassifier::sqlstate(evidence.rawMessage) != u"28000"_s
                && evidence.stage >= ConnectionStage::Auth);
}

std::optional<QStringList> AttemptWorker::connectableDatabases(const QMap<QString, QString> &params,
                                                               QDeadlineTimer deadline)
{
    // Databases every role may normally open; a server may refuse one of them.
    for (const char *maintenance : {"postgres", "template1"}) {
        QMap<QString, QString> probeParams = params;
        probeParams.insert(u"dbname"_s, QString::fromLatin1(maintenance));
        FailureEvidence evidence;
        const Connection probe = connectWith(probeParams, &evidence, false, deadline);
        if (stopped() || deadline.hasExpired())
            return std::nullopt;
        if (!probe)
            continue;
        const PgResult names
                = exec(probe.get(),
                       "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate "
                       "AND has_database_privilege(oid, 'CONNECT') ORDER BY datname",
                       deadline);
        if (!names)
            continue;
        QStringList out;
        for (int row = 0; row < PQntuples(names.get()); ++row)
            out << QString::fromUtf8(PQgetvalue(names.get(), row, 0));
        return out;
    }
    return std::nullopt;
}

QString AttemptWorker::passwordOrigin(PGconn *conn) const
{
    if (m_password) {
        if (m_passwordOrigin == u"session"_s)
            return tr("the password typed for this session");
        if (m_passwordOrigin == u"command"_s)
            return tr("the profile's password command");
        if (m_passwordOrigin == u"keychain"_s)
            return tr("the keychain entry of this profile");
        if (m_passwordOrigin == u"stdin"_s)
            return tr("standard input (--password-stdin)");
        return tr("the password given for this connection");
    }
    if (m_url.hasPassword())
        return tr("the connection string");
    if (qEnvironmentVariableIsSet("PGPASSWORD"))
        return tr("the PGPASSWORD environment variable");
    // libpq looked the password up in the password file when nothing else gave one.
    const char *fromFile = PQpass(conn);
    if (!fromFile || !*fromFile)
        return {};
    return tr("the password file %1").arg(passwordFile(conn));
}

QString AttemptWorker::passwordFile(PGconn *conn)
{
    const std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> options(PQconninfo(conn),
                                                                                  PQconninfoFree);
    for (const PQconninfoOption *option = options.get(); option && option->keyword; ++option) {
        if (qstrcmp(option->keyword, "passfile") == 0 && option->val && *option->val)
            return QString::fromUtf8(option->val);
    }
    // libpq's own default when neither the parameters nor PGPASSFILE name one.
    return QDir::home().filePath(u".pgpass"_s);
}
