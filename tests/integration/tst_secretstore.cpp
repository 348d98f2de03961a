#include "TestEnvironment.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

/// SecretStore against the real gnome-keyring on the private session bus that
/// tests/scripts/with-keyring.sh starts. secret-tool (libsecret's own client) cross-checks
/// what landed in the keyring.
class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void writtenPasswordIsReadBack();
    void entryIsVisibleToOtherSecretServiceClients();
    void overwritingReplacesThePassword();
    void renamingAProfileKeepsItsPassword();
    void deletingRemovesTheEntry();
    void deletingAMissingEntrySucceeds();
    void readingAMissingEntrySaysNotFound();
    void deadlineReportsTimeoutExactlyOnce();
    void callbackIsDroppedWhenTheContextIsGone();
    void aNewEntryWrittenAfterItsDeadlineIsTakenBack();
    void sessionPasswordsStayInMemory();

private:
    SecretResult
    run(const std::function<void(SecretStore &, QObject *, SecretStore::Callback)> &op);
    QString secretToolLookup(const QString &profileId);

    SecretStore m_store;
    QString m_id;
};

void TestSecretStore::init()
{
    ORDERFLOW_REQUIRE_KEYRING();
    m_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_store.setTimeout(10000);
}

SecretResult
TestSecretStore::run(const std::function<void(SecretStore &, QObject *, SecretStore::Callback)> &op)
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

QString TestSecretStore::secretToolLookup(const QString &profileId)
{
    QProcess tool;
    tool.start(u"secret-tool"_s,
               {u"lookup"_s, u"server"_s, SecretStore::serviceName(), u"user"_s,
                SecretStore::keyFor(profileId)});
    if (!tool.waitForFinished(10000))
        return u"<secret-tool did not finish>"_s;
    return QString::fromUtf8(tool.readAllStandardOutput());
}

void TestSecretStore::writtenPasswordIsReadBack()
{
    const QString password = u"s3cret @:/%?&= пароль"_s;
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(m_id, password, c, cb);
            }).ok());
    const SecretResult read
            = run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(m_id, c, cb); });
    QVERIFY2(read.ok(), qPrintable(read.message));
    QCOMPARE(read.password, password);
}

void TestSecretStore::entryIsVisibleToOtherSecretServiceClients()
{
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(m_id, u"cross-check"_s, c, cb);
            }).ok());
    QCOMPARE(SecretStore::keyFor(m_id), u"orderflow-dbadmin/"_s + m_id);
    QCOMPARE(secretToolLookup(m_id), u"cross-check"_s);
}

void TestSecretStore::overwritingReplacesThePassword()
{
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(m_id, u"one"_s, c, cb);
            }).ok());
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(m_id, u"two"_s, c, cb);
            }).ok());
    QCOMPARE(
            run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(m_id, c, cb); }).password,
            u"two"_s);
}

void TestSecretStore::renamingAProfileKeepsItsPassword()
{
    QTemporaryDir dir;
    ProfileStore profiles(dir.path());
    profiles.load();
    Profile profile = Profile::create(u"before"_s, Environment::Staging);
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(profile.id, u"kept"_s, c, cb);
            }).ok());
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
    QVERIFY(profiles.add(profile));
    QVERIFY(profiles.save());

    profile.name = u"after"_s;
    QVERIFY(profiles.update(profile));
    QVERIFY(profiles.save());
    ProfileStore reloaded(dir.path());
    reloaded.load();
    const auto renamed = reloaded.findByName(u"after"_s);
    QVERIFY(renamed);
    const SecretResult read
            = run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(renamed->id, c, cb); });
    QVERIFY2(read.ok(), qPrintable(read.message));
    QCOMPARE(read.password, u"kept"_s);
    run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(profile.id, c, cb); });
}

