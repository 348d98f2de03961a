#include "ProfileExchange.h"

#include "tunnel/TunnelSpec.h"

#include "PlainText.h"

#include "interop/EnvFile.h"
#include "interop/PgServiceFile.h"
#include "pool/EngineSnippet.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace ProfileExchange {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileExchange)
};

QString slug(const QString &name)
{
    QString out = name.toLower();
    out.replace(QRegularExpression(u"[^a-z0-9_]+"_s), u"-"_s);
    while (out.startsWith(u'-'))
        out.remove(0, 1);
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.isEmpty() ? u"orderflow"_s : out;
}

// Always quoted and never altered, unlike PlainText::shellQuoted (which makes control
// characters visible for display): an exported password must reach psql exactly.
QString shellQuote(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"'\\''"_s) + u'\'';
}

// Compose interpolates "$" everywhere in the file; "$$" is a literal one.
QString composeLiteral(const QString &text)
{
    return QString(text).replace(u'$', u"$$"_s);
}

// The compose URL with ${DB_PASSWORD} where the password goes, for compose to fill in.
QString composeUrlWithPasswordReference(const Profile &profile)
{
    ConnectionUrl url = profile.connectionUrl();
    url.setValue(u"password"_s, u"PASSWORDMARKER"_s);
    return composeLiteral(url.toUrl()).replace(u"PASSWORDMARKER"_s, u"${DB_PASSWORD}"_s);
}

} // namespace

QStringList formatIds()
{
    return {u"env"_s, u"pg-service"_s, u"compose"_s, u"sqlalchemy"_s, u"psql"_s};
}

std::optional<Format> formatFromId(const QString &id)
{
    const QList<Format> formats{Format::Env, Format::PgService, Format::Compose, Format::SqlAlchemy,
                                Format::Psql};
    const qsizetype index = formatIds().indexOf(id);
    if (index < 0)
        return std::nullopt;
    return formats.at(index);
}

namespace {

// The local port an exported tunnel listens on: one people can type, away from 5432.
constexpr int exportedTunnelPort = 15432;

// The route as the commands a person runs before psql: the tunnel in the background, on
// exportedTunnelPort. ssh gets -J here: a person's hops take their ~/.ssh/config. A tunnel
// command's secret-looking values (--token) are *** unless the export carries secrets.
QString tunnelCommandLine(const Profile &profile, bool withSecrets)
{
    TunnelSpec spec = TunnelSpec::forProfile(profile);
    if (!withSecrets && spec.route.kind == Route::Kind::Command)
        spec.route.command = QProcess::splitCommand(spec.route.redacted());
    const Route &route = spec.route;
    QStringList words;
    if (route.kind == Route::Kind::Ssh) {
        words << u"ssh"_s << u"-N"_s << u"-L"_s
              << u"127.0.0.1:%1:%2"_s.arg(QString::number(exportedTunnelPort),
                                          spec.forwardTarget());
        if (!route.jumps.isEmpty())
            words << u"-J"_s << route.jumpsText();
        if (!route.identityFile.isEmpty())
            words << u"-i"_s << route.identityFile;
        // ssh reads host:port as a host name: the port goes with -p.
        if (route.destination.port > 0)
            words << u"-p"_s << QString::number(route.destination.port);
        SshHost host = route.destination;
        host.port = 0;
        words << host.toString();
    } else {
        words << route.command.value(0)
              << SshInvocation::tunnelCommandArguments(spec, quint16(exportedTunnelPort));
    }
    // Validated routes hold no control characters, so quoting only where a shell needs it
    // changes nothing and reads better.
    QStringList quoted;
    for (const QString &word : std::as_const(words))
        quoted << PlainText::shellQuoted(word);
    return u"# The server is reached %1: open the tunnel first, then psql through it.\n"_s.arg(
                   PlainText::terminalSafe(route.via()))
            + quoted.join(u' ') + u" &\n"_s;
}

// For compose: the route, which a container does not take by itself.
QString routeComment(const Profile &profile)
{
    if (profile.route.isDirect())
        return {};
    return u"# The server is reached %1 (%2): a container needs a tunnel of its own.\n"_s.arg(
            PlainText::terminalSafe(profile.route.via()),
            PlainText::terminalSafe(profile.route.redacted()));
}

} // namespace

