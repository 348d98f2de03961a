#include "ConnectionTestView.h"
#include "EmptyRecentTests.h"
#include "Palette.h"
#include "TestEnvironment.h"
#include "secrets/SecretStore.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The connection doctor's view, driven through its widgets offscreen.
class TestConnectionTestView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refusedPortShowsHeadlineEvidenceAndSteps();
    void missingPasswordThenTypedPasswordConnects();
    void metChecksSayConnected();
    void cancelStopsAHangingTest();
    void askEveryTimeAsksBeforeConnecting();

private:
    static Profile profileFor(const QString &url);
    static QString text(QWidget &view, const QString &name);
};

void TestConnectionTestView::initTestCase()
{
    qunsetenv("PGPASSWORD");
    qputenv("PGPASSFILE", "/nonexistent/pgpass");
}

Profile TestConnectionTestView::profileFor(const QString &url)
{
    const auto parsed = ConnectionUrl::parse(url);
    Q_ASSERT(parsed);
    Profile profile = Profile::fromUrl(u"Doctor test"_s, Environment::Development, *parsed);
    // libpq's own sources only (none in these tests): the attempt runs without a password.
    profile.passwordSource = PasswordSource::Libpq;
    return profile;
}

QString TestConnectionTestView::text(QWidget &view, const QString &name)
{
    auto *label = view.findChild<QLabel *>(name);
    return label ? label->text() : u"<no %1>"_s.arg(name);
}

void TestConnectionTestView::refusedPortShowsHeadlineEvidenceAndSteps()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();

    SecretStore secrets;
    EmptyRecentTests recentTests;
    ConnectionTestView view(&secrets, recentTests.get());
    view.setProfile(profileFor(u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(port)));
    view.show();
    QSignalSpy finished(&view, &ConnectionTestView::attemptFinished);
    QTest::keyClick(view.findChild<QPushButton *>(u"testButton"_s), Qt::Key_Return);
    QVERIFY(finished.wait(10000));

    QCOMPARE(text(view, u"headlineLabel"_s),
             DiagnosisTable::headline(DiagnosisCategory::ConnectionRefused));
    QVERIFY(text(view, u"stageLabel_resolve"_s).startsWith(u"\u2713"_s));
    QVERIFY(text(view, u"stageLabel_connect"_s).startsWith(u"\u2717"_s));
    // Stages after the failure are skipped, and a screen reader hears so in words.
    QVERIFY(text(view, u"stageLabel_auth"_s).startsWith(u"\u2013"_s));
    QVERIFY(view.findChild<QLabel *>(u"stageLabel_auth"_s)
                    ->accessibleName()
                    .startsWith(u"Log in: skipped"_s));
    QVERIFY(text(view, u"evidenceLabel"_s)
                    .contains(u"Nothing listens on 127.0.0.1 port %1"_s.arg(port)));
    // A development profile: the document's steps, with this profile's port.
    QVERIFY(text(view, u"hintsLabel"_s).contains(u". Check if PostgreSQL is running"_s));
    QVERIFY(text(view, u"hintsLabel"_s).contains(u"pg_isready -h 127.0.0.1 -p %1"_s.arg(port)));
    QCOMPARE(view.findChild<QLabel *>(u"serverMessageLabel"_s)->textFormat(), Qt::PlainText);

    auto *copy = view.findChild<QPushButton *>(u"copyReportButton"_s);
    QVERIFY(copy->isEnabled());
    auto *copied = view.findChild<QLabel *>(u"copiedLabel"_s);
    QVERIFY(!copied->isVisible());
    QTest::mouseClick(copy, Qt::LeftButton);
    QVERIFY(copied->isVisible());
    QCOMPARE(copied->text(), u"Copied to the clipboard"_s);
    const QString report = QGuiApplication::clipboard()->text();
    QVERIFY(report.contains(u"Category: connection_refused, at stage connect"_s));
    QVERIFY(report.contains(u"Profile: Doctor test, environment development"_s));
    QVERIFY(report.contains(u"\nlibpq: "_s));
    QVERIFY(report.contains(u"\nTime (UTC): "_s));
}

