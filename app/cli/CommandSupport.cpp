#include "CommandSupport.h"

#include "cli/ExitCode.h"

#include "connection/ConnectionUrl.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace CommandSupport {

namespace {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

const QCommandLineOption &renameOption()
{
    static const QCommandLineOption option(
            u"rename"_s,
            QCoreApplication::translate("CommandLine",
                                        "When a name is taken, save as \"NAME 2\"."));
    return option;
}

const QCommandLineOption &replaceOption()
{
    static const QCommandLineOption option(
            u"replace"_s,
            QCoreApplication::translate("CommandLine",
                                        "When a name is taken, replace that profile."));
    return option;
}

} // namespace

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

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

// Names and URLs may come from files others wrote: a terminal must not act on their control
// characters (escape sequences that rewrite the screen or the title).
QString terminalSafe(QString text)
{
    // Format characters too: a right-to-left override can make a name read as another.
    for (QChar &c : text) {
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            c = QChar::ReplacementCharacter;
    }
    return text;
}

QString shellQuoted(const QString &text)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_.,:/@%+=-]+$"_s);
    if (plain.match(text).hasMatch())
        return text;
    return u'\'' + terminalSafe(text).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

void addClashOptions(QCommandLineParser &parser)
{
    parser.addOptions({renameOption(), replaceOption()});
}

std::optional<NameClash> clashPolicy(const QCommandLineParser &parser)
{
    if (parser.isSet(renameOption()) && parser.isSet(replaceOption()))
        return std::nullopt;
    if (parser.isSet(renameOption()))
        return NameClash::Rename;
    return parser.isSet(replaceOption()) ? NameClash::Replace : NameClash::Refuse;
}

void printWarnings(const ProfileActionResult &result)
{
    for (const QString &warning : result.warnings)
        printErr(tr("warning: %1").arg(terminalSafe(warning)));
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
