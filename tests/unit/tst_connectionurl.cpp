#include "SeedExamples.h"
#include "connection/ConnectionUrl.h"

#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

using ParamMap = QMap<QString, QString>;

class TestConnectionUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySeedStringParsesToItsComponents_data();
    void everySeedStringParsesToItsComponents();
    void formatThenParseIsStable_data();
    void formatThenParseIsStable();
    void awkwardPasswordsRoundTrip_data();
    void awkwardPasswordsRoundTrip();
    void redactedFormHidesThePassword();
    void keyValueStringsAreAccepted();
    void postgresSchemeIsAccepted();
    void ipv6HostsKeepTheirBrackets();
    void socketDirectoryAsHost();
    void invalidStringsAreRejectedWithoutThePassword_data();
    void invalidStringsAreRejectedWithoutThePassword();
    void shortPasswordLeavesOtherWordsAlone();
    void validationCatchesWhatLibpqLeavesForConnectTime_data();
    void validationCatchesWhatLibpqLeavesForConnectTime();
    void parseValidAcceptsAUsableString();
};

void TestConnectionUrl::everySeedStringParsesToItsComponents_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ParamMap>("expected");
    QTest::addColumn<QString>("driver");
    for (const SeedExample &example : seedExamples())
        QTest::newRow(example.tag) << example.url << example.params << example.driver;
}

void TestConnectionUrl::everySeedStringParsesToItsComponents()
{
    QFETCH(QString, url);
    QFETCH(ParamMap, expected);
    QFETCH(QString, driver);
    QString error;
    const auto parsed = ConnectionUrl::parse(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->params(), expected);
    QCOMPARE(parsed->driver(), driver);
    QVERIFY(parsed->validate().isEmpty());
}

void TestConnectionUrl::formatThenParseIsStable_data()
{
    QTest::addColumn<QString>("url");
    for (const SeedExample &example : seedExamples())
        QTest::newRow(example.tag) << example.url;
    QTest::newRow("several hosts") << u"postgresql://a.example:5432,b.example:5433/db"_s;
    QTest::newRow("several hosts, one port") << u"postgresql://a,b:5432/db"_s;
    // libpq gives these an empty port each (","), which must not reach the URL written.
    QTest::newRow("several hosts, no port") << u"host=a,b dbname=db"_s;
    QTest::newRow("ipv6 and ipv4") << u"postgresql://[::1]:5432,127.0.0.1:5433/db"_s;
    QTest::newRow("socket directory") << u"postgresql:///orderflow?host=/var/run/postgresql"_s;
    QTest::newRow("encoded socket host") << u"postgresql://%2Ftmp%2Fpg/orderflow"_s;
    QTest::newRow("port only") << u"postgresql://:5433/db"_s;
    QTest::newRow("no database") << u"postgresql://u@h?sslmode=disable"_s;
    QTest::newRow("encoded database") << u"postgresql://h/my%20db%2Fx"_s;
    QTest::newRow("key=value") << u"host=localhost port=5432 dbname='my db' user=orderflow"_s;
    QTest::newRow("application_name with spaces")
            << u"postgresql://h/db?application_name=Order%20Flow%20API"_s;
    QTest::newRow("asyncpg driver") << u"postgresql+asyncpg://u:p@h/db"_s;
    // Hosts that cannot stand in a URL's host part as they are: they go in its query.
    QTest::newRow("host ending in a line break") << u"host='db\n' dbname=d"_s;
    QTest::newRow("non-ASCII host") << u"host=d\u00E4tabase.example dbname=d"_s;
    QTest::newRow("ipv6 with a zone") << u"host=fe80::1%eth0 dbname=d"_s;
}

void TestConnectionUrl::formatThenParseIsStable()
{
    QFETCH(QString, url);
    const auto first = ConnectionUrl::parse(url);
    QVERIFY(first);
    const QString formatted = first->toUrl();
    QString error;
    const auto second = ConnectionUrl::parse(formatted, &error);
    QVERIFY2(second, qPrintable(formatted + u": "_s + error));
    QCOMPARE(second->params(), first->params());
    QCOMPARE(second->driver(), first->driver());
    QCOMPARE(second->toUrl(), formatted);
}

void TestConnectionUrl::awkwardPasswordsRoundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("at sign") << u"p@ssword"_s;
    QTest::newRow("colon") << u"a:b:c"_s;
    QTest::newRow("slash") << u"s/l/a/s/h"_s;
    QTest::newRow("percent") << u"100%sure%2F"_s;
    QTest::newRow("query characters") << u"a?b&c=d"_s;
    QTest::newRow("everything") << u"@:/%?&=#[]+ !$'\"\\"_s;
    QTest::newRow("non-ascii") << u"pässwörd-密码-пароль"_s;
    QTest::newRow("spaces") << u"  two  spaces  "_s;
}

