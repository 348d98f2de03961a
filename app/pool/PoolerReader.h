#pragma once

#include "AsyncTask.h"
#include "pool/PgBouncerRoute.h"
#include "pool/PoolerReport.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

struct Profile;

/// Reads the pooler settings of a profile's PgBouncer admin console once (SHOW CONFIG, SHOW
/// DATABASES), through the console's own tunnel when the route is SSH, on a worker thread. A
/// newer read supersedes one in flight; its answer is dropped.
class PoolerReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PoolerReader)

public:
    using Callback = std::function<void(const PoolerSettings &)>;

    explicit PoolerReader(QObject *parent = nullptr);
    ~PoolerReader() override;

    /// Reads the console the profile names (with the profile's password, as the console takes
    /// it), then calls back on this object's thread. Nothing happens for a profile without one.
    void read(const Profile &profile, const std::optional<QString> &password, int timeoutSeconds,
              const Callback &callback);
    /// Drops the read in flight, if any.
    void cancel();

private:
    PgBouncerRoute m_route;
    std::shared_ptr<std::atomic<bool>> m_stop;
    AsyncTask::Generation m_generation;
};
