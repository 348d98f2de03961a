#include "ProfileActions.h"

#include "Logging.h"
#include "PlainText.h"
#include "profiles/ProfileRepository.h"
#include "secrets/KeychainBatch.h"
#include "secrets/SecretStore.h"
#include "security/SecurityAudit.h"

#include <QCoreApplication>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using Status = ProfileActionResult::Status;

ProfileChangeResult refused(const QString &error)
{
    return ProfileChangeResult::failure(ProfileChangeResult::Status::Refused, error);
}

QString nameTaken(const QString &name)
{
    return ProfileActions::tr("a profile named \"%1\" already exists").arg(name);
}

ProfileChangeResult nameTakenFailure(const QString &name)
{
    return ProfileChangeResult::failure(ProfileChangeResult::Status::NameTaken, nameTaken(name));
}

// Renaming to a name another profile has; the store refuses it too, but without saying why.
bool takenByAnother(const ProfileStore &store, const Profile &profile)
{
    const auto holder = store.findByName(profile.name);
    return holder && holder->id != profile.id;
}

// Calls done on context's thread from the event loop, never inside the caller's call, and not
// at all when context died meanwhile.
void deliverLater(QObject *context, const ProfileActions::Done &done,
                  const ProfileActionResult &result)
{
    QTimer::singleShot(0, context, [done, result]() { done(result); });
}

// Reports result once the password that an undone change replaced is back.
SecretStore::Callback afterRestore(const ProfileActions::Done &done, ProfileActionResult result)
{
    return [done, result](const SecretResult &restored) mutable {
        if (!restored.ok())
            result.warnings << ProfileActions::tr(
                                       "the previous password could not be put back into the "
                                       "keychain: %1")
                                       .arg(restored.message);
        done(result);
    };
}

} // namespace