QString write(const Profile &profile, Format format, const std::optional<QString> &password)
{
    // The name may come from an imported file: a line break in it would add lines to the file.
    const QString header = u"# %1 (%2), from orderflow-dbadmin\n"_s.arg(
            PlainText::terminalSafe(profile.name), Environments::id(profile.environment));
    ConnectionUrl withPassword = profile.connectionUrl();
    if (password)
        withPassword.setValue(u"password"_s, *password);
    switch (format) {
    case Format::Env:
        // The URL carries the password percent-encoded, so every reader of .env files (compose,
        // python-dotenv) gets the same URL; DB_PASSWORD holds it as it is, for containers.
        if (!password)
            return header + u"# The password is in the system keychain (orderflow-dbadmin).\n"_s
                    + EnvFile::write({{u"DATABASE_URL"_s, profile.connectionUrl().toUrl()}});
        return header
                + EnvFile::write(
                        {{u"DATABASE_URL"_s, withPassword.toUrl()}, {u"DB_PASSWORD"_s, *password}});
    case Format::Compose: {
        // Quoted whole: a password may hold what YAML reads as syntax (": ", " #", quotes).
        QString out = routeComment(profile) + u"environment:\n  - "_s
                + PlainText::yamlString(u"DATABASE_URL="_s
                                        + composeUrlWithPasswordReference(profile))
                + u'\n';
        if (password)
            out += u"  - "_s + PlainText::yamlString(u"DB_PASSWORD="_s + composeLiteral(*password))
                    + u'\n';
        return out;
    }
    case Format::PgService: {
        PgServiceFile::Service service{slug(profile.name), withPassword.params(), 0};
        return header + PgServiceFile::write({service});
    }
    case Format::SqlAlchemy:
        return EngineSnippet::createEngine(
                profile, (password ? withPassword : profile.connectionUrl()).toUrl());
    case Format::Psql: {
        // libpq refuses SQLAlchemy's postgresql+driver:// scheme.
        ConnectionUrl forPsql = profile.connectionUrl();
        forPsql.setDriver({});
        QString tunnel;
        if (!profile.route.isDirect()) {
            tunnel = tunnelCommandLine(profile, password.has_value());
            // Through the tunnel's local end, as the program itself connects: host stays the
            // server's name (for verify-full), one host of a list, or the socket's.
            forPsql = TunnelSpec::forProfile(profile).throughTunnel(forPsql, exportedTunnelPort);
        }
        return tunnel + (password ? u"PGPASSWORD="_s + shellQuote(*password) + u' ' : QString())
                + u"psql "_s + shellQuote(forPsql.toUrl()) + u'\n';
    }
    }
    return {};
}

