#include "TestEnvironment.h"
#include "profiles/ProfileRepository.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace {

// The Secret Service's Secret struct (oayays), which the unlock call takes the password in.
struct ServiceSecret
{
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const ServiceSecret &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, ServiceSecret &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

} // namespace

Q_DECLARE_METATYPE(ServiceSecret)

/// A locked keyring, against the real gnome-keyring: reads and deletes say "locked", never "not
/// found" or success (which is what a locked Secret Service collection looks like through
/// QtKeychain), and `profiles remove` keeps the profile and its password.
///
/// Locking disturbs everyone using the keyring, so ctest runs this test inside a keyring of
/// its own (with-keyring.sh --exclusive), whose throwaway password unlocks it again; each test
/// starts unlocked.
class TestLockedKeyring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void removingAProfileWhileTheKeyringIsLockedKeepsTheProfileAndItsPassword();
    void readingFromALockedKeyringSaysLockedNotMissing();
    void deletingFromALockedKeyringSaysLockedAndKeepsTheEntry();
    void lockCheckLeavesNoEntryBehind();
    void aKeyringLockedDuringARotationLeavesTheOldPasswordWorking();
    void aKeyringThatHangsDuringARotationKeepsTheNewPasswordAndHandsItOver();

private:
    using Result = TestEnvironment::ProcessResult;
    Result runCli(const QStringList &arguments, const QByteArray &input = {});
    SecretResult
    run(const std::function<void(SecretStore &, QObject *, SecretStore::Callback)> &op);
    QDBusMessage callService(const QString &path, const QString &interface, const QString &method,
                             const QVariantList &arguments);
    bool isLocked();
    /// How many locked items the Secret Service finds for a key of ours.
    int lockedItems(const QString &key);
    void lock();
    void unlock();
    QString secretTool(const QStringList &arguments);
    /// A new login role on the test cluster and a profile NAME for it through the command
    /// line, its password in the keychain: the role's name, or empty when that failed.
    QString addProfileForNewRole(const TestEnvironment::PostgresServer &server, const QString &name,
                                 const QString &password);

    QString m_collection;
    SecretStore m_store;
    std::unique_ptr<QTemporaryDir> m_config;
};

void TestLockedKeyring::initTestCase()
{
    ORDERFLOW_REQUIRE_EXCLUSIVE_KEYRING();
    qDBusRegisterMetaType<ServiceSecret>();
    qDBusRegisterMetaType<QMap<QString, QString>>();
    // QtKeychain writes to the collection behind the alias "default" (the login keyring).
    const QDBusMessage alias
            = callService(u"/org/freedesktop/secrets"_s, u"org.freedesktop.Secret.Service"_s,
                          u"ReadAlias"_s, {u"default"_s});
    QVERIFY2(alias.type() == QDBusMessage::ReplyMessage, qPrintable(alias.errorMessage()));
    m_collection = alias.arguments().value(0).value<QDBusObjectPath>().path();
    QVERIFY2(m_collection.startsWith(u"/org/freedesktop/secrets/collection/"_s),
             qPrintable(m_collection));
}

void TestLockedKeyring::init()
{
    m_config = std::make_unique<QTemporaryDir>();
    m_store.setTimeout(10000);
    if (isLocked())
        unlock();
    QVERIFY(!isLocked());
}

void TestLockedKeyring::cleanup()
{
    m_config.reset();
}

TestLockedKeyring::Result TestLockedKeyring::runCli(const QStringList &arguments,
                                                    const QByteArray &input)
{
    return TestEnvironment::run(arguments, TestEnvironment::processEnvironment(m_config->path()),
                                input);
}

SecretResult TestLockedKeyring::run(
        const std::function<void(SecretStore &, QObject *, SecretStore::Callback)> &op)
{
    std::optional<SecretResult> result;
    int calls = 0;
    QObject context;
    op(m_store, &context, [&](const SecretResult &r) {
        ++calls;
        result = r;
    });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    }();
    if (calls != 1)
        qWarning("callback ran %d times", calls);
    return result.value_or(SecretResult{SecretResult::Status::Failed, {}, u"no answer"_s});
}

QDBusMessage TestLockedKeyring::callService(const QString &path, const QString &interface,
                                            const QString &method, const QVariantList &arguments)
{
    QDBusMessage call
            = QDBusMessage::createMethodCall(u"org.freedesktop.secrets"_s, path, interface, method);
    call.setArguments(arguments);
    // Block, not BlockWithGui: no event loop runs inside the call.
    return QDBusConnection::sessionBus().call(call, QDBus::Block, 10000);
}