void TestSecretStore::deletingRemovesTheEntry()
{
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) {
                s.writePassword(m_id, u"gone"_s, c, cb);
            }).ok());
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(m_id, c, cb); }).ok());
    QCOMPARE(run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(m_id, c, cb); }).status,
             SecretResult::Status::NotFound);
    QCOMPARE(secretToolLookup(m_id), QString());
}

void TestSecretStore::deletingAMissingEntrySucceeds()
{
    QVERIFY(run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(m_id, c, cb); }).ok());
}

void TestSecretStore::readingAMissingEntrySaysNotFound()
{
    const SecretResult read
            = run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(m_id, c, cb); });
    QCOMPARE(read.status, SecretResult::Status::NotFound);
    QVERIFY(!read.keychainUnavailable());
    // A locked keyring is reported as locked (tst_lockedkeyring), so "not found" is certain.
    QVERIFY2(!read.message.contains(u"locked"_s), qPrintable(read.message));
}

void TestSecretStore::deadlineReportsTimeoutExactlyOnce()
{
    // No keychain answers a D-Bus round trip within 0 ms: the deadline fires first, and the
    // job's later answer must not produce a second callback.
    m_store.setTimeout(0);
    int calls = 0;
    SecretResult last;
    QObject context;
    m_store.readPassword(m_id, &context, [&](const SecretResult &r) {
        ++calls;
        last = r;
    });
    QTRY_COMPARE(calls, 1);
    QCOMPARE(last.status, SecretResult::Status::TimedOut);
    QVERIFY(last.keychainUnavailable());
    QVERIFY(last.message.contains(u"did not answer"_s));
    QTest::qWait(500);
    QCOMPARE(calls, 1);
}

namespace {
QStringList &lateLogs()
{
    static QStringList lines;
    return lines;
}
} // namespace

void TestSecretStore::aNewEntryWrittenAfterItsDeadlineIsTakenBack()
{
    // The deadline says "not stored" first; the real write lands afterwards and must not stay
    // (a profile that was never saved would own it).
    lateLogs().clear();
    const QtMessageHandler previous
            = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                        const QString &message) { lateLogs() << message; });
    m_store.setTimeout(0);
    SecretResult last;
    int calls = 0;
    QObject context;
    m_store.writePassword(
            m_id, u"late"_s, &context,
            [&](const SecretResult &r) {
                ++calls;
                last = r;
            },
            SecretStore::WriteKind::New);
    QTRY_COMPARE(calls, 1);
    QCOMPARE(last.status, SecretResult::Status::TimedOut);
    QTRY_VERIFY_WITH_TIMEOUT(lateLogs().filter(u"late write taken back"_s).size() == 1, 15000);
    qInstallMessageHandler(previous);
    m_store.setTimeout(10000);
    bool read = false;
    m_store.readPassword(m_id, &context, [&](const SecretResult &r) {
        read = true;
        last = r;
    });
    QTRY_VERIFY(read);
    QCOMPARE(last.status, SecretResult::Status::NotFound);
}

void TestSecretStore::callbackIsDroppedWhenTheContextIsGone()
{
    int calls = 0;
    auto *context = new QObject;
    m_store.writePassword(m_id, u"x"_s, context, [&](const SecretResult &) { ++calls; });
    delete context;
    QTest::qWait(1000);
    QCOMPARE(calls, 0);
    run([&](SecretStore &s, QObject *c, auto cb) { s.deletePassword(m_id, c, cb); });
}

void TestSecretStore::sessionPasswordsStayInMemory()
{
    m_store.setSessionPassword(m_id, u"typed"_s);
    QVERIFY(m_store.hasSessionPassword(m_id));
    QCOMPARE(m_store.sessionPassword(m_id), u"typed"_s);
    QCOMPARE(run([&](SecretStore &s, QObject *c, auto cb) { s.readPassword(m_id, c, cb); }).status,
             SecretResult::Status::NotFound);
    m_store.forgetSessionPassword(m_id);
    QVERIFY(!m_store.hasSessionPassword(m_id));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