void TestConnectionTestView::missingPasswordThenTypedPasswordConnects()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    SecretStore secrets;
    EmptyRecentTests recentTests;
    ConnectionTestView view(&secrets, recentTests.get());
    view.setProfile(
            profileFor(u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    view.show();
    QSignalSpy finished(&view, &ConnectionTestView::attemptFinished);
    QTest::mouseClick(view.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().value<AttemptResult>().diagnosis.category,
             DiagnosisCategory::AuthFailed);
    auto *passwordEdit = view.findChild<QLineEdit *>(u"sessionPasswordLineEdit"_s);
    QVERIFY(passwordEdit->isVisible());
    QCOMPARE(passwordEdit->echoMode(), QLineEdit::Password);

    QTest::keyClicks(passwordEdit, u"dev_password"_s);
    QTest::mouseClick(view.findChild<QPushButton *>(u"usePasswordButton"_s), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    const auto result = finished.last().first().value<AttemptResult>();
    QVERIFY2(result.ok, qPrintable(result.diagnosis.message));
    // The test database lacks two of OrderFlow's required extensions: the headline says so,
    // in the warning colour, and the page lists each with its fix.
    auto *headline = view.findChild<QLabel *>(u"headlineLabel"_s);
    QCOMPARE(headline->text(),
             u"Connected, but 2 required checks failed: pg_trgm missing, vector missing."_s);
    QCOMPARE(headline->palette().color(QPalette::WindowText), Palette::cautionColor());
    QCOMPARE(finished.last().at(1).value<CheckVerdict>().health,
             CheckVerdict::Health::ChecksFailed);
    const QString fixes = text(view, u"hintsLabel"_s);
    QVERIFY2(fixes.contains(u"CREATE EXTENSION IF NOT EXISTS \"pg_trgm\";"_s), qPrintable(fixes));
    QVERIFY(fixes.contains(u"postgresql-15-pgvector"_s));
    QVERIFY(text(view, u"evidenceLabel"_s).contains(u"Round trip"_s));
    // The server's checks passed as queries, but required ones failed: the stage says so.
    QVERIFY(text(view, u"stageLabel_checks"_s).startsWith(u"\u2717"_s));
    // A plain server: nothing was encrypted, so TLS is skipped, not passed.
    QVERIFY(text(view, u"stageLabel_tls"_s).startsWith(u"\u2013"_s));
    QVERIFY(text(view, u"stageLabel_tls"_s).contains(u"TLS not in use"_s));
    QVERIFY(view.report().contains(u"\nFailed required check: required extension "_s));
    QVERIFY(!passwordEdit->isVisible());
    QVERIFY(passwordEdit->text().isEmpty());
    QVERIFY(!view.report().contains(u"dev_password"_s));
    QVERIFY(view.report().contains(u"orderflow:***@"_s));
}

void TestConnectionTestView::metChecksSayConnected()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    SecretStore secrets;
    EmptyRecentTests recentTests;
    ConnectionTestView view(&secrets, recentTests.get());
    Profile profile
            = profileFor(u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port));
    profile.requiredExtensions.clear();
    secrets.setSessionPassword(profile.id, u"dev_password"_s);
    view.setProfile(profile);
    view.show();
    QSignalSpy finished(&view, &ConnectionTestView::attemptFinished);
    QTest::mouseClick(view.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(1).value<CheckVerdict>().health, CheckVerdict::Health::Healthy);
    auto *headline = view.findChild<QLabel *>(u"headlineLabel"_s);
    QVERIFY2(headline->text().startsWith(u"Connected to PostgreSQL 15"_s),
             qPrintable(headline->text()));
    QCOMPARE(headline->palette().color(QPalette::WindowText), Palette::okColor());
    QVERIFY(text(view, u"hintsLabel"_s).isEmpty());
    QVERIFY(view.findChild<QLabel *>(u"hintsLabel"_s)->isHidden());
    QVERIFY(text(view, u"stageLabel_checks"_s).startsWith(u"\u2713"_s));
}

void TestConnectionTestView::cancelStopsAHangingTest()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    SecretStore secrets;
    EmptyRecentTests recentTests;
    ConnectionTestView view(&secrets, recentTests.get());
    view.setProfile(
            profileFor(u"postgresql://orderflow@127.0.0.1:%1/orderflow?connect_timeout=30"_s.arg(
                    silent.serverPort())));
    view.show();
    QSignalSpy finished(&view, &ConnectionTestView::attemptFinished);
    QTest::mouseClick(view.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
    QTRY_VERIFY(text(view, u"stageLabel_tls"_s).startsWith(u"\u25CF"_s));
    auto *cancel = view.findChild<QPushButton *>(u"cancelButton"_s);
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(finished.wait(2000));
    QVERIFY(finished.first().first().value<AttemptResult>().cancelled);
    QCOMPARE(text(view, u"headlineLabel"_s), u"Cancelled."_s);
    QVERIFY(view.findChild<QPushButton *>(u"testButton"_s)->isEnabled());
}

void TestConnectionTestView::askEveryTimeAsksBeforeConnecting()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    SecretStore secrets;
    EmptyRecentTests recentTests;
    ConnectionTestView view(&secrets, recentTests.get());
    Profile profile
            = profileFor(u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port));
    profile.passwordSource = PasswordSource::SessionOnly;
    view.setProfile(profile);
    view.show();
    QSignalSpy finished(&view, &ConnectionTestView::attemptFinished);
    QTest::mouseClick(view.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
    QTest::qWait(300);
    QCOMPARE(finished.size(), 0); // nothing was attempted
    auto *passwordEdit = view.findChild<QLineEdit *>(u"sessionPasswordLineEdit"_s);
    QVERIFY(passwordEdit->isVisible());
    QVERIFY(text(view, u"headlineLabel"_s).contains(u"session only"_s));
    QTest::keyClicks(passwordEdit, u"dev_password"_s);
    QTest::keyClick(passwordEdit, Qt::Key_Return);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.first().first().value<AttemptResult>().ok);
    QCOMPARE(secrets.sessionPassword(profile.id), u"dev_password"_s);
}

QTEST_MAIN(TestConnectionTestView)
#include "tst_connectiontestview.moc"