bool TestLockedKeyring::isLocked()
{
    const QDBusMessage reply
            = callService(m_collection, u"org.freedesktop.DBus.Properties"_s, u"Get"_s,
                          {u"org.freedesktop.Secret.Collection"_s, u"Locked"_s});
    return reply.arguments().value(0).value<QDBusVariant>().variant().toBool();
}

int TestLockedKeyring::lockedItems(const QString &key)
{
    const QMap<QString, QString> attributes{{u"server"_s, SecretStore::serviceName()},
                                            {u"user"_s, key}};
    const QDBusMessage reply
            = callService(u"/org/freedesktop/secrets"_s, u"org.freedesktop.Secret.Service"_s,
                          u"SearchItems"_s, {QVariant::fromValue(attributes)});
    if (reply.type() != QDBusMessage::ReplyMessage) {
        qWarning("SearchItems: %s", qPrintable(reply.errorMessage()));
        return -1;
    }
    // The answer is (unlocked, locked), two lists of item paths.
    return qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().value(1)).size();
}

void TestLockedKeyring::lock()
{
    const QDBusMessage reply = callService(
            u"/org/freedesktop/secrets"_s, u"org.freedesktop.Secret.Service"_s, u"Lock"_s,
            {QVariant::fromValue(QList<QDBusObjectPath>{QDBusObjectPath(m_collection)})});
    QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));
    QVERIFY(isLocked());
}

void TestLockedKeyring::unlock()
{
    // The Secret Service's own Unlock asks the user through a prompter, which needs a display;
    // gnome-keyring's internal interface takes the keyring password instead.
    const QDBusMessage session = callService(
            u"/org/freedesktop/secrets"_s, u"org.freedesktop.Secret.Service"_s, u"OpenSession"_s,
            {u"plain"_s, QVariant::fromValue(QDBusVariant(QString()))});
    QVERIFY2(session.type() == QDBusMessage::ReplyMessage, qPrintable(session.errorMessage()));
    ServiceSecret secret;
    secret.session = session.arguments().value(1).value<QDBusObjectPath>();
    secret.value = qgetenv("ORDERFLOW_KEYRING_PASSWORD");
    secret.contentType = u"text/plain"_s;
    const QDBusMessage reply = callService(
            u"/org/freedesktop/secrets"_s,
            u"org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"_s,
            u"UnlockWithMasterPassword"_s,
            {QVariant::fromValue(QDBusObjectPath(m_collection)), QVariant::fromValue(secret)});
    QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));
    callService(secret.session.path(), u"org.freedesktop.Secret.Session"_s, u"Close"_s, {});
}

QString TestLockedKeyring::secretTool(const QStringList &arguments)
{
    QProcess tool;
    tool.start(u"secret-tool"_s, arguments);
    if (!tool.waitForFinished(10000))
        return u"<secret-tool did not finish>"_s;
    return QString::fromUtf8(tool.readAllStandardOutput());
}

void TestLockedKeyring::removingAProfileWhileTheKeyringIsLockedKeepsTheProfileAndItsPassword()
{
    const Result added = runCli({u"profiles"_s, u"add"_s, u"ledger"_s, u"--url"_s,
                                 u"postgresql://orderflow@localhost/orderflow"_s,
                                 u"--environment"_s, u"staging"_s, u"--password-stdin"_s},
                                "l0cked-away\n");
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const QJsonArray before
            = QJsonDocument::fromJson(runCli({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(before.size(), 1);
    const QString id = before.first().toObject().value(u"id"_s).toString();
    const QString key = SecretStore::keyFor(id);
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key}),
             u"l0cked-away"_s);

    lock();
    const Result removed = runCli({u"profiles"_s, u"remove"_s, u"ledger"_s});
    QCOMPARE(removed.exitCode, 4);
    QVERIFY2(removed.err.contains(u"keychain is locked"_s), qPrintable(removed.err));
    QVERIFY2(removed.err.contains(u"Unlock"_s), qPrintable(removed.err));
    QVERIFY(!removed.out.contains(u"Removed"_s));
    QVERIFY(!removed.err.contains(u"l0cked-away"_s));

    const QJsonArray after
            = QJsonDocument::fromJson(runCli({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.first().toObject().value(u"name"_s).toString(), u"ledger"_s);
    // A locked collection still finds its items by their attributes (not their secrets).
    QVERIFY(isLocked());
    QCOMPARE(lockedItems(key), 1);

    // Unlocked, the password is unchanged, and removing now deletes both.
    unlock();
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key}),
             u"l0cked-away"_s);
    const Result removedLater = runCli({u"profiles"_s, u"remove"_s, u"ledger"_s});
    QVERIFY2(removedLater.exitCode == 0, qPrintable(removedLater.err));
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s, key}),
             QString());
    QCOMPARE(runCli({u"profiles"_s, u"list"_s, u"--json"_s}).out.trimmed(), u"[]"_s);
}

