#pragma once

#include <QString>

struct AttemptResult;
struct CheckVerdict;
struct Profile;

/// The plain-text report of one connection test, written to be pasted into a support ticket
/// and acted on: what was tried, how each stage went, what the server said, the failed
/// checks and the steps. Never a password. The Test page's Copy report and `check --report`
/// print the same text.
namespace SupportReport {

/// profile: nullptr for a bare URL. withEnvironment adds the ticket's header: the product,
/// libpq, Qt and OS versions, the time in UTC and the profile's environment.
QString text(const AttemptResult &result, const CheckVerdict &verdict, const Profile *profile,
             bool withEnvironment);

} // namespace SupportReport
