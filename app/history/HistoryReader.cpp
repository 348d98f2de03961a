#include "HistoryReader.h"

#include "AsyncTask.h"
#include "history/HistoryStore.h"
#include "pool/Clock.h"
#include "pool/SampleHistory.h"

/// What every read needs, shared with the reader's thread.
struct HistoryReader::Connection
{
    QString path;
    SystemClock clock;
};

HistoryReader::HistoryReader(const QString &path, QObject *parent)
    : QObject(parent)
    , m_connection(std::make_shared<Connection>())
{
    m_connection->path = path;
    m_thread.setMaxThreadCount(1);
    m_thread.setObjectName(QStringLiteral("history-reader"));
}

HistoryReader::~HistoryReader()
{
    m_thread.waitForDone();
}

template<typename Rows>
void HistoryReader::read(std::function<Rows(const HistoryStore &)> query, QObject *context,
                         std::function<void(const Rows &)> callback)
{
    AsyncTask::runThenCallback(
            &m_thread,
            [connection = m_connection, query = std::move(query)]() {
                // Opened for each read (about a millisecond): the file the writer uses now,
                // even one it set aside and started again since the last read.
                HistoryStore store(connection->path, &connection->clock);
                store.open(HistoryStore::Mode::Read);
                return query(store);
            },
            context, std::move(callback));
}

void HistoryReader::samples(const QString &profileId, qint64 fromMsecs, qint64 toMsecs,
                            QObject *context,
                            std::function<void(const QList<HistorySample> &)> callback)
{
    read<QList<HistorySample>>(
            [profileId, fromMsecs, toMsecs](const HistoryStore &store) {
                return store.samples(profileId, fromMsecs, toMsecs);
            },
            context, std::move(callback));
}

void HistoryReader::sampleHistory(
        const QString &profileId, qint64 fromMsecs, qint64 toMsecs, QObject *context,
        std::function<void(const std::shared_ptr<SampleHistory> &)> callback)
{
    read<std::shared_ptr<SampleHistory>>(
            [profileId, fromMsecs, toMsecs](const HistoryStore &store) {
                return std::make_shared<SampleHistory>(
                        SampleHistory::ofStored(store.samples(profileId, fromMsecs, toMsecs)));
            },
            context, std::move(callback));
}

void HistoryReader::minutes(const QString &profileId, qint64 fromMsecs, qint64 toMsecs,
                            QObject *context,
                            std::function<void(const QList<HistoryMinute> &)> callback)
{
    read<QList<HistoryMinute>>(
            [profileId, fromMsecs, toMsecs](const HistoryStore &store) {
                return store.minutes(profileId, fromMsecs, toMsecs);
            },
            context, std::move(callback));
}

void HistoryReader::tests(const QString &profileId, int limit, QObject *context,
                          std::function<void(const QList<HistoryTest> &)> callback)
{
    read<QList<HistoryTest>>(
            [profileId, limit](const HistoryStore &store) { return store.tests(profileId, limit); },
            context, std::move(callback));
}
