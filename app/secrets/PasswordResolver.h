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

    void setCommandTimeout(int milliseconds) { m_commandTimeoutMs = milliseconds; }
    void resolve(const Profile &profile, QObject *context, Callback callback);

private:
    void runCommand(const Profile &profile, QObject *context, Callback callback);

    SecretStore *m_secrets;
    int m_commandTimeoutMs = 15000;
};