ImportResult fromEnv(const QByteArray &content)
{
    ImportResult result;
    const EnvFile::ParseResult env = EnvFile::parse(content);
    if (!env.ok) {
        result.errorLine = env.errorLine;
        result.error = env.error;
        return result;
    }
    const QString sharedPassword = env.value(u"DB_PASSWORD"_s);
    // A URL written as postgresql://user:${DB_PASSWORD}@host means the password's characters,
    // not URL syntax: substitute password variables percent-encoded.
    QMap<QString, QString> urlValues;
    for (const EnvFile::Entry &entry : env.entries) {
        urlValues.insert(entry.key,
                         entry.key.contains(u"PASSWORD"_s)
                                 ? QString::fromLatin1(QUrl::toPercentEncoding(entry.value))
                                 : entry.value);
    }
    result.warnings = env.warnings;
    // Each key once: the reader kept the last of a key set twice.
    for (const EnvFile::Entry &entry : env.entries) {
        if (!entry.key.endsWith(u"_URL"_s))
            continue;
        const bool postgres
                = entry.value.startsWith(u"postgresql"_s) || entry.value.startsWith(u"postgres:"_s);
        if (!postgres)
            continue;
        // A connection string never holds a line break: this one ran on because a quote was
        // left open, and the lines it swallowed (a DB_PASSWORD=... among them) are not quoted.
        if (entry.value.contains(u'\n')) {
            result.errorLine = entry.line;
            result.error = Text::tr("line %1: the quoted value of %2 runs over several lines; is a "
                                    "closing quote missing?")
                                   .arg(entry.line)
                                   .arg(entry.key);
            result.profiles.clear();
            return result;
        }
        QString error;
        const auto url = ConnectionUrl::parseValid(EnvFile::expand(entry.raw, urlValues), &error);
        if (!url) {
            // A password variable may have been put where libpq reads something else.
            for (const EnvFile::Entry &other : env.entries) {
                if (other.key.contains(u"PASSWORD"_s))
                    error = ConnectionUrl::scrub(error, other.value);
            }
            result.errorLine = entry.line;
            result.error = Text::tr("line %1: %2 is not a valid connection string: %3")
                                   .arg(entry.line)
                                   .arg(entry.key, error);
            result.profiles.clear();
            return result;
        }
        QString name;
        Environment environment;
        if (entry.key == u"DATABASE_URL"_s) {
            name = u"Development"_s;
            environment = Environment::Development;
        } else if (entry.key == u"TEST_DATABASE_URL"_s) {
            name = u"Test"_s;
            environment = Environment::Test;
        } else {
            name = entry.key.chopped(4).toLower().replace(u'_', u'-');
            environment = Environments::guessFromName(name);
        }
        Imported imported;
        imported.profile = Profile::fromUrl(name, environment, *url);
        if (url->hasPassword())
            imported.password = url->password();
        else if (!sharedPassword.isEmpty())
            imported.password = sharedPassword;
        imported.origin = Text::tr("%1 (line %2)").arg(entry.key).arg(entry.line);
        result.profiles << imported;
    }
    if (result.profiles.isEmpty()) {
        result.error = Text::tr(
                "no PostgreSQL connection string (DATABASE_URL, TEST_DATABASE_URL, ..._URL) "
                "in the file");
        return result;
    }
    result.ok = true;
    return result;
}

ImportResult fromPgService(const QByteArray &content)
{
    ImportResult result;
    const PgServiceFile::ParseResult file = PgServiceFile::parse(content);
    if (!file.ok) {
        result.errorLine = file.errorLine;
        result.error = file.error;
        return result;
    }
    for (const PgServiceFile::Service &service : file.services) {
        ConnectionUrl url;
        for (auto it = service.params.cbegin(); it != service.params.cend(); ++it)
            url.setValue(it.key(), it.value());
        const QStringList problems = url.validate();
        if (!problems.isEmpty()) {
            result.errorLine = service.line;
            result.error
                    = Text::tr("line %1: [%2]: %3")
                              .arg(service.line)
                              .arg(service.name,
                                   ConnectionUrl::scrub(problems.join(u"; "_s), url.password()));
            return result;
        }
        Imported imported;
        imported.profile
                = Profile::fromUrl(service.name, Environments::guessFromName(service.name), url);
        if (url.hasPassword())
            imported.password = url.password();
        // One .arg() call: a "%2" inside a section name must stay text.
        imported.origin
                = Text::tr("[%1] (line %2)").arg(service.name, QString::number(service.line));
        result.profiles << imported;
    }
    if (result.profiles.isEmpty()) {
        result.error = Text::tr("no [service] section in the file");
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace ProfileExchange