ProfileActions::ProfileActions(ProfileRepository *repository, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_repository(repository)
    , m_secrets(secrets)
{ }

ProfileActions::Done ProfileActions::track(QObject *context, Done done)
{
    ++m_inFlight;
    // The use case runs until its callback has run or was dropped (its last copy destroyed),
    // so a window closing waits for it and a lost callback cannot keep it waiting forever.
    const std::shared_ptr<void> running(nullptr, [self = QPointer<ProfileActions>(this)](void *) {
        if (self && --self->m_inFlight == 0)
            Q_EMIT self->idle();
    });
    return [guard = QPointer<QObject>(context), done = std::move(done),
            running](const ProfileActionResult &result) {
        if (guard)
            done(result);
    };
}

void ProfileActions::removeThenReport(const QStringList &ids, const ProfileActionResult &result,
                                      const Done &done)
{
    // Reported once the clean-up finished, naming each entry it could not delete, so that
    // nothing is left behind unsaid.
    KeychainBatch::remove(
            m_secrets, this, ids, [done, result = result](const QStringList &failed) mutable {
                for (const QString &id : failed)
                    result.warnings
                            << tr("the keychain entry %1 could not be deleted; delete it with: "
                                  "secret-tool clear server %2 user %1")
                                       .arg(SecretStore::keyFor(id), SecretStore::serviceName());
                done(result);
            });
}

void ProfileActions::add(const QList<NewProfile> &profiles, NameClash clash, QObject *context,
                         Done done)
{
    done = track(context, std::move(done));
    QStringList errors;
    QStringList clashes;
    QHash<QString, QString> seen;
    QList<NewProfile> entries;
    for (NewProfile entry : profiles) {
        // Stored composed, as most input methods type it.
        entry.profile.name = entry.profile.name.trimmed().normalized(QString::NormalizationForm_C);
        const QString name = entry.profile.name;
        const QString label = entry.origin.isEmpty() ? u"\"%1\""_s.arg(name) : entry.origin;
        const QString key = Profile::nameKey(name);
        if (name.isEmpty())
            errors << tr("%1: the profile has no name").arg(label);
        else if (const QString problem = Profile::nameProblem(name); !problem.isEmpty())
            // The label quotes the name; made one line, it cannot forge the message.
            errors << tr("%1: %2").arg(PlainText::terminalSafe(label), problem);
        else if (const QString secretProblem
                 = entry.sshSecret ? SshSecrets::problem(*entry.sshSecret) : QString();
                 !secretProblem.isEmpty())
            errors << tr("%1: %2").arg(PlainText::terminalSafe(label), secretProblem);
        else if (seen.contains(key))
            errors << tr("%1 and %2 would both be named \"%3\" (names ignore case)")
                              .arg(seen.value(key), label, name);
        else if (clash == NameClash::Refuse && m_repository->findByName(name))
            clashes << (entry.origin.isEmpty() ? nameTaken(name)
                                               : tr("%1: %2").arg(entry.origin, nameTaken(name)));
        seen.insert(key, label);
        entries << entry;
    }
    if (entries.isEmpty())
        errors << tr("there is no profile to add");
    if (!errors.isEmpty())
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::Invalid, errors + clashes));
    if (!clashes.isEmpty())
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::NameTaken, clashes));

    QList<std::pair<QString, QString>> passwords;
    for (NewProfile &entry : entries) {
        if (entry.password && !entry.password->isEmpty()
            && entry.profile.passwordSource == PasswordSource::Keychain)
            passwords.append({entry.profile.id, *entry.password});
        // The file says an SSH secret is saved only when one is.
        const bool hasSshSecret = entry.profile.route.kind == Route::Kind::Ssh
                && entry.profile.sshSecret != SshSecret::None && entry.sshSecret
                && !entry.sshSecret->isEmpty();
        if (hasSshSecret)
            passwords.append({SecretStore::sshSecretId(entry.profile.id), *entry.sshSecret});
        else
            entry.profile.sshSecret = SshSecret::None;
    }

    // Keychain first; the file only once every password is stored.
    KeychainBatch::writeNew(
            m_secrets, this, passwords,
            [this, entries, clash, passwords, done](const QStringList &written,
                                                    const QString &error) {
                if (!error.isEmpty()) {
                    // The entry that failed: the one after those written.
                    const bool sshSecretFailed = written.size() < passwords.size()
                            && passwords.at(written.size())
                                       .first.endsWith(SecretStore::sshSecretId(QString()));
                    const ProfileActionResult result = ProfileActionResult::failure(
                            Status::KeychainUnavailable,
                            {(sshSecretFailed
                                      ? tr("The SSH passphrase or password could not be stored "
                                           "in the keychain: %1")
                                      : tr("The password could not be stored in the keychain: "
                                           "%1"))
                                     .arg(error),
                             entries.size() == 1 ? tr("The profile was not saved.")
                                                 : tr("The profiles were not saved.")});
                    return removeThenReport(written, result, done);
                }
                QList<Profile> toAdd;
                for (const NewProfile &entry : entries) {
                    Profile profile = entry.profile;
                    if (written.contains(profile.id))
                        profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
                    toAdd << profile;
                }
                struct Saved
                {
                    QList<Profile> profiles;
                    QList<Profile> replaced;
                };
                auto saved = std::make_shared<Saved>();
                m_repository->change(
                        [toAdd, clash, saved](ProfileStore &store) {
                            for (Profile profile : toAdd) {
                                if (const auto existing = store.findByName(profile.name)) {
                                    if (clash == NameClash::Refuse)
                                        return nameTakenFailure(profile.name);
                                    if (clash == NameClash::Rename) {
                                        profile.name = store.freeName(profile.name);
                                    } else if (existing->environment == Environment::Production) {
                                        // Replacing is deleting: a production profile goes only by
                                        // its own confirmed removal.
                                        return refused(
                                                tr("\"%1\" is a production profile and is not "
                                                   "replaced; remove it first (its name "
                                                   "confirmed), or choose another name")
                                                        .arg(existing->name));
                                    } else {
                                        saved->replaced << *existing;
                                        store.remove(existing->id);
                                    }
                                }
                                QString addError;
                                if (!store.add(profile, &addError))
                                    return refused(addError);
                                saved->profiles << profile;
                            }
                            return ProfileChangeResult();
                        },
                        this,
                        [this, entries, written, saved, done](const ProfileChangeResult &change) {
                            if (!change.ok())
                                return removeThenReport(
                                        written, ProfileActionResult::fromChange(change), done);
                            ProfileActionResult result;
                            result.profiles = saved->profiles;
                            QStringList replacedIds;
                            for (const Profile &old : std::as_const(saved->replaced)) {
                                result.warnings << tr("replaced the saved profile \"%1\" (%2)")
                                                           .arg(old.name,
                                                                Environments::id(old.environment));
                                if (old.hasStoredPassword())
                                    replacedIds << old.id;
                                if (old.sshSecret != SshSecret::None)
                                    replacedIds << SecretStore::sshSecretId(old.id);
                            }
                            for (int i = 0; i < entries.size(); ++i)
                                result.warnings << SecurityAudit::savingWarnings(
                                        saved->profiles.at(i), entries.at(i).password);
                            // The replaced profiles' passwords go with them.
                            removeThenReport(replacedIds, result, done);
                        });
            });
}

