// The Test page of a profile that reaches its server through SSH, offscreen, as the test
// account of tests/scripts/sshd.sh (tests/integration/tst_tunnelcheck.sh runs it so, with an
// empty ~/.ssh/known_hosts): the bastion's unknown key is shown with its fingerprint, nothing
// connects until it is accepted, Accept connects through the tunnel and ssh keeps the key;
// the tunnel stage shows with its time. Then the whole window tests a saved profile through the
// tunnel. ORDERFLOW_TEST_SCREENSHOT_DIR: where the README's tunnel-test.png and
// tunnel-test-dark.png of that window go (1366x768, the Fusion style, light and dark).
#include "ConnectionTestView.h"
#include "EmptyRecentTests.h"
#include "MainWindow.h"
#include "Palette.h"
#include "ProfilePages.h"
#include "ShownWindow.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "tunnel/Tunnel.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStyle>
#include <QTest>
#include <QTreeWidget>

#include <utility>

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
    }

    // After the key was accepted above: the window tests a saved profile through the tunnel,
    // and its sidebar and profile bar name the route.
    void theWindowTestsASavedProfileThroughTheTunnel()
    {
        const QString configDirectory = qEnvironmentVariable("ORDERFLOW_DBADMIN_CONFIG_DIR");
        QVERIFY2(!configDirectory.isEmpty(), "run by tests/integration/tst_tunnelcheck.sh");
        Profile profile = Profile::fromUrl(
                u"Staging EU"_s, Environment::Staging,
                *ConnectionUrl::parse(qEnvironmentVariable("ORDERFLOW_TEST_TUNNEL_URL")));
        profile.passwordSource = PasswordSource::Libpq;
        QString error;
        profile.route = *Route::ssh(qEnvironmentVariable("ORDERFLOW_TEST_TUNNEL_SSH"), {},
                                    qEnvironmentVariable("ORDERFLOW_TEST_SSH_KEY"), &error);
        ProfileStore store(configDirectory);
        store.load();
        if (const auto saved = store.findByName(profile.name))
            QVERIFY(store.remove(saved->id));
        QVERIFY(store.add(profile));
        QVERIFY(store.save());

        // As the screenshots of tests/scripts/screenshots.sh: the Fusion style, light, then
        // dark (the palette set before the window is made, as --color-scheme does).
        const QString styleBefore = QApplication::style()->name();
        const QPalette paletteBefore = QApplication::palette();
        const auto restore = qScopeGuard([&] {
            QApplication::setStyle(styleBefore);
            QApplication::setPalette(paletteBefore);
        });
        QApplication::setStyle(u"Fusion"_s);
        const QString shots = qEnvironmentVariable("ORDERFLOW_TEST_SCREENSHOT_DIR");
        for (const auto &[palette, file] :
             {std::pair{QApplication::style()->standardPalette(), u"tunnel-test.png"_s},
              std::pair{Palette::darkPalette(), u"tunnel-test-dark.png"_s}}) {
            QApplication::setPalette(palette);
            MainWindow window(configDirectory);
            window.resize(1366, 768);
            QVERIFY(showAndSettle(window));
            QVERIFY(window.selectProfileByName(profile.name));
            auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
            const auto items = tree->findItems(profile.name, Qt::MatchRecursive);
            QCOMPARE(items.size(), 1);
            QVERIFY2(items.first()->toolTip(0).contains(profile.route.via()),
                     qPrintable(items.first()->toolTip(0)));
            window.findChild<ProfilePages *>(u"profileTabWidget"_s)->startTest();
            QLabel *headline = nullptr;
            QTRY_VERIFY((headline = window.findChild<QLabel *>(u"headlineLabel"_s)));
            QTRY_VERIFY_WITH_TIMEOUT(headline->text().startsWith(u"Connected"_s), 30000);
            auto *tunnelStage = window.findChild<QLabel *>(u"stageLabel_tunnel"_s);
            QVERIFY2(tunnelStage->isVisible() && tunnelStage->text().contains(u"\u2713"_s),
                     qPrintable(tunnelStage->text()));
            const QString details = window.findChild<QLabel *>(u"detailsLabel"_s)->text();
            QVERIFY2(details.contains(u"reached through the tunnel"_s), qPrintable(details));
            if (shots.isEmpty())
                break; // once is the test; the second pass is for the dark screenshot
            // The wrapped labels take their heights over a few passes of the event loop.
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(shots).filePath(file)));
        }
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
