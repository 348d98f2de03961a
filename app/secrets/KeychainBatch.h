#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>

class QObject;
class SecretStore;

/// Several keychain entries written or deleted one after another (the keychain serves one
/// request at a time), reported as one outcome. The callbacks run on context's thread.
namespace KeychainBatch {

using Written = std::function<void(const QStringList &writtenIds, const QString &error)>;
using Deleted = std::function<void(const QStringList &failedIds)>;

/// Writes each (id, password) in turn, as entries that did not exist (SecretStore::WriteKind::
/// New); stops at the first failure and reports those written so far with its message.
void writeNew(SecretStore *secrets, QObject *context, QList<std::pair<QString, QString>> pending,
              const Written &done);
/// Deletes each entry in turn, then reports those it could not delete. A caller undoing a
/// change waits for this before it reports, so a command never exits with an undo in flight.
void remove(SecretStore *secrets, QObject *context, QStringList ids, const Deleted &done);

} // namespace KeychainBatch
