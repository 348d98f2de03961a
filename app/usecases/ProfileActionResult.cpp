#include "ProfileActionResult.h"

#include "profiles/ProfileRepository.h"

#include <QCoreApplication>

ProfileActionResult ProfileActionResult::failure(Status status, const QStringList &errors)
{
    ProfileActionResult result;
    result.status = status;
    result.errors = errors;
    return result;
}

ProfileActionResult ProfileActionResult::fromChange(const ProfileChangeResult &change)
{
    switch (change.status) {
    case ProfileChangeResult::Status::Ok:
        return {};
    case ProfileChangeResult::Status::Refused:
        return failure(Status::Invalid, {change.error});
    case ProfileChangeResult::Status::NameTaken:
        return failure(Status::NameTaken, {change.error});
    case ProfileChangeResult::Status::Conflict:
        return failure(Status::Conflict, {change.error});
    case ProfileChangeResult::Status::NotFound:
        return failure(Status::NotFound, {change.error});
    case ProfileChangeResult::Status::FileError:
        break;
    }
    return failure(
            Status::FileError,
            {QCoreApplication::translate("ProfileActions", "profiles.json was not written: %1")
                     .arg(change.error)});
}
