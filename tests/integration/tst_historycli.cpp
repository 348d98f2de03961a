#include "HeldSqliteLock.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// `monitor --record` and `history export | prune | clear` as scripts use them: the real
/// executable, its own config folder, the test cluster.
class TestHistoryCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void monitorRecordIsReadBackByHistoryExport();
    void usageErrorsExit2();
    void aDamagedHistoryIsSetAsideAndTheCommandGoesOn();
    void aLockedHistoryIsSetAsideAndTheCommandGoesOn();
    void checkRecordsItsTestForHistoryExport();
    void aLockedOrDamagedHistoryLeavesCheckAsItWas();

private:
    TestEnvironment::ProcessResult run(const QStringList &arguments, const QByteArray &input = {});
    QString historyPath() const { return QDir(m_config->path()).filePath(u"history.sqlite"_s); }
    QStringList setAside() const
    {
        // The files set aside, without the journals that went with them.
        QStringList files
                = QDir(m_config->path()).entryList({u"history.sqlite.unusable-*"_s}, QDir::Files);
        files.removeIf([](const QString &name) {
            return name.endsWith(u"-wal"_s) || name.endsWith(u"-shm"_s)
                    || name.endsWith(u"-journal"_s);
        });
        return files;
    }
    /// A profile without a password, enough for the commands that do not connect.
    void addOfflineProfile(const QString &name);

    std::unique_ptr<QTemporaryDir> m_config;
};

void TestHistoryCli::init()
{
    m_config = std::make_unique<QTemporaryDir>();
}

TestEnvironment::ProcessResult TestHistoryCli::run(const QStringList &arguments,
                                                   const QByteArray &input)
{
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    for (const QString &name : {u"PGPASSWORD"_s, u"PGHOST"_s, u"PGPORT"_s})
        environment.remove(name);
    environment.insert(u"PGPASSFILE"_s, u"/nonexistent/pgpass"_s);
    return TestEnvironment::run(arguments, environment, input);
}

void TestHistoryCli::addOfflineProfile(const QString &name)
{
    const auto added = run({u"profiles"_s, u"add"_s, name, u"--url"_s,
                            u"postgresql://orderflow@127.0.0.1:1/orderflow"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
}

void TestHistoryCli::monitorRecordIsReadBackByHistoryExport()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    // The password comes inside the URL: it goes to the keychain, never to the history.
    const auto added = run(
            {u"profiles"_s, u"add"_s, u"recorded"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow"_s.arg(server->port)});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const auto monitor = run({u"monitor"_s, u"--profile"_s, u"recorded"_s, u"--interval"_s,
                              u"200"_s, u"--samples"_s, u"3"_s, u"--json"_s, u"--record"_s});
    QVERIFY2(monitor.exitCode == 0, qPrintable(monitor.err));
    QVERIFY2(monitor.err.isEmpty(), qPrintable(monitor.err));
    const QStringList printed = monitor.out.trimmed().split(u'\n');
    QCOMPARE(printed.size(), 3);

    const auto json = run({u"history"_s, u"export"_s, u"--profile"_s, u"recorded"_s, u"--since"_s,
                           u"1h"_s, u"--format"_s, u"json"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QStringList lines = json.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject stored = QJsonDocument::fromJson(lines.at(i).toUtf8()).object();
        const QJsonObject live = QJsonDocument::fromJson(printed.at(i).toUtf8()).object();
        QCOMPARE(stored.value(u"t"_s), live.value(u"t"_s));
        QCOMPARE(stored.value(u"ok"_s).toBool(), true);
        const QJsonObject storedCounts = stored.value(u"connections"_s).toObject();
        const QJsonObject liveCounts = live.value(u"connections"_s).toObject();
        for (const QString &member : {u"in_database"_s, u"total"_s, u"tool_sessions"_s,
                                      u"max_connections"_s, u"by_state"_s})
            QCOMPARE(storedCounts.value(member), liveCounts.value(member));
        QCOMPARE(stored.value(u"by_application"_s), live.value(u"by_application"_s));
        QCOMPARE(stored.value(u"pool"_s).toObject().value(u"capacity"_s),
                 live.value(u"pool"_s).toObject().value(u"capacity"_s));
    }

    const auto csv = run({u"history"_s, u"export"_s, u"--profile"_s, u"recorded"_s, u"--since"_s,
                          u"15m"_s, u"--format"_s, u"csv"_s});
    QCOMPARE(csv.exitCode, 0);
    const QStringList rows = csv.out.trimmed().split(u'\n');
    QCOMPARE(rows.size(), 4);
    QVERIFY(rows.first().startsWith(u"t,ok,category,in_database,total,"_s));
    QCOMPARE(rows.at(1).split(u',').at(1), u"1"_s);

    const auto minutes
            = run({u"history"_s, u"export"_s, u"--profile"_s, u"recorded"_s, u"--since"_s, u"1h"_s,
                   u"--format"_s, u"json"_s, u"--rows"_s, u"minutes"_s});
    QCOMPARE(minutes.exitCode, 0);
    int summed = 0;
    for (const QString &line : minutes.out.trimmed().split(u'\n'))
        summed += QJsonDocument::fromJson(line.toUtf8()).object().value(u"samples"_s).toInt();
    QCOMPARE(summed, 3);

    // Neither the password nor a URL holding it is anywhere in the file or its journal.
    QByteArray bytes;
    for (const QString &file : {historyPath(), QString(historyPath() + u"-wal"_s)}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            bytes += f.readAll();
    }
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains("dev_password"));
    QVERIFY(!bytes.contains("postgresql://"));
    QCOMPARE(QFile::permissions(historyPath()) & 0x0077, QFileDevice::Permissions());

    QCOMPARE(run({u"history"_s, u"prune"_s}).exitCode, 0);
    QCOMPARE(run({u"history"_s, u"clear"_s, u"--profile"_s, u"recorded"_s}).exitCode, 0);
    const auto cleared = run({u"history"_s, u"export"_s, u"--profile"_s, u"recorded"_s,
                              u"--since"_s, u"1h"_s, u"--format"_s, u"json"_s});
    QCOMPARE(cleared.exitCode, 0);
    QVERIFY(cleared.out.trimmed().isEmpty());
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"recorded"_s}).exitCode, 0);
}