void TestLockedKeyring::readingFromALockedKeyringSaysLockedNotMissing()
{
    const QString saved = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString neverSaved = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(saved, u"still-here"_s, c, cb);
            }).ok());

    lock();
    for (const QString &id : {saved, neverSaved}) {
        const SecretResult read
                = run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(id, c, cb); });
        QCOMPARE(read.status, SecretResult::Status::AccessDenied);
        QVERIFY(read.keychainUnavailable());
        QVERIFY2(read.message.contains(u"keychain is locked"_s), qPrintable(read.message));
        QVERIFY(read.password.isEmpty());
    }

    unlock();
    const SecretResult read
            = run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(saved, c, cb); });
    QVERIFY2(read.ok(), qPrintable(read.message));
    QCOMPARE(read.password, u"still-here"_s);
    QCOMPARE(run([&](SecretStore &s, QObject *c, auto cb) {
                 s.readPassword(neverSaved, c, cb);
             }).status,
             SecretResult::Status::NotFound);
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(saved, c, cb); }).ok());
}

void TestLockedKeyring::deletingFromALockedKeyringSaysLockedAndKeepsTheEntry()
{
    const QString saved = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString neverSaved = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(saved, u"do-not-lose"_s, c, cb);
            }).ok());

    lock();
    for (const QString &id : {saved, neverSaved}) {
        const SecretResult deleted
                = run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(id, c, cb); });
        QCOMPARE(deleted.status, SecretResult::Status::AccessDenied);
        QVERIFY(deleted.keychainUnavailable());
        QVERIFY2(deleted.message.contains(u"keychain is locked"_s), qPrintable(deleted.message));
    }

    unlock();
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                         SecretStore::keyFor(saved)}),
             u"do-not-lose"_s);
    // Unlocked, a delete deletes, and a delete of nothing still succeeds.
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(saved, c, cb); }).ok());
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                         SecretStore::keyFor(saved)}),
             QString());
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.deletePassword(neverSaved, c, cb);
            }).ok());
}

void TestLockedKeyring::lockCheckLeavesNoEntryBehind()
{
    // The check behind "not found" and before a delete writes an entry of its own. With this
    // keyring to itself, the test sees every entry there is, whatever its service.
    const auto everything = [this]() {
        return secretTool({u"search"_s, u"--all"_s, u"xdg:schema"_s, u"org.qt.keychain"_s});
    };
    const QString before = everything();
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(id, c, cb); }).ok());
    QCOMPARE(run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(id, c, cb); }).status,
             SecretResult::Status::NotFound);
    QCOMPARE(everything(), before);
}

QString TestLockedKeyring::addProfileForNewRole(const TestEnvironment::PostgresServer &server,
                                                const QString &name, const QString &password)
{
    const QString role = u"rotation_%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    server.superuserQuery(u"CREATE ROLE \"%1\" LOGIN PASSWORD '%2'"_s.arg(role, password));
    const Result added = runCli({u"profiles"_s, u"add"_s, name, u"--url"_s,
                                 u"postgresql://%1@%2:%3/postgres?sslmode=disable"_s.arg(
                                         role, server.host, QString::number(server.port)),
                                 u"--password-stdin"_s},
                                password.toUtf8());
    if (added.exitCode != 0) {
        qWarning().noquote() << added.err;
        return {};
    }
    return role;
}

// The keychain write fails after the server took the new password (the keyring locks once
// the new password is proven): the role gets its old password back, and the keychain and the
// profile still hold it.
void TestLockedKeyring::aKeyringLockedDuringARotationLeavesTheOldPasswordWorking()
{
    const auto server = TestEnvironment::postgres();
    ORDERFLOW_REQUIRE(server.has_value(), "no test PostgreSQL cluster (run-tests.sh starts one)");
    const QString oldPassword = u"locked-rotation-password-1"_s;
    const QString role = addProfileForNewRole(*server, u"Rotated"_s, oldPassword);
    QVERIFY(!role.isEmpty());
    ProfileRepository repository(m_config->path());
    repository.load();
    QTRY_VERIFY(repository.findByName(u"Rotated"_s).has_value());
    const Profile profile = *repository.findByName(u"Rotated"_s);
    PasswordRotation rotation(&repository, &m_store);
    QList<PasswordRotation::Step> steps;
    connect(&rotation, &PasswordRotation::stepPassed, this, [&](PasswordRotation::Step step) {
        steps << step;
        if (step == PasswordRotation::Step::Proven)
            lock();
    });
    std::optional<PasswordRotation::Outcome> outcome;
    rotation.start(profile.id, {}, PasswordRotation::DefaultLength, {},
                   [&](const PasswordRotation::Outcome &done) { outcome = done; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 60000);
    unlock();

    QCOMPARE(steps,
             QList<PasswordRotation::Step>({PasswordRotation::Step::Connected,
                                            PasswordRotation::Step::ServerChanged,
                                            PasswordRotation::Step::Proven}));
    QCOMPARE(outcome->result.status, ProfileActionResult::Status::KeychainUnavailable);
    QVERIFY2(outcome->result.errorText().contains(u"old password was put back"_s),
             qPrintable(outcome->result.errorText()));
    QVERIFY(!outcome->passwordToKeep);
    QVERIFY2(server->canLogIn(role, oldPassword), "the role kept the new password");
    QCOMPARE(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                         SecretStore::keyFor(profile.id)}),
             oldPassword);
    QCOMPARE(runCli({u"profiles"_s, u"remove"_s, u"Rotated"_s}).exitCode, 0);
    server->superuserQuery(u"DROP ROLE \"%1\""_s.arg(role));
}

