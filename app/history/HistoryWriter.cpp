#include "HistoryWriter.h"

#include "Logging.h"
#include "history/HistoryStore.h"
#include "pool/Clock.h"

#include <QMutex>
#include <QMutexLocker>
#include <QTimer>

struct HistoryWriter::Queue
{
    QMutex mutex;
    QList<HistorySample> samples;
    QList<HistoryTest> tests;
};

/// Lives in the writer's thread and owns the store there.
class HistoryWriter::Worker final : public QObject
{
public:
    Worker(HistoryWriter *writer, const QString &path, std::shared_ptr<const Clock> clock,
           std::shared_ptr<Queue> queue, HistoryStore::Mode mode)
        : m_writer(writer)
        , m_mode(mode)
        , m_clock(std::move(clock))
        , m_queue(std::move(queue))
        , m_store(path, m_clock.get())
        , m_timer(this)
    {
        m_timer.setInterval(1000);
        connect(&m_timer, &QTimer::timeout, this, &Worker::flush);
    }
    // Runs in the writer's thread as it finishes: the rows queued last are not lost, unless
    // another program holds the file past the busy timeout even now.
    ~Worker() override
    {
        flush();
        const QMutexLocker lock(&m_queue->mutex);
        if (!m_queue->samples.isEmpty() || !m_queue->tests.isEmpty())
            qCWarning(lcHistory) << "history file busy at exit:" << m_queue->samples.size()
                                 << "samples and" << m_queue->tests.size() << "tests not written";
    }
    Q_DISABLE_COPY_MOVE(Worker)

    /// Callable from any thread.
    void stopWaiting() { m_store.stopWaiting(); }

    void start()
    {
        m_store.open(m_mode);
        report();
        m_timer.start();
    }

    void flush()
    {
        QList<HistorySample> samples;
        QList<HistoryTest> tests;
        {
            const QMutexLocker lock(&m_queue->mutex);
            samples.swap(m_queue->samples);
            tests.swap(m_queue->tests);
        }
        if (m_store.isOpen() && !m_store.write(samples, tests) && m_store.busy())
            putBack(std::move(samples), std::move(tests));
        report();
    }

private:
    // Rows another program kept from the file wait for the next flush, ahead of newer ones;
    // past an hour of 10 profiles' samples the oldest go, so a file held for good cannot fill
    // the memory.
    void putBack(QList<HistorySample> samples, QList<HistoryTest> tests)
    {
        constexpr qsizetype MaxWaiting = qsizetype(3600) * 10;
        const QMutexLocker lock(&m_queue->mutex);
        samples.append(m_queue->samples);
        tests.append(m_queue->tests);
        if (samples.size() > MaxWaiting)
            samples.remove(0, samples.size() - MaxWaiting);
        if (tests.size() > MaxWaiting)
            tests.remove(0, tests.size() - MaxWaiting);
        m_queue->samples = std::move(samples);
        m_queue->tests = std::move(tests);
    }

    void report()
    {
        for (const QString &problem : m_store.takeProblems())
            Q_EMIT m_writer->problemReported(problem);
    }

    HistoryWriter *m_writer;
    HistoryStore::Mode m_mode;
    std::shared_ptr<const Clock> m_clock;
    std::shared_ptr<Queue> m_queue;
    HistoryStore m_store;
    QTimer m_timer;
};

HistoryWriter::HistoryWriter(const QString &path, std::shared_ptr<const Clock> clock,
                             QObject *parent, HistoryStore::Mode mode)
    : QObject(parent)
    , m_queue(std::make_shared<Queue>())
{
    if (!clock)
        clock = std::make_shared<SystemClock>();
    m_thread.setObjectName(QStringLiteral("history"));
    m_worker = new Worker(this, path, std::move(clock), m_queue, mode);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, &Worker::start);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

HistoryWriter::~HistoryWriter()
{
    // An open that waits out another program's lock gives up: the window closes now. The
    // worker lives until the thread has finished.
    m_worker->stopWaiting();
    m_thread.quit();
    m_thread.wait();
}

void HistoryWriter::record(const HistorySample &sample)
{
    const QMutexLocker lock(&m_queue->mutex);
    m_queue->samples.append(sample);
}

void HistoryWriter::record(const HistoryTest &test)
{
    const QMutexLocker lock(&m_queue->mutex);
    m_queue->tests.append(test);
}
