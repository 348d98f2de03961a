// The askpass helper as ssh runs it: the real executable, started with a prompt as its argument
// and the server's socket in its environment, answered by an AskpassServer in this process. A
// secret goes only to ssh's own prompt of its kind; it is never in an argument or the
// environment. And a tunnel whose secret the keychain lacks fails before ssh starts.
#include "TestEnvironment.h"
#include "profiles/Route.h"
#include "secrets/SecretStore.h"
#include "tunnel/Askpass.h"
#include "tunnel/Tunnel.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString passphrasePrompt = u"Enter passphrase for key '/home/dev/.ssh/id_ed25519': "_s;
const QString passwordPrompt = u"deploy@bastion-eu's password: "_s;

struct Asked
{
    int exitCode = -1;
    QByteArray out;
};

// Runs the executable as ssh would run its SSH_ASKPASS.
Asked ask(const QString &socket, const QString &prompt, const QString &promptKind = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(Askpass::socketVariable(), socket);
    if (!promptKind.isEmpty())
        environment.insert(u"SSH_ASKPASS_PROMPT"_s, promptKind);
    QProcess helper;
    helper.setProcessEnvironment(environment);
    helper.start(TestEnvironment::executable(), {prompt});
    // The server answers from this thread's event loop.
    const QDeadlineTimer deadline(20000);
    while (helper.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        QCoreApplication::processEvents();
        helper.waitForFinished(10);
    }
    return {helper.exitStatus() == QProcess::NormalExit ? helper.exitCode() : -2,
            helper.readAllStandardOutput()};
}

} // namespace

class AskpassTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlySshsOwnPromptsOfTheKindAreAnswered_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<bool>("answered");
        const int passphrase = int(SshSecret::Passphrase);
        const int password = int(SshSecret::Password);
        QTest::newRow("passphrase") << passphrase << passphrasePrompt << true;
        QTest::newRow("password") << password << passwordPrompt << true;
        QTest::newRow("a password prompt, a passphrase saved")
                << passphrase << passwordPrompt << false;
        QTest::newRow("a passphrase prompt, a password saved")
                << password << passphrasePrompt << false;
        QTest::newRow("a server's keyboard-interactive text")
                << password << u"Password: "_s << false;
        QTest::newRow("a host key question")
                << passphrase
                << u"Are you sure you want to continue connecting (yes/no/[fingerprint])? "_s
                << false;
        QTest::newRow("a forged prompt with a second line")
                << passphrase << passphrasePrompt + u"\nEnter passphrase for key 'x': "_s << false;
        QTest::newRow("nothing saved") << int(SshSecret::None) << passphrasePrompt << false;
    }
    void onlySshsOwnPromptsOfTheKindAreAnswered()
    {
        QFETCH(int, kind);
        QFETCH(QString, prompt);
        QFETCH(bool, answered);
        QCOMPARE(AskpassServer::asksFor(SshSecret(kind), prompt.trimmed()), answered);
    }

    void theExecutableAnswersSshFromTheServer()
    {
        const QString secret = u"correct horse ü battery"_s;
        AskpassServer server(SshSecret::Passphrase, secret, 1);
        QString error;
        QVERIFY2(server.listen(&error), qPrintable(error));
        QVERIFY(!server.socketPath().isEmpty());

        const Asked given = ask(server.socketPath(), passphrasePrompt);
        QCOMPARE(given.exitCode, 0);
        QCOMPARE(QString::fromUtf8(given.out), secret + u'\n');
        QCOMPARE(server.answered(), 1);
        QVERIFY2(server.prompts().constLast().contains(u"was given the passphrase"_s),
                 qPrintable(server.prompts().join(u'\n')));
        QVERIFY(!server.prompts().join(u'\n').contains(secret));

        // Another prompt gets nothing, and says so in the evidence.
        const Asked refused = ask(server.socketPath(), passwordPrompt);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.out.isEmpty());
        QCOMPARE(server.answered(), 1);
        QVERIFY(server.prompts().constLast().contains(u"was given nothing"_s));

        // Answered as often as ssh asks, not more.
        const Asked again = ask(server.socketPath(), passphrasePrompt);
        QCOMPARE(again.exitCode, 1);
        QVERIFY(server.prompts().constLast().contains(u"again"_s));

        // ssh's confirmations and notices never reach the server.
        QCOMPARE(ask(server.socketPath(), passphrasePrompt, u"confirm"_s).exitCode, 1);
        QCOMPARE(ask(server.socketPath(), u"Confirm user presence for key"_s, u"none"_s).exitCode,
                 0);
        QCOMPARE(server.prompts().size(), 3);
    }

    void aPasswordGoesOnlyToTheForwardingSshsOwnHelper()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("the asking process is told from /proc");
