#include "PoolCalculator.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace PoolCalculator {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(PoolCalculator)
};

QString normalisedHost(const QString &host)
{
    QString lowered = host.trimmed().toLower();
    if (lowered.isEmpty() || lowered == u"localhost"_s || lowered == u"127.0.0.1"_s
        || lowered == u"::1"_s)
        return u"loopback"_s;
    return lowered;
}

QString serverKey(const Profile &profile)
{
    QStringList hosts;
    const QStringList list = profile.params.value(u"host"_s, u"localhost"_s).split(u',');
    const QStringList ports = profile.params.value(u"port"_s, u"5432"_s).split(u',');
    for (qsizetype i = 0; i < list.size(); ++i)
        hosts << normalisedHost(list.at(i)) + u':'
                        + (ports.size() == list.size() ? ports.at(i) : ports.value(0, u"5432"_s));
    hosts.sort();
    return hosts.join(u',');
}

} // namespace

int recommendedPoolSize(int cores, int effectiveSpindles)
{
    return qMax(1, cores) * 2 + qMax(0, effectiveSpindles);
}

QList<Tier> tiers()
{
    return {{Text::tr("Small"), Text::tr("1-2 workers"), 5, 10},
            {Text::tr("Medium"), Text::tr("4-8 workers"), 10, 20},
            {Text::tr("Large"), Text::tr("16+ workers"), 20, 40}};
}

Tier tierFor(int workers)
{
    const QList<Tier> all = tiers();
    if (workers <= 2)
        return all.at(0);
    if (workers <= 8)
        return all.at(1);
    return all.at(2);
}

QString Budget::verdict() const
{
    if (serverCapacity < 0)
        return Text::tr(
                "The server's capacity is not known yet: connect once (Server page) to compare.");
    if (exceeds())
        return Text::tr("The pools can open %1 connections, %2 more than the server's %3 slots for "
                        "ordinary roles: under load the server will refuse connections (\"too many "
                        "clients\"). Reduce pool_size + max_overflow or workers, add PgBouncer, or "
                        "raise "
                        "max_connections.")
                .arg(total)
                .arg(total - serverCapacity)
                .arg(serverCapacity);
    return Text::
            tr("The pools can open %1 connections; the server has %2 slots for ordinary roles, %3 "
               "to spare.")
                    .arg(total)
                    .arg(serverCapacity)
                    .arg(serverCapacity - total);
}

bool sameServer(const Profile &a, const Profile &b)
{
    return serverKey(a) == serverKey(b);
}

Budget budget(const QList<Profile> &profiles, const Profile &target, int serverCapacity)
{
    Budget result;
    result.serverCapacity = serverCapacity;
    for (const Profile &profile : profiles) {
        if (!sameServer(profile, target))
            continue;
        result.entries << BudgetEntry{profile.name, profile.environment, profile.pool.capacity()};
        result.total += profile.pool.capacity();
    }
    return result;
}

} // namespace PoolCalculator
