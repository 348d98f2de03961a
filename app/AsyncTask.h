#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

/// Work off the calling thread, with the answer delivered back on a context object's thread.
namespace AsyncTask {

/// Counts the requests of one object so that only answers to the newest are delivered:
/// advance() when a request supersedes the ones in flight (a new target, a stop).
class Generation final
{
public:
    void advance() { ++m_value; }
    quint64 value() const { return m_value; }

private:
    quint64 m_value = 0;
};

/// Runs task on pool, then callback(result) on context's thread. The watcher is a child of
/// context, so a context destroyed meanwhile takes the callback with it: no stale result ever
/// reaches a closed dialog or a finished command. Never waits, never nests an event loop.
template<typename Task, typename Callback>
void runThenCallback(QThreadPool *pool, Task task, QObject *context, Callback callback)
{
    using Result = std::invoke_result_t<Task>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, context,
                     [watcher, callback = std::move(callback)]() mutable {
                         watcher->deleteLater();
                         callback(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(pool, std::move(task)));
}

/// As above, and the callback is also dropped when generation advanced after the call: the
/// answer belongs to a request that a newer one superseded. generation is a member of context
/// (or outlives it), so it is alive whenever the callback can run.
template<typename Task, typename Callback>
void runThenCallback(QThreadPool *pool, Task task, QObject *context, const Generation &generation,
                     Callback callback)
{
    using Result = std::invoke_result_t<Task>;
    runThenCallback(pool, std::move(task), context,
                    [&generation, started = generation.value(),
                     callback = std::move(callback)](const Result &result) mutable {
                        if (generation.value() == started)
                            callback(result);
                    });
}

} // namespace AsyncTask
