#include "Diagnosis.h"

#include "connection/SslModes.h"

#include "PlainText.h"
#include "connection/NetworkProbe.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Diagnosis)
};

// One step of a category. Its text may name the target: {host}, {port}, {dbname}, {user} and
// {sslmode}, or whole commands: {reach} (is the port open), {createdb}, {createrole} and
// {alterrole}.
struct Step
{
    const char *text;
    // For data that must not be lost (staging, production, other, a bare URL): the step to show
    // instead; nullptr keeps the text, or leaves a destructive step out.
    const char *precious = nullptr;
    bool destroysData = false;
};

struct Row
{
    DiagnosisCategory category;
    const char *id;
    /// A few words after "Failed: " in a list of tests.
    const char *name;
    const char *headline;
    const char *section;
    QList<Step> steps;
};

// The one table. Steps begin with the configuration document's own solutions for the section
// named, in its order and with its example values replaced by the target's, then steps of our
// own.
const QList<Row> &rows()
{
    static const QList<Row> table{
            {DiagnosisCategory::Ok,
             "ok",
             QT_TRANSLATE_NOOP("Diagnosis", "connected"),
             QT_TRANSLATE_NOOP("Diagnosis", "Connected."),
             "",
             {}},
            {DiagnosisCategory::ConnectionRefused,
             "connection_refused",
             QT_TRANSLATE_NOOP("Diagnosis", "connection refused"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "Nothing is accepting connections at that address and port."),
             "Connection Refused",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check if PostgreSQL is running: docker compose ps postgres"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that the PostgreSQL server at {host} is running: ask "
                                 "its operator or look at its service status")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Verify port is not blocked: {reach}")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Check firewall settings")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Verify connection string hostname/port (now {host}, port "
                                 "{port})")}}},
            {DiagnosisCategory::HostNotFound,
             "host_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "host not found"),
             QT_TRANSLATE_NOOP("Diagnosis", "The server's host name could not be found."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the host name {host} in the connection string for "
                                 "typos")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "If the name is internal (such as *.internal), connect to the "
                                 "VPN or network where it resolves")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Try the server's IP address instead of its name to rule out "
                                 "DNS")}}},
            {DiagnosisCategory::Timeout,
             "timeout",
             QT_TRANSLATE_NOOP("Diagnosis", "timed out"),
             QT_TRANSLATE_NOOP("Diagnosis", "The server did not answer in time."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that {host} port {port} is the database server's, not "
                                 "another service's")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check firewalls and security groups between you and the "
                                 "server: silently dropped packets look like this")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "If the network is slow, raise connect_timeout (seconds) in "
                                 "the connection string")}}},
            {DiagnosisCategory::AuthFailed,
             "auth_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "authentication"),
             QT_TRANSLATE_NOOP("Diagnosis", "The server rejected the user name or password."),
             "Authentication Failed",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Verify password in .env matches Docker Compose "
                                 "POSTGRES_PASSWORD"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Verify that the password saved for {user} is the current one: "
                                 "get it from the secret manager (AWS Secrets Manager, Vault) or "
                                 "the DBA, and save it in the profile (it goes to the "
                                 "keychain)")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Check DATABASE_URL environment variable")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Recreate database container: docker compose down -v && docker "
                                 "compose up -d"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Ask the DBA to reset the password of {user} ({alterrole}) and "
                                 "save the new one in the profile; never recreate this server's "
                                 "container or volumes"),
               true},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "With scram-sha-256 a user that does not exist is reported the "
                                 "same way: check the user name ({user}) too")}}},
            {DiagnosisCategory::RoleNotFound,
             "role_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "role not found"),
             QT_TRANSLATE_NOOP("Diagnosis", "The database user (role) does not exist."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the user name in the connection string (now {user}; "
                                 "OrderFlow's is orderflow)")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Ask an administrator to create it: {createrole}")}}},
            {DiagnosisCategory::DatabaseNotFound,
             "database_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "database not found"),
             QT_TRANSLATE_NOOP("Diagnosis", "The database does not exist on this server."),
             "Database Initialization",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the database name in the connection string (now "
                                 "{dbname}; OrderFlow uses orderflow, its tests "
                                 "orderflow_test)")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Create the database once: {createdb}"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "If the database should exist, ask the DBA: it may have been "
                                 "renamed or not yet created here ({createdb})")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Then run the migrations: cd backend && alembic upgrade "
                                 "head")}}},
            {DiagnosisCategory::SslRequired,
             "ssl_required",
             QT_TRANSLATE_NOOP("Diagnosis", "SSL required"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server only accepts encrypted (SSL) connections, and this "
                               "one was not encrypted."),
             "SSL Required but Not Available",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Add ?sslmode=require to connection string (now "
                                 "sslmode={sslmode})"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Add ?sslmode=verify-full&sslrootcert=/path/to/ca.crt to the "
                                 "connection string (now sslmode={sslmode})")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "For development, disable SSL requirement in PostgreSQL "
                                 "config"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Keep the server's SSL requirement: it protects this "
                                 "environment's data")},
              {QT_TRANSLATE_NOOP("Diagnosis", "For production, configure SSL certificates")}}},
            {DiagnosisCategory::SslUnavailable,
             "ssl_unavailable",
             QT_TRANSLATE_NOOP("Diagnosis", "SSL not offered"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The connection requires SSL, but the server does not offer it."),
             "SSL Required but Not Available",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "For production, configure SSL certificates on the server (ssl "
                                 "= on, ssl_cert_file, ssl_key_file)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "For a local development server only, use sslmode=prefer or "
                                 "sslmode=disable (now sslmode={sslmode})"),
               QT_TRANSLATE_NOOP("Diagnosis",
                                 "Keep sslmode={sslmode}: ask the server's administrator to "
                                 "enable TLS rather than sending this environment's data "
                                 "unencrypted")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that {host} port {port} is the intended server (a "
                                 "pooler or proxy in between may not offer SSL)")}}},
            {DiagnosisCategory::SslVerifyFailed,
             "ssl_verify_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "certificate not verified"),
             QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate could not be verified."),
             "SSL/TLS Configuration",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Point sslrootcert at the CA certificate that signed the "
                                 "server's certificate (sslmode=verify-full&sslrootcert=/path/"
                                 "to/ca.crt)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "With verify-full, connect with the host name the certificate "
                                 "names (now {host}), not an IP address or alias")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "For AWS RDS, use the RDS CA bundle as sslrootcert")}}},
            {DiagnosisCategory::HbaRejected,
             "hba_rejected",
             QT_TRANSLATE_NOOP("Diagnosis", "rejected by pg_hba.conf"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server's access rules (pg_hba.conf) do not allow this "
                               "connection."),
             "Security Best Practices",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Ask the database administrator to allow your address, user "
                                 "{user} and database {dbname} in pg_hba.conf (and reload the "
                                 "server)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that you connect from an allowed network (VPN, bastion "
                                 "host)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the user and database names: pg_hba.conf rules match "
                                 "on both")}}},
            {DiagnosisCategory::TooManyConnections,
             "too_many_connections",
             QT_TRANSLATE_NOOP("Diagnosis", "too many connections"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server has no free connection slots for this user."),
             "Too Many Connections",
             {{QT_TRANSLATE_NOOP("Diagnosis", "Check max_connections in PostgreSQL config")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Reduce pool_size + max_overflow in database.py")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Fix connection leaks (missing session.close())")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Increase PostgreSQL max_connections parameter")}}},
            {DiagnosisCategory::ServerClosed,
             "server_closed",
             QT_TRANSLATE_NOOP("Diagnosis", "server closed the connection"),
             QT_TRANSLATE_NOOP("Diagnosis", "The server closed the connection unexpectedly."),
             "Stale Connections",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Enable pool_pre_ping=True (already default in OrderFlow)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Reduce pool_recycle time: create_engine(DATABASE_URL, "
                                 "pool_recycle=1800)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that {host} port {port} is a PostgreSQL server (another "
                                 "service may accept and drop the connection)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the server log for a crash, restart or terminated "
                                 "backend")}}},
            {DiagnosisCategory::InvalidUrl,
             "invalid_url",
             QT_TRANSLATE_NOOP("Diagnosis", "invalid URL"),
             QT_TRANSLATE_NOOP("Diagnosis", "The connection string could not be read."),
             "Connection String Format",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Use the format postgresql://user:password@host:port/"
                                 "database?parameters")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Percent-encode special characters in the password (@ as %40, "
                                 ": as %3A, / as %2F)")}}},
            {DiagnosisCategory::KeychainUnavailable,
             "keychain_unavailable",
             QT_TRANSLATE_NOOP("Diagnosis", "keychain unavailable"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The password could not be read from the system keychain."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Unlock the keychain (GNOME Keyring, KWallet, macOS Keychain, "
                                 "Windows Credential Manager) and try again")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Or type the password for this session only: it is not "
                                 "stored")}}},
            // The SSH and tunnel rows: the evidence (Tunnel's reading of ssh's own lines) brings
            // the steps for this hop, key and known_hosts line; these are what always applies.
            {DiagnosisCategory::SshUnreachable,
             "ssh_unreachable",
             QT_TRANSLATE_NOOP("Diagnosis", "SSH host unreachable"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The SSH server (or a jump host) could not be reached."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check the SSH host's name and port in the profile's route, and "
                                 "that you are on the network (VPN) where it answers")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Try the same route in a terminal: ssh -v with the host of the "
                                 "route, to see where it stops")}}},
            {DiagnosisCategory::SshHostKeyUnknown,
             "ssh_host_key_unknown",
             QT_TRANSLATE_NOOP("Diagnosis", "unknown SSH host key"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The SSH host's key is not known yet: it was not accepted."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Compare the fingerprint with the one the host's administrator "
                                 "gives you; only then accept it (the window's Accept button, or "
                                 "--accept-new-host-key on the command line)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "A key accepted once is kept in ~/.ssh/known_hosts, as ssh "
                                 "itself keeps it: later connections check it there")}}},
            {DiagnosisCategory::SshHostKeyChanged,
             "ssh_host_key_changed",
             QT_TRANSLATE_NOOP("Diagnosis", "SSH host key changed"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The SSH host sent another key than the one known for it: this "
                               "may be an attack."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Do not connect until the host's administrator confirms that the "
                                 "host key was replaced: someone may be intercepting the "
                                 "connection (man in the middle)")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Compare the fingerprint the host sent with the one its "
                                 "administrator gives you")}}},
            {DiagnosisCategory::SshAuthFailed,
             "ssh_auth_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "SSH authentication"),
             QT_TRANSLATE_NOOP("Diagnosis", "The SSH host refused the login."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that the public half of the key is in the SSH user's "
                                 "~/.ssh/authorized_keys on that host")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "If the key has a passphrase, load it into ssh-agent (ssh-add) "
                                 "or save the passphrase in the profile: there is no terminal "
                                 "to type it in")}}},
            {DiagnosisCategory::SshForwardFailed,
             "ssh_forward_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "SSH forwarding"),
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The last SSH host could not reach the database server."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "The profile's host {host} and port {port} are as the last SSH "
                                 "host sees them: check that they answer from there")},
              {QT_TRANSLATE_NOOP(
                      "Diagnosis",
                      "If ssh says \"administratively prohibited\", the SSH server "
                      "does not allow forwarding (AllowTcpForwarding in sshd_config)")}}},
            {DiagnosisCategory::TunnelCommandFailed,
             "tunnel_command_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "tunnel command"),
             QT_TRANSLATE_NOOP("Diagnosis", "The tunnel did not open."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis",
                                 "Run the command in a terminal, with a free port number in "
                                 "place of its port placeholder, to see what it says")},
              {QT_TRANSLATE_NOOP("Diagnosis",
                                 "Check that its program is installed and logged in (kubectl "
                                 "context, aws sso login, gcloud auth)")}}},
            {DiagnosisCategory::Unknown,
             "unknown",
             QT_TRANSLATE_NOOP("Diagnosis", "unrecognised failure"),
             QT_TRANSLATE_NOOP("Diagnosis", "The connection failed for a reason not recognised."),
             "",
             {{QT_TRANSLATE_NOOP("Diagnosis", "Read the server's message below")},
              {QT_TRANSLATE_NOOP("Diagnosis", "Check the server log at the time of the attempt")}}},
    };
    return table;
}

