#pragma once

#include <QList>
#include <QString>

/// The steps of a connection attempt, in the order they happen.
enum class ConnectionStage { Parse, Resolve, Connect, Tls, Auth, Database, Checks };

namespace ConnectionStages {

QList<ConnectionStage> all();
/// Fixed identifier for JSON: parse, resolve, connect, tls, auth, database, checks.
QString id(ConnectionStage stage);
QString displayName(ConnectionStage stage);

} // namespace ConnectionStages
