#include "TestEnvironment.h"
#include "connection/ConnectionUrl.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
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
    void unsavedKeychainPasswordIsLeftToLibpqWithoutAskingTheKeychain();
    void libpqPasswordReachesTheServerWithoutAnyKeychain_data();
    void libpqPasswordReachesTheServerWithoutAnyKeychain();

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
    QVERIFY(!outcome.failure.hints().isEmpty());
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
    // The profile says a password was saved; the unlocked keychain has none: that is not "no
    // password". (A locked keychain is reported as locked: tst_lockedkeyring.)
    Profile profile = Profile::create(u"locked"_s, Environment::Development);
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    const PasswordOutcome outcome = resolve(profile);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.failure.category, DiagnosisCategory::KeychainUnavailable);
    QVERIFY2(outcome.failure.message.contains(u"removed"_s), qPrintable(outcome.failure.message));
}

void TestPasswordResolver::unsavedKeychainPasswordIsLeftToLibpqWithoutAskingTheKeychain()
{
    // A keychain profile whose password was never saved there. No keychain answers within
    // 0 ms, so asking one at all would end in a timeout instead of libpq's own sources.
    SecretStore unreachable;
    unreachable.setTimeout(0);
    PasswordResolver resolver(&unreachable);
    Profile profile = Profile::create(u"pgpass-user"_s, Environment::Development);
    QCOMPARE(profile.passwordSource, PasswordSource::Keychain);
    QVERIFY(!profile.hasStoredPassword());
    std::optional<PasswordOutcome> outcome;
    resolver.resolve(profile, this, [&](const PasswordOutcome &o) { outcome = o; });
    QTRY_VERIFY(outcome.has_value());
    QVERIFY2(outcome->ok, qPrintable(outcome->failure.message));
    QCOMPARE(outcome->origin, u"libpq"_s);
    QVERIFY(!outcome->password.has_value());
}

void TestPasswordResolver::libpqPasswordReachesTheServerWithoutAnyKeychain_data()
{
    QTest::addColumn<bool>("libpqSource");
    QTest::newRow("keychain source, nothing saved") << false;
    QTest::newRow("libpq source") << true;
}

void TestPasswordResolver::libpqPasswordReachesTheServerWithoutAnyKeychain()
{
    QFETCH(bool, libpqSource);
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QTemporaryDir config;
    // The profile file as the program writes it, without the default required extensions
    // (the test server has none, and the check would exit 3 for that).
    const auto url = ConnectionUrl::parse(
            u"postgresql://%1@%2:%3/postgres"_s.arg(server->superuser, server->host)
                    .arg(server->port));
    QVERIFY(url);
    Profile profile = Profile::fromUrl(u"from-env"_s, Environment::Development, *url);
    profile.requiredExtensions.clear();
    if (libpqSource)
        profile.passwordSource = PasswordSource::Libpq;
    QVERIFY(!profile.hasStoredPassword());
    QFile file(QDir(config.path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(
                       QJsonObject{{u"schema"_s, 1}, {u"profiles"_s, QJsonArray{profile.toJson()}}})
                       .toJson());
    file.close();

    // No session bus and no display: no keychain can be reached. PGPASSWORD is the password.
    QProcessEnvironment environment = TestEnvironment::processEnvironment(config.path());
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    environment.remove(u"DISPLAY"_s);
    environment.remove(u"WAYLAND_DISPLAY"_s);
    environment.insert(u"XDG_RUNTIME_DIR"_s, config.path());
    environment.insert(u"PGPASSWORD"_s, server->superuserPassword);
    environment.insert(u"PGPASSFILE"_s, config.filePath(u"no-pgpass"_s));
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    const auto cli = [&](const QStringList &arguments) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(TestEnvironment::executable(), arguments);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return Result{};
        }
        return Result{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
                      QString::fromUtf8(process.readAllStandardOutput()),
                      QString::fromUtf8(process.readAllStandardError())};
    };

    const Result check = cli({u"check"_s, u"--profile"_s, u"from-env"_s, u"--json"_s});
    QVERIFY2(check.exitCode == 0, qPrintable(check.out + check.err));
    QCOMPARE(QJsonDocument::fromJson(check.out.toUtf8()).object().value(u"category"_s).toString(),
             u"ok"_s);

    const Result monitor = cli(
            {u"monitor"_s, u"--profile"_s, u"from-env"_s, u"--samples"_s, u"1"_s, u"--json"_s});
    QVERIFY2(monitor.exitCode == 0, qPrintable(monitor.out + monitor.err));
    const QJsonObject sample
            = QJsonDocument::fromJson(monitor.out.trimmed().split(u'\n').first().toUtf8()).object();
    QVERIFY2(sample.value(u"ok"_s).toBool(), qPrintable(monitor.out));
    const QString everything = check.out + check.err + monitor.out + monitor.err;
    QVERIFY(!everything.contains(server->superuserPassword));
}

QTEST_GUILESS_MAIN(TestPasswordResolver)
#include "tst_passwordresolver.moc"
