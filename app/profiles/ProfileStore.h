#pragma once

#include "profiles/Profile.h"

#include <QList>
#include <QString>

#include <optional>

/// All saved profiles, in one schema-versioned JSON file (profiles.json) in the app config
/// folder. Writes are atomic (QSaveFile) and owner-only; the file never holds a password.
/// A file that cannot be understood is moved aside, reported, and never overwritten.
class ProfileStore final
{
public:
    static constexpr int SchemaVersion = 1;

    enum class LoadStatus { Loaded, FirstRun, SetAside, Unreadable, Damaged };
    /// What load() does with a file it cannot understand.
    enum class DamagedFile { SetAside, LeaveInPlace };
    struct LoadResult
    {
        LoadStatus status = LoadStatus::Loaded;
        /// For SetAside, Unreadable and Damaged: what happened, in words for the user.
        QString message;
        /// For SetAside: where the old file now is.
        QString setAsidePath;
    };

    /// The profiles in a file's content, or nothing with what is wrong with it in problem
    /// (words for the user; it may quote a profile's name or environment, never more).
    static std::optional<QList<Profile>> decode(const QByteArray &data, QString *problem);
    /// The file's content for these profiles; decode() gives back the same profiles.
    static QByteArray encode(const QList<Profile> &profiles);

    /// ORDERFLOW_DBADMIN_CONFIG_DIR, else the platform's app config folder.
    static QString defaultDirectory();

    explicit ProfileStore(const QString &directory = defaultDirectory());

    QString directory() const { return m_directory; }
    QString filePath() const;
    /// The QLockFile beside profiles.json that every writer takes (readers need none: the file
    /// is replaced by rename, never written in place).
    QString lockPath() const;

    /// Reads the file. A file that cannot be understood is moved aside (SetAside), or, with
    /// LeaveInPlace, reported as Damaged and left for the next writer to set aside.
    LoadResult load(DamagedFile damaged = DamagedFile::SetAside);
    /// Writes every profile atomically. False (with a reason) when the file cannot be
    /// written or was left unreadable by load().
    bool save(QString *error = nullptr);

    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> findByName(const QString &name) const;
    /// base, or "base 2", "base 3"... whichever no profile has (names compare as isNamed()).
    QString freeName(const QString &base) const;
    std::optional<Profile> findById(const QString &id) const;

    /// Adds a profile; names are unique, ignoring case.
    bool add(const Profile &profile, QString *error = nullptr);
    /// Replaces the profile with the same id (a rename keeps the id, so the password stays).
    bool update(const Profile &profile, QString *error = nullptr);
    bool remove(const QString &id);

private:
    QString m_directory;
    QList<Profile> m_profiles;
    bool m_writable = true;
};
