#pragma once

#include "profiles/ProfileStore.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QFileSystemWatcher;
class QThreadPool;
class QTimer;

/// How one change to the saved profiles came out.
struct ProfileChangeResult
{
    enum class Status {
        Ok,
        /// The change does not apply (an empty name, say). Nothing was written.
        Refused,
        /// The name is taken by another profile (ignoring case). Nothing was written.
        NameTaken,
        /// The profile changed elsewhere since the caller read it. Nothing was written.
        Conflict,
        /// The profile is gone (removed elsewhere). Nothing was written.
        NotFound,
        /// profiles.json could not be locked, read or written.
        FileError,
    };

    Status status = Status::Ok;
    /// For failures: what happened, in words for the user.
    QString error;

    bool ok() const { return status == Status::Ok; }
    static ProfileChangeResult failure(Status status, const QString &error);
};

/// The one owner of the saved profiles (DESIGN.md, "One owner of profile state"). Every page of
/// the window, every command and every import changes profiles through it, and every view
/// redraws from its signals.
///
/// A change runs on a worker thread under profiles.json.lock (QLockFile): it re-reads the file
/// as it is on disk now, applies itself to that, and writes the file back. So a change never
/// drops or reverts what another process or window saved meanwhile. The file is watched;
/// what others write shows here within a fraction of a second.
class ProfileRepository final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileRepository)

public:
    /// Runs against the profiles on disk, under the lock, on the worker thread: edits the
    /// store's list and says how it went. The file is written only when it returns Ok. It
    /// must only touch the values it captured, never the caller's objects.
    using Change = std::function<ProfileChangeResult(ProfileStore &store)>;
    using Done = std::function<void(const ProfileChangeResult &result)>;

    explicit ProfileRepository(const QString &directory = ProfileStore::defaultDirectory(),
                               QObject *parent = nullptr);
    ~ProfileRepository() override;

    QString directory() const { return m_directory; }
    QString filePath() const;
    /// How long a writer waits for another's lock before giving up.
    void setLockTimeout(int milliseconds) { m_lockTimeoutMs = milliseconds; }

    /// Follows changes that other processes make to profiles.json (the window does; a
    /// one-shot command does not need to).
    void watchFile();

    /// Reads the file in the background; loaded() follows. A damaged file is set aside.
    void load();
    bool isLoaded() const { return m_loaded; }

    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> findById(const QString &id) const;
    std::optional<Profile> findByName(const QString &name) const;

    /// Applies a change; done follows on context's thread once the file is written and the
    /// change signals went out (dropped when context died meanwhile).
    void change(Change change, QObject *context, Done done);
    /// Edits one profile as it is on disk now; NotFound when it was removed meanwhile.
    void edit(const QString &id, const std::function<void(Profile &)> &edit, QObject *context,
              Done done);

Q_SIGNALS:
    void loaded(const ProfileStore::LoadResult &result);
    /// Any profile was added, removed or changed, here or elsewhere.
    void profilesChanged();
    /// One profile was added or changed, here or elsewhere.
    void profileChanged(const QString &profileId);
    void profileRemoved(const QString &profileId);
    /// The file could not be read or written; in words for the user.
    void problemReported(const QString &message);

private:
    void run(Change change, ProfileStore::DamagedFile damaged, QObject *context, Done done);
    void adopt(const QList<Profile> &profiles);
    void scheduleReload();

    QString m_directory;
    QList<Profile> m_profiles;
    bool m_loaded = false;
    int m_lockTimeoutMs = 10000;
    QThreadPool *m_worker = nullptr;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_reloadTimer = nullptr;
};
