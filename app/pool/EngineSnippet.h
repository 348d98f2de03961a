#pragma once

#include "profiles/Profile.h"

#include <QString>

/// The SQLAlchemy create_engine(...) call for a profile's pool settings. It reads the URL
/// from DATABASE_URL (never a password in a snippet) and sets the application_name through
/// connect_args, unless the URL sets it, so that the monitor can tell the application's
/// sessions apart.
namespace EngineSnippet {

/// With a default URL (an export the user asked for), the snippet uses it when DATABASE_URL is
/// not set.
QString createEngine(const Profile &profile, const QString &defaultUrl = {});
/// The application_name the application's sessions get: the URL's, else the profile's pool
/// setting, else one derived from the profile's name.
QString applicationName(const Profile &profile);

} // namespace EngineSnippet
