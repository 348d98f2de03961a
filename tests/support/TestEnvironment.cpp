#include "TestEnvironment.h"

#include "secrets/SecretStore.h"

#include <QProcess>
#include <QStandardPaths>

#include <libpq-fe.h>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace TestEnvironment {

QString PostgresServer::superuserConninfo() const
{
    return u"host=%1 port=%2 user=%3 password=%4 dbname=postgres"_s.arg(host).arg(port).arg(
            superuser, superuserPassword);
}

QString PostgresServer::superuserQuery(const QString &sql, const QString &database) const
{
    const QString conninfo
            = superuserConninfo().replace(u"dbname=postgres"_s, u"dbname="_s + database);
    PGconn *conn = PQconnectdb(conninfo.toUtf8().constData());
    PGresult *result = PQexec(conn, sql.toUtf8().constData());
    QString value;
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0)
        value = QString::fromUtf8(PQgetvalue(result, 0, 0));
    PQclear(result);
    PQfinish(conn);
    return value;
}

bool PostgresServer::canLogIn(const QString &role, const QString &password) const
{
    const QByteArray hostValue = host.toUtf8();
    const QByteArray portValue = QByteArray::number(port);
    const QByteArray user = role.toUtf8();
    const QByteArray secret = password.toUtf8();
    const char *keywords[] = {"host", "port", "dbname", "user", "password", "sslmode", nullptr};
    const char *values[] = {hostValue.constData(),
                            portValue.constData(),
                            "postgres",
                            user.constData(),
                            secret.constData(),
                            "disable",
                            nullptr};
    PGconn *conn = PQconnectdbParams(keywords, values, 0);
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    return ok;
}

bool programAvailable(const QString &name)
{
    return !QStandardPaths::findExecutable(name).isEmpty();
}

QString keychainLookup(const QString &key)
{
    return run({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key},
               QProcessEnvironment::systemEnvironment(), {}, u"secret-tool"_s)
            .out;
}

bool pythonModuleAvailable(const QString &module)
{
    return programAvailable(u"python3"_s)
            && run({u"-c"_s, u"import "_s + module}, QProcessEnvironment::systemEnvironment(), {},
                   u"python3"_s)
                       .exitCode
            == 0;
}

bool initGitRepository(const QString &directory)
{
    if (!programAvailable(u"git"_s))
        return false;
    QProcess git;
    git.setWorkingDirectory(directory);
    git.start(u"git"_s, {u"init"_s, u"-q"_s});
    return git.waitForFinished(10000) && git.exitCode() == 0;
}

bool strict()
{
    return qEnvironmentVariableIntValue("ORDERFLOW_TEST_STRICT") == 1;
}

std::optional<PostgresServer> postgres(const QString &prefix)
{
    auto variable = [&](const char *suffix, const QString &fallback = {}) {
        return qEnvironmentVariable((prefix + QLatin1StringView(suffix)).toUtf8().constData(),
                                    fallback);
    };
    const int port = variable("PORT").toInt();
    if (port <= 0)
        return std::nullopt;
    PostgresServer server;
    server.host = variable("HOST", u"127.0.0.1"_s);
    server.port = port;
    server.superuser = variable("USER", u"postgres"_s);
    server.superuserPassword = variable("PASSWORD");
    server.caFile = variable("CA");
    server.otherCaFile = variable("OTHER_CA");
    server.socketDirectory = variable("SOCKET");
    return server;
}

bool keyringAvailable()
{
    return qEnvironmentVariableIntValue("ORDERFLOW_TEST_KEYRING") == 1
            && qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS");
}

bool exclusiveKeyring()
{
    return keyringAvailable()
            && qEnvironmentVariableIntValue("ORDERFLOW_TEST_KEYRING_EXCLUSIVE") == 1
            && qEnvironmentVariableIsSet("ORDERFLOW_KEYRING_PASSWORD");
}

QString executable()
{
    return QStringLiteral(ORDERFLOW_DBADMIN_BIN);
}

QProcessEnvironment processEnvironment(const QString &configDirectory)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ORDERFLOW_DBADMIN_CONFIG_DIR"_s, configDirectory);
    // English, whatever the language of the machine the tests run on: LC_ALL and LC_MESSAGES
    // would override LANG, and LANGUAGE add preferences.
    environment.insert(u"LANG"_s, u"C.UTF-8"_s);
    for (const QString &variable : {u"LC_ALL"_s, u"LC_MESSAGES"_s, u"LANGUAGE"_s})
        environment.remove(variable);
    return environment;
}

ProcessResult run(const QStringList &arguments, const QProcessEnvironment &environment,
                  const QByteArray &input, const QString &program, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program.isEmpty() ? executable() : program, arguments);
    if (!process.waitForStarted(10000))
        return {};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace TestEnvironment
