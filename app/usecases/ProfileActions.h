#pragma once

#include "interop/Catalogue.h"
#include "usecases/ProfileActionResult.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class ProfileRepository;
class SecretStore;

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
    /// Imports a team catalogue as shown (Catalogue::plan against the profiles the user saw):
    /// adds and changes the profiles it lists, keeping this machine's own state, and never
    /// touches the keychain. Under the file's lock the plan is made again against the profiles
    /// on disk; Conflict when it came out otherwise (a profile changed elsewhere meanwhile),
    /// Invalid when a name is taken. result.profiles: those added or changed.
    void importCatalogue(const Catalogue::Plan &shown, QObject *context, Done done);
    /// Saves what the Connection page edits (Profile::editorFields) from edited onto the
    /// profile, and the typed password, if any, into the keychain. Conflict when those fields
    /// changed on disk since baseline was read, unless overwrite (the user chose Keep mine);
    /// with overwrite, a profile removed meanwhile is saved again.
    void saveEdits(const Profile &baseline, const Profile &edited,
                   const std::optional<QString> &password, bool overwrite, QObject *context,
                   Done done);

    /// Saves the SSH passphrase or password of a profile's SSH route into the keychain (the entry
    /// SecretStore::sshSecretId) and records its kind in the file; kind None deletes the entry.
    /// Keychain first, the file second, the first undone when the second fails.
    void setSshSecret(const QString &profileId, SshSecret kind, const QString &secret,
                      QObject *context, Done done);

    /// True while a use case is between its first step and its report: the keychain and the
    /// file may not agree yet, so the process should not end now.
    bool isBusy() const { return m_inFlight > 0; }

Q_SIGNALS:
    /// The last running use case has reported.
    void idle();

private:
    /// Puts a keychain entry back as it was before a change the file then refused, and reports
    /// result; ownerGone: the profile was removed meanwhile, so the entry goes instead.
    using Undo = std::function<void(const ProfileActionResult &result, bool ownerGone,
                                    const Done &done)>;
    enum class SecretKind { Password, Ssh };
    /// Writes secret into the keychain entry id (existed: read first, for the undo), then runs
    /// next, which changes the file and undoes the write if that fails. A keychain failure is
    /// reported to done, and nothing else happens.
    void writeSecretThen(const QString &id, const QString &secret, bool existed, SecretKind kind,
                         const Done &done, const std::function<void(const Undo &undo)> &next);
    using SecretRead
            = std::function<void(const std::optional<QString> &secret, const QString &warning)>;
    /// Reads the keychain entry id (none when empty) for a copy; a failure is a warning that
    /// names what (the password, the SSH secret) the copy goes without.
    void readSecret(const QString &id, const QString &what, const SecretRead &done);
    /// done, called on context's thread unless context died, with the use case counted as
    /// running until then.
    Done track(QObject *context, Done done);
    /// Deletes keychain entries (written for a change the file refused, or whose profile went),
    /// then reports result with a line for each entry left behind.
    void removeThenReport(const QStringList &ids, const ProfileActionResult &result,
                          const Done &done);

    ProfileRepository *m_repository;
    SecretStore *m_secrets;
    int m_inFlight = 0;
};
