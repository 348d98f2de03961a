#include "pool/EngineSnippet.h"
#include "pool/PoolCalculator.h"
#include "pool/PoolPresets.h"

#include <QTest>

#include <limits>

using namespace Qt::Literals::StringLiterals;

/// The configuration document's pool arithmetic: presets, the sizing formula and tiers, the
/// budget of profiles sharing a server, and the create_engine snippet.
class TestPoolCalculator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presetsAreTheDocuments();
    void capacityIsWorkersTimesPoolPlusOverflow();
    void hugeSettingsNeitherOverflowNorLoad();
    void formulaAndTiers();
    void budgetCountsProfilesOnTheSameServer();
    void budgetWarnsWhenPoolsCanExceedTheServer();
    void snippetSetsPoolAndApplicationName();
    void snippetKeepsALineBreakingNameInItsComment();
    void snippetForNullPoolAndAsyncpg();
};

void TestPoolCalculator::presetsAreTheDocuments()
{
    const QList<PoolPreset> presets = PoolPresets::all();
    QCOMPARE(presets.size(), 4);
    QCOMPARE(presets.at(0).poolSize, 5);
    QCOMPARE(presets.at(0).maxOverflow, 10);
    QCOMPARE(presets.at(1).poolSize, 20);
    QCOMPARE(presets.at(1).maxOverflow, 40);
    QCOMPARE(presets.at(2).poolClass, PoolSettings::PoolClass::NullPool);
    QCOMPARE(presets.at(3).poolSize, 2);
    QCOMPARE(presets.at(3).maxOverflow, 5);
    PoolSettings settings;
    QCOMPARE(PoolPresets::matching(settings)->id, u"web"_s);
    settings = presets.at(1).applyTo(settings);
    QCOMPARE(PoolPresets::matching(settings)->id, u"high-traffic"_s);
    settings.poolSize = 7;
    QVERIFY(!PoolPresets::matching(settings));
}

void TestPoolCalculator::capacityIsWorkersTimesPoolPlusOverflow()
{
    PoolSettings settings; // 5 + 10, one worker: "total max: 15"
    QCOMPARE(settings.capacity(), 15);
    settings.workers = 4;
    QCOMPARE(settings.capacity(), 60);
    settings.poolClass = PoolSettings::PoolClass::NullPool;
    settings.expectedConcurrency = 25;
    QCOMPARE(settings.capacity(), 100);
}

void TestPoolCalculator::hugeSettingsNeitherOverflowNorLoad()
{
    // Made in code beyond the ranges: the product saturates instead of wrapping round.
    PoolSettings settings;
    settings.poolSize = 2147483000;
    settings.workers = 4;
    QCOMPARE(settings.capacity(), std::numeric_limits<int>::max());
    // From a file: out of range falls back to the default, in range is kept.
    const PoolSettings loaded = PoolSettings::fromJson(
            QJsonObject{{u"pool_size"_s, 2147483000}, {u"workers"_s, 4}, {u"max_overflow"_s, -1}});
    QCOMPARE(loaded.poolSize, PoolSettings().poolSize);
    QCOMPARE(loaded.maxOverflow, PoolSettings().maxOverflow);
    QCOMPARE(loaded.workers, 4);
    QCOMPARE(loaded.capacity(), 60);
}

void TestPoolCalculator::formulaAndTiers()
{
    QCOMPARE(PoolCalculator::recommendedPoolSize(4, 1), 9);
    QCOMPARE(PoolCalculator::recommendedPoolSize(2, 0), 4);
    QCOMPARE(PoolCalculator::tierFor(1).poolSize, 5);
    QCOMPARE(PoolCalculator::tierFor(2).maxOverflow, 10);
    QCOMPARE(PoolCalculator::tierFor(4).poolSize, 10);
    QCOMPARE(PoolCalculator::tierFor(8).maxOverflow, 20);
    QCOMPARE(PoolCalculator::tierFor(16).poolSize, 20);
    QCOMPARE(PoolCalculator::tierFor(16).maxOverflow, 40);
    QCOMPARE(PoolCalculator::tiers().size(), 3);
}

