#include "PoolSettings.h"

#include <algorithm>
#include <limits>

using namespace Qt::Literals::StringLiterals;

int PoolSettings::capacity() const
{
    // Wide arithmetic and a ceiling, for settings made in code outside the ranges.
    const qint64 perWorker = poolClass == PoolClass::NullPool
            ? qint64(expectedConcurrency)
            : qint64(poolSize) + qint64(maxOverflow);
    return int(std::clamp<qint64>(qint64(workers) * perWorker, 0, std::numeric_limits<int>::max()));
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
    // A number outside its range (a hand-edited file) falls back to the default.
    auto inRange = [&](const QString &key, int fallback, Range range) {
        const int value = object.value(key).toInt(fallback);
        return value < range.minimum || value > range.maximum ? fallback : value;
    };
    settings.poolSize = inRange(u"pool_size"_s, defaults.poolSize, poolSizeRange);
    settings.maxOverflow = inRange(u"max_overflow"_s, defaults.maxOverflow, maxOverflowRange);
    settings.poolTimeoutSeconds
            = inRange(u"pool_timeout"_s, defaults.poolTimeoutSeconds, poolTimeoutRange);
    settings.poolRecycleSeconds
            = inRange(u"pool_recycle"_s, defaults.poolRecycleSeconds, poolRecycleRange);
    settings.prePing = object.value(u"pool_pre_ping"_s).toBool(defaults.prePing);
    settings.echo = object.value(u"echo"_s).toBool(defaults.echo);
    settings.poolClass = object.value(u"poolclass"_s).toString() == u"NullPool"_s
            ? PoolClass::NullPool
            : PoolClass::QueuePool;
    settings.workers = inRange(u"workers"_s, defaults.workers, workersRange);
    settings.expectedConcurrency
            = inRange(u"expected_concurrency"_s, defaults.expectedConcurrency, concurrencyRange);
    settings.applicationName = object.value(u"application_name"_s).toString();
    return settings;
}
