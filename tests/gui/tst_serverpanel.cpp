#include "ConfirmStatementDialog.h"
#include "ConnectionsPanel.h"
#include "ServerPanel.h"
#include "TestEnvironment.h"
#include "connection/ServerSession.h"
#include "secrets/SecretStore.h"

#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

/// The Server page against the real test server, offscreen, through its widgets and dialogs.
class TestServerPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void showsCapacityExtensionsAndMigrations();
    void productionCreateNeedsTheTypedName();
    void idleTransactionsAndMigrationsAreReported();
    void missingTestDatabaseIsOfferedAndCreated();
    void roleWithoutCreatedbIsToldSo();
    void hiddenPanelPausesRefreshing();
    void askEveryTimeAsksBeforeConnecting();
    void hostileNamesAndTheToolsOwnSessionsLeaveTheCountsRight();

private:
    Profile profile(const QString &name, Environment environment, const QString &user,
                    const QString &database);
    QString superExec(const QString &sql, const QString &database = u"postgres"_s);
    QString rowStatus(QWidget &panel, const QString &extension);
    /// Answers every modal dialog that opens: owner for the input dialog, the typed name for
    /// production confirmations, then Run.
    void driveDialogs(const QString &owner, const QString &typedName, QStringList *seenSql);

    SecretStore m_secrets;
    std::optional<TestEnvironment::PostgresServer> m_server;
    QTimer m_driver;
};

void TestServerPanel::initTestCase()
{
    m_server = TestEnvironment::postgres();
    ORDERFLOW_REQUIRE(m_server, "no test PostgreSQL: run through tests/scripts/run-tests.sh");
    superExec(u"DROP DATABASE IF EXISTS panel_test WITH (FORCE)"_s);
    superExec(u"DROP DATABASE IF EXISTS panel_new_db WITH (FORCE)"_s);
    superExec(u"CREATE DATABASE panel_test OWNER orderflow"_s);
}

void TestServerPanel::cleanupTestCase()
{
    m_driver.stop();
    if (!m_server)
        return;
    superExec(u"DROP DATABASE IF EXISTS panel_test WITH (FORCE)"_s);
    superExec(u"DROP DATABASE IF EXISTS panel_new_db WITH (FORCE)"_s);
}

Profile TestServerPanel::profile(const QString &name, Environment environment, const QString &user,
                                 const QString &database)
{
    const auto url = ConnectionUrl::parse(
            u"postgresql://%1@127.0.0.1:%2/%3"_s.arg(user).arg(m_server->port).arg(database));
    Profile result = Profile::fromUrl(name, environment, *url);
    result.passwordSource = PasswordSource::SessionOnly;
    m_secrets.setSessionPassword(
            result.id, user == u"postgres"_s ? m_server->superuserPassword : u"dev_password"_s);
    return result;
}

QString TestServerPanel::superExec(const QString &sql, const QString &database)
{
    return m_server->superuserQuery(sql, database);
}

QString TestServerPanel::rowStatus(QWidget &panel, const QString &extension)
{
    auto *table = panel.findChild<QTableWidget *>(u"requiredExtensionsTable"_s);
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 1) && table->item(row, 1)->text() == extension)
            return table->item(row, 2)->text();
    }
    return {};
}

void TestServerPanel::driveDialogs(const QString &owner, const QString &typedName,
                                   QStringList *seenSql)
{
    m_driver.disconnect();
    m_driver.setInterval(30);
    connect(&m_driver, &QTimer::timeout, this, [owner, typedName, seenSql]() {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *input = qobject_cast<QInputDialog *>(modal)) {
            input->setTextValue(owner);
            input->accept();
        } else if (auto *confirm = qobject_cast<ConfirmStatementDialog *>(modal)) {
            if (seenSql)
                *seenSql << confirm->findChild<QPlainTextEdit *>(u"sqlTextEdit"_s)->toPlainText();
            auto *run = confirm->findChild<QPushButton *>(u"runButton"_s);
            if (auto *name = confirm->findChild<QLineEdit *>(u"confirmNameLineEdit"_s)) {
                QVERIFY(!run->isEnabled());
                QTest::keyClicks(name, typedName);
            }
            if (run->isEnabled())
                QTest::mouseClick(run, Qt::LeftButton);
            else
                confirm->reject();
        }
    });
    m_driver.start();
}