void ProfileActions::duplicate(const QString &profileId, const QString &name, QObject *context,
                               Done done)
{
    const auto original = m_repository->findById(profileId);
    if (!original)
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::NotFound,
                                                         {tr("the profile no longer exists")}));
    NewProfile copy;
    copy.profile = *original;
    copy.profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.profile.name = name.trimmed().isEmpty() ? tr("%1 copy").arg(original->name) : name;
    copy.profile.passwordChangedAt = QDateTime();
    // The copy gets keychain entries of its own with the same password and SSH secret.
    done = track(context, std::move(done));
    readSecret(original->hasStoredPassword() ? original->id : QString(), tr("password"),
               [this, copy, original, done](const std::optional<QString> &password,
                                            const QString &passwordWarning) {
                   readSecret(original->sshSecret != SshSecret::None
                                      ? SecretStore::sshSecretId(original->id)
                                      : QString(),
                              tr("SSH passphrase or password"),
                              [this, copy, password, passwordWarning,
                               done](const std::optional<QString> &sshSecret,
                                     const QString &sshWarning) {
                                  NewProfile withSecrets = copy;
                                  withSecrets.password = password;
                                  withSecrets.sshSecret = sshSecret;
                                  add({withSecrets}, NameClash::Rename, this,
                                      [done, warnings = QStringList{passwordWarning, sshWarning}](
                                              ProfileActionResult result) {
                                          if (result.ok())
                                              for (const QString &warning : warnings)
                                                  if (!warning.isEmpty())
                                                      result.warnings << warning;
                                          done(result);
                                      });
                              });
               });
}

void ProfileActions::readSecret(const QString &id, const QString &what, const SecretRead &done)
{
    if (id.isEmpty())
        return done(std::nullopt, QString());
    m_secrets->readPassword(id, this, [done, what](const SecretResult &read) {
        if (read.ok())
            return done(read.password, QString());
        done(std::nullopt, tr("The copy has no %1: %2").arg(what, read.message));
    });
}