void TestConnectionUrl::awkwardPasswordsRoundTrip()
{
    QFETCH(QString, password);
    ConnectionUrl url;
    url.setValue(u"user"_s, u"ord@r:flow"_s);
    url.setValue(u"password"_s, password);
    url.setValue(u"host"_s, u"localhost"_s);
    url.setValue(u"port"_s, u"5432"_s);
    url.setValue(u"dbname"_s, u"order flow/ü"_s);
    const QString formatted = url.toUrl();
    QString error;
    const auto parsed = ConnectionUrl::parse(formatted, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->password(), password);
    QCOMPARE(parsed->value(u"user"_s), u"ord@r:flow"_s);
    QCOMPARE(parsed->value(u"dbname"_s), u"order flow/ü"_s);
    QCOMPARE(parsed->params(), url.params());
    QVERIFY(!url.redacted().contains(QString::fromLatin1(QUrl::toPercentEncoding(password))));
    QVERIFY(url.redacted().contains(u":***@"_s));
}

void TestConnectionUrl::redactedFormHidesThePassword()
{
    const auto url = ConnectionUrl::parse(
            u"postgresql://orderflow:s3cret@staging-db.internal:5432/orderflow?sslmode=require"_s);
    QVERIFY(url);
    QCOMPARE(url->redacted(),
             u"postgresql://orderflow:***@staging-db.internal:5432/orderflow?sslmode=require"_s);
    QCOMPARE(url->toUrl(ConnectionUrl::PasswordMode::Omit),
             u"postgresql://orderflow@staging-db.internal:5432/orderflow?sslmode=require"_s);
    QVERIFY(!url->withoutPassword().hasPassword());

    const auto noPassword = ConnectionUrl::parse(u"postgresql://orderflow@localhost/orderflow"_s);
    QVERIFY(noPassword);
    QCOMPARE(noPassword->redacted(), u"postgresql://orderflow@localhost/orderflow"_s);
}

void TestConnectionUrl::keyValueStringsAreAccepted()
{
    const auto url = ConnectionUrl::parse(
            u"host=db.internal port=5433 dbname=orderflow user=orderflow password='it\\'s' "
            "sslmode=verify-full"_s);
    QVERIFY(url);
    QCOMPARE(url->value(u"host"_s), u"db.internal"_s);
    QCOMPARE(url->value(u"port"_s), u"5433"_s);
    QCOMPARE(url->value(u"sslmode"_s), u"verify-full"_s);
    QVERIFY(url->hasPassword());
    QCOMPARE(url->redacted(),
             u"postgresql://orderflow:***@db.internal:5433/orderflow?sslmode=verify-full"_s);
}

void TestConnectionUrl::postgresSchemeIsAccepted()
{
    const auto url = ConnectionUrl::parse(u"postgres://u:p@h:6432/d"_s);
    QVERIFY(url);
    QCOMPARE(url->value(u"port"_s), u"6432"_s);
    QVERIFY(url->toUrl().startsWith(u"postgresql://"_s));
}

void TestConnectionUrl::ipv6HostsKeepTheirBrackets()
{
    const auto url = ConnectionUrl::parse(u"postgresql://u@[2001:db8::7]:5433,[::1]/d"_s);
    QVERIFY(url);
    QCOMPARE(url->hosts(), QStringList({u"2001:db8::7"_s, u"::1"_s}));
    QCOMPARE(url->value(u"port"_s), u"5433,"_s);
    QCOMPARE(url->toUrl(), u"postgresql://u@[2001:db8::7]:5433,[::1]/d"_s);
    // No port for any host: no port at all, as for one host.
    const auto portless = ConnectionUrl::parse(u"postgresql://a,b/d"_s);
    QVERIFY(portless);
    QVERIFY(!portless->has(u"port"_s));
}

void TestConnectionUrl::socketDirectoryAsHost()
{
    const auto url = ConnectionUrl::parse(u"postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db"_s);
    QVERIFY(url);
    QCOMPARE(url->value(u"host"_s), u"/var/run/postgresql"_s);
    QCOMPARE(url->value(u"port"_s), u"5433"_s);
}

