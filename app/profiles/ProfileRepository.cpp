#include "ProfileRepository.h"

#include "AsyncTask.h"
#include "Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileSystemWatcher>
#include <QLockFile>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {

// Long enough to outlast a burst of writers (each holds the lock for milliseconds), short
// enough that a command never hangs on a lock nobody will release.
constexpr int DefaultLockTimeoutMs = 10000;
// Editors and other writers touch the folder several times per save (temporary file, rename,
// lock file); one reload after they settle is enough.
constexpr int ReloadDelayMs = 50;

} // namespace

ProfileChangeResult ProfileChangeResult::failure(Status status, const QString &error)
{
    ProfileChangeResult result;
    result.status = status;
    result.error = error;
    return result;
}

namespace {

struct DiskOutcome
{
    ProfileChangeResult result;
    ProfileStore::LoadResult load;
    /// The profiles on disk after the change (or before it, when it was refused).
    QList<Profile> profiles;
    /// The file could not be read: keep what we had.
    bool readFailed = false;
};

// Runs on the worker thread. Readers take no lock: QSaveFile replaces the file by rename, so
// a reader sees the old or the new file, never half of one, and a lock file appearing in the
// watched folder would make every reload trigger another.
DiskOutcome runOnDisk(const QString &directory, int lockTimeoutMs,
                      const ProfileRepository::Change &change, ProfileStore::DamagedFile damaged)
{
    using Status = ProfileChangeResult::Status;
    DiskOutcome outcome;
    ProfileStore store(directory);
    // A load reads without the lock first, as the reloads do: a healthy file needs none. Only
    // a file to be set aside is read again, under the lock, before it is renamed.
    const bool readFirst = !change && damaged == ProfileStore::DamagedFile::SetAside;
    if (readFirst)
        outcome.load = store.load(ProfileStore::DamagedFile::LeaveInPlace);
    const bool mayRename
            = change || (readFirst && outcome.load.status == ProfileStore::LoadStatus::Damaged);
    std::optional<QLockFile> lock;
    if (mayRename) {
        if (!QDir().mkpath(directory)) {
            outcome.readFailed = true;
            outcome.result = ProfileChangeResult::failure(
                    Status::FileError,
                    ProfileRepository::tr("cannot create the folder %1")
                            .arg(QDir::toNativeSeparators(directory)));
            return outcome;
        }
        lock.emplace(store.lockPath());
        if (!lock->tryLock(lockTimeoutMs)) {
            qint64 pid = 0;
            QString host;
            QString application;
            lock->getLockInfo(&pid, &host, &application);
            outcome.readFailed = true;
            outcome.result = ProfileChangeResult::failure(
                    Status::FileError,
                    ProfileRepository::tr("another program (process %1) kept %2 locked for %3 "
                                          "seconds; nothing was "
                                          "changed, try again")
                            .arg(pid)
                            .arg(QDir::toNativeSeparators(store.lockPath()))
                            .arg(lockTimeoutMs / 1000.0));
            return outcome;
        }
    }
    if (!readFirst || mayRename)
        outcome.load = store.load(damaged);
    const bool readable = outcome.load.status != ProfileStore::LoadStatus::Unreadable
            && outcome.load.status != ProfileStore::LoadStatus::Damaged;
    if (!readable)
        outcome.readFailed = true;
    outcome.profiles = store.profiles();
    if (!change)
        return outcome;

    const ProfileChangeResult applied = change(store);
    if (!applied.ok()) {
        outcome.result = applied;
        return outcome;
    }
    // A change that changed nothing (an import of what is already saved) leaves the file as
    // it is: no rewrite for other windows to reload, no new modification time.
    if (outcome.load.status == ProfileStore::LoadStatus::Loaded
        && store.profiles() == outcome.profiles)
        return outcome;
    QString error;
    if (!store.save(&error)) {
        outcome.result = ProfileChangeResult::failure(Status::FileError, error);
        return outcome;
    }
    outcome.profiles = store.profiles();
    outcome.readFailed = false;
    return outcome;
}

} // namespace