void ProfileActions::remove(const QString &profileId, const QString &confirmation, QObject *context,
                            Done done)
{
    const auto found = m_repository->findById(profileId);
    if (!found)
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::NotFound,
                                                         {tr("the profile no longer exists")}));
    const Profile &profile = *found;
    if (profile.environment == Environment::Production && confirmation != profile.name)
        return deliverLater(context, done,
                            ProfileActionResult::failure(
                                    Status::ConfirmationNeeded,
                                    {tr("\"%1\" is a production profile: removing it needs its "
                                        "name typed to confirm")
                                             .arg(profile.name)}));
    done = track(context, std::move(done));

    // The file last; should it fail, the password read first goes back into the keychain.
    auto removeFromFile = [this, profile, confirmation,
                           done](const std::optional<QString> &password) {
        // Whether an SSH secret was recorded when the profile went (maybe since it was read).
        auto hadSshSecret = std::make_shared<bool>(profile.sshSecret != SshSecret::None);
        m_repository->change(
                [id = profile.id, confirmation, hadSshSecret](ProfileStore &store) {
                    const auto current = store.findById(id);
                    if (current && current->sshSecret != SshSecret::None)
                        *hadSshSecret = true;
                    // Made production elsewhere meanwhile: the same rule, against the file.
                    if (current && current->environment == Environment::Production
                        && confirmation != current->name)
                        return refused(tr("\"%1\" became a production profile; removing it "
                                          "needs its name typed to confirm")
                                               .arg(current->name));
                    store.remove(id); // already gone elsewhere: just as good
                    return ProfileChangeResult();
                },
                this,
                [this, profile, password, hadSshSecret, done](const ProfileChangeResult &change) {
                    ProfileActionResult result = ProfileActionResult::fromChange(change);
                    if (result.ok())
                        result.profiles = {profile};
                    // The SSH secret goes once its profile has; one it cannot delete is named.
                    if (change.ok() && *hadSshSecret)
                        return removeThenReport({SecretStore::sshSecretId(profile.id)}, result,
                                                done);
                    if (change.ok() || !password)
                        return done(result);
                    // The file refused: the password goes back where it was.
                    m_secrets->writePassword(profile.id, *password, this,
                                             afterRestore(done, result));
                });
    };
    if (!profile.hasStoredPassword() || profile.passwordSource != PasswordSource::Keychain)
        return removeFromFile(std::nullopt);

    auto keychainFailed = [done](const SecretResult &result) {
        done(ProfileActionResult::failure(
                Status::KeychainUnavailable,
                {tr("The password could not be deleted from the keychain: %1").arg(result.message),
                 tr("The profile was kept so that its password can be deleted later.")}));
    };
    m_secrets->readPassword(
            profile.id, this,
            [this, profile, removeFromFile, keychainFailed](const SecretResult &read) {
                if (!read.ok() && read.status != SecretResult::Status::NotFound)
                    return keychainFailed(read);
                const std::optional<QString> password
                        = read.ok() ? std::optional<QString>(read.password) : std::nullopt;
                m_secrets->deletePassword(
                        profile.id, this,
                        [removeFromFile, keychainFailed, password](const SecretResult &deleted) {
                            if (!deleted.ok())
                                return keychainFailed(deleted);
                            removeFromFile(password);
                        });
            });
}

void ProfileActions::takePasswords(const PasswordLookup &lookup, QObject *context, Done done)
{
    QList<std::pair<QString, QString>> passwords;
    for (const Profile &profile : m_repository->profiles()) {
        // A password already saved stays: a file's wildcard line must not overwrite it.
        if (profile.hasStoredPassword())
            continue;
        const auto password = lookup(profile);
        if (password && !password->isEmpty())
            passwords.append({profile.id, *password});
    }
    if (passwords.isEmpty())
        return deliverLater(context, done, ProfileActionResult());
    done = track(context, std::move(done));
    KeychainBatch::writeNew(
            m_secrets, this, passwords,
            [this, done](const QStringList &written, const QString &error) {
                // Each password written belongs to a profile that exists, so what was written
                // stays, and is recorded, even when a later one failed.
                auto saved = std::make_shared<QList<Profile>>();
                auto orphans = std::make_shared<QStringList>();
                m_repository->change(
                        [written, saved, orphans](ProfileStore &store) {
                            const QDateTime now = QDateTime::currentDateTimeUtc();
                            for (const QString &id : written) {
                                auto profile = store.findById(id);
                                if (!profile) {
                                    *orphans << id; // removed meanwhile
                                    continue;
                                }
                                profile->passwordChangedAt = now;
                                profile->passwordSource = PasswordSource::Keychain;
                                store.update(*profile);
                                *saved << *profile;
                            }
                            return ProfileChangeResult();
                        },
                        this,
                        [this, written, error, saved, orphans,
                         done](const ProfileChangeResult &change) {
                            if (!change.ok())
                                return removeThenReport(
                                        written, ProfileActionResult::fromChange(change), done);
                            ProfileActionResult result;
                            result.profiles = *saved;
                            if (!error.isEmpty()) {
                                result.status = Status::KeychainUnavailable;
                                result.errors << tr("The password could not be stored in the "
                                                    "keychain: %1")
                                                         .arg(error);
                            }
                            removeThenReport(*orphans, result, done);
                        });
            });
}

