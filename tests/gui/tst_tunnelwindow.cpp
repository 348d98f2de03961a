// The Test page of a profile that reaches its server through SSH, offscreen, as the test
// account of tests/scripts/sshd.sh (tests/integration/tst_tunnelcheck.sh runs it so, with an
// empty ~/.ssh/known_hosts): the bastion's unknown key is shown with its fingerprint, nothing
// connects until it is accepted, Accept connects through the tunnel and ssh keeps the key;
// the tunnel stage shows with its time. ORDERFLOW_TEST_SCREENSHOT names a PNG of the page.
#include "ConnectionTestView.h"
#include "EmptyRecentTests.h"
#include "secrets/SecretStore.h"
#include "tunnel/Tunnel.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestTunnelWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Runs first, while known_hosts is empty: an accepted fingerprint that is not the one the
    // host sends (its key changed between showing and accepting) is refused, and nothing is
    // added to known_hosts.
    void aKeyOtherThanTheAcceptedOneIsRefusedAndNotKept()
    {
        const QString knownHosts = qEnvironmentVariable("ORDERFLOW_TEST_TUNNEL_KNOWN_HOSTS");
        const QString destination = qEnvironmentVariable("ORDERFLOW_TEST_TUNNEL_SSH");
        QVERIFY2(!destination.isEmpty(), "run by tests/integration/tst_tunnelcheck.sh");
        QString error;
        TunnelSpec spec;
        spec.route = *Route::ssh(destination, {}, qEnvironmentVariable("ORDERFLOW_TEST_SSH_KEY"),
                                 &error);
        spec.targetHost = u"127.0.0.1"_s;
        spec.targetPort = 1;
        const auto host = SshHost::parse(destination, nullptr);
        spec.acceptedHost = u"[%1]:%2"_s.arg(host->host, QString::number(host->port));
        spec.acceptedFingerprint = u"SHA256:NotTheKeyTheHostSendsAAAAAAAAAAAAAAAAAAAAAAA"_s;
        Tunnel tunnel(spec);
        QSignalSpy failed(&tunnel, &Tunnel::failed);
        QSignalSpy opened(&tunnel, &Tunnel::opened);
        tunnel.open();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !opened.isEmpty(), 30000);
        QVERIFY(opened.isEmpty());
        const auto diagnosis = failed.first().first().value<Diagnosis>();
        QCOMPARE(diagnosis.categoryId(), u"ssh_host_key_changed"_s);
        QVERIFY2(!QFile::exists(knownHosts) || QFile(knownHosts).size() == 0,
                 "a key that was not accepted reached known_hosts");
    }

    void unknownHostKeyIsShownThenAcceptedAndConnects()
    {
        const QByteArray url = qgetenv("ORDERFLOW_TEST_TUNNEL_URL");
        const QByteArray destination = qgetenv("ORDERFLOW_TEST_TUNNEL_SSH");
        const QString fingerprint = qEnvironmentVariable("ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT");
        const QString knownHosts = qEnvironmentVariable("ORDERFLOW_TEST_TUNNEL_KNOWN_HOSTS");
        // Run by tests/integration/tst_tunnelcheck.sh only, which sets these.
        QVERIFY2(!url.isEmpty() && !destination.isEmpty() && !fingerprint.isEmpty(),
                 "run by tests/integration/tst_tunnelcheck.sh, as the SSH test account");
        QVERIFY2(!QFile::exists(knownHosts) || QFile(knownHosts).size() == 0,
                 "known_hosts must start empty");

        Profile profile = Profile::fromUrl(u"Staging EU"_s, Environment::Staging,
                                           *ConnectionUrl::parse(QString::fromUtf8(url)));
        // PGPASSWORD, from the script.
        profile.passwordSource = PasswordSource::Libpq;
        QString error;
        profile.route = *Route::ssh(QString::fromUtf8(destination), {},
                                    qEnvironmentVariable("ORDERFLOW_TEST_SSH_KEY"), &error);

        SecretStore secrets;
        EmptyRecentTests recentTests;
        ConnectionTestView view(&secrets, recentTests.get());
        view.resize(900, 900);
        view.setProfile(profile);
        view.show();
        auto *tunnelStage = view.findChild<QLabel *>(u"stageLabel_tunnel"_s);
        QVERIFY(tunnelStage && tunnelStage->isVisible());

        view.startTest();
        auto *hostKey = view.findChild<QLabel *>(u"hostKeyLabel"_s);
        QVERIFY(hostKey);
        QTRY_VERIFY_WITH_TIMEOUT(hostKey->isVisible(), 30000);
        QVERIFY2(hostKey->text().contains(fingerprint), qPrintable(hostKey->text()));
        QVERIFY2(view.findChild<QLabel *>(u"headlineLabel"_s)->text().contains(u"not known"_s),
                 qPrintable(view.findChild<QLabel *>(u"headlineLabel"_s)->text()));
        // Nothing was written before the user said yes.
        QVERIFY(!QFile::exists(knownHosts) || QFile(knownHosts).size() == 0);

        view.findChild<QPushButton *>(u"acceptHostKeyButton"_s)->click();
        auto *headline = view.findChild<QLabel *>(u"headlineLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT(headline->text().startsWith(u"Connected"_s), 30000);
        QVERIFY2(tunnelStage->text().contains(u"ms"_s) && tunnelStage->text().contains(u"\u2713"_s),
                 qPrintable(tunnelStage->text()));
        QVERIFY(!hostKey->isVisible());
        QVERIFY(QFile(knownHosts).size() > 0);

        const QString screenshot = qEnvironmentVariable("ORDERFLOW_TEST_SCREENSHOT");
        if (!screenshot.isEmpty())
            QVERIFY(view.grab().save(screenshot));
    }

    void aDirectProfileShowsNoTunnelStage()
    {
        SecretStore secrets;
        EmptyRecentTests recentTests;
        ConnectionTestView view(&secrets, recentTests.get());
        view.setProfile(Profile::create(u"Local"_s, Environment::Development));
        view.show();
        QVERIFY(!view.findChild<QLabel *>(u"stageLabel_tunnel"_s)->isVisible());
    }
};

QTEST_MAIN(TestTunnelWindow)
#include "tst_tunnelwindow.moc"
