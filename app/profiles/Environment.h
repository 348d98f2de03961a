#pragma once

#include <QList>
#include <QString>

#include <optional>

/// The kind of deployment a profile points at; decides its colour and how careful the UI is.
enum class Environment { Development, Staging, Production, Test, Other };

namespace Environments {

QList<Environment> all();
/// The fixed identifier used in files, JSON output and the command line.
QString id(Environment environment);
std::optional<Environment> fromId(const QString &id);
/// A guess from a profile's name ("prod-eu" -> Production), Other when nothing fits.
Environment guessFromName(const QString &name);
/// The name as a heading or label shows it: "Development".
QString displayName(Environment environment);
/// The name inside a sentence ("the development profile"); languages that capitalise nouns
/// keep the capital, which lower-casing displayName() would take away.
QString nameInText(Environment environment);

} // namespace Environments