// The keychain stops answering after the server took the new password (the keyring daemon is
// stopped, as by an unlock prompt nobody answers): the write may still land later, so the old
// password must not go back on the server. The new one is handed over, and when the daemon
// resumes the keychain holds it too.
void TestLockedKeyring::aKeyringThatHangsDuringARotationKeepsTheNewPasswordAndHandsItOver()
{
    const auto server = TestEnvironment::postgres();
    ORDERFLOW_REQUIRE(server.has_value(), "no test PostgreSQL cluster (run-tests.sh starts one)");
    const QString oldPassword = u"hung-rotation-password-1"_s;
    const QString role = addProfileForNewRole(*server, u"Hung"_s, oldPassword);
    QVERIFY(!role.isEmpty());
    const auto dropRole = qScopeGuard(
            [&]() { server->superuserQuery(u"DROP ROLE IF EXISTS \"%1\""_s.arg(role)); });
    ProfileRepository repository(m_config->path());
    repository.load();
    QTRY_VERIFY(repository.findByName(u"Hung"_s).has_value());
    const Profile profile = *repository.findByName(u"Hung"_s);

    // The daemon serving this keyring (and no other: the keyring is this test's alone).
    QDBusMessage ask = QDBusMessage::createMethodCall(
            u"org.freedesktop.DBus"_s, u"/org/freedesktop/DBus"_s, u"org.freedesktop.DBus"_s,
            u"GetConnectionUnixProcessID"_s);
    ask << u"org.freedesktop.secrets"_s;
    const QDBusMessage owner = QDBusConnection::sessionBus().call(ask);
    QVERIFY2(owner.type() == QDBusMessage::ReplyMessage, qPrintable(owner.errorMessage()));
    const auto daemon = pid_t(owner.arguments().value(0).toUInt());
    QVERIFY(daemon > 1);
    bool stopped = false;
    const auto resume = qScopeGuard([&]() {
        if (stopped)
            ::kill(daemon, SIGCONT);
    });

    SecretStore store;
    store.setTimeout(3000);
    PasswordRotation rotation(&repository, &store);
    connect(&rotation, &PasswordRotation::stepPassed, this, [&](PasswordRotation::Step step) {
        if (step == PasswordRotation::Step::Proven)
            stopped = ::kill(daemon, SIGSTOP) == 0;
    });
    std::optional<PasswordRotation::Outcome> outcome;
    rotation.start(profile.id, {}, PasswordRotation::DefaultLength, {},
                   [&](const PasswordRotation::Outcome &done) { outcome = done; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 60000);
    QVERIFY(stopped);
    ::kill(daemon, SIGCONT);
    stopped = false;

    QCOMPARE(outcome->result.status, ProfileActionResult::Status::KeychainUnavailable);
    QVERIFY2(outcome->passwordToKeep.has_value(), qPrintable(outcome->result.errorText()));
    const QString newPassword = *outcome->passwordToKeep;
    QVERIFY(server->canLogIn(role, newPassword));
    QVERIFY(!server->canLogIn(role, oldPassword));
    // The write the daemon held lands once it runs again: keychain and server agree.
    QTRY_COMPARE_WITH_TIMEOUT(secretTool({u"lookup"_s, u"server"_s, SecretStore::serviceName(),
                                          u"user"_s, SecretStore::keyFor(profile.id)}),
                              newPassword, 15000);
    QCOMPARE(runCli({u"profiles"_s, u"remove"_s, u"Hung"_s}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestLockedKeyring)
#include "tst_lockedkeyring.moc"
