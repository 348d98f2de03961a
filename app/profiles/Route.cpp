#include "Route.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace {

// The translation context of this file's messages, read by lupdate from the macro.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Route)
};

// Where the text holds something no host name, user or file name does: a control character or
// (for hosts) white space. Empty when it holds none.
QString badCharacter(const QString &text, bool spaceAllowed)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || (!spaceAllowed && c.isSpace()))
            return Text::tr("character %1 (U+%2) cannot be part of it")
                    .arg(QString::number(i + 1),
                         QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0'));
    }
    return {};
}

// Arguments whose value is a secret ("--token X", "password=X"): the name says so.
bool namesSecret(const QString &name)
{
    static const QRegularExpression secret(
            u"pass|token|secret|credential|apikey|api-key|auth|bearer"_s,
            QRegularExpression::CaseInsensitiveOption);
    return secret.match(name).hasMatch();
}

} // namespace

std::optional<SshHost> SshHost::parse(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<SshHost> {
        if (error)
            *error = Text::tr("\"%1\" is not an SSH host ([user@]host[:port]): %2").arg(text, why);
        return std::nullopt;
    };
    if (text.isEmpty())
        return fail(Text::tr("it is empty"));
    if (const QString bad = badCharacter(text, false); !bad.isEmpty())
        return fail(bad);
    if (text.startsWith(u'-'))
        return fail(Text::tr("it starts with '-', which ssh would read as an option"));
    SshHost host;
    QString rest = text;
    if (const qsizetype at = rest.lastIndexOf(u'@'); at >= 0) {
        host.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (host.user.isEmpty())
            return fail(Text::tr("the user before '@' is empty"));
    }
    QString portText;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return fail(Text::tr("'[' without ']'"));
        host.host = rest.mid(1, close - 1);
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return fail(Text::tr("text after ']' that is not :port"));
        portText = after.mid(1);
        if (after.startsWith(u':') && portText.isEmpty())
            return fail(Text::tr("the port after ':' is empty"));
    } else if (rest.count(u':') == 1) {
        const qsizetype colon = rest.indexOf(u':');
        host.host = rest.left(colon);
        portText = rest.mid(colon + 1);
        if (portText.isEmpty())
            return fail(Text::tr("the port after ':' is empty"));
    } else {
        // No colon, or a bare IPv6 address (several colons): all of it is the host.
        host.host = rest;
    }
    if (host.host.isEmpty())
        return fail(Text::tr("the host is empty"));
    if (host.host.startsWith(u'-'))
        return fail(Text::tr("the host starts with '-', which ssh would read as an option"));
    // What names, addresses and ~/.ssh/config aliases are made of; nothing a shell reads as
    // syntax (ssh hands the host to a ProxyCommand's shell).
    static const QRegularExpression hostCharacters(u"^[A-Za-z0-9._:%-]+$"_s);
    if (!hostCharacters.match(host.host).hasMatch())
        return fail(Text::tr("a host name holds only letters, digits, '.', '-', '_', ':' and '%'"));
    if (!portText.isEmpty()) {
        bool ok = false;
        host.port = portText.toInt(&ok);
        if (!ok || host.port < 1 || host.port > 65535)
            return fail(Text::tr("the port \"%1\" is not a number from 1 to 65535").arg(portText));
    }
    return host;
}

QString SshHost::toString() const
{
    QString text = user.isEmpty() ? QString() : user + u'@';
    text += host.contains(u':') && port > 0 ? u'[' + host + u']' : host;
    if (port > 0)
        text += u':' + QString::number(port);
    return text;
}

QString Route::kindId() const
{
    switch (kind) {
    case Kind::Direct:
        return u"direct"_s;
    case Kind::Ssh:
        return u"ssh"_s;
    case Kind::Command:
        return u"command"_s;
    }
    return {};
}

std::optional<Route> Route::ssh(const QString &destination, const QString &jumps,
                                const QString &identityFile, QString *error)
{
    Route route;
    route.kind = Kind::Ssh;
    const auto target = SshHost::parse(destination.trimmed(), error);
    if (!target)
        return std::nullopt;
    route.destination = *target;
    const QString jumpText = jumps.trimmed();
    if (!jumpText.isEmpty() && jumpText != u"none"_s) {
        for (const QString &part : jumpText.split(u',')) {
            const auto hop = SshHost::parse(part.trimmed(), error);
            if (!hop)
                return std::nullopt;
            route.jumps << *hop;
        }
    }
    route.identityFile = identityFile.trimmed();
    if (const QString bad = badCharacter(route.identityFile, true); !bad.isEmpty()) {
        if (error)
            *error = Text::tr("the identity file's name: %1").arg(bad);
        return std::nullopt;
    }
    return route;
}

std::optional<Route> Route::tunnelCommand(const QString &line, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<Route> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const QString bad = badCharacter(line, true); !bad.isEmpty())
        return fail(Text::tr("the tunnel command: %1").arg(bad));
    Route route;
    route.kind = Kind::Command;
    route.command = QProcess::splitCommand(line);
    if (route.command.isEmpty())
        return fail(Text::tr("the tunnel command is empty"));
    const bool hasPort = std::any_of(route.command.cbegin() + 1, route.command.cend(),
                                     [](const QString &a) { return a.contains(u"{port}"_s); });
    if (!hasPort)
        return fail(
                Text::tr("the tunnel command has no {port} in its arguments: it is where the "
                         "command must listen, a free port on 127.0.0.1 that this program picks "
                         "(for example kubectl port-forward svc/postgres {port}:5432)"));
    return route;
}