void TestServerPanel::showsCapacityExtensionsAndMigrations()
{
    ServerPanel panel(&m_secrets);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    panel.setProfile(profile(u"dev"_s, Environment::Development, u"orderflow"_s, u"panel_test"_s));
    panel.show();
    QVERIFY(refreshed.wait(10000));

    const QString capacity = panel.findChild<QLabel *>(u"capacityLabel"_s)->text();
    QVERIFY2(capacity.contains(u"of 37 usable slots"_s), qPrintable(capacity));
    QVERIFY(capacity.contains(u"max_connections 40"_s));
    QVERIFY(rowStatus(panel, u"vector"_s).contains(u"missing from the server"_s));
    QVERIFY(rowStatus(panel, u"pgcrypto"_s).contains(u"available"_s));
    const QString hints = panel.findChild<QLabel *>(u"extensionHintsLabel"_s)->text();
    QVERIFY2(hints.contains(u"postgresql-15-pgvector"_s), qPrintable(hints));
    QVERIFY(hints.contains(u"pgvector_15"_s));
    QVERIFY(hints.contains(u"gen_random_uuid() is built into PostgreSQL 13"_s));
    QVERIFY(panel.findChild<QLabel *>(u"migrationsLabel"_s)
                    ->text()
                    .contains(u"alembic upgrade head"_s));
    const QString warnings = panel.findChild<QLabel *>(u"connectionWarningsLabel"_s)->text();
    QVERIFY(warnings.contains(u"partial"_s)); // orderflow lacks pg_read_all_stats
    QVERIFY(panel.findChild<QPushButton *>(u"createButton_pg_trgm"_s));
    QVERIFY(!panel.findChild<QPushButton *>(u"createButton_vector"_s));
}

