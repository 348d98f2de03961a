#include "TestEnvironment.h"
#include "connection/ConnectionUrl.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

// `profiles rotate-password` as a user runs it, against the test cluster and the real keyring:
// what the server accepts afterwards, what the keychain holds, what the server's log saw.
class TestPasswordRotation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void rotatesOnTheServerInTheKeychainAndInTheProfile();
    void productionWithoutConfirmationChangesNothing();
    void profilesSharingTheRoleAreNamedAndUpdatedWhenAsked();
    void aCommandSourcedProfileIsSentToItsSecretManager();
    void aLengthOutsideTheRangeIsRefused();
    void aCommitWhoseAnswerIsLostIsLearnedByLoggingIn();
    void aServerRestartedDuringTheCommitIsWaitedFor();
    void aServerThatStaysDownLeavesTheNewPasswordWithTheUser();

private:
    using Result = TestEnvironment::ProcessResult;
    Result run(const QStringList &arguments, const QByteArray &input = {});
    /// A fresh login role on the test cluster (or on server), with this password.
    QString createRole(const QString &password,
                       std::optional<TestEnvironment::PostgresServer> server = std::nullopt);
    /// Saves a profile for role through the command line, its password in the keychain.
    void addProfile(const QString &name, const QString &role, const QString &password,
                    const QString &environment = u"development"_s,
                    std::optional<TestEnvironment::PostgresServer> server = std::nullopt);
    struct WaitingRotation
    {
        QString role;
        QString profileId;
        int exitCode = -1;
        QString err;
        QString keychainPassword;
    };
    /// Runs `profiles rotate-password` for a new role on the cluster whose commits wait for a
    /// standby that never comes, and calls stopBackend while its COMMIT waits: the server has
    /// committed, and the command never hears so.
    void rotateWhileTheCommitWaits(WaitingRotation &rotation, const QString &oldPassword,
                                   const std::function<void(const QString &role)> &stopBackend);
    static bool cluster(const QString &action);
    Profile savedProfile(const QString &name) const;
    static QString keychainPassword(const QString &profileId);
    /// `check --profile NAME` logs in (its required extensions aside: the cluster's postgres
    /// database has none of them, so the exit code is 3).
    bool checkConnects(const QString &name);

    std::optional<TestEnvironment::PostgresServer> m_server;
    /// The cluster started with synchronous_standby_names set and no standby: a role with
    /// synchronous_commit on waits at every COMMIT.
    std::optional<TestEnvironment::PostgresServer> m_waitingServer;
    std::unique_ptr<QTemporaryDir> m_config;
    QList<std::pair<TestEnvironment::PostgresServer, QString>> m_roles;
};

void TestPasswordRotation::initTestCase()
{
    m_server = TestEnvironment::postgres();
    ORDERFLOW_REQUIRE(m_server.has_value(), "no test PostgreSQL cluster (run-tests.sh starts one)");
    ORDERFLOW_REQUIRE(TestEnvironment::keyringAvailable(), "no keyring (with-keyring.sh)");
    ORDERFLOW_REQUIRE(TestEnvironment::programAvailable(u"secret-tool"_s), "no secret-tool");
}

void TestPasswordRotation::init()
{
    m_config = std::make_unique<QTemporaryDir>();
    QVERIFY(m_config->isValid());
}

void TestPasswordRotation::cleanup()
{
    // Profiles go with their keychain entries; roles with the cluster, but not before.
    const QList<Profile> profiles = [this] {
        ProfileStore store(m_config->path());
        store.load();
        return store.profiles();
    }();
    for (const Profile &profile : profiles)
        run({u"profiles"_s, u"remove"_s, profile.name, u"--confirm"_s, profile.name});
    for (const auto &[server, role] : std::as_const(m_roles))
        server.superuserQuery(u"DROP ROLE IF EXISTS \"%1\""_s.arg(role));
    m_roles.clear();
}

TestPasswordRotation::Result TestPasswordRotation::run(const QStringList &arguments,
                                                       const QByteArray &input)
{
    return TestEnvironment::run(arguments, TestEnvironment::processEnvironment(m_config->path()),
                                input);
}

QString TestPasswordRotation::createRole(const QString &password,
                                         std::optional<TestEnvironment::PostgresServer> server)
{
    const TestEnvironment::PostgresServer &on = server ? *server : *m_server;
    QString role = u"rotation_%1_%2"_s.arg(QDateTime::currentMSecsSinceEpoch()).arg(m_roles.size());
    on.superuserQuery(u"CREATE ROLE \"%1\" LOGIN PASSWORD '%2'"_s.arg(role, password));
    m_roles.append({on, role});
    return role;
}

