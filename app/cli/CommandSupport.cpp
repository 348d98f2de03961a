#include "CommandSupport.h"

#include "cli/ExitCode.h"

#include "connection/ConnectionUrl.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace CommandSupport {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(CommandSupport)
};

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

void printOut(const QString &text)
{
    writeTo(stdout, text.endsWith(u'\n') ? text : text + u'\n');
}

void printErr(const QString &text)
{
    writeTo(stderr, text.endsWith(u'\n') ? text : text + u'\n');
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document
            = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
}

const QStringList &standardInputLines()
{
    static const QStringList lines = []() {
        QFile in;
        QStringList read;
        if (in.open(stdin, QIODevice::ReadOnly))
            read = QString::fromUtf8(in.readAll()).split(u'\n');
        for (QString &line : read) {
            if (line.endsWith(u'\r'))
                line.chop(1);
        }
        return read;
    }();
    return lines;
}

UrlPassword passwordFor(const ConnectionUrl &url, bool fromStdin)
{
    UrlPassword result;
    if (!fromStdin) {
        if (url.hasPassword())
            printErr(Text::tr(
                    "note: the password was given on the command line, where shell history "
                    "and process lists can see it; --password-stdin avoids that."));
        return result;
    }
    const QString text = standardInputLines().value(0);
    if (text.isEmpty()) {
        printErr(Text::tr("--password-stdin was given but standard input held no password"));
        result.ok = false;
        return result;
    }
    result.fromStdin = text;
    return result;
}

QList<QCommandLineOption> targetOptions()
{
    return {{u"profile"_s, Text::tr("A saved profile."), u"NAME"_s},
            {u"url"_s, Text::tr("A connection string."), u"URL"_s},
            {u"password-stdin"_s, Text::tr("Read the password for --url from standard input.")}};
}

QString targetUsage()
{
    return u"(--profile NAME | --url URL [--password-stdin])"_s;
}

QList<QCommandLineOption> routeOptions()
{
    return {{u"ssh"_s,
             Text::tr("Reach the server through SSH: [user@]host[:port] or a Host of "
                      "~/.ssh/config. The host and port are then as the last SSH host sees "
                      "them."),
             u"DEST"_s},
            {u"ssh-jump"_s, Text::tr("Jump hosts before --ssh, comma-separated (as ProxyJump)."),
             u"HOSTS"_s},
            {u"ssh-identity"_s, Text::tr("The key file every SSH host is logged in with."),
             u"FILE"_s},
            {u"tunnel-command"_s,
             Text::tr("Reach the server through a command that listens on {port} (kubectl "
                      "port-forward, aws ssm, cloud-sql-proxy), run without a shell."),
             u"CMD"_s}};
}

QString routeUsage()
{
    return u"[--ssh DEST [--ssh-jump HOSTS] [--ssh-identity FILE] | --tunnel-command CMD]"_s;
}

std::optional<Route> routeFrom(const QCommandLineParser &parser, QString *error)
{
    const bool ssh = parser.isSet(u"ssh"_s);
    const bool command = parser.isSet(u"tunnel-command"_s);
    if (ssh && command) {
        *error = Text::tr("--ssh and --tunnel-command exclude each other");
        return std::nullopt;
    }
    if (!ssh && (parser.isSet(u"ssh-jump"_s) || parser.isSet(u"ssh-identity"_s))) {
        *error = Text::tr("--ssh-jump and --ssh-identity need --ssh");
        return std::nullopt;
    }
    if (ssh)
        return Route::ssh(parser.value(u"ssh"_s), parser.value(u"ssh-jump"_s),
                          parser.value(u"ssh-identity"_s), error);
    if (command)
        return Route::tunnelCommand(parser.value(u"tunnel-command"_s), error);
    return Route();
}

QList<QCommandLineOption> clashOptions()
{
    return {{u"rename"_s, Text::tr("When a name is taken, save as \"NAME 2\".")},
            {u"replace"_s, Text::tr("When a name is taken, replace that profile.")}};
}

std::optional<NameClash> clashPolicy(const QCommandLineParser &parser)
{
    const bool rename = parser.isSet(u"rename"_s);
    const bool replace = parser.isSet(u"replace"_s);
    if (rename && replace)
        return std::nullopt;
    if (rename)
        return NameClash::Rename;
    return replace ? NameClash::Replace : NameClash::Refuse;
}

void printWarnings(const ProfileActionResult &result)
{
    for (const QString &warning : result.warnings)
        printErr(Text::tr("warning: %1").arg(terminalSafe(warning)));
}

int exitCodeFor(DiagnosisCategory category)
{
    switch (category) {
    case DiagnosisCategory::InvalidUrl:
        return ExitUsage;
    case DiagnosisCategory::KeychainUnavailable:
        return ExitKeychainUnavailable;
    default:
        return ExitConnectionFailed;
    }
}

} // namespace CommandSupport