void TestServerPanel::productionCreateNeedsTheTypedName()
{
    ServerPanel panel(&m_secrets);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    QSignalSpy statements(&panel, &ServerPanel::statementFinished);
    panel.setProfile(
            profile(u"prod-eu"_s, Environment::Production, u"orderflow"_s, u"panel_test"_s));
    panel.show();
    QVERIFY(refreshed.wait(10000));
    QStringList sql;
    driveDialogs({}, u"prod-eu"_s, &sql);
    QTest::mouseClick(panel.findChild<QPushButton *>(u"createButton_pgcrypto"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statements.size(), 1, 10000);
    m_driver.stop();
    QCOMPARE(statements.first().at(0).toBool(), true);
    QCOMPARE(sql, QStringList({u"CREATE EXTENSION IF NOT EXISTS \"pgcrypto\";"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(rowStatus(panel, u"pgcrypto"_s) == u"installed"_s, 10000);
    QCOMPARE(superExec(u"SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'"_s,
                       u"panel_test"_s),
             u"1"_s);
    // The confirmed statement had a connection of its own: the panel's stays read-only.
    std::optional<QString> refused;
    QObject context;
    panel.session()->execute(
            u"CREATE TABLE written_by_the_panel (id int)"_s, &context,
            [&](bool ok, const QString &error) { refused = ok ? QString() : error; });
    QTRY_VERIFY_WITH_TIMEOUT(refused.has_value(), 10000);
    QVERIFY2(refused->contains(u"read-only transaction"_s), qPrintable(*refused));
}

void TestServerPanel::idleTransactionsAndMigrationsAreReported()
{
    superExec(u"CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) PRIMARY KEY); "
              "INSERT INTO alembic_version VALUES ('3f2a1c9d8e7b') ON CONFLICT DO NOTHING; "
              "ALTER TABLE alembic_version OWNER TO orderflow"_s,
              u"panel_test"_s);
    const QByteArray conninfo
            = u"host=127.0.0.1 port=%1 user=orderflow password=dev_password "
              "dbname=panel_test application_name=leaky-worker"_s.arg(m_server->port)
                      .toUtf8();
    PGconn *idle = PQconnectdb(conninfo.constData());
    QCOMPARE(PQstatus(idle), CONNECTION_OK);
    PQclear(PQexec(idle, "BEGIN; SELECT 1"));

    ServerPanel panel(&m_secrets);
    panel.findChild<ConnectionsPanel *>(u"connectionsPanel"_s)->setIdleInTransactionThreshold(0);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    Profile dev = profile(u"dev"_s, Environment::Development, u"orderflow"_s, u"panel_test"_s);
    panel.setProfile(dev);
    panel.show();
    QVERIFY(refreshed.wait(10000));
    QTest::qWait(1100);
    panel.session()->refreshNow();
    QVERIFY(refreshed.wait(10000));
    const QString warnings = panel.findChild<QLabel *>(u"connectionWarningsLabel"_s)->text();
    QVERIFY2(warnings.contains(u"idle in transaction"_s) && warnings.contains(u"leaky-worker"_s),
             qPrintable(warnings));
    QVERIFY(panel.findChild<QLabel *>(u"migrationsLabel"_s)->text().contains(u"3f2a1c9d8e7b"_s));
    auto *applications = panel.findChild<QTableWidget *>(u"applicationTable"_s);
    QVERIFY(!applications->findItems(u"leaky-worker"_s, Qt::MatchExactly).isEmpty());
    QVERIFY(applications->findItems(u"orderflow-dbadmin"_s, Qt::MatchExactly).isEmpty());
    PQfinish(idle);
}

void TestServerPanel::missingTestDatabaseIsOfferedAndCreated()
{
    ServerPanel panel(&m_secrets);
    QSignalSpy failed(&panel, &ServerPanel::refreshFailed);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    QSignalSpy statements(&panel, &ServerPanel::statementFinished);
    panel.setProfile(profile(u"Test"_s, Environment::Test, u"postgres"_s, u"panel_new_db"_s));
    panel.show();
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().first().value<AttemptResult>().diagnosis.categoryId(),
             u"database_not_found"_s);
    auto *banner = panel.findChild<QLabel *>(u"serverBannerLabel"_s);
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(u"database_not_found"_s));
    auto *create = panel.findChild<QPushButton *>(u"createDatabaseButton"_s);
    QVERIFY(create->isVisible());
    QStringList sql;
    driveDialogs(u"orderflow"_s, {}, &sql);
    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statements.size(), 1, 15000);
    m_driver.stop();
    QVERIFY2(statements.first().at(0).toBool(), qPrintable(statements.first().at(1).toString()));
    QCOMPARE(sql, QStringList({u"CREATE DATABASE \"panel_new_db\" OWNER \"orderflow\";"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 1, 10000);
    QVERIFY(!create->isVisible());
    QCOMPARE(
            superExec(
                    u"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'panel_new_db'"_s),
            u"orderflow"_s);
}

void TestServerPanel::roleWithoutCreatedbIsToldSo()
{
    ServerPanel panel(&m_secrets);
    QSignalSpy failed(&panel, &ServerPanel::refreshFailed);
    QSignalSpy statements(&panel, &ServerPanel::statementFinished);
    panel.setProfile(profile(u"Test"_s, Environment::Test, u"orderflow"_s, u"orderflow_test"_s));
    panel.show();
    QVERIFY(failed.wait(10000));
    driveDialogs(u"orderflow"_s, {}, nullptr);
    QTest::mouseClick(panel.findChild<QPushButton *>(u"createDatabaseButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statements.size(), 1, 15000);
    m_driver.stop();
    QCOMPARE(statements.first().at(0).toBool(), false);
    QVERIFY(panel.findChild<QLabel *>(u"serverBannerLabel"_s)
                    ->text()
                    .contains(u"may not create databases"_s));
    QCOMPARE(superExec(u"SELECT count(*) FROM pg_database WHERE datname = 'orderflow_test'"_s),
             u"0"_s);
}

void TestServerPanel::hiddenPanelPausesRefreshing()
{
    ServerPanel panel(&m_secrets);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    panel.setProfile(profile(u"dev"_s, Environment::Development, u"orderflow"_s, u"panel_test"_s));
    panel.show();
    QVERIFY(refreshed.wait(10000));
    QVERIFY(panel.session()->isActive());
    panel.hide();
    QVERIFY(!panel.session()->isActive());
    panel.show();
    QVERIFY(panel.session()->isActive());
}

void TestServerPanel::askEveryTimeAsksBeforeConnecting()
{
    Profile ask = profile(u"ask"_s, Environment::Development, u"orderflow"_s, u"panel_test"_s);
    m_secrets.forgetSessionPassword(ask.id);
    ServerPanel panel(&m_secrets);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    QSignalSpy failed(&panel, &ServerPanel::refreshFailed);
    panel.setProfile(ask);
    panel.show();
    QTest::qWait(300);
    QCOMPARE(refreshed.size() + failed.size(), 0); // nothing was attempted
    auto *password = panel.findChild<QLineEdit *>(u"serverPasswordLineEdit"_s);
    QVERIFY(password->isVisible());
    QVERIFY(panel.findChild<QLabel *>(u"refreshStatusLabel"_s)->text().contains(u"session only"_s));
    QTest::keyClicks(password, u"dev_password"_s);
    QTest::mouseClick(panel.findChild<QPushButton *>(u"serverUsePasswordButton"_s), Qt::LeftButton);
    QVERIFY(refreshed.wait(10000));
    QVERIFY(!password->isVisible());
}

// A database named with a "%1" in it (the server's text, put into a sentence) and another
// window's idle session on it: the sentence keeps its numbers, the other window's session counts
// as the tool's, and is never taken for the application's leak.
void TestServerPanel::hostileNamesAndTheToolsOwnSessionsLeaveTheCountsRight()
{
    superExec(u"CREATE DATABASE \"shop%1\" OWNER orderflow"_s);
    // Put together without arg(), which would fill the name's "%1" too.
    const QByteArray conninfo = "host=127.0.0.1 port=" + QByteArray::number(m_server->port)
            + " user=orderflow password=dev_password dbname='shop%1'"
              " application_name=orderflow-dbadmin";
    PGconn *otherWindow = PQconnectdb(conninfo.constData());
    QCOMPARE(PQstatus(otherWindow), CONNECTION_OK);

    Profile dev = profile(u"shop"_s, Environment::Development, u"orderflow"_s, u"shop%251"_s);
    dev.pool.poolRecycleSeconds = 1;
    ServerPanel panel(&m_secrets);
    QSignalSpy refreshed(&panel, &ServerPanel::refreshed);
    panel.setProfile(dev);
    panel.show();
    QVERIFY(refreshed.wait(10000));
    QTest::qWait(1100); // the other window's session is now idle longer than pool_recycle
    panel.session()->refreshNow();
    QVERIFY(refreshed.wait(10000));

    const QString capacity = panel.findChild<QLabel *>(u"capacityLabel"_s)->text();
    const QString name = u"\u2068shop%1\u2069"_s;
    QVERIFY2(capacity.contains(u"0 in database "_s + name), qPrintable(capacity));
    QVERIFY2(capacity.contains(u"(not counted in "_s + name + u")"_s), qPrintable(capacity));
    QVERIFY2(!capacity.contains(u"%7"_s) && !capacity.contains(u"%8"_s), qPrintable(capacity));
    QVERIFY2(capacity.contains(u"max_connections 40"_s), qPrintable(capacity));
    const QString warnings = panel.findChild<QLabel *>(u"connectionWarningsLabel"_s)->text();
    QVERIFY2(!warnings.contains(u"orderflow-dbadmin"_s), qPrintable(warnings));
    PQfinish(otherWindow);
    panel.hide();
    superExec(u"DROP DATABASE \"shop%1\" WITH (FORCE)"_s);
}

QTEST_MAIN(TestServerPanel)
#include "tst_serverpanel.moc"