void TestPasswordRotation::addProfile(const QString &name, const QString &role,
                                      const QString &password, const QString &environment,
                                      std::optional<TestEnvironment::PostgresServer> server)
{
    const TestEnvironment::PostgresServer &on = server ? *server : *m_server;
    const QString url = u"postgresql://%1@%2:%3/postgres?sslmode=disable"_s.arg(
            role, on.host, QString::number(on.port));
    const Result added = run({u"profiles"_s, u"add"_s, name, u"--url"_s, url, u"--environment"_s,
                              environment, u"--password-stdin"_s},
                             password.toUtf8() + '\n');
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
}

Profile TestPasswordRotation::savedProfile(const QString &name) const
{
    ProfileStore store(m_config->path());
    store.load();
    return store.findByName(name).value_or(Profile());
}

QString TestPasswordRotation::keychainPassword(const QString &profileId)
{
    QProcess tool;
    tool.start(u"secret-tool"_s,
               {u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                SecretStore::keyFor(profileId)});
    tool.waitForFinished(10000);
    return QString::fromUtf8(tool.readAllStandardOutput());
}

bool TestPasswordRotation::checkConnects(const QString &name)
{
    const Result check = run({u"check"_s, u"--profile"_s, name, u"--json"_s});
    const QJsonObject result = QJsonDocument::fromJson(check.out.toUtf8()).object();
    if (result.value(u"category"_s).toString() != u"ok"_s)
        qWarning().noquote() << check.out << check.err;
    return result.value(u"category"_s).toString() == u"ok"_s;
}

void TestPasswordRotation::rotatesOnTheServerInTheKeychainAndInTheProfile()
{
    const QString oldPassword = u"old-rotation-password-1"_s;
    const QString role = createRole(oldPassword);
    // Every statement of this role goes to the server's log, where the password must not.
    m_server->superuserQuery(u"ALTER ROLE \"%1\" SET log_statement = 'all'"_s.arg(role));
    // And every statement the server runs goes to pg_stat_statements (the test cluster preloads
    // it), where the password must not either.
    m_server->superuserQuery(u"CREATE EXTENSION IF NOT EXISTS pg_stat_statements"_s);
    addProfile(u"Rotating"_s, role, oldPassword);
    const Profile before = savedProfile(u"Rotating"_s);
    QVERIFY(before.hasStoredPassword());
    QTest::qWait(1100); // the saved date has whole seconds: let a new one differ

    const Result rotated = run({u"profiles"_s, u"rotate-password"_s, u"Rotating"_s});
    QVERIFY2(rotated.exitCode == 0, qPrintable(rotated.err));
    QVERIFY2(rotated.out.contains(u"the server, the keychain and the profile"_s),
             qPrintable(rotated.out));

    const QString newPassword = keychainPassword(before.id);
    QCOMPARE(newPassword.size(), 32);
    QVERIFY(newPassword != oldPassword);
    QVERIFY(!rotated.out.contains(newPassword) && !rotated.err.contains(newPassword));
    QVERIFY2(!m_server->canLogIn(role, oldPassword), "the old password still logs in");
    QVERIFY2(m_server->canLogIn(role, newPassword), "the new password does not log in");
    QVERIFY(savedProfile(u"Rotating"_s).passwordChangedAt > before.passwordChangedAt);

    QVERIFY(checkConnects(u"Rotating"_s));
    // Exports asked for the password carry the new one (compose doubles a "$": none here).
    for (const QString &format : {u"env"_s, u"compose"_s}) {
        const Result exported
                = run({u"export"_s, u"Rotating"_s, u"--format"_s, format, u"--with-password"_s});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.out.contains(newPassword), qPrintable(format));
        QVERIFY(!exported.out.contains(oldPassword));
    }

    // The server logged the statement that set the password: a verifier, not the password.
    QFile log(QDir(qEnvironmentVariable("ORDERFLOW_TEST_PGDIR")).filePath(u"server.log"_s));
    ORDERFLOW_REQUIRE(log.open(QIODevice::ReadOnly), "the test cluster's server.log");
    const QByteArray logged = log.readAll();
    const QByteArray statement = "ALTER ROLE \"" + role.toUtf8() + "\" PASSWORD 'SCRAM-SHA-256$";
    QVERIFY2(logged.contains(statement),
             "the ALTER ROLE was not logged: the test would prove nothing");
    QVERIFY2(!logged.contains(newPassword.toUtf8()), "the server's log holds the new password");

    const QString recorded = m_server->superuserQuery(
            u"SELECT string_agg(query, E'\\n') FROM pg_stat_statements WHERE query ~* 'ALTER ROLE'"_s);
    QVERIFY2(recorded.contains(role) && recorded.contains(u"SCRAM-SHA-256$"_s),
             "pg_stat_statements did not record the ALTER ROLE: the test would prove nothing");
    QVERIFY2(!recorded.contains(newPassword), "pg_stat_statements holds the new password");
}

