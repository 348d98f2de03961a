#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

/// Work off the calling thread, with the answer delivered back on a context object's thread.
namespace AsyncTask {

/// Runs task on pool, then callback(result) on context's thread. The watcher is a child of
/// context, so a context destroyed meanwhile takes the callback with it: no stale result ever
/// reaches a closed dialog or a finished command. Never waits, never nests an event loop.
template<typename Task, typename Callback>
void runThenCallback(QThreadPool *pool, Task task, QObject *context, Callback callback)
{
    using Result = std::invoke_result_t<Task>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, context,
                     [watcher, callback = std::move(callback)]() {
                         watcher->deleteLater();
                         callback(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(pool, std::move(task)));
}

} // namespace AsyncTask
