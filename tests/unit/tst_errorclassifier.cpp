#include "connection/ErrorClassifier.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The first classification pass, on messages as libpq reports them (verbose), including
/// servers that speak another language: the SQLSTATE decides, not the words.
class TestErrorClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifiesByEvidence_data();
    void classifiesByEvidence();
    void messageIsCleaned();
    void failureOnAnOpenConnection_data();
    void failureOnAnOpenConnection();
    void everyCategoryHasAHeadlineAndHints();
};

void TestErrorClassifier::classifiesByEvidence_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("stage");
    QTest::addColumn<bool>("authenticated");
    QTest::addColumn<bool>("passwordSupplied");
    QTest::addColumn<QString>("category");

    const int auth = int(ConnectionStage::Auth);
    QTest::newRow("german wrong password")
            << u"Verbindung zum Server auf »127.0.0.1«, Port 5432 fehlgeschlagen: FATAL:  28P01: "
               "Passwort-Authentifizierung für Benutzer »orderflow« fehlgeschlagen\n"
               "ORT:  auth_failed, auth.c:323"_s
            << auth << false << true << u"auth_failed"_s;
    QTest::newRow("french slots reserved")
            << u"la connexion au serveur a échoué : FATAL:  53300: les emplacements de connexions "
               "restants sont réservés"_s
            << auth << false << true << u"too_many_connections"_s;
    QTest::newRow("japanese unknown database")
            << u"サーバーへの接続に失敗しました: FATAL:  3D000: データベース\"x\"は存在しません"_s
            << auth << true << true << u"database_not_found"_s;
    QTest::newRow("hba before authentication")
            << u"failed: FATAL:  28000: no pg_hba.conf entry for host \"10.0.0.1\""_s << auth
            << false << true << u"hba_rejected"_s;
    QTest::newRow("28000 after authentication is the role")
            << u"failed: FATAL:  28000: Rolle »x« existiert nicht"_s << auth << true << true
            << u"role_not_found"_s;
    QTest::newRow("administrator shutdown")
            << u"FATAL:  57P01: terminating connection due to administrator command"_s
            << int(ConnectionStage::Checks) << true << true << u"server_closed"_s;
    QTest::newRow("no password at the auth stage") << u"fe_sendauth: keine Passwort angegeben"_s
                                                   << auth << false << false << u"auth_failed"_s;
    QTest::newRow("refused before connecting")
            << u"connection to server at \"127.0.0.1\", port 1 failed: Connection refused"_s
            << int(ConnectionStage::Connect) << false << true << u"connection_refused"_s;
    QTest::newRow("translated refusal still at connect")
            << u"Verbindung zum Server auf »127.0.0.1«, Port 1 fehlgeschlagen: Verbindungsaufbau "
               "abgelehnt"_s
            << int(ConnectionStage::Connect) << false << true << u"connection_refused"_s;
    QTest::newRow("unknown server error")
            << u"FATAL:  XX000: something odd"_s << auth << false << true << u"unknown"_s;

    // Without a SQLSTATE, libpq's own (English) texts, one row per branch.
    const int connect = int(ConnectionStage::Connect);
    const int tls = int(ConnectionStage::Tls);
    QTest::newRow("libpq timeout")
            << u"connection to server at \"10.0.0.1\", port 5432 failed: timeout expired"_s
            << connect << false << true << u"timeout"_s;
    QTest::newRow("host name lookup")
            << u"could not translate host name \"db.invalid\" to address: Name or service not "
               "known"_s
            << int(ConnectionStage::Resolve) << false << true << u"host_not_found"_s;
    QTest::newRow("temporary lookup failure")
            << u"could not translate host name \"db\" to address: Temporary failure in name "
               "resolution"_s
            << int(ConnectionStage::Resolve) << false << true << u"host_not_found"_s;
    QTest::newRow("server without SSL")
            << u"connection to server at \"127.0.0.1\", port 5432 failed: server does not "
               "support SSL, but SSL was required"_s
            << tls << false << true << u"ssl_unavailable"_s;
    QTest::newRow("certificate not trusted")
            << u"connection to server at \"127.0.0.1\", port 5432 failed: SSL error: "
               "certificate verify failed"_s
            << tls << false << true << u"ssl_verify_failed"_s;
    QTest::newRow("root certificate missing")
            << u"connection to server at \"h\", port 5432 failed: root certificate file "
               "\"/root/.postgresql/root.crt\" does not exist"_s
            << tls << false << true << u"ssl_verify_failed"_s;
    QTest::newRow("SSL demanded in text")
            << u"connection to server failed: FATAL:  SSL connection is required"_s << auth << false
            << true << u"ssl_required"_s;
    QTest::newRow("closed while talking")
            << u"server closed the connection unexpectedly\n\tThis probably means the server "
               "terminated abnormally"_s
            << tls << false << true << u"server_closed"_s;
    QTest::newRow("reset by peer")
            << u"could not receive data from server: Connection reset by peer"_s << auth << false
            << true << u"server_closed"_s;
    QTest::newRow("missing socket file")
            << u"connection to server on socket \"/tmp/.s.PGSQL.5439\" failed: No such file or "
               "directory"_s
            << connect << false << true << u"connection_refused"_s;
    QTest::newRow("password rejected, in text")
            << u"connection to server failed: password authentication failed for user \"u\""_s
            << int(ConnectionStage::Database) << true << true << u"auth_failed"_s;
    QTest::newRow("nothing recognisable")
            << u"something nobody has seen"_s << int(ConnectionStage::Database) << true << true
            << u"unknown"_s;
}