void TestPasswordRotation::productionWithoutConfirmationChangesNothing()
{
    const QString password = u"production-password-1"_s;
    const QString role = createRole(password);
    addProfile(u"Live"_s, role, password, u"production"_s);

    const Result refused = run({u"profiles"_s, u"rotate-password"_s, u"Live"_s});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"--confirm Live"_s), qPrintable(refused.err));
    QVERIFY(m_server->canLogIn(role, password));
    QCOMPARE(keychainPassword(savedProfile(u"Live"_s).id), password);

    const Result wrongName
            = run({u"profiles"_s, u"rotate-password"_s, u"Live"_s, u"--confirm"_s, u"live"_s});
    QCOMPARE(wrongName.exitCode, 2);
    QVERIFY(m_server->canLogIn(role, password));

    const Result confirmed
            = run({u"profiles"_s, u"rotate-password"_s, u"Live"_s, u"--confirm"_s, u"Live"_s});
    QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.err));
    QVERIFY(!m_server->canLogIn(role, password));
    QVERIFY(m_server->canLogIn(role, keychainPassword(savedProfile(u"Live"_s).id)));
}

void TestPasswordRotation::profilesSharingTheRoleAreNamedAndUpdatedWhenAsked()
{
    const QString password = u"shared-role-password-1"_s;
    const QString role = createRole(password);
    addProfile(u"Api"_s, role, password);
    addProfile(u"Worker"_s, role, password);

    const Result asked = run({u"profiles"_s, u"rotate-password"_s, u"Api"_s});
    QCOMPARE(asked.exitCode, 2);
    QVERIFY2(asked.err.contains(u"\"Worker\""_s) && asked.err.contains(u"--update-shared"_s),
             qPrintable(asked.err));
    QVERIFY(m_server->canLogIn(role, password));

    const Result rotated
            = run({u"profiles"_s, u"rotate-password"_s, u"Api"_s, u"--update-shared"_s});
    QVERIFY2(rotated.exitCode == 0, qPrintable(rotated.err));
    const QString newPassword = keychainPassword(savedProfile(u"Api"_s).id);
    QCOMPARE(keychainPassword(savedProfile(u"Worker"_s).id), newPassword);
    QVERIFY(m_server->canLogIn(role, newPassword));
    QVERIFY(checkConnects(u"Worker"_s));
}

void TestPasswordRotation::aCommandSourcedProfileIsSentToItsSecretManager()
{
    ProfileStore store(m_config->path());
    store.load();
    Profile profile = Profile::fromUrl(u"Vaulted"_s, Environment::Staging,
                                       *ConnectionUrl::parse(u"postgresql://app@127.0.0.1/db"_s));
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"vault"_s, u"read"_s, u"-field=password"_s, u"secret/db"_s};
    QVERIFY(store.add(profile));
    QVERIFY(store.save());

    const Result refused = run({u"profiles"_s, u"rotate-password"_s, u"Vaulted"_s});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"secret manager"_s), qPrintable(refused.err));
}

void TestPasswordRotation::aLengthOutsideTheRangeIsRefused()
{
    const QString password = u"length-password-1"_s;
    const QString role = createRole(password);
    addProfile(u"Short"_s, role, password);
    for (const QString &length : {u"8"_s, u"500"_s, u"many"_s}) {
        const Result refused
                = run({u"profiles"_s, u"rotate-password"_s, u"Short"_s, u"--length"_s, length});
        QCOMPARE(refused.exitCode, 2);
    }
    QVERIFY(m_server->canLogIn(role, password));
}

bool TestPasswordRotation::cluster(const QString &action)
{
    QProcess script;
    script.start(u"bash"_s,
                 {QStringLiteral(ORDERFLOW_SOURCE_DIR) + u"/tests/scripts/pg-cluster.sh"_s, action,
                  qEnvironmentVariable("ORDERFLOW_TEST_MONPGDIR")});
    return script.waitForFinished(60000) && script.exitStatus() == QProcess::NormalExit
            && script.exitCode() == 0;
}

