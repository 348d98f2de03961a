#pragma once

#include "profiles/Profile.h"

#include <QString>

#include <optional>

/// A profile about to be added, with the password that goes into the keychain for it.
struct NewProfile
{
    Profile profile;
    std::optional<QString> password;
    /// Where it came from, for messages: "DATABASE_URL (line 3)", "[staging] (line 7)".
    QString origin;
};
