#include "KeychainBatch.h"

#include "Logging.h"
#include "secrets/SecretStore.h"

namespace KeychainBatch {
namespace {

void writeFrom(SecretStore *secrets, QObject *context, QList<std::pair<QString, QString>> pending,
               QStringList written, const Written &done)
{
    if (pending.isEmpty())
        return done(written, {});
    const auto [id, password] = pending.takeFirst();
    secrets->writePassword(
            id, password, context,
            [secrets, context, pending, written, done,
             id = id](const SecretResult &result) mutable {
                if (!result.ok())
                    return done(written, result.message);
                written << id;
                writeFrom(secrets, context, pending, written, done);
            },
            SecretStore::WriteKind::New);
}

void removeFrom(SecretStore *secrets, QObject *context, QStringList ids, QStringList failed,
                const Deleted &done)
{
    if (ids.isEmpty())
        return done(failed);
    const QString id = ids.takeFirst();
    secrets->deletePassword(
            id, context,
            [secrets, context, id, ids, failed, done](const SecretResult &result) mutable {
                if (!result.ok()) {
                    qCWarning(lcSecrets) << "could not delete the keychain entry of" << id << ":"
                                         << int(result.status);
                    failed << id;
                }
                removeFrom(secrets, context, ids, failed, done);
            });
}

} // namespace

void writeNew(SecretStore *secrets, QObject *context, QList<std::pair<QString, QString>> pending,
              const Written &done)
{
    writeFrom(secrets, context, std::move(pending), {}, done);
}

void remove(SecretStore *secrets, QObject *context, QStringList ids, const Deleted &done)
{
    removeFrom(secrets, context, std::move(ids), {}, done);
}

} // namespace KeychainBatch
