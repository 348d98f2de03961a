#pragma once

#include <QJsonObject>
#include <QString>

/// SQLAlchemy-style pool settings of one deployment of the application, as the database
/// configuration document describes them (defaults: pool_size 5, max_overflow 10).
struct PoolSettings
{
    enum class PoolClass { QueuePool, NullPool };

    int poolSize = 5;
    int maxOverflow = 10;
    int poolTimeoutSeconds = 30;
    int poolRecycleSeconds = 3600;
    bool prePing = true;
    bool echo = false;
    PoolClass poolClass = PoolClass::QueuePool;
    /// Worker processes that each hold their own pool.
    int workers = 1;
    /// NullPool opens one connection per concurrent request; this is the expected concurrency.
    int expectedConcurrency = 1;
    /// The application_name that marks the application's sessions on the server.
    QString applicationName;

    /// The most connections this deployment can hold open at once.
    int capacity() const;

    QJsonObject toJson() const;
    static PoolSettings fromJson(const QJsonObject &object);

    friend bool operator==(const PoolSettings &, const PoolSettings &) = default;
};
