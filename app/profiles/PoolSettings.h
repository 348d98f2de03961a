#pragma once

#include <QJsonObject>
#include <QString>

/// SQLAlchemy-style pool settings of one deployment of the application, as the database
/// configuration document describes them (defaults: pool_size 5, max_overflow 10).
struct PoolSettings
{
    enum class PoolClass { QueuePool, NullPool };

    /// The accepted range of each number: the profile file and the Pool page both keep to it,
    /// so capacity() never overflows.
    struct Range
    {
        int minimum;
        int maximum;
    };
    static constexpr Range poolSizeRange{0, 1000};
    static constexpr Range maxOverflowRange{0, 1000};
    static constexpr Range poolTimeoutRange{0, 3600};
    static constexpr Range poolRecycleRange{-1, 86400};
    static constexpr Range workersRange{1, 1000};
    static constexpr Range concurrencyRange{1, 100000};

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
