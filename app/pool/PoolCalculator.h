#pragma once

#include "profiles/Profile.h"

#include <QList>
#include <QString>

/// The configuration document's sizing rules, and the budget of every profile that shares a
/// server against what the server can hold.
namespace PoolCalculator {

/// pool_size = (num_cores * 2) + effective_spindle_count
int recommendedPoolSize(int cores, int effectiveSpindles);

struct Tier
{
    QString name;
    QString workers;
    int poolSize = 0;
    int maxOverflow = 0;
};
/// Small (1-2 workers) 5/10, medium (4-8) 10/20, large (16+) 20/40.
QList<Tier> tiers();
/// The tier for a number of worker processes (3 counts as medium, 9-15 as large).
Tier tierFor(int workers);

struct BudgetEntry
{
    QString profileName;
    Environment environment = Environment::Other;
    int capacity = 0;
};

struct Budget
{
    QList<BudgetEntry> entries;
    int total = 0;
    /// max_connections minus the reserved slots; -1 when unknown.
    int serverCapacity = -1;

    bool exceeds() const { return serverCapacity >= 0 && total > serverCapacity; }
    int headroom() const { return serverCapacity - total; }
    /// In words: fits with N to spare, or can exceed by N.
    QString verdict() const;
};

/// True when two profiles reach the same server (same hosts and ports; localhost and the
/// loopback addresses count as one).
bool sameServer(const Profile &a, const Profile &b);
/// Every profile that points at target's server, with its configured pool capacity.
Budget budget(const QList<Profile> &profiles, const Profile &target, int serverCapacity);

} // namespace PoolCalculator
