#pragma once

#include "profiles/Profile.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class ProfileRepository;
class SecretStore;

/// A profile about to be added, with the password that goes into the keychain for it.
struct NewProfile
{
    Profile profile;
    std::optional<QString> password;
    /// Where it came from, for messages: "DATABASE_URL (line 3)", "[staging] (line 7)".
    QString origin;
};

/// How a profile use case came out.
struct ProfileActionResult
{
    enum class Status {
        Ok,
        /// The request does not apply: an empty name, two entries of the same name, nothing
        /// to do.
        Invalid,
        /// A name is already taken by a saved profile (and the clash policy was Refuse).
        NameTaken,
        /// Removing a production profile needs its name typed.
        ConfirmationNeeded,
        /// The keychain could not be used; nothing was changed.
        KeychainUnavailable,
        /// The profile changed elsewhere since it was read; nothing was written.
        Conflict,
        /// The profile is gone (removed elsewhere).
        NotFound,
        /// profiles.json could not be written; nothing was changed.
        FileError,
    };

    Status status = Status::Ok;
    /// For failures: one line per problem, in words for the user.
    QStringList errors;
    /// Said also on success: Security audit findings for staging and production, a password
    /// that could not be copied.
    QStringList warnings;
    /// The profiles as saved (added, renamed or changed).
    QList<Profile> profiles;

    bool ok() const { return status == Status::Ok; }
    QString errorText() const { return errors.join(u'\n'); }
};

/// What to do when a new profile's name is already taken (ignoring case).
enum class NameClash { Refuse, Rename, Replace };

/// The profile use cases, once, for the window and the command line alike: add with a password,
/// import, duplicate, remove, take passwords from .pgpass, and save the editor's changes (a
/// rename among them). The policy is one: the keychain first, the file second, and the first undone
/// when the second fails; success is reported only after both, and no use case leaves a keychain
/// entry that no profile owns.
class ProfileActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileActions)

public:
    using Done = std::function<void(const ProfileActionResult &result)>;
    /// The password a file (.pgpass) holds for a profile, if any.
    using PasswordLookup = std::function<std::optional<QString>(const Profile &profile)>;

    ProfileActions(ProfileRepository *repository, SecretStore *secrets, QObject *parent = nullptr);

    /// Adds profiles, all or none. Names must be non-empty and distinct among themselves;
    /// a name already saved is handled as clash says.
    void add(const QList<NewProfile> &profiles, NameClash clash, QObject *context, Done done);
    /// A copy under a new name (unique: "Staging copy 2"), with its own keychain entry holding
    /// the same password.
    void duplicate(const QString &profileId, const QString &name, QObject *context, Done done);
    /// Deletes the profile and its keychain entry. A production profile needs confirmation to
    /// be its name, exactly.
    void remove(const QString &profileId, const QString &confirmation, QObject *context, Done done);
    /// Every saved profile that lookup finds a password for takes it into the keychain.
    void takePasswords(const PasswordLookup &lookup, QObject *context, Done done);
    /// Saves what the Connection page edits (Profile::editorFields) from edited onto the
    /// profile, and the typed password, if any, into the keychain. Conflict when those fields
    /// changed on disk since baseline was read, unless overwrite (the user chose Keep mine);
    /// with overwrite, a profile removed meanwhile is saved again.
    void saveEdits(const Profile &baseline, const Profile &edited,
                   const std::optional<QString> &password, bool overwrite, QObject *context,
                   Done done);

    /// True while a use case is between its first step and its report: the keychain and the
    /// file may not agree yet, so the process should not end now.
    bool isBusy() const { return m_inFlight > 0; }

    /// One line per Security audit finding that fails or warns for a staging or production
    /// profile (TLS not verified, a well-known default password, a weak password).
    static QStringList auditWarnings(const Profile &profile,
                                     const std::optional<QString> &password);
    /// base, or "base 2", "base 3"... whichever no profile in taken has (ignoring case).
    static QString uniqueName(const QString &base, const QList<Profile> &taken);

Q_SIGNALS:
    /// The last running use case has reported.
    void idle();

private:
    /// done, called on context's thread unless context died, with the use case counted as
    /// running until then.
    Done track(QObject *context, Done done);
    using Written = std::function<void(const QStringList &writtenIds, const QString &error)>;
    /// Writes each (id, password) in turn; on the first failure deletes those written and
    /// reports the failure's message.
    void writePasswords(QList<std::pair<QString, QString>> pending, QStringList written,
                        const Written &done);
    /// Deletes each entry in turn (undoing a change, or dropping a replaced profile's), then
    /// calls done with those it could not delete. Completes before a use case reports, so a
    /// command never exits with an undo still in flight.
    void deletePasswords(QStringList ids, QStringList failed,
                         const std::function<void(const QStringList &failed)> &done);

    ProfileRepository *m_repository;
    SecretStore *m_secrets;
    int m_inFlight = 0;
};
