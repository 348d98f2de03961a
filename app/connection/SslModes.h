#pragma once

#include <QString>
#include <QStringList>

/// libpq's six sslmode values with the database configuration document's one-line meaning.
namespace SslModes {

QStringList all();
/// libpq's default when the profile sets none.
QString defaultMode();
/// "Require SSL, verify nothing" for "require"; empty for an unknown mode.
QString meaning(const QString &mode);

} // namespace SslModes
