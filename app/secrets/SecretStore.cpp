#include "SecretStore.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

// QtKeychain reports most Linux failures as OtherError with the D-Bus text; the text is the
// only evidence of which one it was.
SecretResult classify(QKeychain::Error error, const QString &detail)
{
    SecretResult result;
    const QString lowered = detail.toLower();
    // libdbus says "Could not connect: ..." when nothing listens at the session bus's address.
    const bool noBus = lowered.contains(u"d-bus"_s) || lowered.contains(u"dbus"_s)
            || lowered.startsWith(u"could not connect"_s);
    const bool noService = lowered.contains(u"org.freedesktop.secrets"_s)
            || lowered.contains(u"kwallet"_s) || lowered.contains(u"not provided by any"_s);
    switch (error) {
    case QKeychain::NoError:
        result.status = SecretResult::Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.status = SecretResult::Status::NotFound;
        // Reads confirm that the keychain is unlocked before they report this (SecretStore::start).
        result.message = SecretStore::tr("No password is saved in the keychain for this profile.");
        return result;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        result.status = SecretResult::Status::AccessDenied;
        result.message
                = SecretStore::tr("The keychain refused access (it may be locked, or access was "
                                  "denied). Unlock it and try again, or type the password for this "
                                  "session only.");
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.status = SecretResult::Status::NoBackend;
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.status = (noBus || noService) ? SecretResult::Status::NoBackend
                                             : SecretResult::Status::Failed;
        break;
    }
    if (result.status == SecretResult::Status::NoBackend) {
        result.message = noService && !noBus
                ? SecretStore::tr(
                        "No keychain service is running (no Secret Service such as GNOME Keyring "
                        "or KWallet answered on the session bus). Start or install one, or type "
                        "the password for this session only.")
                : SecretStore::tr(
                        "No keychain is available: there is no desktop session bus to reach the "
                        "Secret Service (GNOME Keyring or KWallet). Run inside a desktop session, "
                        "or type the password for this session only.");
    } else if (result.status == SecretResult::Status::Failed) {
        result.message = SecretStore::tr("The keychain reported an error: %1").arg(detail);
    }
    if (!detail.isEmpty() && !result.message.contains(detail))
        result.message += u" ("_s + detail + u')';
    return result;
}

// The lock check writes and deletes this entry. A service of its own keeps it out of every
// search for profile passwords; one fixed key means that a check cut short leaves at most one
// entry behind, which the next check replaces and deletes.
QString lockCheckService()
{
    return SecretStore::serviceName() + u"-lock-check"_s;
}

QString lockCheckKey()
{
    return u"lock-check"_s;
}

SecretResult lockedResult(bool reading)
{
    SecretResult result;
    result.status = SecretResult::Status::AccessDenied;
    result.message = reading
            ? SecretStore::tr(
                    "The keychain is locked, so the saved password cannot be read. Unlock the "
                    "keychain (for example the \"Login\" keyring in your desktop's password "
                    "manager) and try again, or type the password for this session only.")
            : SecretStore::tr(
                    "The keychain is locked, so the saved password cannot be deleted. Unlock the "
                    "keychain (for example the \"Login\" keyring in your desktop's password "
                    "manager) and try again.");
    return result;
}

} // namespace

QString SecretStore::keyFor(const QString &profileId)
{
    return serviceName() + u'/' + profileId;
}

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{ }

void SecretStore::readPassword(const QString &profileId, QObject *context, Callback callback)
{
    start(Operation::Read, profileId, {}, context, std::move(callback));
}

void SecretStore::writePassword(const QString &profileId, const QString &password, QObject *context,
                                Callback callback, WriteKind kind)
{
    start(Operation::Write, profileId, password, context, std::move(callback), kind);
}

void SecretStore::deletePassword(const QString &profileId, QObject *context, Callback callback)
{
    start(Operation::Delete, profileId, {}, context, std::move(callback));
}

