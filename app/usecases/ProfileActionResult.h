#pragma once

#include "profiles/NewProfile.h"
#include "profiles/Profile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct ProfileChangeResult;

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
        /// The server could not be reached, or refused the change (a password rotation).
        ServerFailed,
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

    static ProfileActionResult failure(Status status, const QStringList &errors);
    /// What a change of the repository's came to, in the use cases' terms.
    static ProfileActionResult fromChange(const ProfileChangeResult &change);
};