void TestHistoryCli::usageErrorsExit2()
{
    addOfflineProfile(u"offline"_s);
    const QStringList exportOffline{u"history"_s, u"export"_s, u"--profile"_s, u"offline"_s};
    const auto unknown = run({u"history"_s, u"export"_s, u"--profile"_s, u"nobody"_s, u"--since"_s,
                              u"1h"_s, u"--format"_s, u"csv"_s});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(u"no profile named \"nobody\""_s), qPrintable(unknown.err));
    QCOMPARE(run({u"history"_s, u"clear"_s, u"--profile"_s, u"nobody"_s}).exitCode, 2);
    for (const QString &since : {u"1w"_s, u"0h"_s, u"h"_s, u"-5m"_s, u""_s})
        QCOMPARE(run(exportOffline + QStringList{u"--since"_s, since, u"--format"_s, u"csv"_s})
                         .exitCode,
                 2);
    QCOMPARE(run(exportOffline + QStringList{u"--since"_s, u"1h"_s, u"--format"_s, u"xml"_s})
                     .exitCode,
             2);
    QCOMPARE(run(exportOffline
                 + QStringList{u"--since"_s, u"1h"_s, u"--format"_s, u"csv"_s, u"--rows"_s,
                               u"all"_s})
                     .exitCode,
             2);
    QCOMPARE(run({u"history"_s, u"export"_s, u"--since"_s, u"1h"_s, u"--format"_s, u"csv"_s})
                     .exitCode,
             2);
    QCOMPARE(run({u"history"_s}).exitCode, 2);
    // A bare URL has no profile to keep history under.
    const auto bare = run({u"monitor"_s, u"--url"_s, u"postgresql://127.0.0.1:1/x"_s, u"--record"_s,
                           u"--samples"_s, u"1"_s});
    QCOMPARE(bare.exitCode, 2);
    QVERIFY(bare.err.contains(u"--record needs --profile"_s));
    // Valid, with nothing recorded yet: a header and no rows.
    const auto empty
            = run(exportOffline + QStringList{u"--since"_s, u"7d"_s, u"--format"_s, u"csv"_s});
    QCOMPARE(empty.exitCode, 0);
    QCOMPARE(empty.out.trimmed().count(u'\n'), 0);
    QVERIFY(empty.out.startsWith(u"t,ok,"_s));
}