void SecretStore::start(Operation operation, const QString &profileId, const QString &password,
                        QObject *context, Callback callback, WriteKind kind)
{
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    const QPointer<QTimer> timerGuard(timer);

    // One shared flag decides who reports: the keychain or the deadline, whichever comes first.
    // Once the deadline has reported, no further step starts; a job already running finishes
    // and deletes itself as usual, unheard.
    auto delivered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    auto deliver = [delivered, guard, callback = std::move(callback), timerGuard,
                    operation](const SecretResult &result) {
        if (*delivered)
            return;
        *delivered = true;
        if (timerGuard) {
            timerGuard->stop();
            timerGuard->deleteLater();
        }
        qCDebug(lcSecrets) << "keychain operation" << int(operation) << "finished with status"
                           << int(result.status);
        if (guard)
            callback(result);
    };
    connect(timer, &QTimer::timeout, this, [deliver, operation, this]() {
        qCWarning(lcSecrets) << "keychain operation" << int(operation) << "timed out after"
                             << m_timeoutMs << "ms";
        SecretResult result;
        result.status = SecretResult::Status::TimedOut;
        result.message = tr("The keychain did not answer within %1 seconds. It may be waiting "
                            "for you to unlock it; try again, or type the password for this "
                            "session only.")
                                 .arg(m_timeoutMs / 1000.0);
        deliver(result);
    });
    timer->start(m_timeoutMs);

    // A locked Secret Service collection (GNOME Keyring through libsecret, as QtKeychain uses
    // it) looks empty: a read answers "not found" and a delete succeeds without deleting
    // anything. Only a write says "locked", so a write decides whenever the answer could be
    // a locked keychain.
    const QString key = keyFor(profileId);
    switch (operation) {
    case Operation::Write:
        runJob(Operation::Write, serviceName(), key, password,
               [this, deliver, delivered, key, kind](const SecretResult &written) {
                   if (*delivered && written.ok() && kind == WriteKind::New) {
                       // The deadline already said "not stored" (an unlock prompt answered
                       // late, say): the caller moved on, so this entry would be an orphan.
                       qCWarning(lcSecrets) << "a keychain write landed after its deadline; "
                                               "taking it back";
                       runJob(Operation::Delete, serviceName(), key, {},
                              [key](const SecretResult &r) {
                                  qCWarning(lcSecrets) << "late write taken back:" << int(r.status);
                              });
                       return;
                   }
                   deliver(written);
               });
        break;
    case Operation::Read:
        runJob(Operation::Read, serviceName(), key, {},
               [this, deliver, delivered, key](const SecretResult &read) {
                   if (*delivered || read.status != SecretResult::Status::NotFound)
                       return deliver(read);
                   checkUnlocked(Operation::Read,
                                 [this, deliver, delivered, key](const SecretResult &unlocked) {
                                     if (*delivered || !unlocked.ok())
                                         return deliver(unlocked);
                                     // On a desktop the check's write may be what unlocked it
                                     // (the user was asked): this read's answer is final.
                                     runJob(Operation::Read, serviceName(), key, {}, deliver);
                                 });
               });
        break;
    case Operation::Delete:
        // A delete's success cannot be told from a locked no-op afterwards: check first.
        checkUnlocked(Operation::Delete,
                      [this, deliver, delivered, key](const SecretResult &unlocked) {
                          if (*delivered || !unlocked.ok())
                              return deliver(unlocked);
                          runJob(Operation::Delete, serviceName(), key, {},
                                 [deliver](SecretResult deleted) {
                                     if (deleted.status == SecretResult::Status::NotFound)
                                         deleted = SecretResult();
                                     deliver(deleted);
                                 });
                      });
        break;
    }
}

void SecretStore::runJob(Operation operation, const QString &service, const QString &key,
                         const QString &password, const Callback &done)
{
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setTextData(password);
        job = write;
        break;
    }
    case Operation::Delete:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [done, operation](QKeychain::Job *j) {
        SecretResult result = classify(
                j->error(), j->error() == QKeychain::NoError ? QString() : j->errorString());
        if (operation == Operation::Read && result.ok())
            result.password = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        done(result);
    });
    job->start();
}

void SecretStore::checkUnlocked(Operation operation, const Callback &done)
{
    runJob(Operation::Write, lockCheckService(), lockCheckKey(), lockCheckKey(),
           [this, operation, done](const SecretResult &written) {
               if (written.status == SecretResult::Status::AccessDenied) {
                   qCDebug(lcSecrets) << "keychain lock check refused:" << written.message;
                   return done(lockedResult(operation == Operation::Read));
               }
               if (!written.ok())
                   return done(written);
               // The answer waits for the removal, so that a command line that exits right
               // after it leaves nothing behind.
               runJob(Operation::Delete, lockCheckService(), lockCheckKey(), {},
                      [done](const SecretResult &removed) {
                          if (!removed.ok())
                              qCWarning(lcSecrets)
                                      << "the keychain lock check could not delete its entry:"
                                      << removed.message;
                          done(SecretResult());
                      });
           });
}

void SecretStore::setSessionPassword(const QString &profileId, const QString &password)
{
    m_sessionPasswords.insert(profileId, password);
}

QString SecretStore::sessionPassword(const QString &profileId) const
{
    return m_sessionPasswords.value(profileId);
}

bool SecretStore::hasSessionPassword(const QString &profileId) const
{
    return m_sessionPasswords.contains(profileId);
}

void SecretStore::forgetSessionPassword(const QString &profileId)
{
    m_sessionPasswords.remove(profileId);
}
