#pragma once

#include "profiles/PoolSettings.h"

#include <QList>
#include <QString>

/// The pool configurations the database configuration document gives: the web default
/// (5/10), high traffic (20/40), serverless (NullPool) and background workers (2/5).
struct PoolPreset
{
    QString id;
    QString name;
    QString note;
    PoolSettings::PoolClass poolClass = PoolSettings::PoolClass::QueuePool;
    int poolSize = 5;
    int maxOverflow = 10;

    /// The settings with this preset's pool class and sizes; the rest is kept.
    PoolSettings applyTo(PoolSettings settings) const;
};

namespace PoolPresets {

QList<PoolPreset> all();
/// The preset the settings match, if any.
std::optional<PoolPreset> matching(const PoolSettings &settings);

} // namespace PoolPresets
