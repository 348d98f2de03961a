#include "ConnectionAttempt.h"

#include "Logging.h"
#include "connection/AttemptWorker.h"
#include "connection/ParameterSources.h"
#include "tunnel/TunnelLog.h"
#include "tunnel/TunnelRegistry.h"

#include <QPointer>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace {

// Every stage in order, from those that ran: a stage libpq went straight past (TLS with
// sslmode=disable) or one after the end is skipped, and so is a TLS stage that ended without
// encryption (sslmode=prefer against a server without TLS) when the worker could tell.
QList<StageTiming> timeline(const QList<StageTiming> &ran, const AttemptResult &result,
                            bool tlsKnown)
{
    const ConnectionStage furthest = ran.isEmpty() ? ConnectionStage::Parse : ran.last().stage;
    QList<StageTiming> out;
    for (ConnectionStage stage : ConnectionStages::all()) {
        const auto found = std::find_if(ran.cbegin(), ran.cend(),
                                        [stage](const StageTiming &t) { return t.stage == stage; });
        StageTiming timing;
        timing.stage = stage;
        if (found != ran.cend())
            timing = *found;
        else if (int(stage) > int(furthest))
            timing.skip = StageTiming::Skip::NotReached;
        else
            timing.skip = StageTiming::Skip::NotNeeded;
        if (stage == ConnectionStage::Tls && timing.state != StageState::Failed
            && int(stage) < int(furthest) && tlsKnown && !result.server.sslInUse) {
            timing.state = StageState::Skipped;
            timing.skip = StageTiming::Skip::TlsNotInUse;
        }
        out << timing;
    }
    return out;
}

} // namespace

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
        diagnosis.context = m_stepContext;
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
    m_generation.advance();
    m_clock.start();
    m_running = true;
    m_warnings.clear();
    m_stages.clear();
    m_currentStage = ConnectionStage::Parse;
    m_currentStageStartMs = 0;
    Q_EMIT stageStarted(ConnectionStage::Parse);

    std::optional<ConnectionUrl> url = request.url;
    QString error;
    if (!url)
        url = ConnectionUrl::parseValid(request.text, &error);
    if (!url) {
        m_target = QString();
        m_stepContext = {};
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
    m_stepContext = StepContext::forTarget(url->params(), request.policy.dataDisposable);

    m_tunnel = request.tunnel;
    if (!m_tunnel)
        return startWorker(*url, request);
    onWorkerStage(ConnectionStage::Tunnel, double(m_clock.nsecsElapsed()) / 1e6);
    const quint64 generation = m_generation.value();
    // The callback must not hold the lease: a cancelled attempt lets go of it at once.
    ConnectionRequest rest = request;
    rest.tunnel.reset();
    m_tunnel->whenOpen(
            this, [this, generation, url = *url, request = rest](const TunnelOutcome &outcome) {
                if (generation != m_generation.value() || !m_running)
                    return;
                if (!outcome.ok) {
                    Diagnosis diagnosis = outcome.failure;
                    diagnosis.context.update(m_stepContext);
                    diagnosis.context.dataDisposable = m_stepContext.dataDisposable;
                    return finishEarly(diagnosis, false);
                }
                // libpq dials the tunnel.
                m_tunnelLinesBefore = m_tunnel->lineCount();
                startWorker(m_tunnel->spec().throughTunnel(url, outcome.localPort), request);
            });
}

