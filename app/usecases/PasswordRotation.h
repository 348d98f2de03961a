#pragma once

#include "usecases/ProfileActionResult.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class ConnectionAttempt;
class PgConnection;
class ProfileRepository;
class SecretStore;
struct AttemptResult;

/// A new password for a profile whose password lives in the keychain, in one step across the
/// three places that must agree: the role on the server, the keychain entry, and the date the
/// profile remembers. The server only ever receives the SCRAM-SHA-256 verifier, computed here,
/// so neither its logs nor pg_stat_statements see the password. When a step fails, the role
/// gets its old password back and nothing else changes; should even that fail, the outcome
/// carries the new password, to be shown once so that it is not lost. The profile is never
/// left with a password the server refuses.
class PasswordRotation final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordRotation)

public:
    static constexpr int MinimumLength = 24;
    static constexpr int MaximumLength = 128;
    static constexpr int DefaultLength = 32;
    /// How long a rotation whose COMMIT lost its answer waits for the server to let one of
    /// the two passwords log in (a restart takes seconds), and how often it asks.
    static constexpr int CommitCheckMs = 30000;
    static constexpr int CommitCheckIntervalMs = 1000;

    enum class Step { Connected, ServerChanged, Proven, KeychainWritten };
    Q_ENUM(Step)

    struct Outcome
    {
        ProfileActionResult result;
        /// Only when the server holds the new password and neither it could be saved nor the
        /// old one put back: the one copy left, for the user to keep.
        std::optional<QString> passwordToKeep;
    };
    using Done = std::function<void(const Outcome &outcome)>;

    /// length characters from letters, digits and "-", "_", ".", starting with a letter: no
    /// escaping in a URL, a shell word, an .env value or YAML. From the system's CSPRNG.
    static QString generate(int length);
    /// Why this profile's password is not rotated here (it comes from a command, libpq or the
    /// session, so its secret manager owns it), or nothing.
    static std::optional<QString> unsupportedReason(const Profile &profile);
    /// The other saved profiles with a keychain password that log in as the same role on the
    /// same server (the same cluster fingerprint, or without one the same host and port): the
    /// old password stops working for them too.
    static QList<Profile> sharingRole(const QList<Profile> &profiles, const Profile &profile);

    PasswordRotation(ProfileRepository *repository, SecretStore *secrets,
                     QObject *parent = nullptr);
    ~PasswordRotation() override;

    /// Rotates the password of the profile with this id. A production profile needs
    /// confirmation to be its name, exactly. alsoUpdate: ids of profiles (from sharingRole())
    /// whose keychain entries take the new password too. done is called once, later, from the
    /// event loop. One rotation at a time per object.
    void start(const QString &profileId, const QString &confirmation, int length,
               const QStringList &alsoUpdate, Done done);

Q_SIGNALS:
    /// Each step as it passes, before the next begins (the window shows progress).
    void stepPassed(PasswordRotation::Step step);

private:
    void connectWith(const QString &password, bool keep,
                     const std::function<void(const AttemptResult &)> &next);
    void changeOnServer();
    /// The connection broke while COMMIT was on its way: logs in with the new password, then
    /// the old, until one works or the deadline passes. Only then is the outcome known.
    void learnWhichPasswordHolds(QDeadlineTimer deadline);
    void prove();
    /// False when the profile was removed or re-pointed elsewhere meanwhile; drops the sharing
    /// profiles that no longer share the role.
    bool targetsUnchanged();
    void saveToKeychain(qsizetype index);
    /// The keychain entries already given the new password go back to the old one, which the
    /// server is about to hold again; then the server is restored and failure reported, naming
    /// each entry that could not be put back.
    void revertKeychain(ProfileActionResult failure, QStringList pending, QStringList leftBehind);
    void recordDate();
    /// Puts the old password back on the server, then reports failure (with what happened to
    /// the restore).
    void restoreThenReport(const ProfileActionResult &failure);
    void putOldPasswordBack(ProfileActionResult failure);
    static QString newPasswordAdvice();
    void finish(Outcome outcome);

    ProfileRepository *m_repository;
    SecretStore *m_secrets;
    Profile m_profile;
    QString m_oldPassword;
    QString m_newPassword;
    /// The profile first, then those sharing its role that take the new password too.
    QStringList m_targets;
    QStringList m_written;
    std::shared_ptr<PgConnection> m_connection;
    ConnectionAttempt *m_attempt = nullptr;
    Done m_done;
};
