#pragma once

#include "history/HistoryRecords.h"
#include "history/HistoryStore.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <memory>

class Clock;

/// Records samples and connection tests to history.sqlite from a thread of its own: record()
/// only queues plain values, so the UI thread never waits on the file. The thread writes what
/// was queued at most once a second, in one transaction with a small step of retention.
class HistoryWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWriter)

public:
    /// clock: what "now" is for retention (the wall clock when null). mode: how the file is
    /// opened (HistoryStore::Mode): Append for a command that records a row and ends.
    explicit HistoryWriter(const QString &path, std::shared_ptr<const Clock> clock = {},
                           QObject *parent = nullptr,
                           HistoryStore::Mode mode = HistoryStore::Mode::Record);
    /// Writes what is still queued, then stops the thread: a wait of at most one transaction
    /// (an open still waiting for another program's lock gives up).
    ~HistoryWriter() override;

    /// Queues a row; callable from any thread.
    void record(const HistorySample &sample);
    void record(const HistoryTest &test);

Q_SIGNALS:
    /// The file was set aside, or history cannot be kept; in words for the user.
    void problemReported(const QString &message);

private:
    struct Queue;
    class Worker;

    std::shared_ptr<Queue> m_queue;
    /// Lives in m_thread, which deletes it when it finishes.
    Worker *m_worker = nullptr;
    QThread m_thread;
};