ProfileRepository::ProfileRepository(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_lockTimeoutMs(DefaultLockTimeoutMs)
    , m_worker(new QThreadPool(this))
{
    // One worker: this process's changes reach the disk in the order they were asked for.
    m_worker->setMaxThreadCount(1);
}

ProfileRepository::~ProfileRepository()
{
    // A change that was asked for is written before the process goes.
    m_worker->waitForDone();
}

QString ProfileRepository::filePath() const
{
    return ProfileStore(m_directory).filePath();
}

void ProfileRepository::watchFile()
{
    if (m_watcher)
        return;
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(ReloadDelayMs);
    connect(m_reloadTimer, &QTimer::timeout, this,
            [this]() { run({}, ProfileStore::DamagedFile::LeaveInPlace, nullptr, {}); });
    m_watcher = new QFileSystemWatcher(this);
    // The folder tells about a file created, replaced (QSaveFile renames) or deleted; the file
    // itself about an edit in place.
    QDir().mkpath(m_directory);
    m_watcher->addPath(m_directory);
    if (QFile::exists(filePath()))
        m_watcher->addPath(filePath());
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &ProfileRepository::scheduleReload);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ProfileRepository::scheduleReload);
}

void ProfileRepository::scheduleReload()
{
    // A replaced file is a new inode: follow the new one.
    if (!m_watcher->files().contains(filePath()) && QFile::exists(filePath()))
        m_watcher->addPath(filePath());
    m_reloadTimer->start();
}

void ProfileRepository::load()
{
    run({}, ProfileStore::DamagedFile::SetAside, nullptr, {});
}

std::optional<Profile> ProfileRepository::findById(const QString &id) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.id == id)
            return profile;
    }
    return std::nullopt;
}

std::optional<Profile> ProfileRepository::findByName(const QString &name) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.isNamed(name))
            return profile;
    }
    return std::nullopt;
}

void ProfileRepository::change(Change change, QObject *context, Done done)
{
    run(std::move(change), ProfileStore::DamagedFile::SetAside, context, std::move(done));
}

void ProfileRepository::edit(const QString &id, const std::function<void(Profile &)> &edit,
                             QObject *context, Done done)
{
    change(
            [id, edit](ProfileStore &store) {
                auto profile = store.findById(id);
                if (!profile)
                    return ProfileChangeResult::failure(
                            ProfileChangeResult::Status::NotFound,
                            tr("the profile was removed by another program"));
                edit(*profile);
                QString error;
                if (!store.update(*profile, &error))
                    return ProfileChangeResult::failure(ProfileChangeResult::Status::Refused,
                                                        error);
                return ProfileChangeResult();
            },
            context, std::move(done));
}

void ProfileRepository::run(Change change, ProfileStore::DamagedFile damaged, QObject *context,
                            Done done)
{
    const bool isLoad = !change && damaged == ProfileStore::DamagedFile::SetAside;
    const QPointer<QObject> guard(context);
    AsyncTask::runThenCallback(
            m_worker,
            [directory = m_directory, timeout = m_lockTimeoutMs, change = std::move(change),
             damaged]() { return runOnDisk(directory, timeout, change, damaged); },
            this,
            [this, isLoad, guard, done = std::move(done)](const DiskOutcome &outcome) {
                if (!outcome.readFailed)
                    adopt(outcome.profiles);
                const auto status = outcome.load.status;
                if (status == ProfileStore::LoadStatus::SetAside
                    || status == ProfileStore::LoadStatus::Unreadable
                    || status == ProfileStore::LoadStatus::Damaged) {
                    qCWarning(lcProfiles) << "profiles file problem:" << outcome.load.message;
                    Q_EMIT problemReported(outcome.load.message);
                }
                if (isLoad) {
                    m_loaded = true;
                    Q_EMIT loaded(outcome.load);
                }
                if (done && guard)
                    done(outcome.result);
            });
}

void ProfileRepository::adopt(const QList<Profile> &profiles)
{
    QStringList changed;
    QStringList removed;
    for (const Profile &profile : profiles) {
        const auto before = findById(profile.id);
        if (!before || !(*before == profile))
            changed << profile.id;
    }
    for (const Profile &before : std::as_const(m_profiles)) {
        const bool kept = std::any_of(profiles.cbegin(), profiles.cend(),
                                      [&](const Profile &p) { return p.id == before.id; });
        if (!kept)
            removed << before.id;
    }
    // The file's order matters too (the sidebar shows it).
    const bool reordered = changed.isEmpty() && removed.isEmpty()
            && profiles.size() == m_profiles.size()
            && !std::equal(profiles.cbegin(), profiles.cend(), m_profiles.cbegin(),
                           [](const Profile &a, const Profile &b) { return a.id == b.id; });
    m_profiles = profiles;
    for (const QString &id : std::as_const(removed))
        Q_EMIT profileRemoved(id);
    for (const QString &id : std::as_const(changed))
        Q_EMIT profileChanged(id);
    if (!changed.isEmpty() || !removed.isEmpty() || reordered)
        Q_EMIT profilesChanged();
}
