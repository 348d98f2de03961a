#include "UrlCommand.h"

#include "cli/CommandContext.h"
#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "connection/ConnectionUrl.h"

#include <QCommandLineParser>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;
using namespace CommandSupport;

void UrlCommand::run(CommandContext &context, const QCommandLineParser &parser)
{
    if (!parser.isSet(u"url"_s))
        return context.usageError(tr("url needs --url URL"));
    const bool json = parser.isSet(u"json"_s);

    QString error;
    const auto url = ConnectionUrl::parseValid(parser.value(u"url"_s), &error);
    if (!url) {
        if (json)
            printJson(QJsonObject{{u"valid"_s, false}, {u"error"_s, error}});
        else
            printErr(tr("invalid connection string: %1").arg(error));
        return context.finish(ExitUsage);
    }

    if (url->hasPassword())
        printErr(tr("note: the connection string holds a password; on the command line, shell "
                    "history and process lists can see it."));

    if (json) {
        QJsonObject params;
        for (auto it = url->params().cbegin(); it != url->params().cend(); ++it)
            params.insert(it.key(), it.key() == u"password"_s ? u"***"_s : it.value());
        printJson(QJsonObject{
                {u"valid"_s, true},
                {u"redacted"_s, url->redacted()},
                {u"driver"_s, url->driver().isEmpty() ? QJsonValue() : QJsonValue(url->driver())},
                {u"params"_s, params},
        });
    } else {
        QString out = tr("valid: %1\n").arg(url->redacted());
        if (!url->driver().isEmpty())
            out += tr("driver: %1\n").arg(url->driver());
        for (auto it = url->params().cbegin(); it != url->params().cend(); ++it)
            out += u"  %1 %2\n"_s.arg(it.key(), -18)
                           .arg(it.key() == u"password"_s ? u"***"_s : it.value());
        printOut(out);
    }
    context.finish(ExitHealthy);
}

Subcommand UrlCommand::subcommand()
{
    return {
            .name = u"url"_s,
            .usage = u"--url URL [--json]"_s,
            .summary = tr("parse and validate a connection string"),
            .options
            = {{u"url"_s, tr("The connection string."), u"URL"_s}, {u"json"_s, tr("Print JSON.")}},
            .run = &run,
    };
}