void TestPoolCalculator::budgetCountsProfilesOnTheSameServer()
{
    auto make = [](const QString &name, const QString &url, int workers) {
        Profile profile
                = Profile::fromUrl(name, Environment::Production, *ConnectionUrl::parse(url));
        profile.pool.workers = workers;
        return profile;
    };
    const Profile web = make(u"web"_s, u"postgresql://u@localhost:5432/orderflow"_s, 4);
    const Profile worker = make(u"celery"_s, u"postgresql://u@127.0.0.1:5432/orderflow"_s, 2);
    const Profile other = make(u"other"_s, u"postgresql://u@db.internal:5432/orderflow"_s, 8);
    const Profile otherPort = make(u"port"_s, u"postgresql://u@localhost:5433/orderflow"_s, 8);
    QVERIFY(PoolCalculator::sameServer(web, worker));
    QVERIFY(!PoolCalculator::sameServer(web, other));
    QVERIFY(!PoolCalculator::sameServer(web, otherPort));
    const auto budget = PoolCalculator::budget({web, worker, other, otherPort}, web, 97);
    QCOMPARE(budget.entries.size(), 2);
    QCOMPARE(budget.total, 60 + 30);
    QVERIFY(!budget.exceeds());
    QCOMPARE(budget.headroom(), 7);
    QVERIFY(budget.verdict().contains(u"7 to spare"_s));
}

void TestPoolCalculator::budgetWarnsWhenPoolsCanExceedTheServer()
{
    Profile web = Profile::create(u"web"_s, Environment::Production);
    web.pool.poolSize = 20;
    web.pool.maxOverflow = 40;
    web.pool.workers = 2;
    const auto budget = PoolCalculator::budget({web}, web, 97);
    QCOMPARE(budget.total, 120);
    QVERIFY(budget.exceeds());
    QVERIFY(budget.verdict().contains(u"23 more than"_s));
    QVERIFY(PoolCalculator::budget({web}, web, -1).verdict().contains(u"not known"_s));
}

void TestPoolCalculator::snippetSetsPoolAndApplicationName()
{
    Profile profile = Profile::create(u"Staging API"_s, Environment::Staging);
    profile.pool.poolSize = 10;
    profile.pool.maxOverflow = 20;
    profile.pool.poolRecycleSeconds = 1800;
    const QString snippet = EngineSnippet::createEngine(profile);
    QVERIFY(snippet.contains(u"pool_size=10,"_s));
    QVERIFY(snippet.contains(u"max_overflow=20,"_s));
    QVERIFY(snippet.contains(u"pool_recycle=1800,"_s));
    QVERIFY(snippet.contains(u"pool_pre_ping=True,"_s));
    QVERIFY(snippet.contains(u"connect_args={\"application_name\": \"orderflow-staging-api\"}"_s));
    QVERIFY(snippet.contains(u"os.environ[\"DATABASE_URL\"]"_s));
    profile.pool.applicationName = u"orderflow-api"_s;
    QVERIFY(EngineSnippet::createEngine(profile).contains(
            u"\"application_name\": \"orderflow-api\""_s));

    // The URL names the application: that name, once, from the URL.
    profile.params.insert(u"application_name"_s, u"orderflow-worker"_s);
    const QString named = EngineSnippet::createEngine(profile);
    QCOMPARE(EngineSnippet::applicationName(profile), u"orderflow-worker"_s);
    QVERIFY2(!named.contains(u"connect_args"_s), qPrintable(named));
    QVERIFY(!named.contains(u"orderflow-api"_s));
    QVERIFY(named.contains(u"echo=False,\n)"_s));
}

void TestPoolCalculator::snippetKeepsALineBreakingNameInItsComment()
{
    const Profile plain = Profile::create(u"API"_s, Environment::Staging);
    Profile hostile = plain;
    hostile.name = u"API\rimport os; os.system('id')\n\u2028x = 1"_s;
    hostile.pool.applicationName = u"api\r\n\"'\\"_s;
    const QString snippet = EngineSnippet::createEngine(hostile);
    QCOMPARE(snippet.count(u'\n'), EngineSnippet::createEngine(plain).count(u'\n'));
    QVERIFY(!snippet.contains(u'\r'));
    QVERIFY(!snippet.contains(QChar(0x2028)));
    QVERIFY(snippet.contains(u"{\"application_name\": \"api\\r\\n\\\"'\\\\\"}"_s));
}

void TestPoolCalculator::snippetForNullPoolAndAsyncpg()
{
    Profile profile = Profile::create(u"lambda"_s, Environment::Production);
    profile.pool = PoolPresets::all().at(2).applyTo(profile.pool);
    profile.driver = u"asyncpg"_s;
    const QString snippet = EngineSnippet::createEngine(profile);
    QVERIFY(snippet.contains(u"from sqlalchemy.pool import NullPool"_s));
    QVERIFY(snippet.contains(u"poolclass=NullPool"_s));
    QVERIFY(!snippet.contains(u"pool_size"_s));
    QVERIFY(snippet.contains(
            u"\"server_settings\": {\"application_name\": \"orderflow-lambda\"}"_s));
}

QTEST_GUILESS_MAIN(TestPoolCalculator)
#include "tst_poolcalculator.moc"