void ProfileActions::saveEdits(const Profile &baseline, const Profile &edited,
                               const std::optional<QString> &password, bool overwrite,
                               QObject *context, Done done)
{
    if (edited.name.trimmed().isEmpty())
        return deliverLater(
                context, done,
                ProfileActionResult::failure(Status::Invalid, {tr("the profile name is empty")}));
    if (const QString problem = Profile::nameProblem(edited.name); !problem.isEmpty())
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::Invalid, {problem}));
    done = track(context, std::move(done));
    const bool keychain = edited.passwordSource == PasswordSource::Keychain;
    const bool writePassword = keychain && password && !password->isEmpty();
    const bool dropPassword = !keychain && baseline.hasStoredPassword();

    auto saveFields = [this, baseline, edited, overwrite, writePassword, dropPassword,
                       done](const Undo &undo) {
        auto saved = std::make_shared<Profile>();
        m_repository->change(
                [baseline, edited, overwrite, writePassword, dropPassword,
                 saved](ProfileStore &store) {
                    const auto current = store.findById(edited.id);
                    if (!current && !overwrite)
                        return ProfileChangeResult::failure(
                                ProfileChangeResult::Status::NotFound,
                                tr("\"%1\" was removed by another program or window")
                                        .arg(baseline.name));
                    if (current && !overwrite
                        && !(current->editorFields() == baseline.editorFields()))
                        return ProfileChangeResult::failure(
                                ProfileChangeResult::Status::Conflict,
                                tr("\"%1\" was changed by another program or window since you "
                                   "started editing it")
                                        .arg(baseline.name));
                    Profile profile = current ? *current : baseline;
                    // Saved again after a removal took its SSH secret with it.
                    if (!current)
                        profile.sshSecret = SshSecret::None;
                    profile.editorFields() = edited.editorFields();
                    profile.name = profile.name.trimmed().normalized(QString::NormalizationForm_C);
                    if (takenByAnother(store, profile))
                        return nameTakenFailure(profile.name);
                    if (writePassword)
                        profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
                    if (dropPassword)
                        profile.passwordChangedAt = QDateTime();
                    QString error;
                    const bool stored
                            = current ? store.update(profile, &error) : store.add(profile, &error);
                    if (!stored)
                        return refused(error);
                    *saved = profile;
                    return ProfileChangeResult();
                },
                this,
                [this, edited, undo, dropPassword, saved, done](const ProfileChangeResult &change) {
                    if (!change.ok()) {
                        const ProfileActionResult result = ProfileActionResult::fromChange(change);
                        if (undo)
                            return undo(result,
                                        change.status == ProfileChangeResult::Status::NotFound,
                                        done);
                        return done(result);
                    }
                    ProfileActionResult result;
                    result.profiles = {*saved};
                    // The password no longer lives in the keychain: do not leave it there.
                    if (dropPassword)
                        return removeThenReport({edited.id}, result, done);
                    done(result);
                });
    };
    if (!writePassword)
        return saveFields({});
    writeSecretThen(edited.id, *password, baseline.hasStoredPassword(), SecretKind::Password, done,
                    saveFields);
}

void ProfileActions::importCatalogue(const Catalogue::Plan &shown, QObject *context, Done done)
{
    if (!shown.problems.isEmpty())
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::Invalid, shown.problems));
    done = track(context, std::move(done));
    auto saved = std::make_shared<QList<Profile>>();
    m_repository->change(
            [shown, saved](ProfileStore &store) {
                const Catalogue::Plan now = Catalogue::plan(shown.catalogue, store.profiles());
                if (!now.problems.isEmpty())
                    return refused(now.problems.join(u'\n'));
                // What was shown is what is written, or nothing.
                if (now.changes != shown.changes)
                    return ProfileChangeResult::failure(
                            ProfileChangeResult::Status::Conflict,
                            tr("the saved profiles changed since the catalogue was compared "
                               "with them; compare it again"));
                for (const Catalogue::Change &change : now.changes) {
                    QString error;
                    if (change.kind == Catalogue::Change::Kind::Added)
                        store.add(change.profile, &error);
                    else if (change.kind == Catalogue::Change::Kind::Changed)
                        store.update(change.profile, &error);
                    else
                        continue;
                    if (!error.isEmpty())
                        return refused(error);
                    *saved << change.profile;
                }
                return ProfileChangeResult();
            },
            this,
            [saved, done](const ProfileChangeResult &change) {
                ProfileActionResult result = ProfileActionResult::fromChange(change);
                if (change.ok())
                    result.profiles = *saved;
                done(result);
            });
}

