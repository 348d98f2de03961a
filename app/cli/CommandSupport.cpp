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
    QFile in;
    QString text;
    if (in.open(stdin, QIODevice::ReadOnly))
        text = QString::fromUtf8(in.readAll());
    if (text.endsWith(u'\n'))
        text.chop(1);
    if (text.endsWith(u'\r'))
        text.chop(1);
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
