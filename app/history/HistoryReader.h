#pragma once

#include "history/HistoryRecords.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>

class HistoryStore;
class SampleHistory;

/// Reads history.sqlite for the window, off the UI thread: each call queries on the reader's
/// own thread (a QSqlDatabase belongs to the thread that opened it) and hands the rows to
/// callback on context's thread. A context destroyed meanwhile takes its callback with it.
///
/// The reader does not create, check or repair the file: the HistoryWriter that records into
/// it does. A file that cannot be read (or is not there yet) gives empty answers.
class HistoryReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryReader)

public:
    explicit HistoryReader(const QString &path, QObject *parent = nullptr);
    /// Waits for the reads already asked for.
    ~HistoryReader() override;

    /// HistoryStore::samples, minutes and tests, answered later.
    void samples(const QString &profileId, qint64 fromMsecs, qint64 toMsecs, QObject *context,
                 std::function<void(const QList<HistorySample> &)> callback);
    /// The samples indexed for the Pool page (SampleHistory::ofStored) on the reader's thread.
    /// Handed over by pointer: the receiver moves the points out, where a copy of a day's would
    /// cost the UI thread what the indexing saved.
    void sampleHistory(const QString &profileId, qint64 fromMsecs, qint64 toMsecs, QObject *context,
                       std::function<void(const std::shared_ptr<SampleHistory> &)> callback);
    void minutes(const QString &profileId, qint64 fromMsecs, qint64 toMsecs, QObject *context,
                 std::function<void(const QList<HistoryMinute> &)> callback);
    void tests(const QString &profileId, int limit, QObject *context,
               std::function<void(const QList<HistoryTest> &)> callback);

private:
    struct Connection;
    template<typename Rows>
    void read(std::function<Rows(const HistoryStore &)> query, QObject *context,
              std::function<void(const Rows &)> callback);

    std::shared_ptr<Connection> m_connection;
    /// One thread: reads are answered in the order they were asked.
    QThreadPool m_thread;
};