void TestHistoryCli::aDamagedHistoryIsSetAsideAndTheCommandGoesOn()
{
    addOfflineProfile(u"offline"_s);
    QFile file(historyPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("SQLite format 3");
    file.write(QByteArray(3000, '\x01'));
    file.close();
    // A monitor of a server that is down still records, and still exits 0.
    const auto monitor = run({u"monitor"_s, u"--profile"_s, u"offline"_s, u"--interval"_s, u"100"_s,
                              u"--samples"_s, u"2"_s, u"--record"_s});
    QCOMPARE(monitor.exitCode, 0);
    QVERIFY2(monitor.err.contains(u"warning: The history file could not be used"_s),
             qPrintable(monitor.err));
    QCOMPARE(setAside().size(), 1);
    QVERIFY(monitor.err.contains(setAside().first()));
    const auto exported = run({u"history"_s, u"export"_s, u"--profile"_s, u"offline"_s,
                               u"--since"_s, u"1h"_s, u"--format"_s, u"json"_s});
    QCOMPARE(exported.exitCode, 0);
    QVERIFY(exported.err.isEmpty());
    const QStringList lines = exported.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(lines.first().toUtf8()).object().value(u"category"_s),
             u"connection_refused"_s);
}

void TestHistoryCli::aLockedHistoryIsSetAsideAndTheCommandGoesOn()
{
    addOfflineProfile(u"offline"_s);
    // This process holds the file with an exclusive lock that it never lets go of.
    const HeldSqliteLock held(historyPath());
    QVERIFY(held.isHeld());
    // Reading leaves the file to the program that holds it, and says it could not read.
    const QStringList exportCsv{u"history"_s, u"export"_s, u"--profile"_s, u"offline"_s,
                                u"--since"_s, u"1h"_s,     u"--format"_s,  u"csv"_s};
    const auto exported = run(exportCsv);
    QCOMPARE(exported.exitCode, 0);
    QVERIFY2(exported.err.contains(u"warning: History cannot be read"_s), qPrintable(exported.err));
    QVERIFY(exported.out.startsWith(u"t,ok,"_s));
    QVERIFY(setAside().isEmpty());
    // A command that writes waits for the lock, then sets the file aside and goes on.
    const auto pruned = run({u"history"_s, u"prune"_s});
    QCOMPARE(pruned.exitCode, 0);
    QVERIFY2(pruned.err.contains(u"warning: The history file could not be used"_s),
             qPrintable(pruned.err));
    QVERIFY(pruned.err.contains(u"locked"_s));
    QCOMPARE(setAside().size(), 1);
    // The new file is in use: the next commands find nothing wrong.
    const auto next = run({u"history"_s, u"prune"_s});
    QCOMPARE(next.exitCode, 0);
    QVERIFY2(next.err.isEmpty(), qPrintable(next.err));
    const auto again = run(exportCsv);
    QVERIFY2(again.err.isEmpty(), qPrintable(again.err));
}

