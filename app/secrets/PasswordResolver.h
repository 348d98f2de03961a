#pragma once

#include "connection/Diagnosis.h"
#include "profiles/Profile.h"

#include <QObject>

#include <functional>
#include <optional>

class SecretStore;

/// The password for one connection attempt, and where it came from.
struct PasswordOutcome
{
    bool ok = true;
    /// Unset: leave it to libpq (PGPASSWORD, .pgpass) or connect without one.
    std::optional<QString> password;
    /// keychain, session, command or libpq.
    QString origin;
    /// When !ok: why no attempt should be made (keychain_unavailable, a failed command).
    Diagnosis failure;
};

/// Finds a profile's password for an attempt: a password typed for this session first, then
/// the profile's source (the keychain entry, a command printing a short-lived token, or
/// libpq's own). The keychain is asked only when the profile says a password was saved there, so
/// PGPASSWORD and .pgpass work without any keychain. Asynchronous; the command runs without a
/// shell, with a deadline, and its output is never stored or logged.
class PasswordResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordResolver)

public:
    using Callback = std::function<void(const PasswordOutcome &)>;

    explicit PasswordResolver(SecretStore *secrets, QObject *parent = nullptr);

    /// Asks for one connection's password, delivered to context.
    using Supplier = std::function<void(QObject *context, Callback callback)>;

    void setCommandTimeout(int milliseconds) { m_commandTimeoutMs = milliseconds; }
    void resolve(const Profile &profile, QObject *context, Callback callback);
    /// For sessions that reconnect by themselves (monitor, the Pool and Server pages): when the
    /// profile's password comes from a command (an IAM token valid for 15 minutes), one that
    /// runs it again before each new connection; empty otherwise (the password found once
    /// stays good).
    static Supplier supplierFor(const Profile &profile, SecretStore *secrets);

private:
    void runCommand(const Profile &profile, QObject *context, Callback callback);

    SecretStore *m_secrets;
    int m_commandTimeoutMs = 15000;
};
