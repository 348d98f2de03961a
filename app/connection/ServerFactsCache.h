#pragma once

#include "connection/AttemptResult.h"

#include <optional>

/// What this process last learnt about each server (by host and port), so that a refused
/// connection can still be explained with the server's limits. In memory only.
namespace ServerFactsCache {

void store(const QString &host, const QString &port, const ServerFacts &facts);
std::optional<ServerFacts> find(const QString &host, const QString &port);

} // namespace ServerFactsCache