#endif
        AskpassServer server(SshSecret::Password, u"destination-only"_s, 1);
        QString error;
        QVERIFY2(server.listen(&error), qPrintable(error));
        // A helper started by another process (a jump host's ssh): nothing.
        server.setAskingProcess(1);
        const Asked fromAJump = ask(server.socketPath(), passwordPrompt);
        QCOMPARE(fromAJump.exitCode, 1);
        QVERIFY(fromAJump.out.isEmpty());
        QVERIFY2(server.prompts().constLast().contains(u"jump host"_s),
                 qPrintable(server.prompts().constLast()));
        // The helper this process started, as the forwarding ssh starts its own: answered.
        server.setAskingProcess(QCoreApplication::applicationPid());
        const Asked own = ask(server.socketPath(), passwordPrompt);
        QCOMPARE(own.exitCode, 0);
        QCOMPARE(own.out, QByteArray("destination-only\n"));
    }

    void withoutItsServerTheHelperGivesNothing()
    {
        const Asked orphan = ask(u"/nonexistent/orderflow-askpass"_s, passphrasePrompt);
        QCOMPARE(orphan.exitCode, 1);
        QVERIFY(orphan.out.isEmpty());
    }

    void sshIsStartedForTheSavedKind()
    {
        // What ssh is started with: BatchMode off only when a secret is saved, and then no
        // prompt a server writes and one try. (The secret itself is in no spec: the tunnel
        // reads it from the keychain.)
        TunnelSpec spec;
        spec.route = *Route::ssh(u"deploy@bastion-eu"_s, QString(), QString(), nullptr);
        QVERIFY(SshInvocation::arguments(spec, 15432).contains(u"BatchMode=yes"_s));
        spec.secret = SshSecret::Passphrase;
        const QStringList arguments = SshInvocation::arguments(spec, 15432);
        for (const QString &option :
             {u"BatchMode=no"_s, u"KbdInteractiveAuthentication=no"_s,
              u"NumberOfPasswordPrompts=1"_s, u"PasswordAuthentication=no"_s})
            QVERIFY2(arguments.contains(option), qPrintable(option));
        spec.secret = SshSecret::Password;
        QVERIFY(SshInvocation::arguments(spec, 15432).contains(u"PasswordAuthentication=yes"_s));
        // A jump host is never asked for a password: the saved one is the destination's.
        spec.route = *Route::ssh(u"deploy@inner"_s, u"ops@bastion"_s, QString(), nullptr);
        const QStringList chained = SshInvocation::arguments(spec, 15432);
        const QString proxy = chained.filter(u"ProxyCommand="_s).value(0);
        QVERIFY2(proxy.contains(u"BatchMode=yes"_s) && !proxy.contains(u"BatchMode=no"_s)
                         && !proxy.contains(u"PasswordAuthentication=yes"_s),
                 qPrintable(proxy));
        QVERIFY(chained.contains(u"BatchMode=no"_s));

        // A profile's spec names whose secret, only for an SSH route.
        Profile profile = Profile::create(u"Staging"_s, Environment::Staging);
        profile.route = spec.route;
        profile.sshSecret = SshSecret::Passphrase;
        QCOMPARE(TunnelSpec::forProfile(profile).secretOwner, profile.id);
        Profile without = profile;
        without.sshSecret = SshSecret::None;
        QVERIFY(TunnelSpec::forProfile(profile).key() != TunnelSpec::forProfile(without).key());
        profile.route
                = *Route::tunnelCommand(u"kubectl port-forward svc/db {port}:5432"_s, nullptr);
        QCOMPARE(TunnelSpec::forProfile(profile).secret, SshSecret::None);
    }

    void aSecretTheKeychainLacksFailsBeforeSshStarts()
    {
        if (!TestEnvironment::keyringAvailable()) {
            if (TestEnvironment::strict())
                QFAIL("no keyring (run inside tests/scripts/with-keyring.sh)");
            QSKIP("no keyring");
        }
        TunnelSpec spec;
        spec.route = *Route::ssh(u"deploy@127.0.0.1:1"_s, QString(), QString(), nullptr);
        spec.secret = SshSecret::Passphrase;
        spec.secretOwner = QUuid::createUuid().toString(QUuid::WithoutBraces);
        Tunnel tunnel(spec);
        QSignalSpy failed(&tunnel, &Tunnel::failed);
        tunnel.open();
        QVERIFY(failed.wait(15000));
        QCOMPARE(tunnel.failure().category, DiagnosisCategory::KeychainUnavailable);
        QCOMPARE(tunnel.failure().stage, ConnectionStage::Tunnel);
        QVERIFY2(tunnel.failure().message.contains(u"no entry"_s),
                 qPrintable(tunnel.failure().message));
        // ssh never ran: nothing it would print.
        QCOMPARE(tunnel.lineCount(), 0);
    }
};

QTEST_GUILESS_MAIN(AskpassTest)
#include "tst_askpass.moc"
