#include "TestEnvironment.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// Where an attempt's password comes from: session, keychain, libpq, or a command run without
/// a shell (an IAM token printer, a secrets-manager client).
class TestPasswordResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commandOutputIsThePassword();
    void failingCommandIsReportedWithoutItsOutput();
    void hungCommandIsStoppedAtTheDeadline();
    void missingProgramIsReported();
    void sessionPasswordComesFirst();
    void libpqSourceLeavesThePasswordUnset();
    void keychainEntryIsRead();
    void savedButMissingEntryIsKeychainUnavailable();

private:
    PasswordOutcome resolve(const Profile &profile, int commandTimeoutMs = 5000);
    SecretStore m_secrets;
};

PasswordOutcome TestPasswordResolver::resolve(const Profile &profile, int commandTimeoutMs)
{
    PasswordResolver resolver(&m_secrets);
    resolver.setCommandTimeout(commandTimeoutMs);
    std::optional<PasswordOutcome> outcome;
    resolver.resolve(profile, this, [&](const PasswordOutcome &o) { outcome = o; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 15000);
    }();
    return outcome.value_or(PasswordOutcome{false, std::nullopt, u"none"_s, {}});
}

void TestPasswordResolver::commandOutputIsThePassword()
{
    Profile profile = Profile::create(u"rds"_s, Environment::Production);
    profile.passwordSource = PasswordSource::Command;
    // printf, not a shell: the arguments arrive as they are, metacharacters and all.
    profile.passwordCommand = {u"printf"_s, u"%s\\nsecond line\\n"_s, u"tok;en $(x)"_s};
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.origin, u"command"_s);
    QCOMPARE(outcome.password.value_or(QString()), u"tok;en $(x)"_s);
}

void TestPasswordResolver::failingCommandIsReportedWithoutItsOutput()
{
    Profile profile = Profile::create(u"vault"_s, Environment::Staging);
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"sh"_s, u"-c"_s, u"echo leaked-token; echo oops >&2; exit 3"_s};
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(!outcome.ok);
    QVERIFY(outcome.failure.message.contains(u"exit code 3"_s));
    QVERIFY(!outcome.failure.message.contains(u"leaked-token"_s));
    QVERIFY(!outcome.failure.hints.isEmpty());
}

void TestPasswordResolver::hungCommandIsStoppedAtTheDeadline()
{
    Profile profile = Profile::create(u"slow"_s, Environment::Staging);
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"sleep"_s, u"30"_s};
    QElapsedTimer clock;
    clock.start();
    const PasswordOutcome outcome = resolve(profile, 300);
    QVERIFY(!outcome.ok);
    QVERIFY(outcome.failure.message.contains(u"did not finish"_s));
    QVERIFY(clock.elapsed() < 10000);
}

void TestPasswordResolver::missingProgramIsReported()
{
    Profile profile = Profile::create(u"missing"_s, Environment::Staging);
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"/nonexistent/aws-token-printer"_s};
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(!outcome.ok);
    QVERIFY(outcome.failure.message.contains(u"could not be started"_s));
}

void TestPasswordResolver::sessionPasswordComesFirst()
{
    Profile profile = Profile::create(u"typed"_s, Environment::Development);
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"false"_s};
    m_secrets.setSessionPassword(profile.id, u"typed-now"_s);
    const PasswordOutcome outcome = resolve(profile);
    m_secrets.forgetSessionPassword(profile.id);
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.origin, u"session"_s);
    QCOMPARE(outcome.password.value_or(QString()), u"typed-now"_s);
}

void TestPasswordResolver::libpqSourceLeavesThePasswordUnset()
{
    Profile profile = Profile::create(u"pgpass"_s, Environment::Development);
    profile.passwordSource = PasswordSource::Libpq;
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(outcome.ok);
    QVERIFY(!outcome.password.has_value());
    QCOMPARE(outcome.origin, u"libpq"_s);
}

void TestPasswordResolver::keychainEntryIsRead()
{
    ORDERFLOW_REQUIRE_KEYRING();
    Profile profile = Profile::create(u"keyed"_s, Environment::Development);
    bool written = false;
    m_secrets.writePassword(profile.id, u"from-keyring"_s, this,
                            [&](const SecretResult &r) { written = r.ok(); });
    QTRY_VERIFY(written);
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.origin, u"keychain"_s);
    QCOMPARE(outcome.password.value_or(QString()), u"from-keyring"_s);
    bool deleted = false;
    m_secrets.deletePassword(profile.id, this, [&](const SecretResult &r) { deleted = r.ok(); });
    QTRY_VERIFY(deleted);
}

void TestPasswordResolver::savedButMissingEntryIsKeychainUnavailable()
{
    ORDERFLOW_REQUIRE_KEYRING();
    // The profile says a password was saved; the keychain has none (a locked keyring answers
    // exactly like this): that is not "no password".
    Profile profile = Profile::create(u"locked"_s, Environment::Development);
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.failure.category, DiagnosisCategory::KeychainUnavailable);
    QVERIFY(outcome.failure.message.contains(u"locked"_s));
}

QTEST_GUILESS_MAIN(TestPasswordResolver)
#include "tst_passwordresolver.moc"
