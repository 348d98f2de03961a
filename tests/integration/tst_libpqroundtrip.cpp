#include "TestEnvironment.h"
#include "connection/ConnectionUrl.h"
#include "profiles/Profile.h"

#include <QTest>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

namespace {

struct ConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
using Connection = std::unique_ptr<PGconn, ConnDeleter>;

Connection connectTo(const QString &conninfo)
{
    return Connection(PQconnectdb(conninfo.toUtf8().constData()));
}

QString execScalar(PGconn *conn, const QString &sql)
{
    PGresult *result = PQexec(conn, sql.toUtf8().constData());
    QString value;
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0)
        value = QString::fromUtf8(PQgetvalue(result, 0, 0));
    else if (PQresultStatus(result) != PGRES_COMMAND_OK)
        qWarning("%s", PQresultErrorMessage(result));
    PQclear(result);
    return value;
}

QString literal(PGconn *conn, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    char *escaped = PQescapeLiteral(conn, bytes.constData(), size_t(bytes.size()));
    const QString out = QString::fromUtf8(escaped);
    PQfreemem(escaped);
    return out;
}

QString identifier(PGconn *conn, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    char *escaped = PQescapeIdentifier(conn, bytes.constData(), size_t(bytes.size()));
    const QString out = QString::fromUtf8(escaped);
    PQfreemem(escaped);
    return out;
}

} // namespace

/// The URLs we write are the URLs libpq reads: a role and database with awkward names and
/// passwords are created on the test server, and our formatted URL must log in to them.
class TestLibpqRoundTrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formattedUrlLogsInWithAwkwardCredentials_data();
    void formattedUrlLogsInWithAwkwardCredentials();
    void profileUrlReachesTheServer();
};

void TestLibpqRoundTrip::formattedUrlLogsInWithAwkwardCredentials_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::newRow("reserved characters")
            << u"of_user1"_s << u"p@ss:w/rd?a&b=c%25#"_s << u"of db/1"_s;
    QTest::newRow("non-ascii") << u"órderflöw"_s << u"пароль-密码-ü"_s << u"orderflow_ü"_s;
    QTest::newRow("quotes and spaces") << u"of user'q"_s << u" it's \"quoted\" \\ "_s << u"of'db"_s;
}

void TestLibpqRoundTrip::formattedUrlLogsInWithAwkwardCredentials()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);

    Connection admin = connectTo(server->superuserConninfo());
    QVERIFY2(PQstatus(admin.get()) == CONNECTION_OK, PQerrorMessage(admin.get()));
    const QString role = identifier(admin.get(), user);
    const QString db = identifier(admin.get(), database);
    execScalar(admin.get(), u"DROP DATABASE IF EXISTS %1"_s.arg(db));
    execScalar(admin.get(), u"DROP ROLE IF EXISTS %1"_s.arg(role));
    execScalar(admin.get(),
               u"CREATE ROLE %1 LOGIN PASSWORD %2"_s.arg(role, literal(admin.get(), password)));
    execScalar(admin.get(), u"CREATE DATABASE %1 OWNER %2"_s.arg(db, role));

    ConnectionUrl url;
    url.setValue(u"host"_s, server->host);
    url.setValue(u"port"_s, QString::number(server->port));
    url.setValue(u"user"_s, user);
    url.setValue(u"password"_s, password);
    url.setValue(u"dbname"_s, database);
    url.setValue(u"application_name"_s, u"orderflow-dbadmin tests"_s);
    const QString formatted = url.toUrl();

    Connection conn = connectTo(formatted);
    QVERIFY2(PQstatus(conn.get()) == CONNECTION_OK,
             qPrintable(ConnectionUrl::scrub(QString::fromUtf8(PQerrorMessage(conn.get())),
                                             password)));
    QCOMPARE(execScalar(conn.get(), u"SELECT current_user"_s), user);
    QCOMPARE(execScalar(conn.get(), u"SELECT current_database()"_s), database);
    QCOMPARE(execScalar(conn.get(), u"SELECT current_setting('application_name')"_s),
             u"orderflow-dbadmin tests"_s);
    conn.reset();

    // The redacted form must not log in: it carries no password.
    Connection redacted = connectTo(url.redacted());
    QVERIFY(PQstatus(redacted.get()) != CONNECTION_OK);
    redacted.reset();

    execScalar(admin.get(), u"DROP DATABASE IF EXISTS %1"_s.arg(db));
    execScalar(admin.get(), u"DROP ROLE IF EXISTS %1"_s.arg(role));
}

void TestLibpqRoundTrip::profileUrlReachesTheServer()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const auto url = ConnectionUrl::parse(
            u"postgresql://%1@%2:%3/postgres"_s.arg(server->superuser, server->host)
                    .arg(server->port));
    QVERIFY(url);
    const Profile profile = Profile::fromUrl(u"cluster"_s, Environment::Test, *url);
    ConnectionUrl withPassword = profile.connectionUrl();
    withPassword.setValue(u"password"_s, server->superuserPassword);
    Connection conn = connectTo(withPassword.toUrl());
    QVERIFY2(PQstatus(conn.get()) == CONNECTION_OK, PQerrorMessage(conn.get()));
    QVERIFY(execScalar(conn.get(), u"SHOW server_version_num"_s).toInt() >= 150000);
}

QTEST_GUILESS_MAIN(TestLibpqRoundTrip)
#include "tst_libpqroundtrip.moc"
