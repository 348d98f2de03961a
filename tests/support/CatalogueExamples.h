#pragma once

#include "profiles/Profile.h"

/// Profiles for the team catalogue's tests.
namespace CatalogueExamples {

/// A profile with every member the catalogue carries set to something other than its default,
/// and this machine's own state (password date, remembered cluster, SSH secret) set too.
Profile everyMemberSet(const QString &name, Environment environment);

} // namespace CatalogueExamples
