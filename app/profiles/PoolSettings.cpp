#include "PoolSettings.h"

using namespace Qt::Literals::StringLiterals;

int PoolSettings::capacity() const
{
    if (poolClass == PoolClass::NullPool)
        return workers * expectedConcurrency;
    return workers * (poolSize + maxOverflow);
}

QJsonObject PoolSettings::toJson() const
{
    QJsonObject object{
            {u"pool_size"_s, poolSize},
            {u"max_overflow"_s, maxOverflow},
            {u"pool_timeout"_s, poolTimeoutSeconds},
            {u"pool_recycle"_s, poolRecycleSeconds},
            {u"pool_pre_ping"_s, prePing},
            {u"echo"_s, echo},
            {u"poolclass"_s, poolClass == PoolClass::NullPool ? u"NullPool"_s : u"QueuePool"_s},
            {u"workers"_s, workers},
            {u"expected_concurrency"_s, expectedConcurrency},
    };
    if (!applicationName.isEmpty())
        object.insert(u"application_name"_s, applicationName);
    return object;
}

PoolSettings PoolSettings::fromJson(const QJsonObject &object)
{
    const PoolSettings defaults;
    PoolSettings settings;
    auto positive = [&](const QString &key, int fallback, int minimum) {
        const int value = object.value(key).toInt(fallback);
        return value < minimum ? fallback : value;
    };
    settings.poolSize = positive(u"pool_size"_s, defaults.poolSize, 0);
    settings.maxOverflow = positive(u"max_overflow"_s, defaults.maxOverflow, 0);
    settings.poolTimeoutSeconds = positive(u"pool_timeout"_s, defaults.poolTimeoutSeconds, 0);
    settings.poolRecycleSeconds = positive(u"pool_recycle"_s, defaults.poolRecycleSeconds, -1);
    settings.prePing = object.value(u"pool_pre_ping"_s).toBool(defaults.prePing);
    settings.echo = object.value(u"echo"_s).toBool(defaults.echo);
    settings.poolClass = object.value(u"poolclass"_s).toString() == u"NullPool"_s
            ? PoolClass::NullPool
            : PoolClass::QueuePool;
    settings.workers = positive(u"workers"_s, defaults.workers, 1);
    settings.expectedConcurrency
            = positive(u"expected_concurrency"_s, defaults.expectedConcurrency, 1);
    settings.applicationName = object.value(u"application_name"_s).toString();
    return settings;
}
