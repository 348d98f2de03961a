#include "connection/ConnectionUrl.h"
#include "profiles/ProfileRepository.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

// What a password rotation decides before it touches anything: the password it generates,
// which profiles it refuses, and which others share the role.
class TestRotationRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedPasswordsNeedNoEscapingAndHaveEveryClass();
    void onlyKeychainProfilesWithAPasswordAreRotated();
    void profilesSharingTheRoleAreThoseOnTheSameServer();
    void oneRotationAtATime();
};

namespace {

Profile profileFor(const QString &name, const QString &url)
{
    Profile profile = Profile::fromUrl(name, Environment::Staging, *ConnectionUrl::parse(url));
    profile.id = name;
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    return profile;
}

} // namespace

void TestRotationRules::generatedPasswordsNeedNoEscapingAndHaveEveryClass()
{
    QSet<QString> seen;
    for (int length : {PasswordRotation::MinimumLength, PasswordRotation::DefaultLength,
                       PasswordRotation::MaximumLength}) {
        for (int i = 0; i < 200; ++i) {
            const QString password = PasswordRotation::generate(length);
            QCOMPARE(password.size(), length);
            QVERIFY2(password.front().isLetter(), qPrintable(password));
            for (const QChar c : password)
                QVERIFY2(c.isLetterOrNumber() || QStringView(u"-_.").contains(c),
                         qPrintable(password));
            QVERIFY(std::any_of(password.cbegin(), password.cend(),
                                [](QChar c) { return !c.isLetterOrNumber(); }));
            QVERIFY(std::any_of(password.cbegin(), password.cend(),
                                [](QChar c) { return c.isDigit(); }));
            // It reads back unchanged from a URL it is written into.
            ConnectionUrl url = *ConnectionUrl::parse(u"postgresql://u@h/db"_s);
            url.setValue(u"password"_s, password);
            QCOMPARE(url.toUrl(), u"postgresql://u:%1@h/db"_s.arg(password));
            seen << password;
        }
    }
    QCOMPARE(seen.size(), 600);
}

void TestRotationRules::onlyKeychainProfilesWithAPasswordAreRotated()
{
    Profile profile = profileFor(u"Staging"_s, u"postgresql://app@db.internal/orderflow"_s);
    QVERIFY(!PasswordRotation::unsupportedReason(profile));

    profile.passwordSource = PasswordSource::Command;
    QVERIFY(PasswordRotation::unsupportedReason(profile)->contains(u"secret manager"_s));
    profile.passwordSource = PasswordSource::Libpq;
    QVERIFY(PasswordRotation::unsupportedReason(profile)->contains(u".pgpass"_s));
    profile.passwordSource = PasswordSource::SessionOnly;
    QVERIFY(PasswordRotation::unsupportedReason(profile)->contains(u"every time"_s));
    profile.passwordSource = PasswordSource::Keychain;
    profile.passwordChangedAt = QDateTime();
    QVERIFY(PasswordRotation::unsupportedReason(profile)->contains(u"no saved password"_s));
}

void TestRotationRules::profilesSharingTheRoleAreThoseOnTheSameServer()
{
    const Profile api = profileFor(u"Api"_s, u"postgresql://app@db.internal:5432/orderflow"_s);
    const Profile worker
            = profileFor(u"Worker"_s, u"postgresql://app@db.internal:5432/orderflow_jobs"_s);
    const Profile otherRole
            = profileFor(u"Admin"_s, u"postgresql://admin@db.internal:5432/orderflow"_s);
    const Profile otherServer
            = profileFor(u"Replica"_s, u"postgresql://app@replica.internal:5432/orderflow"_s);
    Profile noPassword = profileFor(u"Fresh"_s, u"postgresql://app@db.internal:5432/orderflow"_s);
    noPassword.passwordChangedAt = QDateTime();
    const QList<Profile> all{api, worker, otherRole, otherServer, noPassword};

    const QList<Profile> sharing = PasswordRotation::sharingRole(all, api);
    QCOMPARE(sharing.size(), 1);
    QCOMPARE(sharing.first().name, u"Worker"_s);

    // With fingerprints, the cluster decides, whatever the host names say.
    Profile apiSeen = api;
    apiSeen.fingerprint.systemIdentifier = u"7301"_s;
    Profile replicaSeen = otherServer;
    replicaSeen.fingerprint.systemIdentifier = u"7301"_s;
    Profile workerElsewhere = worker;
    workerElsewhere.fingerprint.systemIdentifier = u"9999"_s;
    const QList<Profile> seen
            = PasswordRotation::sharingRole({apiSeen, replicaSeen, workerElsewhere}, apiSeen);
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().name, u"Replica"_s);
}

void TestRotationRules::oneRotationAtATime()
{
    QTemporaryDir directory;
    ProfileRepository repository(directory.path());
    SecretStore secrets;
    PasswordRotation rotation(&repository, &secrets);
    QList<ProfileActionResult::Status> outcomes;
    auto record = [&](const PasswordRotation::Outcome &outcome) {
        outcomes << outcome.result.status;
    };
    rotation.start(u"missing"_s, {}, PasswordRotation::DefaultLength, {}, record);
    // Before the first has reported: refused, and the first still reports its own outcome.
    rotation.start(u"missing"_s, {}, PasswordRotation::DefaultLength, {}, record);
    QTRY_COMPARE(outcomes.size(), 2);
    QVERIFY(outcomes.contains(ProfileActionResult::Status::Invalid));
    QVERIFY(outcomes.contains(ProfileActionResult::Status::NotFound));
}

QTEST_GUILESS_MAIN(TestRotationRules)
#include "tst_rotationrules.moc"
