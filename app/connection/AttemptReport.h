#pragma once

#include "connection/AttemptResult.h"

#include <QJsonObject>
#include <QString>

/// Renderings of an attempt's result: the JSON of `check --json` (DESIGN.md) and a plain-text
/// report for people and support tickets. Neither ever holds a password.
namespace AttemptReport {

/// The check object; requiredExtensions decide the `extensions` and `requirements` members.
QJsonObject toJson(const AttemptResult &result, const QStringList &requiredExtensions = {});
QString toText(const AttemptResult &result);

} // namespace AttemptReport