void TestErrorClassifier::classifiesByEvidence()
{
    QFETCH(QString, message);
    QFETCH(int, stage);
    QFETCH(bool, authenticated);
    QFETCH(bool, passwordSupplied);
    QFETCH(QString, category);
    FailureEvidence evidence;
    evidence.rawMessage = message;
    evidence.stage = ConnectionStage(stage);
    evidence.authenticated = authenticated;
    evidence.connected = stage > int(ConnectionStage::Connect);
    if (passwordSupplied)
        evidence.passwordOrigin = u"the connection string"_s;
    const Diagnosis diagnosis = ErrorClassifier::classify(evidence);
    QCOMPARE(diagnosis.categoryId(), category);
}

void TestErrorClassifier::messageIsCleaned()
{
    const QString raw = u"connection to server at \"h\" failed: FATAL:  28P01: password "
                        "authentication failed for user \"u\" (hunter2)\nLOCATION:  auth_failed, "
                        "auth.c:323\n"_s;
    QCOMPARE(ErrorClassifier::sqlstate(raw), u"28P01"_s);
    const QString clean = ErrorClassifier::cleanMessage(raw, u"hunter2"_s);
    QCOMPARE(clean,
             u"connection to server at \"h\" failed: FATAL:  password authentication "
             "failed for user \"u\" (***)"_s);
}

void TestErrorClassifier::failureOnAnOpenConnection_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<bool>("connectionLost");
    QTest::addColumn<QString>("category");
    QTest::newRow("terminated backend")
            << u"FATAL:  57P01: terminating connection due to administrator command"_s << true
            << u"server_closed"_s;
    QTest::newRow("socket closed without a word")
            << u"server closed the connection unexpectedly"_s << true << u"server_closed"_s;
    QTest::newRow("unknown error, connection fine")
            << u"ERROR:  XX000: something odd"_s << false << u"unknown"_s;
    QTest::newRow("statement timeout keeps its own category")
            << u"ERROR:  57014: canceling statement due to statement timeout"_s << false
            << ErrorClassifier::classifyQueryFailure(
                       u"ERROR:  57014: canceling statement due to statement timeout"_s, false, {})
                       .categoryId();
}

void TestErrorClassifier::failureOnAnOpenConnection()
{
    QFETCH(QString, raw);
    QFETCH(bool, connectionLost);
    QFETCH(QString, category);
    const Diagnosis diagnosis = ErrorClassifier::classifyQueryFailure(
            raw + u" (pw-SENTINEL)"_s, connectionLost, u"pw-SENTINEL"_s);
    QCOMPARE(diagnosis.categoryId(), category);
    QCOMPARE(diagnosis.stage, ConnectionStage::Checks);
    QVERIFY(!diagnosis.message.contains(u"SENTINEL"_s));
}

void TestErrorClassifier::everyCategoryHasAHeadlineAndHints()
{
    QStringList ids;
    for (DiagnosisCategory category : DiagnosisTable::allFailures()) {
        QVERIFY(!DiagnosisTable::headline(category).isEmpty());
        QVERIFY2(DiagnosisTable::hints(category).size() >= 2,
                 qPrintable(DiagnosisTable::id(category)));
        ids << DiagnosisTable::id(category);
    }
    QCOMPARE(
            ids,
            QStringList(
                    {u"connection_refused"_s,   u"host_not_found"_s,        u"timeout"_s,
                     u"auth_failed"_s,          u"role_not_found"_s,        u"database_not_found"_s,
                     u"ssl_required"_s,         u"ssl_unavailable"_s,       u"ssl_verify_failed"_s,
                     u"hba_rejected"_s,         u"too_many_connections"_s,  u"server_closed"_s,
                     u"invalid_url"_s,          u"keychain_unavailable"_s,  u"ssh_unreachable"_s,
                     u"ssh_host_key_unknown"_s, u"ssh_host_key_changed"_s,  u"ssh_auth_failed"_s,
                     u"ssh_forward_failed"_s,   u"tunnel_command_failed"_s, u"unknown"_s}));
    // The document's own first step leads where it has one, for a development server.
    StepContext development;
    development.dataDisposable = true;
    QCOMPARE(DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, development).first(),
             u"Check if PostgreSQL is running: docker compose ps postgres"_s);
    QVERIFY(DiagnosisTable::hints(DiagnosisCategory::SslRequired, development)
                    .first()
                    .startsWith(u"Add ?sslmode=require to connection string"_s));
    QCOMPARE(DiagnosisTable::hints(DiagnosisCategory::ServerClosed).first(),
             u"Enable pool_pre_ping=True (already default in OrderFlow)"_s);
}

QTEST_GUILESS_MAIN(TestErrorClassifier)
#include "tst_errorclassifier.moc"