const Row &row(DiagnosisCategory category)
{
    for (const Row &r : rows()) {
        if (r.category == category)
            return r;
    }
    return rows().last();
}

// An SQL identifier, always quoted: a plain-looking name may be a reserved word ("order").
QString sqlIdentifier(const QString &name)
{
    return u"\""_s + PlainText::terminalSafe(name).replace(u"\""_s, u"\"\""_s) + u"\""_s;
}

// psql on the maintenance database of the target, running one statement. Each option takes
// its value as the next word, so a value that starts with "-" stays a value.
QString psqlCommand(const StepContext &context, const QString &sql)
{
    return u"psql -h %1 -p %2 -U %3 -d postgres -c %4"_s.arg(
            PlainText::shellQuoted(context.host), PlainText::shellQuoted(context.port),
            PlainText::shellQuoted(context.user), PlainText::shellQuoted(sql));
}

// A value of the target, on one line; unknown values read as what to fill in.
QString placeholderValue(const QString &name, const StepContext &target)
{
    StepContext context = target;
    for (auto [field, unknown] : {std::pair{&context.host, u"HOST"_s},
                                  {&context.port, u"PORT"_s},
                                  {&context.dbname, u"DATABASE"_s},
                                  {&context.user, u"USER"_s},
                                  {&context.sslmode, SslModes::defaultMode()}}) {
        if (field->isEmpty())
            *field = unknown;
    }
    if (name == u"reach"_s) {
        // pg_isready takes each value as its option's argument, whatever it starts with.
        return NetworkProbe::isSocketDirectory(context.host)
                ? u"ls -l "_s
                        + PlainText::shellQuoted(
                                NetworkProbe::socketPath(context.host, context.port.toUShort()))
                : u"pg_isready -h %1 -p %2"_s.arg(PlainText::shellQuoted(context.host),
                                                  PlainText::shellQuoted(context.port));
    }
    if (name == u"createdb"_s)
        return psqlCommand(context, u"CREATE DATABASE %1;"_s.arg(sqlIdentifier(context.dbname)));
    if (name == u"createrole"_s)
        return u"CREATE ROLE %1 LOGIN PASSWORD '...'"_s.arg(sqlIdentifier(context.user));
    if (name == u"alterrole"_s)
        return u"ALTER ROLE %1 PASSWORD '...'"_s.arg(sqlIdentifier(context.user));
    const QString value = name == u"host"_s ? context.host
            : name == u"port"_s             ? context.port
            : name == u"dbname"_s           ? context.dbname
            : name == u"user"_s             ? context.user
                                            : context.sslmode;
    return PlainText::terminalSafe(value);
}

