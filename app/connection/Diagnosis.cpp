#include "Diagnosis.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Diagnosis", text);
}

struct Row
{
    DiagnosisCategory category;
    const char *id;
    const char *headline;
    const char *section;
    QList<const char *> hints;
};

// The one table. Hints begin with the configuration document's own solutions for the
// section named, in its order, then steps of our own.
const QList<Row> &rows()
{
    static const QList<Row> table{
            {DiagnosisCategory::Ok, "ok", QT_TRANSLATE_NOOP("Diagnosis", "Connected."), "", {}},
            {DiagnosisCategory::ConnectionRefused,
             "connection_refused",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "Nothing is accepting connections at that address and port."),
             "Connection Refused",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Check if PostgreSQL is running: docker compose ps postgres"),
              QT_TRANSLATE_NOOP("Diagnosis", "Verify port is not blocked: telnet localhost 5432"),
              QT_TRANSLATE_NOOP("Diagnosis", "Check firewall settings"),
              QT_TRANSLATE_NOOP("Diagnosis", "Verify connection string hostname/port")}},
            {DiagnosisCategory::HostNotFound,
             "host_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "The server's host name could not be found."),
             "",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Check the host name in the connection string for typos"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "If the name is internal (such as *.internal), connect to the "
                                "VPN or network where it resolves"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Try the server's IP address instead of its name to rule out "
                                "DNS")}},
            {DiagnosisCategory::Timeout,
             "timeout",
             QT_TRANSLATE_NOOP("Diagnosis", "The server did not answer in time."),
             "",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Check that the host and port are the database server's, not "
                                "another service's"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check firewalls and security groups between you and the server: "
                                "silently dropped packets look like this"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "If the network is slow, raise connect_timeout (seconds) in the "
                                "connection string")}},
            {DiagnosisCategory::AuthFailed,
             "auth_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "The server rejected the user name or password."),
             "Authentication Failed",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Verify password in .env matches Docker Compose POSTGRES_PASSWORD"),
              QT_TRANSLATE_NOOP("Diagnosis", "Check DATABASE_URL environment variable"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Recreate database container: docker compose down -v && docker "
                                "compose up -d"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "With scram-sha-256 a user that does not exist is reported the "
                                "same way: check the user name too")}},
            {DiagnosisCategory::RoleNotFound,
             "role_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "The database user (role) does not exist."),
             "",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Check the user name in the connection string (default: "
                                "orderflow)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Ask an administrator to create it: CREATE ROLE orderflow LOGIN "
                                "PASSWORD '...'")}},
            {DiagnosisCategory::DatabaseNotFound,
             "database_not_found",
             QT_TRANSLATE_NOOP("Diagnosis", "The database does not exist on this server."),
             "Database Initialization",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Check the database name in the connection string (default: "
                                "orderflow; tests use orderflow_test)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Create the test database once: psql -U orderflow -h localhost "
                                "-c \"CREATE DATABASE orderflow_test;\""),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Then run the migrations: cd backend && alembic upgrade head")}},
            {DiagnosisCategory::SslRequired,
             "ssl_required",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server only accepts encrypted (SSL) connections, and this "
                               "one was not encrypted."),
             "SSL Required but Not Available",
             {QT_TRANSLATE_NOOP("Diagnosis", "Add ?sslmode=require to connection string"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "For development, disable SSL requirement in PostgreSQL config"),
              QT_TRANSLATE_NOOP("Diagnosis", "For production, configure SSL certificates")}},
            {DiagnosisCategory::SslUnavailable,
             "ssl_unavailable",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The connection requires SSL, but the server does not offer it."),
             "SSL Required but Not Available",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "For production, configure SSL certificates on the server (ssl = "
                                "on, ssl_cert_file, ssl_key_file)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "For a local development server only, use sslmode=prefer or "
                                "sslmode=disable"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check that host and port are the intended server (a pooler or "
                                "proxy in between may not offer SSL)")}},
            {DiagnosisCategory::SslVerifyFailed,
             "ssl_verify_failed",
             QT_TRANSLATE_NOOP("Diagnosis", "The server's certificate could not be verified."),
             "SSL/TLS Configuration",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Point sslrootcert at the CA certificate that signed the "
                                "server's certificate (sslmode=verify-full&sslrootcert=/path/to/"
                                "ca.crt)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "With verify-full, connect with the host name the certificate "
                                "names, not an IP address or alias"),
              QT_TRANSLATE_NOOP("Diagnosis", "For AWS RDS, use the RDS CA bundle as sslrootcert")}},
            {DiagnosisCategory::HbaRejected,
             "hba_rejected",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server's access rules (pg_hba.conf) do not allow this "
                               "connection."),
             "Security Best Practices",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Ask the database administrator to allow your address, user and "
                                "database in pg_hba.conf (and reload the server)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check that you connect from an allowed network (VPN, bastion "
                                "host)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check the user and database names: pg_hba.conf rules match "
                                "on both")}},
            {DiagnosisCategory::TooManyConnections,
             "too_many_connections",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The server has no free connection slots for this user."),
             "Too Many Connections",
             {QT_TRANSLATE_NOOP("Diagnosis", "Check max_connections in PostgreSQL config"),
              QT_TRANSLATE_NOOP("Diagnosis", "Reduce pool_size + max_overflow in database.py"),
              QT_TRANSLATE_NOOP("Diagnosis", "Fix connection leaks (missing session.close())"),
              QT_TRANSLATE_NOOP("Diagnosis", "Increase PostgreSQL max_connections parameter")}},
            {DiagnosisCategory::ServerClosed,
             "server_closed",
             QT_TRANSLATE_NOOP("Diagnosis", "The server closed the connection unexpectedly."),
             "Stale Connections",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Enable pool_pre_ping=True (already default in OrderFlow)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Reduce pool_recycle time: create_engine(DATABASE_URL, "
                                "pool_recycle=1800)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check that host and port are a PostgreSQL server (another "
                                "service may accept and drop the connection)"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Check the server log for a crash, restart or terminated "
                                "backend")}},
            {DiagnosisCategory::InvalidUrl,
             "invalid_url",
             QT_TRANSLATE_NOOP("Diagnosis", "The connection string could not be read."),
             "Connection String Format",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Use the format postgresql://user:password@host:port/"
                                "database?parameters"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Percent-encode special characters in the password (@ as %40, "
                                ": as %3A, / as %2F)")}},
            {DiagnosisCategory::KeychainUnavailable,
             "keychain_unavailable",
             QT_TRANSLATE_NOOP("Diagnosis",
                               "The password could not be read from the system keychain."),
             "",
             {QT_TRANSLATE_NOOP("Diagnosis",
                                "Unlock the keychain (GNOME Keyring, KWallet, macOS Keychain, "
                                "Windows Credential Manager) and try again"),
              QT_TRANSLATE_NOOP("Diagnosis",
                                "Or type the password for this session only: it is not "
                                "stored")}},
            {DiagnosisCategory::Unknown,
             "unknown",
             QT_TRANSLATE_NOOP("Diagnosis", "The connection failed for a reason not recognised."),
             "",
             {QT_TRANSLATE_NOOP("Diagnosis", "Read the server's message below"),
              QT_TRANSLATE_NOOP("Diagnosis", "Check the server log at the time of the attempt")}},
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

} // namespace

QString Diagnosis::categoryId() const
{
    return DiagnosisTable::id(category);
}

QString Diagnosis::headline() const
{
    return DiagnosisTable::headline(category);
}

namespace DiagnosisTable {

QString id(DiagnosisCategory category)
{
    return QString::fromLatin1(row(category).id);
}

QString headline(DiagnosisCategory category)
{
    return tr(row(category).headline);
}

QString documentSection(DiagnosisCategory category)
{
    return QString::fromLatin1(row(category).section);
}

QStringList hints(DiagnosisCategory category)
{
    QStringList out;
    for (const char *hint : row(category).hints)
        out << tr(hint);
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
    diagnosis.hints = hints(category);
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
