#pragma once

#include "connection/AttemptResult.h"

#include <QJsonObject>
#include <QString>

/// An attempt's result as the JSON of `check --json` (DESIGN.md), never holding a password;
/// CheckVerdict adds the members that need the profile.
namespace AttemptReport {

/// Milliseconds as reports show them: to a tenth.
double rounded(double value);
/// The check object; requiredExtensions decide the `extensions` and `requirements` members.
QJsonObject toJson(const AttemptResult &result, const QStringList &requiredExtensions = {});

} // namespace AttemptReport