// One pass over the template, so that braces inside the values are never read as placeholders.
QString render(const char *text, const StepContext &context)
{
    const QString step = Text::tr(text);
    static const QRegularExpression placeholder(
            u"\\{(host|port|dbname|user|sslmode|reach|createdb|createrole|alterrole)\\}"_s);
    QString out;
    qsizetype from = 0;
    for (const QRegularExpressionMatch &match : placeholder.globalMatch(step)) {
        out += step.mid(from, match.capturedStart() - from);
        out += placeholderValue(match.captured(1), context);
        from = match.capturedEnd();
    }
    return out + step.mid(from);
}

} // namespace

StepContext StepContext::forTarget(const QMap<QString, QString> &params, bool dataDisposable)
{
    StepContext context;
    context.dataDisposable = dataDisposable;
    context.host = params.value(u"host"_s).section(u',', 0, 0);
    context.port = params.value(u"port"_s).section(u',', 0, 0);
    context.dbname = params.value(u"dbname"_s);
    context.user = params.value(u"user"_s);
    context.sslmode = params.value(u"sslmode"_s);
    return context;
}

void StepContext::fillLibpqDefaults()
{
    PQconninfoOption *defaults = PQconndefaults();
    for (PQconninfoOption *option = defaults; option && option->keyword; ++option) {
        if (!option->val || !*option->val)
            continue;
        const QByteArray keyword(option->keyword);
        QString *field = keyword == "host" ? &host
                : keyword == "port"        ? &port
                : keyword == "dbname"      ? &dbname
                : keyword == "user"        ? &user
                : keyword == "sslmode"     ? &sslmode
                                           : nullptr;
        if (field && field->isEmpty())
            *field = QString::fromUtf8(option->val).section(u',', 0, 0);
    }
    PQconninfoFree(defaults);
    if (dbname.isEmpty())
        dbname = user;
}

