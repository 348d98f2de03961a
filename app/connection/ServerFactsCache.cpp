#include "ServerFactsCache.h"

#include <QHash>
#include <QMutex>

namespace ServerFactsCache {

namespace {

QMutex &mutex()
{
    static QMutex instance;
    return instance;
}

QHash<QString, ServerFacts> &facts()
{
    static QHash<QString, ServerFacts> instance;
    return instance;
}

QString key(const QString &host, const QString &port)
{
    return host + QLatin1Char('\n') + port;
}

} // namespace

void store(const QString &host, const QString &port, const ServerFacts &serverFacts)
{
    const QMutexLocker lock(&mutex());
    facts().insert(key(host, port), serverFacts);
}

std::optional<ServerFacts> find(const QString &host, const QString &port)
{
    const QMutexLocker lock(&mutex());
    const auto it = facts().constFind(key(host, port));
    if (it == facts().cend())
        return std::nullopt;
    return *it;
}

} // namespace ServerFactsCache
