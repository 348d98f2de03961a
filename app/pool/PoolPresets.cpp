#include "PoolPresets.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

PoolSettings PoolPreset::applyTo(PoolSettings settings) const
{
    settings.poolClass = poolClass;
    settings.poolSize = poolSize;
    settings.maxOverflow = maxOverflow;
    return settings;
}

namespace PoolPresets {

QList<PoolPreset> all()
{
    auto tr = [](const char *text) {
        return QCoreApplication::translate("PoolPresets", text);
    };
    return {
            {u"web"_s, tr("Web application (default)"),
             tr("pool_size=5, max_overflow=10: up to 15 connections per worker process"),
             PoolSettings::PoolClass::QueuePool, 5, 10},
            {u"high-traffic"_s, tr("High traffic"),
             tr("pool_size=20, max_overflow=40: up to 60 connections per worker process"),
             PoolSettings::PoolClass::QueuePool, 20, 40},
            {u"serverless"_s, tr("Serverless / Lambda"),
             tr("NullPool: no persistent connections; one per concurrent invocation"),
             PoolSettings::PoolClass::NullPool, 0, 0},
            {u"workers"_s, tr("Background workers (Celery)"),
             tr("pool_size=2, max_overflow=5: a smaller pool per worker process"),
             PoolSettings::PoolClass::QueuePool, 2, 5},
    };
}

std::optional<PoolPreset> matching(const PoolSettings &settings)
{
    for (const PoolPreset &preset : all()) {
        if (preset.poolClass != settings.poolClass)
            continue;
        if (preset.poolClass == PoolSettings::PoolClass::NullPool
            || (preset.poolSize == settings.poolSize && preset.maxOverflow == settings.maxOverflow))
            return preset;
    }
    return std::nullopt;
}

} // namespace PoolPresets