void StepContext::update(const StepContext &effective)
{
    for (auto [field, value] : {std::pair{&host, &effective.host},
                                {&port, &effective.port},
                                {&dbname, &effective.dbname},
                                {&user, &effective.user}}) {
        if (!value->isEmpty())
            *field = *value;
    }
}

QString Diagnosis::categoryId() const
{
    return DiagnosisTable::id(category);
}

QString Diagnosis::headline() const
{
    return DiagnosisTable::headline(category);
}

QStringList Diagnosis::hints() const
{
    return leadingSteps + (categorySteps ? DiagnosisTable::hints(category, context) : QStringList())
            + extraSteps;
}

namespace DiagnosisTable {

QString id(DiagnosisCategory category)
{
    return QString::fromLatin1(row(category).id);
}

std::optional<DiagnosisCategory> fromId(const QString &id)
{
    for (const Row &r : rows()) {
        if (id == QLatin1String(r.id))
            return r.category;
    }
    return std::nullopt;
}

QString name(DiagnosisCategory category)
{
    return Text::tr(row(category).name);
}

QString headline(DiagnosisCategory category)
{
    return Text::tr(row(category).headline);
}

QString documentSection(DiagnosisCategory category)
{
    return QString::fromLatin1(row(category).section);
}

QStringList hints(DiagnosisCategory category, const StepContext &context)
{
    QStringList out;
    for (const Step &step : row(category).steps) {
        if (context.dataDisposable) {
            QString text = render(step.text, context);
            if (step.destroysData)
                text = Text::tr(
                               "%1 (destroys data: removes the container's volumes, every database "
                               "in them included)")
                               .arg(text);
            out << text;
        } else if (step.precious) {
            out << render(step.precious, context);
        } else if (!step.destroysData) {
            out << render(step.text, context);
        }
    }
    return out;
}

Diagnosis make(DiagnosisCategory category, ConnectionStage stage, const QString &message,
               const QString &sqlstate)
{
    Diagnosis diagnosis;
    diagnosis.category = category;
    diagnosis.stage = stage;
    diagnosis.message = message;
    diagnosis.sqlstate = sqlstate;
    return diagnosis;
}

QList<DiagnosisCategory> allFailures()
{
    QList<DiagnosisCategory> out;
    for (const Row &r : rows()) {
        if (r.category != DiagnosisCategory::Ok)
            out << r.category;
    }
    return out;
}

} // namespace DiagnosisTable