void ConnectionAttempt::startWorker(const ConnectionUrl &url, ConnectionRequest request)
{
    m_timeoutSeconds = request.timeoutSeconds > 0         ? request.timeoutSeconds
            : url.value(u"connect_timeout"_s).toInt() > 0 ? url.value(u"connect_timeout"_s).toInt()
                                                          : 10;

    m_shared = std::make_shared<AttemptShared>();
    // The lease stays with this object, on this thread.
    request.tunnel.reset();
    auto *worker = new AttemptWorker(m_shared, url, request, m_clock, m_timeoutSeconds);
    // A worker abandoned by cancel() may still report; a newer run never hears it.
    const quint64 generation = m_generation.value();
    connect(worker, &AttemptWorker::stageEntered, this,
            [this, generation](ConnectionStage stage, double atMs) {
                if (generation == m_generation.value())
                    onWorkerStage(stage, atMs);
            });
    connect(worker, &AttemptWorker::done, this, [this, generation](const AttemptResult &result) {
        if (generation == m_generation.value())
            onWorkerFinished(result);
    });
    QThread *thread = QThread::create([worker]() { worker->run(); });
    thread->setObjectName(u"connection-attempt"_s);
    // Neither is owned by the attempt: an abandoned worker (stuck in a name lookup) finishes
    // on its own time and cleans up after itself.
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    // The tunnel had its own deadline; libpq's starts now.
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

void ConnectionAttempt::closeCurrentStage(StageState state, double atMs)
{
    if (!m_currentStage)
        return;
    StageTiming timing;
    timing.stage = *m_currentStage;
    timing.milliseconds = atMs - m_currentStageStartMs;
    timing.state = state;
    if (state == StageState::Skipped)
        timing.skip = StageTiming::Skip::Cancelled;
    m_stages << timing;
    Q_EMIT stageFinished(timing.stage, timing.milliseconds, state);
    m_currentStage.reset();
    m_currentStageStartMs = atMs;
}

void ConnectionAttempt::onWorkerStage(ConnectionStage stage, double atMs)
{
    if (!m_running)
        return;
    closeCurrentStage(StageState::Ok, atMs);
    m_currentStage = stage;
    m_currentStageStartMs = atMs;
    Q_EMIT stageStarted(stage);
}

void ConnectionAttempt::onWorkerFinished(const AttemptResult &workerResult)
{
    if (!m_running)
        return;
    closeCurrentStage(workerResult.ok ? StageState::Ok : StageState::Failed,
                      double(m_clock.nsecsElapsed()) / 1e6);
    AttemptResult result = workerResult;
    explainThroughTunnel(result);
    // The worker knows whether its connection got as far as encryption.
    Q_EMIT finished(complete(result, true));
}

void ConnectionAttempt::finishEarly(const Diagnosis &diagnosis, bool cancelled)
{
    if (!m_running)
        return;
    closeCurrentStage(cancelled ? StageState::Skipped : StageState::Failed,
                      double(m_clock.nsecsElapsed()) / 1e6);
    AttemptResult result;
    result.ok = false;
    result.cancelled = cancelled;
    result.diagnosis = diagnosis;
    result = complete(result, false);
    // Delivered from the event loop like every other result, never inside the caller's call;
    // a result of an earlier run never reaches a newer one.
    const quint64 generation = m_generation.value();
    QPointer<ConnectionAttempt> self(this);
    QMetaObject::invokeMethod(
            this,
            [self, result, generation]() {
                if (self && self->m_generation.value() == generation)
                    Q_EMIT self->finished(result);
            },
            Qt::QueuedConnection);
}

void ConnectionAttempt::explainThroughTunnel(AttemptResult &result) const
{
    if (!m_tunnel)
        return;
    // libpq saw the tunnel's end: the steps are for the server as the route reaches it.
    for (auto [field, original] : {std::pair{&result.diagnosis.context.host, m_stepContext.host},
                                   {&result.diagnosis.context.port, m_stepContext.port}}) {
        if (!original.isEmpty())
            *field = original;
    }
    if (result.ok || result.diagnosis.stage < ConnectionStage::Connect)
        return;
    const auto category = result.diagnosis.category;
    if (category != DiagnosisCategory::ServerClosed && category != DiagnosisCategory::Timeout
        && category != DiagnosisCategory::ConnectionRefused
        && category != DiagnosisCategory::Unknown)
        return;
    const TunnelSpec &spec = m_tunnel->spec();
    std::optional<Diagnosis> better = m_tunnel->failure();
    if (!better)
        better = TunnelLog::forwardFailure(spec, m_tunnel->linesSince(m_tunnelLinesBefore));
    if (!better && category == DiagnosisCategory::ConnectionRefused) {
        // The tunnel's own port refused: it stopped listening (its process is ending), which
        // is the tunnel's failure, not the server's.
        const QString ending = tr("the tunnel's port 127.0.0.1:%1 refused the connection")
                                       .arg(m_tunnel->localPort());
        better = TunnelLog::explain(spec, m_tunnel->linesSince(0), ending);
    }
    if (!better)
        return;
    better->stage = result.diagnosis.stage;
    better->context = result.diagnosis.context;
    better->evidence << tr("libpq said: %1").arg(result.diagnosis.message);
    result.diagnosis = *better;
}

AttemptResult ConnectionAttempt::complete(AttemptResult result, bool tlsKnown)
{
    m_running = false;
    m_deadline.stop();
    if (m_shared)
        m_shared->stop = true;
    m_shared.reset();
    result.stages = timeline(m_stages, result, tlsKnown);
    result.elapsedMs = double(m_clock.nsecsElapsed()) / 1e6;
    result.target = m_target;
    result.warnings = m_warnings + result.warnings;
    if (m_tunnel) {
        const TunnelSpec &spec = m_tunnel->spec();
        // libpq saw the tunnel's end; the parameters show the profile's, and say so.
        for (ParameterSource &source : result.parameters) {
            if (source.keyword == u"port"_s && !m_stepContext.port.isEmpty()) {
                source.value = m_stepContext.port;
                source.detail = tr("reached through the tunnel at 127.0.0.1:%1")
                                        .arg(m_tunnel->localPort());
            }
        }
        result.parameters.removeIf(
                [](const ParameterSource &source) { return source.keyword == u"hostaddr"_s; });
        result.tunnel
                = TunnelUse{spec.route.kindId(), spec.route.redacted(), int(m_tunnel->localPort())};
        // Kept by the request's owner, not by a finished attempt.
        m_tunnel.reset();
    }
    if (!result.ok && !result.cancelled)
        qCDebug(lcConnection) << "attempt failed:" << result.diagnosis.categoryId() << "at"
                              << ConnectionStages::id(result.diagnosis.stage);
    return result;
}
