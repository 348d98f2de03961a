#include "SecretStore.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SecretStore", text);
}

// QtKeychain reports most Linux failures as OtherError with the D-Bus text; the text is the
// only evidence of which one it was.
SecretResult classify(QKeychain::Error error, const QString &detail)
{
    SecretResult result;
    const QString lowered = detail.toLower();
    const bool noBus = lowered.contains(u"d-bus"_s) || lowered.contains(u"dbus"_s);
    const bool noService = lowered.contains(u"org.freedesktop.secrets"_s)
            || lowered.contains(u"kwallet"_s) || lowered.contains(u"not provided by any"_s);
    switch (error) {
    case QKeychain::NoError:
        result.status = SecretResult::Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.status = SecretResult::Status::NotFound;
        result.message = tr("No password is saved in the keychain for this profile. If one was "
                            "saved, the keychain may be locked: unlock it and try again.");
        return result;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        result.status = SecretResult::Status::AccessDenied;
        result.message = tr("The keychain refused access (it may be locked, or access was "
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
                ? tr("No keychain service is running (no Secret Service such as GNOME Keyring "
                     "or KWallet answered on the session bus). Start or install one, or type "
                     "the password for this session only.")
                : tr("No keychain is available: there is no desktop session bus to reach the "
                     "Secret Service (GNOME Keyring or KWallet). Run inside a desktop session, "
                     "or type the password for this session only.");
    } else if (result.status == SecretResult::Status::Failed) {
        result.message = tr("The keychain reported an error: %1").arg(detail);
    }
    if (!detail.isEmpty())
        result.message += u" ("_s + detail + u')';
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
                                Callback callback)
{
    start(Operation::Write, profileId, password, context, std::move(callback));
}

void SecretStore::deletePassword(const QString &profileId, QObject *context, Callback callback)
{
    start(Operation::Delete, profileId, {}, context, std::move(callback));
}

void SecretStore::start(Operation operation, const QString &profileId, const QString &password,
                        QObject *context, Callback callback)
{
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(serviceName());
        break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(serviceName());
        write->setTextData(password);
        job = write;
        break;
    }
    case Operation::Delete:
        job = new QKeychain::DeletePasswordJob(serviceName());
        break;
    }
    job->setKey(keyFor(profileId));
    job->setInsecureFallback(false);
    job->setAutoDelete(true);

    // One shared flag decides who reports: the job or the deadline, whichever comes first.
    // A job that answers after its deadline is ignored, and deletes itself as usual.
    auto delivered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    auto deliver = [delivered, guard, callback](const SecretResult &result) {
        if (*delivered)
            return;
        *delivered = true;
        if (guard)
            callback(result);
    };

    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    const QPointer<QTimer> timerGuard(timer);
    connect(timer, &QTimer::timeout, this, [deliver, timer, operation, this]() {
        qCWarning(lcSecrets) << "keychain operation" << int(operation) << "timed out after"
                             << m_timeoutMs << "ms";
        SecretResult result;
        result.status = SecretResult::Status::TimedOut;
        result.message = tr("The keychain did not answer within %1 seconds. It may be waiting "
                            "for you to unlock it; try again, or type the password for this "
                            "session only.")
                                 .arg(m_timeoutMs / 1000.0);
        deliver(result);
        timer->deleteLater();
    });
    connect(job, &QKeychain::Job::finished, this,
            [deliver, timerGuard, operation](QKeychain::Job *j) {
                if (timerGuard) {
                    timerGuard->stop();
                    timerGuard->deleteLater();
                }
                SecretResult result
                        = classify(j->error(),
                                   j->error() == QKeychain::NoError ? QString() : j->errorString());
                if (operation == Operation::Read && result.ok())
                    result.password = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
                if (operation == Operation::Delete
                    && result.status == SecretResult::Status::NotFound)
                    result = SecretResult();
                qCDebug(lcSecrets) << "keychain operation" << int(operation)
                                   << "finished with status" << int(result.status);
                deliver(result);
            });
    timer->start(m_timeoutMs);
    job->start();
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