void ProfileActions::setSshSecret(const QString &profileId, SshSecret kind, const QString &secret,
                                  QObject *context, Done done)
{
    const auto found = m_repository->findById(profileId);
    if (!found)
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::NotFound,
                                                         {tr("the profile no longer exists")}));
    if (kind != SshSecret::None && found->route.kind != Route::Kind::Ssh)
        return deliverLater(
                context, done,
                ProfileActionResult::failure(
                        Status::Invalid,
                        {tr("\"%1\" does not reach its server through SSH").arg(found->name)}));
    if (const QString problem = SshSecrets::problem(secret);
        kind != SshSecret::None && !problem.isEmpty())
        return deliverLater(context, done,
                            ProfileActionResult::failure(Status::Invalid, {problem}));
    done = track(context, std::move(done));
    const QString id = SecretStore::sshSecretId(profileId);
    auto recordKind = [this, profileId, kind, done](const Undo &undo) {
        auto saved = std::make_shared<Profile>();
        m_repository->change(
                [profileId, kind, saved](ProfileStore &store) {
                    auto profile = store.findById(profileId);
                    if (!profile)
                        return ProfileChangeResult::failure(ProfileChangeResult::Status::NotFound,
                                                            tr("the profile no longer exists"));
                    profile->sshSecret = kind;
                    QString error;
                    if (!store.update(*profile, &error))
                        return refused(error);
                    *saved = *profile;
                    return ProfileChangeResult();
                },
                this,
                [this, profileId, kind, undo, saved, done](const ProfileChangeResult &change) {
                    ProfileActionResult result = ProfileActionResult::fromChange(change);
                    if (!change.ok() && undo)
                        return undo(result, change.status == ProfileChangeResult::Status::NotFound,
                                    done);
                    if (change.ok())
                        result.profiles = {*saved};
                    // Recorded as gone first: an entry left behind is named, never one in use.
                    if (change.ok() && kind == SshSecret::None)
                        return removeThenReport({SecretStore::sshSecretId(profileId)}, result,
                                                done);
                    done(result);
                });
    };
    if (kind == SshSecret::None)
        return recordKind({});
    writeSecretThen(id, secret, found->sshSecret != SshSecret::None, SecretKind::Ssh, done,
                    recordKind);
}

void ProfileActions::writeSecretThen(const QString &id, const QString &secret, bool existed,
                                     SecretKind kind, const Done &done,
                                     const std::function<void(const Undo &undo)> &next)
{
    const bool ssh = kind == SecretKind::Ssh;
    // previous: what the entry held, put back if the file then refuses the change.
    auto write = [this, id, secret, ssh, done, next](const std::optional<QString> &previous) {
        m_secrets->writePassword(
                id, secret, this,
                [this, id, ssh, previous, done, next](const SecretResult &written) {
                    if (!written.ok())
                        return done(ProfileActionResult::failure(
                                Status::KeychainUnavailable,
                                {ssh ? tr("The SSH passphrase or password could not be stored "
                                          "in the keychain: %1")
                                                 .arg(written.message)
                                     : tr("The password could not be stored in the keychain: %1")
                                                 .arg(written.message)}));
                    next([this, id, previous](const ProfileActionResult &result, bool ownerGone,
                                              const Done &reported) {
                        // A profile removed meanwhile takes its entry with it, rather than back.
                        if (previous && !ownerGone)
                            return m_secrets->writePassword(id, *previous, this,
                                                            afterRestore(reported, result));
                        removeThenReport({id}, result, reported);
                    });
                },
                previous ? SecretStore::WriteKind::Replace : SecretStore::WriteKind::New);
    };
    if (!existed)
        return write(std::nullopt);
    m_secrets->readPassword(id, this, [write, ssh, done](const SecretResult &read) {
        // Without the old secret there is no undo: do not overwrite it.
        if (!read.ok() && read.status != SecretResult::Status::NotFound)
            return done(ProfileActionResult::failure(
                    Status::KeychainUnavailable,
                    {ssh ? tr("The saved SSH passphrase or password could not be read from the "
                              "keychain: %1")
                                     .arg(read.message)
                         : tr("The saved password could not be read from the keychain: %1")
                                     .arg(read.message),
                     tr("Nothing was saved.")}));
        write(read.ok() ? std::optional<QString>(read.password) : std::nullopt);
    });
}
