#pragma once

#include "PlainText.h"
#include "connection/Diagnosis.h"
#include "profiles/Route.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

class ConnectionUrl;
class QCommandLineOption;
class QCommandLineParser;
enum class NameClash;
struct ProfileActionResult;

/// What the subcommands share to read their arguments and to write to the terminal.
namespace CommandSupport {

void printOut(const QString &text);
void printErr(const QString &text);
void printJson(const QJsonValue &value);

using PlainText::shellQuoted;
using PlainText::terminalSafe;

/// --profile, --url and --password-stdin, for the subcommands that connect to one target.
QList<QCommandLineOption> targetOptions();
/// How --help shows them.
QString targetUsage();

/// --ssh, --ssh-jump, --ssh-identity and --tunnel-command: how a profile or a --url is reached.
QList<QCommandLineOption> routeOptions();
/// How --help shows them.
QString routeUsage();
/// The route the options give: direct without any; nullopt with the reason (for a usage error)
/// when a part does not parse, --ssh-jump or --ssh-identity come without --ssh, or --ssh and
/// --tunnel-command are both given.
std::optional<Route> routeFrom(const QCommandLineParser &parser, QString *error);

/// --rename and --replace, for the subcommands that save profiles under a name.
QList<QCommandLineOption> clashOptions();
/// Refuse unless told otherwise; nullopt when both were given.
std::optional<NameClash> clashPolicy(const QCommandLineParser &parser);

/// The password that goes with a --url.
struct UrlPassword
{
    /// False: --password-stdin was given and standard input held none (said on stderr).
    bool ok = true;
    /// What --password-stdin read; unset without it.
    std::optional<QString> fromStdin;
};
/// Standard input's lines, read once (later calls get the same), without their line ends:
/// --password-stdin takes the first, an SSH secret the next.
const QStringList &standardInputLines();
/// Reads standard input's first line with --password-stdin; without it, a password inside the URL
/// is left to the URL, with a note that the command line is no place for it.
UrlPassword passwordFor(const ConnectionUrl &url, bool fromStdin);

/// Prints a use case's warnings to standard error.
void printWarnings(const ProfileActionResult &result);

/// The exit code of a failed attempt or password lookup: a connection string that does not
/// parse is a usage error, a keychain that cannot be used has its own code, anything else is a
/// failed connection.
int exitCodeFor(DiagnosisCategory category);

} // namespace CommandSupport
