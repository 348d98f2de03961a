#pragma once

#include "profiles/Profile.h"

#include <QString>

#include <optional>

/// A profile about to be added, with the password that goes into the keychain for it.
struct NewProfile
{
    Profile profile;
    std::optional<QString> password;
    /// The SSH passphrase or password (profile.sshSecret says which) that goes into the keychain.
    std::optional<QString> sshSecret;
    /// Where it came from, for messages: "DATABASE_URL (line 3)", "[staging] (line 7)".
    QString origin;
};