void TestPasswordRotation::rotateWhileTheCommitWaits(
        WaitingRotation &rotation, const QString &oldPassword,
        const std::function<void(const QString &role)> &stopBackend)
{
    m_waitingServer = TestEnvironment::postgres(u"ORDERFLOW_TEST_MONPG"_s);
    ORDERFLOW_REQUIRE(m_waitingServer.has_value(), "no ORDERFLOW_TEST_MONPG cluster");
    rotation.role = createRole(oldPassword, m_waitingServer);
    addProfile(u"Waiting"_s, rotation.role, oldPassword, u"development"_s, m_waitingServer);
    rotation.profileId = savedProfile(u"Waiting"_s).id;
    m_waitingServer->superuserQuery(
            u"ALTER ROLE \"%1\" SET synchronous_commit = on"_s.arg(rotation.role));

    QProcess command;
    command.setProcessEnvironment(TestEnvironment::processEnvironment(m_config->path()));
    command.start(TestEnvironment::executable(),
                  {u"profiles"_s, u"rotate-password"_s, u"Waiting"_s});
    QVERIFY(command.waitForStarted());
    const QString waiting = u"SELECT pid FROM pg_stat_activity WHERE usename = '%1' "
                            "AND wait_event = 'SyncRep'"_s.arg(rotation.role);
    QTRY_VERIFY_WITH_TIMEOUT(!m_waitingServer->superuserQuery(waiting).isEmpty(), 20000);
    stopBackend(rotation.role);
    QVERIFY(command.state() == QProcess::NotRunning || command.waitForFinished(60000));
    rotation.exitCode = command.exitCode();
    rotation.err = QString::fromUtf8(command.readAllStandardError());
    rotation.keychainPassword = keychainPassword(rotation.profileId);
}

void TestPasswordRotation::aCommitWhoseAnswerIsLostIsLearnedByLoggingIn()
{
    const QString oldPassword = u"old-rotation-password-4"_s;
    WaitingRotation rotation;
    rotateWhileTheCommitWaits(rotation, oldPassword, [this](const QString &role) {
        m_waitingServer->superuserQuery(
                u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '%1'"_s
                        .arg(role));
    });
    // Committed without an answer: taken as "nothing changed", the profile would keep a
    // password the server refuses.
    QVERIFY2(rotation.exitCode == 0, qPrintable(rotation.err));
    QVERIFY(rotation.keychainPassword != oldPassword);
    QVERIFY2(m_waitingServer->canLogIn(rotation.role, rotation.keychainPassword),
             "the keychain's password is refused");
    QVERIFY(!m_waitingServer->canLogIn(rotation.role, oldPassword));
    QVERIFY(!rotation.err.contains(rotation.keychainPassword));
}

void TestPasswordRotation::aServerRestartedDuringTheCommitIsWaitedFor()
{
    const QString oldPassword = u"old-rotation-password-5"_s;
    WaitingRotation rotation;
    rotateWhileTheCommitWaits(rotation, oldPassword, [](const QString &) {
        // A restart of a few seconds: the command asks both passwords meanwhile.
        QVERIFY(cluster(u"pause"_s));
        QTest::qWait(3000);
        QVERIFY(cluster(u"resume"_s));
    });
    QVERIFY2(rotation.exitCode == 0, qPrintable(rotation.err));
    QVERIFY(rotation.keychainPassword != oldPassword);
    QVERIFY2(m_waitingServer->canLogIn(rotation.role, rotation.keychainPassword),
             "the keychain's password is refused");
}

void TestPasswordRotation::aServerThatStaysDownLeavesTheNewPasswordWithTheUser()
{
    const QString oldPassword = u"old-rotation-password-6"_s;
    WaitingRotation rotation;
    rotateWhileTheCommitWaits(rotation, oldPassword,
                              [](const QString &) { QVERIFY(cluster(u"pause"_s)); });
    QVERIFY(cluster(u"resume"_s));
    QCOMPARE(rotation.exitCode, 1);
    QVERIFY2(rotation.err.contains(u"either the old password"_s), qPrintable(rotation.err));
    // The keychain kept the old password; the new one, committed before the server stopped, is
    // in the message, once, and logs in.
    QCOMPARE(rotation.keychainPassword, oldPassword);
    const qsizetype at = rotation.err.indexOf(u"New password: "_s);
    QVERIFY2(at >= 0, qPrintable(rotation.err));
    const QString newPassword = rotation.err.mid(at + 14, PasswordRotation::DefaultLength);
    QCOMPARE(rotation.err.count(newPassword), 1);
    QVERIFY2(m_waitingServer->canLogIn(rotation.role, newPassword),
             "the password shown is refused");
}

QTEST_GUILESS_MAIN(TestPasswordRotation)
#include "tst_passwordrotation.moc"
