#include "profiles/FingerprintCheck.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The cluster fingerprint guard: remember on first contact, notice a moved profile, and warn
/// when a profile of one environment reaches a cluster remembered for another.
class TestFingerprint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstContactIsRemembered();
    void stagingOnTheProductionClusterIsWarned();
    void aMovedProfileIsNoticed();
    void unreadableIdentifierChangesNothing();

private:
    static ServerSnapshot snapshot(const QString &id)
    {
        ServerSnapshot s;
        s.systemIdentifier = id;
        s.serverAddress = u"10.0.0.5"_s;
        s.serverPort = 5432;
        s.version = u"16.4"_s;
        return s;
    }
};

void TestFingerprint::firstContactIsRemembered()
{
    const Profile prod = Profile::create(u"prod"_s, Environment::Production);
    const auto verdict = FingerprintCheck::check(prod, snapshot(u"7001"_s), {prod});
    QVERIFY(verdict.remember);
    QCOMPARE(verdict.fingerprint.systemIdentifier, u"7001"_s);
    QCOMPARE(verdict.fingerprint.port, 5432);
    QVERIFY(verdict.warning.isEmpty());
}

void TestFingerprint::stagingOnTheProductionClusterIsWarned()
{
    Profile prod = Profile::create(u"prod-eu"_s, Environment::Production);
    prod.fingerprint = FingerprintCheck::check(prod, snapshot(u"7001"_s), {}).fingerprint;
    Profile devSameCluster = Profile::create(u"dev-shared"_s, Environment::Development);
    devSameCluster.fingerprint = prod.fingerprint;
    const Profile staging = Profile::create(u"staging"_s, Environment::Staging);
    const auto verdict = FingerprintCheck::check(staging, snapshot(u"7001"_s),
                                                 {prod, devSameCluster, staging});
    QVERIFY(verdict.crossesEnvironments);
    QCOMPARE(verdict.otherProfile, u"prod-eu"_s); // production wins over development
    QCOMPARE(verdict.otherEnvironment, Environment::Production);
    QVERIFY(verdict.warning.contains(u"staging profile \"staging\""_s));
    QVERIFY(verdict.warning.contains(u"production profile \"prod-eu\""_s));
    // The same environment sharing a cluster is fine.
    const Profile prod2 = Profile::create(u"prod-replica"_s, Environment::Production);
    QVERIFY(FingerprintCheck::check(prod2, snapshot(u"7001"_s), {prod, prod2}).warning.isEmpty());
}

void TestFingerprint::aMovedProfileIsNoticed()
{
    Profile prod = Profile::create(u"prod"_s, Environment::Production);
    prod.fingerprint = FingerprintCheck::check(prod, snapshot(u"7001"_s), {}).fingerprint;
    const auto verdict = FingerprintCheck::check(prod, snapshot(u"9999"_s), {prod});
    QVERIFY(verdict.moved);
    QVERIFY(!verdict.remember);
    QVERIFY(verdict.warning.contains(u"different cluster"_s));
}

void TestFingerprint::unreadableIdentifierChangesNothing()
{
    const Profile prod = Profile::create(u"prod"_s, Environment::Production);
    const auto verdict = FingerprintCheck::check(prod, snapshot(QString()), {prod});
    QVERIFY(!verdict.remember && !verdict.moved && verdict.warning.isEmpty());
}

QTEST_GUILESS_MAIN(TestFingerprint)
#include "tst_fingerprint.moc"
