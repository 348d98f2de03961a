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

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(PoolPresets)
};

} // namespace

QList<PoolPreset> all()
{
    return {
            {u"web"_s, Text::tr("Web application (default)"),
             Text::tr("pool_size=5, max_overflow=10: up to 15 connections per worker process"),
             PoolSettings::PoolClass::QueuePool, 5, 10},
            {u"high-traffic"_s, Text::tr("High traffic"),
             Text::tr("pool_size=20, max_overflow=40: up to 60 connections per worker process"),
             PoolSettings::PoolClass::QueuePool, 20, 40},
            {u"serverless"_s, Text::tr("Serverless / Lambda"),
             Text::tr("NullPool: no persistent connections; one per concurrent invocation"),
             PoolSettings::PoolClass::NullPool, 0, 0},
            {u"workers"_s, Text::tr("Background workers (Celery)"),
             Text::tr("pool_size=2, max_overflow=5: a smaller pool per worker process"),
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