QString Route::jumpsText() const
{
    QStringList parts;
    for (const SshHost &hop : jumps)
        parts << hop.toString();
    return parts.join(u',');
}

QString Route::commandLine() const
{
    QStringList quoted;
    for (const QString &argument : command) {
        const bool plain = !argument.isEmpty()
                && std::none_of(argument.cbegin(), argument.cend(), [](QChar c) {
                       return c.isSpace() || c == u'"' || c == u'\'' || c == u'\\';
                   });
        if (plain) {
            quoted << argument;
        } else {
            // QProcess::splitCommand reads "" inside quotes as one quote.
            QString escaped = argument;
            escaped.replace(u'"', u"\"\"\""_s);
            quoted << u'"' + escaped + u'"';
        }
    }
    return quoted.join(u' ');
}

QString Route::via() const
{
    switch (kind) {
    case Kind::Direct:
        return {};
    case Kind::Ssh:
        if (jumps.isEmpty())
            return Text::tr("via %1").arg(destination.host);
        return Text::tr("via %1, then %2").arg(jumps.first().host, destination.host);
    case Kind::Command:
        return Text::tr("via %1").arg(command.value(0).section(u'/', -1));
    }
    return {};
}

QString Route::redacted() const
{
    switch (kind) {
    case Kind::Direct:
        return {};
    case Kind::Ssh: {
        QString text = u"ssh "_s + destination.toString();
        if (!jumps.isEmpty())
            text += u" -J "_s + jumpsText();
        if (!identityFile.isEmpty())
            text += u" -i "_s + identityFile;
        return text;
    }
    case Kind::Command: {
        QStringList shown;
        bool hideNext = false;
        for (const QString &argument : command) {
            if (hideNext) {
                shown << u"***"_s;
                hideNext = false;
                continue;
            }
            const qsizetype equals = argument.indexOf(u'=');
            // A URL's password (--dsn postgresql://u:SECRET@h/db) and a header's value
            // ("Authorization: Bearer X").
            static const QRegularExpression userInfo(u"(://[^/@:\\s]*):[^/@\\s]*@"_s);
            static const QRegularExpression header(u"^([A-Za-z-]*(auth|token|key)[A-Za-z-]*:).*$"_s,
                                                   QRegularExpression::CaseInsensitiveOption);
            if (equals > 0 && namesSecret(argument.left(equals))) {
                shown << argument.left(equals + 1) + u"***"_s;
            } else if (userInfo.match(argument).hasMatch() || header.match(argument).hasMatch()) {
                shown << QString(argument)
                                 .replace(userInfo, u"\\1:***@"_s)
                                 .replace(header, u"\\1 ***"_s);
            } else {
                shown << argument;
                hideNext = argument.startsWith(u'-') && equals < 0 && namesSecret(argument);
            }
        }
        Route display = *this;
        display.command = shown;
        return display.commandLine();
    }
    }
    return {};
}

QJsonObject Route::toJson() const
{
    switch (kind) {
    case Kind::Direct:
        return {};
    case Kind::Ssh: {
        QJsonObject object{{u"kind"_s, kindId()}, {u"destination"_s, destination.toString()}};
        if (!jumps.isEmpty())
            object.insert(u"jumps"_s, jumpsText());
        if (!identityFile.isEmpty())
            object.insert(u"identity_file"_s, identityFile);
        return object;
    }
    case Kind::Command:
        return {{u"kind"_s, kindId()}, {u"command"_s, QJsonArray::fromStringList(command)}};
    }
    return {};
}

std::optional<Route> Route::fromJson(const QJsonObject &object, QString *error)
{
    const QString kind = object.value(u"kind"_s).toString();
    if (object.isEmpty() || kind == u"direct"_s)
        return Route();
    if (kind == u"ssh"_s)
        return ssh(object.value(u"destination"_s).toString(), object.value(u"jumps"_s).toString(),
                   object.value(u"identity_file"_s).toString(), error);
    if (kind == u"command"_s) {
        Route route;
        route.kind = Kind::Command;
        for (const auto &part : object.value(u"command"_s).toArray())
            route.command << part.toString();
        // Checked as the form and the command line check it.
        if (!tunnelCommand(route.commandLine(), error))
            return std::nullopt;
        return route;
    }
    if (error)
        *error = Text::tr("an unknown route kind \"%1\"").arg(kind);
    return std::nullopt;
}

namespace SshSecrets {

QString id(SshSecret secret)
{
    switch (secret) {
    case SshSecret::None:
        return {};
    case SshSecret::Passphrase:
        return u"passphrase"_s;
    case SshSecret::Password:
        return u"password"_s;
    }
    return {};
}

QString problem(const QString &secret)
{
    if (secret.isEmpty())
        return Text::tr("the SSH passphrase or password is empty");
    if (secret.contains(u'\n') || secret.contains(u'\r') || secret.contains(QChar(0)))
        return Text::tr("the SSH passphrase or password holds a line break, which ssh cannot "
                        "take");
    return {};
}

std::optional<SshSecret> fromId(const QString &id)
{
    for (const SshSecret secret : {SshSecret::None, SshSecret::Passphrase, SshSecret::Password}) {
        if (SshSecrets::id(secret) == id)
            return secret;
    }
    return std::nullopt;
}

} // namespace SshSecrets