void TestConnectionUrl::invalidStringsAreRejectedWithoutThePassword_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret");
    QTest::newRow("empty") << u"   "_s << QString();
    QTest::newRow("unknown query parameter")
            << u"postgresql://u:hunter22@h/db?bogus=1"_s << u"hunter22"_s;
    QTest::newRow("unterminated ipv6") << u"postgresql://u:hunter22@[::1/db"_s << u"hunter22"_s;
    QTest::newRow("other scheme") << u"mysql://u:hunter22@h/db"_s << u"hunter22"_s;
    QTest::newRow("space in key=value password")
            << u"host=h password=hunter 22secret"_s << u"22secret"_s;
    QTest::newRow("unterminated quote") << u"host=h password='hunter22"_s << u"hunter22"_s;
    QTest::newRow("bare word") << u"localhost:5432"_s << QString();
    // libpq would read only what comes before the NUL.
    QTest::newRow("NUL") << u"postgresql://u:hunter22@h/db\0?host=elsewhere"_s << u"hunter22"_s;
    // Mistyped schemes still carry user:password@host: it is read by its shape.
    QTest::newRow("one slash") << u"postgresql:/user:hunter22@host/db"_s << u"hunter22"_s;
    QTest::newRow("no colon") << u"postgresql//user:hunter22@host/db"_s << u"hunter22"_s;
    QTest::newRow("no scheme") << u"user:hunter22@host/db"_s << u"hunter22"_s;
    QTest::newRow("no scheme, slash in password") << u"user:hun/ter22@host/db"_s << u"ter22"_s;
    // Typos that move a user:password into a field validate() quotes (found by fuzz_connectionurl).
    QTest::newRow("password in sslmode")
            << u"host=h sslmode=ver=:hunter22secret@orderflow"_s << u"hunter22secret"_s;
    QTest::newRow("password in port")
            << u"postgresql://u@h:x:hunter22secret@/db"_s << u"hunter22secret"_s;
}

void TestConnectionUrl::shortPasswordLeavesOtherWordsAlone()
{
    QString error;
    QVERIFY(!ConnectionUrl::parseValid(u"postgresql://u:p@h:0/db"_s, &error));
    QVERIFY2(error.startsWith(u"port \"0\""_s), qPrintable(error));
    QCOMPARE(ConnectionUrl::scrub(u"password p for user pat: \"p\""_s, u"p"_s),
             u"password *** for user pat: \"***\""_s);
    // A long one goes wherever it appears, also inside a longer fragment.
    QCOMPARE(ConnectionUrl::scrub(u"at \"xhunter2pwx\""_s, u"hunter2pw"_s), u"at \"x***x\""_s);
}

void TestConnectionUrl::invalidStringsAreRejectedWithoutThePassword()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    QString error;
    QVERIFY(!ConnectionUrl::parseValid(text, &error));
    QVERIFY(!error.isEmpty());
    if (!secret.isEmpty())
        QVERIFY2(!error.contains(secret), qPrintable(error));
}

void TestConnectionUrl::validationCatchesWhatLibpqLeavesForConnectTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem");
    QTest::newRow("port not a number") << u"postgresql://h:abc/db"_s << u"port"_s;
    QTest::newRow("port too large") << u"host=h port=70000"_s << u"port"_s;
    QTest::newRow("unknown sslmode") << u"postgresql://h/db?sslmode=required"_s << u"sslmode"_s;
    QTest::newRow("connect_timeout") << u"host=h connect_timeout=soon"_s << u"connect_timeout"_s;
    QTest::newRow("ports and hosts disagree") << u"host=a,b port=1,2,3"_s << u"ports"_s;
    // A pasted line break (found by fuzz_connectionurl) would travel into every URL written.
    QTest::newRow("port with a line break") << u"host=h port='5432\r'"_s << u"port"_s;
    QTest::newRow("connect_timeout with a space")
            << u"host=h connect_timeout='10 '"_s << u"connect_timeout"_s;
    // The password typed where the port goes: the error names the problem, not the password.
    QTest::newRow("password in the port")
            << u"postgresql://u:hunter2pw@h:hunter2pw/db"_s << u"port"_s;
    // An "@" in the password, not percent-encoded: its second half lands in the host name.
    QTest::newRow("at sign in the password")
            << u"postgresql://u:hunter2pw@hunter2pw@h/db"_s << u"%40"_s;
}

void TestConnectionUrl::validationCatchesWhatLibpqLeavesForConnectTime()
{
    QFETCH(QString, text);
    QFETCH(QString, problem);
    const auto url = ConnectionUrl::parse(text);
    QVERIFY(url);
    const QStringList problems = url->validate();
    QVERIFY(!problems.isEmpty());
    QVERIFY2(problems.join(u' ').contains(problem), qPrintable(problems.join(u' ')));

    // parseValid(), which the command line and the connection attempt use, says the same.
    QString error;
    QVERIFY(!ConnectionUrl::parseValid(text, &error));
    QVERIFY2(error.contains(problem), qPrintable(error));
    QVERIFY2(!error.contains(u"hunter2pw"_s), qPrintable(error));
}

void TestConnectionUrl::parseValidAcceptsAUsableString()
{
    QString error;
    const auto url = ConnectionUrl::parseValid(
            u"postgresql://u:pw@127.0.0.1:5433/db?sslmode=verify-full&connect_timeout=5"_s, &error);
    QVERIFY2(url, qPrintable(error));
    QCOMPARE(url->value(u"port"_s), u"5433"_s);
    QVERIFY(!ConnectionUrl::parseValid(u"postgresql://h:99999/db"_s, &error));
    QVERIFY(!ConnectionUrl::parseValid(u"not a connection string at all ="_s, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestConnectionUrl)
#include "tst_connectionurl.moc"
