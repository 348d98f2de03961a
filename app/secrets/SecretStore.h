#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

/// What a keychain operation came to.
struct SecretResult
{
    enum class Status {
        Ok,
        NotFound,
        /// No keychain service at all (no D-Bus session, no Secret Service, no KWallet).
        NoBackend,
        /// The keychain refused: the user said no, or it is locked.
        AccessDenied,
        /// The keychain did not answer within the deadline.
        TimedOut,
        Failed,
    };

    Status status = Status::Ok;
    /// The password for a successful read; empty otherwise.
    QString password;
    /// For failures: what happened and what to do, in words for the user. Never a secret.
    QString message;

    bool ok() const { return status == Status::Ok; }
    /// True when the keychain itself cannot be used (exit code 4 on the command line).
    bool keychainUnavailable() const
    {
        return status == Status::NoBackend || status == Status::AccessDenied
                || status == Status::TimedOut || status == Status::Failed;
    }
};

/// Profile passwords in the operating system's keychain, through QtKeychain: macOS Keychain,
/// Windows Credential Manager, Secret Service or KWallet. There is no plaintext fallback.
///
/// Every operation is asynchronous and ends in exactly one callback, on the context object's
/// thread, within the deadline; a callback whose context was destroyed is dropped. Passwords a
/// user typed "for this session only" are kept in memory here and never written anywhere.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    using Callback = std::function<void(const SecretResult &)>;

    static QString serviceName() { return QStringLiteral("orderflow-dbadmin"); }
    /// The keychain key of a profile's password: orderflow-dbadmin/<profile id>.
    static QString keyFor(const QString &profileId);
    /// The id under which the SSH passphrase or password of a profile's route is kept
    /// (Profile::sshSecret); read, written and deleted like a password.
    static QString sshSecretId(const QString &profileId) { return profileId + u"/ssh"; }

    explicit SecretStore(QObject *parent = nullptr);

    /// How long one keychain operation may take before it is reported as TimedOut.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const { return m_timeoutMs; }

    void readPassword(const QString &profileId, QObject *context, Callback callback);
    /// What a write is to the keychain, for the case that it answers only after its deadline.
    enum class WriteKind {
        /// It may replace a password the caller still relies on: a late write is left alone.
        Replace,
        /// No entry existed: a write that lands after the deadline said TimedOut is deleted
        /// again, so that no entry outlives a caller that was told nothing was stored.
        New,
    };
    void writePassword(const QString &profileId, const QString &password, QObject *context,
                       Callback callback, WriteKind kind = WriteKind::Replace);
    /// Deleting a password that does not exist succeeds. A locked keychain is reported as
    /// AccessDenied by reads and deletes alike, never as "not found" or as a success.
    void deletePassword(const QString &profileId, QObject *context, Callback callback);

    void setSessionPassword(const QString &profileId, const QString &password);
    QString sessionPassword(const QString &profileId) const;
    bool hasSessionPassword(const QString &profileId) const;
    void forgetSessionPassword(const QString &profileId);

private:
    enum class Operation { Read, Write, Delete };
    void start(Operation operation, const QString &profileId, const QString &password,
               QObject *context, Callback callback, WriteKind kind = WriteKind::Replace);
    /// One QtKeychain job; \a done runs when it finished, whatever the deadline said meanwhile.
    void runJob(Operation operation, const QString &service, const QString &key,
                const QString &password, const Callback &done);
    /// Ok when the keychain accepts a write; AccessDenied (locked) or another failure if not.
    void checkUnlocked(Operation operation, const Callback &done);

    int m_timeoutMs = 10000;
    QHash<QString, QString> m_sessionPasswords;
};