void TestHistoryCli::checkRecordsItsTestForHistoryExport()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const auto added = run(
            {u"profiles"_s, u"add"_s, u"passing"_s, u"--url"_s,
             u"postgresql://orderflow:dev_password@127.0.0.1:%1/orderflow?sslmode=disable"_s.arg(
                     server->port)});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    // Port 1 on loopback refuses: a real failure.
    addOfflineProfile(u"offline"_s);

    const auto passing = run({u"check"_s, u"--profile"_s, u"passing"_s, u"--json"_s});
    // Connected; the development profile's required extensions decide between 0 and 3.
    QVERIFY2(passing.exitCode == 0 || passing.exitCode == 3, qPrintable(passing.err));
    QVERIFY2(passing.err.isEmpty(), qPrintable(passing.err));
    const QJsonObject live = QJsonDocument::fromJson(passing.out.toUtf8()).object();
    const auto refused = run({u"check"_s, u"--profile"_s, u"offline"_s});
    QCOMPARE(refused.exitCode, 1);

    const auto json = run({u"history"_s, u"export"_s, u"--profile"_s, u"passing"_s, u"--since"_s,
                           u"1h"_s, u"--format"_s, u"json"_s, u"--rows"_s, u"tests"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QStringList lines = json.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 1);
    const QJsonObject stored = QJsonDocument::fromJson(lines.first().toUtf8()).object();
    QCOMPARE(stored.value(u"ok"_s), live.value(u"ok"_s));
    QCOMPARE(stored.value(u"health"_s).toString(),
             passing.exitCode == 0 ? u"healthy"_s : u"checks_failed"_s);
    QCOMPARE(stored.value(u"category"_s), live.value(u"category"_s));
    QCOMPARE(stored.value(u"summary"_s), live.value(u"summary"_s));
    QCOMPARE(stored.value(u"elapsed_ms"_s).toDouble(), live.value(u"elapsed_ms"_s).toDouble());
    QVERIFY(stored.value(u"stages"_s).toObject().contains(u"auth"_s));

    const auto csv = run({u"history"_s, u"export"_s, u"--profile"_s, u"offline"_s, u"--since"_s,
                          u"1h"_s, u"--format"_s, u"csv"_s, u"--rows"_s, u"tests"_s});
    QCOMPARE(csv.exitCode, 0);
    const QStringList rows = csv.out.trimmed().split(u'\n');
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.first(), u"t,ok,health,category,failed_stage,elapsed_ms,summary"_s);
    const QStringList fields = rows.at(1).split(u',');
    QCOMPARE(fields.mid(1, 4),
             (QStringList{u"0"_s, u"failed"_s, u"connection_refused"_s, u"connect"_s}));

    // A bare URL has no profile to keep its test under: nothing new is recorded.
    const auto bare
            = run({u"check"_s, u"--url"_s, u"postgresql://orderflow@127.0.0.1:1/orderflow"_s});
    QCOMPARE(bare.exitCode, 1);
    const auto again = run({u"history"_s, u"export"_s, u"--profile"_s, u"offline"_s, u"--since"_s,
                            u"1h"_s, u"--format"_s, u"csv"_s, u"--rows"_s, u"tests"_s});
    QCOMPARE(again.out, csv.out);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"passing"_s}).exitCode, 0);
}

void TestHistoryCli::aLockedOrDamagedHistoryLeavesCheckAsItWas()
{
    addOfflineProfile(u"offline"_s);
    const QStringList check{u"check"_s, u"--profile"_s, u"offline"_s, u"--json"_s};
    // What check printed, without what differs from one run to the next: the times, and the
    // evidence and hints, which name the PostgreSQL servers that answer on this machine now.
    const auto printed = [](const TestEnvironment::ProcessResult &result) {
        QJsonParseError error{};
        QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
        if (error.error != QJsonParseError::NoError || result.out.trimmed().contains(u'\n'))
            return QJsonObject{{u"not one JSON object"_s, result.out}};
        for (const QString &member : {u"elapsed_ms"_s, u"evidence"_s, u"hints"_s})
            object.remove(member);
        QJsonArray stages;
        for (const QJsonValue &stage : object.value(u"stages"_s).toArray()) {
            QJsonObject timed = stage.toObject();
            timed.remove(u"ms"_s);
            stages.append(timed);
        }
        object.insert(u"stages"_s, stages);
        return object;
    };

    TestEnvironment::ProcessResult locked;
    {
        // Another program holds the file and never lets go.
        const HeldSqliteLock held(historyPath());
        QVERIFY(held.isHeld());
        locked = run(check);
    }
    QCOMPARE(locked.exitCode, 1);
    // check does not wait out the lock as it ends: its test is not recorded, it says so, and
    // the file is left to the program that holds it.
    QVERIFY2(locked.err.contains(u"warning: "_s), qPrintable(locked.err));
    QVERIFY2(locked.err.contains(u"locked by another program"_s), qPrintable(locked.err));
    QVERIFY(setAside().isEmpty());

    const auto clean = run(check);
    QCOMPARE(clean.exitCode, 1);
    QVERIFY2(clean.err.isEmpty(), qPrintable(clean.err));
    QCOMPARE(printed(locked), printed(clean));

    for (const QString &journal : {u"-wal"_s, u"-shm"_s})
        QFile::remove(historyPath() + journal);
    QFile file(historyPath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("SQLite format 3");
    file.write(QByteArray(3000, '\x01'));
    file.close();
    const auto damaged = run(check);
    QCOMPARE(damaged.exitCode, 1);
    QVERIFY2(damaged.err.contains(u"warning: The history file could not be used"_s),
             qPrintable(damaged.err));
    QCOMPARE(setAside().size(), 1);
    QCOMPARE(printed(damaged), printed(clean));
    // The warnings went to stderr alone.
    QVERIFY(!locked.out.contains(locked.err.trimmed()));
    QVERIFY(!damaged.out.contains(damaged.err.trimmed()));
}

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_historycli.moc"
