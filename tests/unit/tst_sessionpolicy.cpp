#include "connection/SessionPolicy.h"
#include "profiles/Profile.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

using ParamMap = QMap<QString, QString>;

/// Which profiles get read-only sessions, and how the policy reaches libpq's parameters.
class TestSessionPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void onlyProductionProfilesAreReadOnly_data();
    void onlyProductionProfilesAreReadOnly();
    void readOnlyComesLastInTheOptions_data();
    void readOnlyComesLastInTheOptions();
    void optionsFromPgoptionsAreKept();
    void writableSessionsKeepTheirParametersUntouched();
    void profileUrlDoesNotCarryThePolicy();
};

void TestSessionPolicy::init()
{
    qunsetenv("PGOPTIONS");
    qunsetenv("PGSERVICE");
}

void TestSessionPolicy::cleanup()
{
    qunsetenv("PGOPTIONS");
}

void TestSessionPolicy::onlyProductionProfilesAreReadOnly_data()
{
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("production") << Environment::Production << true;
    QTest::newRow("staging") << Environment::Staging << false;
    QTest::newRow("development") << Environment::Development << false;
    QTest::newRow("test") << Environment::Test << false;
    QTest::newRow("other") << Environment::Other << false;
}

void TestSessionPolicy::onlyProductionProfilesAreReadOnly()
{
    QFETCH(Environment, environment);
    QFETCH(bool, readOnly);
    QCOMPARE(Profile::create(u"profile"_s, environment).sessionPolicy().readOnly, readOnly);
}

void TestSessionPolicy::readOnlyComesLastInTheOptions_data()
{
    QTest::addColumn<ParamMap>("params");
    QTest::addColumn<QString>("options");
    const ParamMap base{{u"host"_s, u"db.example.com"_s}, {u"dbname"_s, u"orderflow"_s}};
    QTest::newRow("no options") << base << u"-c default_transaction_read_only=on"_s;
    ParamMap withPath = base;
    withPath.insert(u"options"_s, u"-c search_path=orders,public "_s);
    QTest::newRow("profile options kept")
            << withPath << u"-c search_path=orders,public -c default_transaction_read_only=on"_s;
    ParamMap contrary = base;
    contrary.insert(u"options"_s, u"-c default_transaction_read_only=off"_s);
    QTest::newRow("a contrary option comes first")
            << contrary
            << u"-c default_transaction_read_only=off -c default_transaction_read_only=on"_s;
}

void TestSessionPolicy::readOnlyComesLastInTheOptions()
{
    QFETCH(ParamMap, params);
    QFETCH(QString, options);
    ParamMap expected = params;
    expected.insert(u"options"_s, options);
    SessionPolicy policy;
    policy.readOnly = true;
    policy.applyTo(params);
    QCOMPARE(params, expected);
}

void TestSessionPolicy::optionsFromPgoptionsAreKept()
{
    // Setting "options" hides PGOPTIONS from libpq; its value must not be lost with it.
    qputenv("PGOPTIONS", "-c statement_timeout=5s");
    ParamMap params{{u"dbname"_s, u"orderflow"_s}};
    SessionPolicy policy;
    policy.readOnly = true;
    policy.applyTo(params);
    QCOMPARE(params.value(u"options"_s),
             u"-c statement_timeout=5s -c default_transaction_read_only=on"_s);
}

void TestSessionPolicy::writableSessionsKeepTheirParametersUntouched()
{
    qputenv("PGOPTIONS", "-c statement_timeout=5s");
    const ParamMap original{{u"dbname"_s, u"orderflow"_s}};
    ParamMap params = original;
    SessionPolicy().applyTo(params);
    QCOMPARE(params, original);
    ParamMap withOptions{{u"options"_s, u"-c search_path=orders"_s}};
    Profile::create(u"dev"_s, Environment::Development).sessionPolicy().applyTo(withOptions);
    QCOMPARE(withOptions, ParamMap({{u"options"_s, u"-c search_path=orders"_s}}));
}

void TestSessionPolicy::profileUrlDoesNotCarryThePolicy()
{
    const Profile production = Profile::create(u"prod-eu"_s, Environment::Production);
    QVERIFY(!production.connectionUrl().has(u"options"_s));
    QVERIFY(!production.redactedUrl().contains(u"read_only"_s));
}

QTEST_GUILESS_MAIN(TestSessionPolicy)
#include "tst_sessionpolicy.moc"
