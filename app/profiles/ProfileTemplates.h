#pragma once

#include "profiles/Profile.h"

#include <QList>

/// The environments the database configuration document describes, offered on first run.
/// None carries a password: the document's example passwords are examples.
namespace ProfileTemplates {

QList<Profile> all();

} // namespace ProfileTemplates
