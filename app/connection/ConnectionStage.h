#pragma once

#include <QList>
#include <QString>

/// The steps of a connection attempt, in the order they happen.
/// Tunnel: the SSH connection or tunnel command a profile's route opens (skipped when direct).
enum class ConnectionStage { Parse, Tunnel, Resolve, Connect, Tls, Auth, Database, Checks };

namespace ConnectionStages {

QList<ConnectionStage> all();
/// Fixed identifier for JSON: parse, tunnel, resolve, connect, tls, auth, database, checks.
QString id(ConnectionStage stage);
QString displayName(ConnectionStage stage);

} // namespace ConnectionStages
