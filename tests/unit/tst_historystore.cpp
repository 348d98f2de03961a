#include "HeldSqliteLock.h"
#include "history/HistoryReader.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "pool/Clock.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;

/// history.sqlite: what is written is read back, retention against a clock the test moves,
/// files that cannot be used, secrets, and two writers at once.
class TestHistoryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void samplesAndTestsAreReadBack();
    void aDayOfSamplesTurnsIntoMinutesAndMinutesExpireAfter30Days();
    void eachProfileKeepsItsLast50Tests();
    void clearForgetsOneProfileOrAll();
    void aDamagedFileIsSetAsideAndANewOneStarted_data();
    void aDamagedFileIsSetAsideAndANewOneStarted();
    void aLockedFileIsSetAsideAndANewOneStarted();
    void aFileOfANewerVersionIsLeftAlone();
    void noSecretReachesTheFile();
    void twoWritersAtOnceKeepTheFileWhole();
    void theWriterWritesWhatWasQueuedWhenItStops();
    void aLongTransactionOfAnotherProgramDelaysRowsAndLosesNone();
    void theReaderAnswersOnTheCallersThread();
    void applicationNamesAndFractionsComeBackAsWritten();
    void figuresNoServerCouldHaveAreKeptWithinBounds();
    void aClearByAnotherProgramMixesNoProfiles();
    void rowsAnotherProgramMadeUpAreSkippedAndPruningEnds();
    void theReaderFollowsTheWriterToANewFile();

private:
    QString path() const { return QDir(m_dir->path()).filePath(u"history.sqlite"_s); }
    QStringList setAside() const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

const QDateTime start = QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);

HistorySample sample(const QString &profile, qint64 msecs, int inDatabase, bool ok = true)
{
    HistorySample row;
    row.profileId = profile;
    row.msecs = msecs;
    row.ok = ok;
    if (!ok) {
        row.category = u"connection_refused"_s;
        row.message = u"Connection refused"_s;
        return row;
    }
    row.counts.inDatabase = inDatabase;
    row.counts.total = inDatabase + 3;
    row.counts.toolSessions = 1;
    row.counts.maxConnections = 100;
    row.counts.superuserReserved = 3;
    row.byState = {{u"active"_s, 1}, {u"idle"_s, inDatabase - 1}};
    row.byApplication = {{u"orderflow-api"_s, inDatabase}};
    row.poolCapacity = 15;
    return row;
}

HistoryTest test(const QString &profile, qint64 msecs, int n)
{
    HistoryTest row;
    row.profileId = profile;
    row.msecs = msecs;
    row.ok = n % 2 == 0;
    row.health = row.ok ? u"healthy"_s : u"failed"_s;
    row.category = row.ok ? u"ok"_s : u"auth_failed"_s;
    row.failedStage = row.ok ? QString() : u"auth"_s;
    row.summary = u"test %1"_s.arg(n);
    row.elapsedMs = 12.5;
    row.stageMs = {{u"resolve"_s, 0.1}, {u"connect"_s, 2.5}, {u"auth"_s, 9.9}};
    return row;
}

// Counts the writes that found the file busy, from the store's log line: the moment a test
// knows its lock was met, without guessing how long that takes.
class BusyWrites
{
public:
    BusyWrites()
    {
        s_count = 0;
        s_previous = qInstallMessageHandler(&BusyWrites::handle);
    }
    ~BusyWrites() { qInstallMessageHandler(s_previous); }
    Q_DISABLE_COPY_MOVE(BusyWrites)
    int seen() const { return s_count; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (message.startsWith(u"history file busy:"_s))
            ++s_count;
        if (s_previous)
            s_previous(type, context, message);
    }
    static inline std::atomic<int> s_count = 0;
    static inline QtMessageHandler s_previous = nullptr;
};

QByteArray fileBytes(const QString &path)
{
    QByteArray bytes;
    for (const QString &file : {path, QString(path + u"-wal"_s)}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            bytes += f.readAll();
    }
    return bytes;
}

} // namespace

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

QStringList TestHistoryStore::setAside() const
{
    // The files set aside, without the journals that went with them.
    QStringList files
            = QDir(m_dir->path()).entryList({u"history.sqlite.unusable-*"_s}, QDir::Files);
    files.removeIf([](const QString &name) {
        return name.endsWith(u"-wal"_s) || name.endsWith(u"-shm"_s) || name.endsWith(u"-journal"_s);
    });
    return files;
}

void TestHistoryStore::samplesAndTestsAreReadBack()
{
    ManualClock clock(start);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    QVERIFY(store.takeProblems().isEmpty());
    HistorySample bouncer = sample(u"a"_s, start.toMSecsSinceEpoch() + 1000, 7);
    PgBouncerPool pools;
    pools.clientsActive = 4;
    pools.clientsWaiting = 2;
    pools.serversActive = 3;
    pools.maxWaitSeconds = 1.5;
    bouncer.pgbouncer = pools;
    QVERIFY(store.write({sample(u"a"_s, start.toMSecsSinceEpoch(), 5), bouncer,
                         sample(u"a"_s, start.toMSecsSinceEpoch() + 2000, 0, false),
                         sample(u"b"_s, start.toMSecsSinceEpoch(), 9)},
                        {test(u"a"_s, start.toMSecsSinceEpoch(), 1)}));

    const QList<HistorySample> rows
            = store.samples(u"a"_s, start.toMSecsSinceEpoch(), start.toMSecsSinceEpoch() + 3000);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).counts.inDatabase, 5);
    QCOMPARE(rows.at(0).counts.usable(), 97);
    QCOMPARE(rows.at(0).byState.value(u"idle"_s), 4);
    QCOMPARE(rows.at(0).byApplication.value(u"orderflow-api"_s), 5);
    QCOMPARE(rows.at(0).poolCapacity, 15);
    QVERIFY(!rows.at(0).pgbouncer);
    QCOMPARE(rows.at(1).pgbouncer->clientsWaiting, 2);
    QCOMPARE(rows.at(1).pgbouncer->maxWaitSeconds, 1.5);
    QVERIFY(!rows.at(2).ok);
    QCOMPARE(rows.at(2).category, u"connection_refused"_s);
    // The export's object is monitor --json's line.
    const QJsonObject json = rows.at(0).toJson();
    QCOMPARE(json.value(u"t"_s).toString(), u"2026-03-01T00:00:00.000Z"_s);
    QCOMPARE(json.value(u"connections"_s).toObject().value(u"in_database"_s).toInt(), 5);
    QCOMPARE(json.value(u"pool"_s).toObject().value(u"capacity"_s).toInt(), 15);

    const QList<HistoryTest> tests = store.tests(u"a"_s);
    QCOMPARE(tests.size(), 1);
    QCOMPARE(tests.first().summary, u"test 1"_s);
    QCOMPARE(tests.first().failedStage, u"auth"_s);
    QCOMPARE(tests.first().stageMs.size(), 3);
    QCOMPARE(tests.first().stageMs.at(1).first, u"connect"_s);
    QVERIFY(store.tests(u"b"_s).isEmpty());
    QVERIFY(store.samples(u"nobody"_s, 0, std::numeric_limits<qint64>::max()).isEmpty());
}

void TestHistoryStore::aDayOfSamplesTurnsIntoMinutesAndMinutesExpireAfter30Days()
{
    ManualClock clock(start);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    // 24 hours at 1 Hz, written a minute at a time: in each minute in_database runs 0..59,
    // and the last second of every tenth minute fails.
    const qint64 t0 = start.toMSecsSinceEpoch();
    for (int minute = 0; minute < 24 * 60; ++minute) {
        QList<HistorySample> rows;
        for (int second = 0; second < 60; ++second) {
            const bool failed = minute % 10 == 0 && second == 59;
            rows << sample(u"a"_s, t0 + (minute * 60 + second) * 1000LL, second, !failed);
        }
        clock.set(QDateTime::fromMSecsSinceEpoch(t0 + (minute + 1) * 60000LL, Qt::UTC));
        QVERIFY(store.write(rows, {}));
    }
    const qint64 dayEnd = t0 + HistoryStore::SampleRetentionMs;
    QCOMPARE(store.samples(u"a"_s, t0, dayEnd).size(), 86400);

    // A day later every sample is older than 24 hours: each minute is one row.
    clock.set(QDateTime::fromMSecsSinceEpoch(dayEnd + HistoryStore::SampleRetentionMs, Qt::UTC));
    QVERIFY(store.prune());
    QVERIFY(store.samples(u"a"_s, t0, dayEnd).isEmpty());
    const QList<HistoryMinute> minutes = store.minutes(u"a"_s, t0, dayEnd);
    QCOMPARE(minutes.size(), 24 * 60);
    for (const int index : {0, 1, 719, 1439}) {
        const HistoryMinute &minute = minutes.at(index);
        QCOMPARE(minute.msecs, t0 + index * 60000LL);
        QCOMPARE(minute.samples, 60);
        const bool withFailure = index % 10 == 0;
        QCOMPARE(minute.failures, withFailure ? 1 : 0);
        const HistoryMinute::Range &inDatabase = minute.range(HistoryMetric::InDatabase);
        QVERIFY(inDatabase.present);
        QCOMPARE(inDatabase.min, 0.0);
        QCOMPARE(inDatabase.max, withFailure ? 58.0 : 59.0);
        // The failed sample has no count: the mean is over the samples that have one.
        QCOMPARE(inDatabase.mean, withFailure ? 29.0 : 29.5);
        const HistoryMinute::Range &total = minute.range(HistoryMetric::Total);
        QCOMPARE(total.min, 3.0);
        QCOMPARE(minute.range(HistoryMetric::PoolCapacity).max, 15.0);
        QVERIFY(!minute.range(HistoryMetric::PgBouncerClientsWaiting).present);
    }

    // Recent samples and kept minutes come back together, the samples summed up alike.
    const qint64 now = clock.now().toMSecsSinceEpoch();
    QVERIFY(store.write({sample(u"a"_s, now - 2000, 10), sample(u"a"_s, now - 1000, 20)}, {}));
    const QList<HistoryMinute> all = store.minutes(u"a"_s, t0, now + 1);
    QCOMPARE(all.size(), 24 * 60 + 1);
    QCOMPARE(all.last().samples, 2);
    QCOMPARE(all.last().range(HistoryMetric::InDatabase).mean, 15.0);

    // Past 30 days the minutes go too.
    clock.set(QDateTime::fromMSecsSinceEpoch(t0 + HistoryStore::MinuteRetentionMs + 12 * 3600000LL,
                                             Qt::UTC));
    QVERIFY(store.prune());
    const QList<HistoryMinute> left = store.minutes(u"a"_s, t0, dayEnd);
    QCOMPARE(left.size(), 12 * 60);
    QCOMPARE(left.first().msecs, t0 + 12 * 3600000LL);
    clock.set(
            QDateTime::fromMSecsSinceEpoch(now + HistoryStore::MinuteRetentionMs + 60000, Qt::UTC));
    QVERIFY(store.prune());
    QVERIFY(store.minutes(u"a"_s, 0, std::numeric_limits<qint64>::max()).isEmpty());
}

void TestHistoryStore::eachProfileKeepsItsLast50Tests()
{
    ManualClock clock(start);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    const qint64 t0 = start.toMSecsSinceEpoch();
    for (int n = 0; n < 60; ++n)
        QVERIFY(store.write({}, {test(u"a"_s, t0 + n * 1000LL, n)}));
    QVERIFY(store.write({}, {test(u"b"_s, t0, 0), test(u"b"_s, t0 + 1, 1)}));
    const QList<HistoryTest> kept = store.tests(u"a"_s, 100);
    QCOMPARE(kept.size(), HistoryStore::TestsKept);
    QCOMPARE(kept.first().summary, u"test 59"_s);
    QCOMPARE(kept.last().summary, u"test 10"_s);
    QCOMPARE(store.tests(u"b"_s).size(), 2);
    QCOMPARE(store.tests(u"a"_s, 5).size(), 5);
}

void TestHistoryStore::clearForgetsOneProfileOrAll()
{
    ManualClock clock(start);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    const qint64 t0 = start.toMSecsSinceEpoch();
    QVERIFY(store.write({sample(u"a"_s, t0, 1), sample(u"b"_s, t0, 2)},
                        {test(u"a"_s, t0, 0), test(u"b"_s, t0, 0)}));
    QVERIFY(store.clear(u"a"_s));
    QVERIFY(store.samples(u"a"_s, t0, t0 + 1).isEmpty());
    QVERIFY(store.tests(u"a"_s).isEmpty());
    QCOMPARE(store.samples(u"b"_s, t0, t0 + 1).size(), 1);
    QVERIFY(store.clear());
    QVERIFY(store.samples(u"b"_s, t0, t0 + 1).isEmpty());
    QVERIFY(store.tests(u"b"_s).isEmpty());
    // Still usable after clearing everything.
    QVERIFY(store.write({sample(u"b"_s, t0, 2)}, {}));
    QCOMPARE(store.samples(u"b"_s, t0, t0 + 1).size(), 1);
}

void TestHistoryStore::aDamagedFileIsSetAsideAndANewOneStarted_data()
{
    QTest::addColumn<bool>("truncate");
    QTest::newRow("truncated") << true;
    QTest::newRow("not a database") << false;
}

void TestHistoryStore::aDamagedFileIsSetAsideAndANewOneStarted()
{
    QFETCH(bool, truncate);
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    if (truncate) {
        HistoryStore store(path(), &clock);
        QVERIFY(store.open());
        QList<HistorySample> rows;
        for (int n = 0; n < 5000; ++n)
            rows << sample(u"a"_s, t0 + n * 1000LL, n % 50);
        QVERIFY(store.write(rows, {}));
    }
    // Closed, so SQLite moved the journal into the file; now cut it in half.
    QFile file(path());
    if (truncate) {
        QVERIFY(!QFile::exists(path() + u"-wal"_s));
        QVERIFY(file.size() > 64 * 1024);
        QVERIFY(file.resize(file.size() / 2));
    } else {
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
    }

    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    const QStringList problems = store.takeProblems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(u"kept as"_s), qPrintable(problems.first()));
    QCOMPARE(setAside().size(), 1);
    QVERIFY(problems.first().contains(setAside().first()));
    // The new file works.
    QVERIFY(store.samples(u"a"_s, t0, t0 + 5000000).isEmpty());
    QVERIFY(store.write({sample(u"a"_s, t0, 1)}, {}));
    QCOMPARE(store.samples(u"a"_s, t0, t0 + 1).size(), 1);
}

void TestHistoryStore::aLockedFileIsSetAsideAndANewOneStarted()
{
    ManualClock clock(start);
    const HeldSqliteLock held(path());
    QVERIFY(held.isHeld());
    HistoryStore store(path(), &clock);
#ifdef Q_OS_WIN
    // Windows renames no file that another program holds open: history is off for this run,
    // and says why.
    QVERIFY(!store.open());
    QVERIFY(store.takeProblems().first().contains(u"could not be moved aside"_s));
    QVERIFY(setAside().isEmpty());
#else
    QVERIFY(store.open());
    const QStringList problems = store.takeProblems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(u"locked"_s), qPrintable(problems.first()));
    QCOMPARE(setAside().size(), 1);
    QVERIFY(store.write({sample(u"a"_s, start.toMSecsSinceEpoch(), 1)}, {}));
    QCOMPARE(store.samples(u"a"_s, 0, std::numeric_limits<qint64>::max()).size(), 1);
#endif
}

void TestHistoryStore::aFileOfANewerVersionIsLeftAlone()
{
    ManualClock clock(start);
    {
        QSqlDatabase newer = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer"_s);
        newer.setDatabaseName(path());
        QVERIFY(newer.open());
        QSqlQuery query(newer);
        QVERIFY(query.exec(u"PRAGMA user_version = %1"_s.arg(HistoryStore::SchemaVersion + 1)));
        newer.close();
    }
    QSqlDatabase::removeDatabase(u"newer"_s);
    HistoryStore store(path(), &clock);
    QVERIFY(!store.open());
    QVERIFY(store.takeProblems().first().contains(u"newer version"_s));
    QVERIFY(setAside().isEmpty());
    // Nothing is written, and nothing fails loudly.
    QVERIFY(!store.write({sample(u"a"_s, 0, 1)}, {}));
    QVERIFY(store.samples(u"a"_s, 0, 1).isEmpty());
}

void TestHistoryStore::noSecretReachesTheFile()
{
    const QString sentinel = u"Sentinel-Pw-7f3a9"_s;
    ManualClock clock(start);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    const qint64 t0 = start.toMSecsSinceEpoch();
    HistorySample failed = sample(u"a"_s, t0, 0, false);
    failed.message = u"could not connect to postgresql://orderflow:%1@db.internal/orderflow"_s.arg(
            sentinel);
    HistoryTest tested = test(u"a"_s, t0, 1);
    tested.summary = u"host=db password=%1 did not work"_s.arg(sentinel);
    // Any client names itself: one named by its own connection URL.
    HistorySample named = sample(u"a"_s, t0 + 500, 3);
    named.byApplication
            = {{u"postgresql://api:%1@db/orderflow"_s.arg(sentinel), 2}, {u"orderflow-api"_s, 1}};
    QVERIFY(store.write({failed, named}, {tested}));
    // Read back while the rows are still in the -wal file, and after.
    QVERIFY(!fileBytes(path()).contains(sentinel.toUtf8()));
    QVERIFY(store.samples(u"a"_s, t0, t0 + 1).first().message.isEmpty());
    QVERIFY(store.tests(u"a"_s).first().summary.isEmpty());
    // Its sessions are still counted, under a name that says why it is not shown.
    const QMap<QString, int> counted
            = store.samples(u"a"_s, t0 + 500, t0 + 501).first().byApplication;
    QCOMPARE(counted.value(u"orderflow-api"_s), 1);
    QCOMPARE(counted.size(), 2);
    QVERIFY(counted.lastKey().startsWith(u"(hidden"_s)
            || counted.firstKey().startsWith(u"(hidden"_s));
    QVERIFY(store.prune());
    QVERIFY(!fileBytes(path()).contains(sentinel.toUtf8()));
    // The same text without the secret is kept: the check is not blind.
    HistorySample plain = failed;
    plain.msecs += 1000;
    plain.message = u"could not connect to db.internal"_s;
    QVERIFY(store.write({plain}, {}));
    QVERIFY(fileBytes(path()).contains("could not connect to db.internal"));
}

void TestHistoryStore::twoWritersAtOnceKeepTheFileWhole()
{
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    constexpr int Batches = 200;
    constexpr int Rows = 20;
    // Two connections of their own, each on its own thread, as a window and a monitor --record
    // would write; each writes its own profile.
    auto writer = [this, &clock, t0](const QString &profile) {
        return QThread::create([this, &clock, t0, profile]() {
            HistoryStore store(path(), &clock);
            if (!store.open())
                return;
            for (int batch = 0; batch < Batches; ++batch) {
                QList<HistorySample> rows;
                for (int n = 0; n < Rows; ++n)
                    rows << sample(profile, t0 + (batch * Rows + n) * 1000LL, n);
                store.write(rows, {test(profile, t0 + batch, batch)});
            }
        });
    };
    std::unique_ptr<QThread> first(writer(u"a"_s));
    std::unique_ptr<QThread> second(writer(u"b"_s));
    first->start();
    second->start();
    QVERIFY(first->wait(120000));
    QVERIFY(second->wait(120000));

    QVERIFY(setAside().isEmpty());
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    QVERIFY(store.takeProblems().isEmpty());
    for (const QString &profile : {u"a"_s, u"b"_s}) {
        QCOMPARE(store.samples(profile, t0, t0 + Batches * Rows * 1000LL).size(), Batches * Rows);
        QCOMPARE(store.tests(profile).size(), HistoryStore::TestsKept);
    }
    QSqlDatabase check = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
    {
        check.setDatabaseName(path());
        QVERIFY(check.open());
        QSqlQuery query(check);
        QVERIFY(query.exec(u"PRAGMA integrity_check"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), u"ok"_s);
    }
    check = {};
    QSqlDatabase::removeDatabase(u"check"_s);
}

void TestHistoryStore::theWriterWritesWhatWasQueuedWhenItStops()
{
    auto clock = std::make_shared<ManualClock>(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    {
        HistoryWriter writer(path(), clock);
        // From another thread too: record() only queues.
        std::unique_ptr<QThread> other(QThread::create([&writer, t0]() {
            for (int n = 0; n < 100; ++n)
                writer.record(sample(u"a"_s, t0 + n * 1000LL, n));
        }));
        other->start();
        QVERIFY(other->wait(10000));
        writer.record(test(u"a"_s, t0, 0));
    }
    HistoryStore store(path(), clock.get());
    QVERIFY(store.open());
    QCOMPARE(store.samples(u"a"_s, t0, t0 + 100000).size(), 100);
    QCOMPARE(store.tests(u"a"_s).size(), 1);
}

void TestHistoryStore::aLongTransactionOfAnotherProgramDelaysRowsAndLosesNone()
{
    auto clock = std::make_shared<ManualClock>(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    {
        HistoryStore store(path(), clock.get());
        QVERIFY(store.open());
    }
    // Another program's write transaction, held past the busy timeout.
    const QString holderName = u"long-transaction"_s;
    {
        QSqlDatabase holder = QSqlDatabase::addDatabase(u"QSQLITE"_s, holderName);
        holder.setDatabaseName(path());
        QVERIFY(holder.open());
        QVERIFY(QSqlQuery(holder).exec(u"BEGIN IMMEDIATE"_s));
    }
    {
        HistoryStore store(path(), clock.get());
        QVERIFY(store.open());
        QVERIFY(!store.write({sample(u"a"_s, t0, 1)}, {}));
        QVERIFY(store.busy());
        QVERIFY(store.isOpen());
        QVERIFY(store.takeProblems().isEmpty());
    }
    {
        BusyWrites busyWrites;
        HistoryWriter writer(path(), clock);
        writer.record(sample(u"a"_s, t0, 1));
        // The writer's first flush waits out the busy timeout, fails, and keeps the row.
        QTRY_VERIFY_WITH_TIMEOUT(busyWrites.seen() > 0, 30000);
        QSqlDatabase holder = QSqlDatabase::database(holderName, false);
        QVERIFY(QSqlQuery(holder).exec(u"ROLLBACK"_s));
        holder.close();
        writer.record(sample(u"a"_s, t0 + 1000, 2));
    }
    QSqlDatabase::removeDatabase(holderName);
    QVERIFY(setAside().isEmpty());
    HistoryStore store(path(), clock.get());
    QVERIFY(store.open());
    QCOMPARE(store.samples(u"a"_s, t0, t0 + 10000).size(), 2);
}

void TestHistoryStore::theReaderAnswersOnTheCallersThread()
{
    auto clock = std::make_shared<ManualClock>(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    HistoryReader reader(path());
    // Before anything was recorded: empty answers, not a failure.
    std::optional<QList<HistoryTest>> none;
    reader.tests(u"a"_s, 5, this, [&none](const QList<HistoryTest> &rows) { none = rows; });
    QTRY_VERIFY(none.has_value());
    QVERIFY(none->isEmpty());
    {
        HistoryWriter writer(path(), clock);
        for (int n = 0; n < 120; ++n)
            writer.record(sample(u"a"_s, t0 + n * 1000LL, n % 5 + 1));
        for (int n = 0; n < 8; ++n)
            writer.record(test(u"a"_s, t0 + n, n));
    }
    QList<HistorySample> samples;
    QList<HistoryMinute> minutes;
    QList<HistoryTest> tests;
    QThread *answeredOn = nullptr;
    reader.samples(u"a"_s, t0, t0 + 60000, this,
                   [&samples, &answeredOn](const QList<HistorySample> &rows) {
                       samples = rows;
                       answeredOn = QThread::currentThread();
                   });
    reader.minutes(u"a"_s, t0, t0 + 3600000, this,
                   [&minutes](const QList<HistoryMinute> &rows) { minutes = rows; });
    reader.tests(u"a"_s, 5, this, [&tests](const QList<HistoryTest> &rows) { tests = rows; });
    QTRY_COMPARE(tests.size(), 5);
    QCOMPARE(samples.size(), 60);
    QCOMPARE(answeredOn, QThread::currentThread());
    QCOMPARE(minutes.size(), 2);
    QCOMPARE(minutes.first().samples, 60);
    QCOMPARE(tests.first().msecs, t0 + 7);
    // A context gone before the answer takes its callback with it.
    bool called = false;
    {
        QObject context;
        reader.tests(u"a"_s, 5, &context, [&called](const QList<HistoryTest> &) { called = true; });
    }
    // Reads are answered in order: once a later one is answered, the dropped one has run.
    bool later = false;
    reader.tests(u"a"_s, 5, this, [&later](const QList<HistoryTest> &) { later = true; });
    QTRY_VERIFY(later);
    QVERIFY(!called);
}

void TestHistoryStore::applicationNamesAndFractionsComeBackAsWritten()
{
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    // Names are kept apart from the counts: a name with the separators in it, one a hostile
    // server sends, and one with characters beyond ASCII come back unchanged.
    const QMap<QString, int> applications
            = {{u"api:worker,0"_s, 3}, {u"'; DROP TABLE samples; --"_s, 2}, {u"Prüfung ✓"_s, 1}};
    QList<HistorySample> rows;
    for (int n = 0; n < 3; ++n) {
        HistorySample row = sample(u"a"_s, t0 + n * 1000LL, 6);
        row.byApplication = applications;
        PgBouncerPool pool;
        pool.clientsWaiting = n;
        pool.maxWaitSeconds = 0.25 * (n + 1);
        row.pgbouncer = pool;
        rows << row;
    }
    QVERIFY(store.write(rows, {}));
    const QList<HistorySample> back = store.samples(u"a"_s, t0, t0 + 60000);
    QCOMPARE(back.size(), 3);
    QCOMPARE(back.first().byApplication, applications);
    QCOMPARE(back.first().byState.value(u"idle"_s), 5);
    QVERIFY(back.first().pgbouncer.has_value());
    QCOMPARE(back.last().pgbouncer->maxWaitSeconds, 0.75);

    // The minute keeps hundredths: the mean of 0.25, 0.5 and 0.75 seconds, and of 0, 1, 2.
    const QList<HistoryMinute> minutes = store.minutes(u"a"_s, t0, t0 + 60000);
    QCOMPARE(minutes.size(), 1);
    const HistoryMinute::Range &wait
            = minutes.first().range(HistoryMetric::PgBouncerMaxWaitSeconds);
    QCOMPARE(wait.min, 0.25);
    QCOMPARE(wait.max, 0.75);
    QCOMPARE(wait.mean, 0.5);
    QCOMPARE(minutes.first().range(HistoryMetric::PgBouncerClientsWaiting).mean, 1.0);
    QCOMPARE(minutes.first().range(HistoryMetric::InDatabase).mean, 6.0);

    // A name no kept sample uses any more is forgotten; used again, it is written again.
    const qint64 later = t0 + HistoryStore::SampleRetentionMs + 3 * 3600 * 1000LL;
    clock.set(QDateTime::fromMSecsSinceEpoch(later, Qt::UTC));
    HistorySample fresh = sample(u"a"_s, later, 2);
    fresh.byApplication = {{u"orderflow-api"_s, 2}};
    QVERIFY(store.write({fresh}, {}));
    QVERIFY(store.prune());
    {
        QSqlDatabase look = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"look"_s);
        look.setDatabaseName(path());
        QVERIFY(look.open());
        QSqlQuery names(look);
        QVERIFY(names.exec(u"SELECT name FROM applications ORDER BY name"_s));
        QStringList kept;
        while (names.next())
            kept << names.value(0).toString();
        QCOMPARE(kept, QStringList{u"orderflow-api"_s});
    }
    QSqlDatabase::removeDatabase(u"look"_s);
    fresh.msecs = later + 1000;
    fresh.byApplication = applications;
    QVERIFY(store.write({fresh}, {}));
    QCOMPARE(store.samples(u"a"_s, later + 1000, later + 2000).first().byApplication, applications);
}

void TestHistoryStore::figuresNoServerCouldHaveAreKeptWithinBounds()
{
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    // What a console that answers anything could make PgBouncer's wait parse to.
    const QList<double> waits
            = {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
               std::numeric_limits<double>::quiet_NaN(), 1e300, 2.5};
    QList<HistorySample> rows;
    for (int n = 0; n < waits.size(); ++n) {
        HistorySample row = sample(u"a"_s, t0 + n * 1000LL, 1);
        PgBouncerPool pool;
        pool.maxWaitSeconds = waits.at(n);
        row.pgbouncer = pool;
        rows << row;
    }
    QVERIFY(store.write(rows, {}));
    const QList<HistoryMinute> minutes = store.minutes(u"a"_s, t0, t0 + 60000);
    QCOMPARE(minutes.size(), 1);
    const HistoryMinute::Range &wait
            = minutes.first().range(HistoryMetric::PgBouncerMaxWaitSeconds);
    QVERIFY(wait.present);
    // Kept at the bound of 10^15 seconds each way, in order.
    QCOMPARE(wait.min, -1e15);
    QCOMPARE(wait.max, 1e15);
    QVERIFY(wait.min <= wait.mean && wait.mean <= wait.max);
    // The other figures of the minute are untouched by it.
    QCOMPARE(minutes.first().range(HistoryMetric::InDatabase).max, 1.0);
    QCOMPARE(store.samples(u"a"_s, t0, t0 + 60000).size(), waits.size());
}

void TestHistoryStore::aClearByAnotherProgramMixesNoProfiles()
{
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    // The window records profile a; a terminal clears the history, then records profile b,
    // which may get the key a had.
    HistoryStore window(path(), &clock);
    QVERIFY(window.open());
    QVERIFY(window.write({sample(u"a"_s, t0, 1)}, {}));
    HistoryStore terminal(path(), &clock);
    QVERIFY(terminal.open());
    QVERIFY(terminal.clear());
    QVERIFY(terminal.write({sample(u"b"_s, t0 + 1000, 2)}, {}));
    QVERIFY(window.write({sample(u"a"_s, t0 + 2000, 3)}, {}));
    const QList<HistorySample> a = window.samples(u"a"_s, t0, t0 + 10000);
    QCOMPARE(a.size(), 1);
    QCOMPARE(a.first().counts.inDatabase, 3);
    const QList<HistorySample> b = terminal.samples(u"b"_s, t0, t0 + 10000);
    QCOMPARE(b.size(), 1);
    QCOMPARE(b.first().counts.inDatabase, 2);
    // Names too: the terminal drops them with the rest, the window writes them again.
    HistorySample named = sample(u"a"_s, t0 + 3000, 4);
    named.byApplication = {{u"api"_s, 4}};
    QVERIFY(window.write({named}, {}));
    QVERIFY(terminal.clear());
    HistorySample other = sample(u"b"_s, t0 + 4000, 5);
    other.byApplication = {{u"worker"_s, 5}};
    QVERIFY(terminal.write({other}, {}));
    named.msecs = t0 + 5000;
    QVERIFY(window.write({named}, {}));
    QCOMPARE(window.samples(u"a"_s, t0 + 5000, t0 + 5001).first().byApplication,
             (QMap<QString, int>{{u"api"_s, 4}}));
    QCOMPARE(terminal.samples(u"b"_s, t0 + 4000, t0 + 4001).first().byApplication,
             (QMap<QString, int>{{u"worker"_s, 5}}));
}

void TestHistoryStore::rowsAnotherProgramMadeUpAreSkippedAndPruningEnds()
{
    ManualClock clock(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    {
        HistoryStore store(path(), &clock);
        QVERIFY(store.open());
        QVERIFY(store.write({sample(u"a"_s, t0, 1), sample(u"a"_s, t0 + 60000, 2)}, {}));
    }
    // Another program writes rows no version of this one would: minutes whose ranges do not
    // decode, and samples whose time is text.
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other"_s);
        other.setDatabaseName(path());
        QVERIFY(other.open());
        QSqlQuery query(other);
        const QList<QByteArray> blobs = {QByteArray("", 0),
                                         QByteArray("\x01"),
                                         QByteArray("\x01\x01\x00\xff", 4),
                                         QByteArray(11, '\xff'),
                                         QByteArray("\x01\x01\x00\xfe\xff\xff\xff\xff\xff"
                                                    "\xff\xff\xff\x01\x01\x00",
                                                    15),
                                         QByteArray("\x01\x00\xf0", 3)};
        for (int n = 0; n < blobs.size(); ++n) {
            QVERIFY(query.prepare(u"INSERT INTO minutes VALUES (1, ?, 1, 0, ?)"_s));
            query.addBindValue(t0 + (10 + n) * 60000LL);
            query.addBindValue(blobs.at(n));
            QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        }
        QVERIFY(query.exec(u"INSERT INTO samples (profile, t, ok) VALUES (1, 'abc', 1)"_s));
        other.close();
    }
    QSqlDatabase::removeDatabase(u"other"_s);
    HistoryStore store(path(), &clock);
    QVERIFY(store.open());
    // The made-up minutes are left out; the real ones come back.
    const QList<HistoryMinute> minutes = store.minutes(u"a"_s, t0, t0 + 3600000);
    QCOMPARE(minutes.size(), 2);
    QCOMPARE(minutes.last().range(HistoryMetric::InDatabase).max, 2.0);
    // Pruning a day later ends, whatever it cannot drop.
    clock.set(QDateTime::fromMSecsSinceEpoch(t0 + 2 * HistoryStore::SampleRetentionMs, Qt::UTC));
    QVERIFY(store.prune());
    QVERIFY(store.samples(u"a"_s, t0, t0 + 120000).isEmpty());
}

void TestHistoryStore::theReaderFollowsTheWriterToANewFile()
{
    auto clock = std::make_shared<ManualClock>(start);
    const qint64 t0 = start.toMSecsSinceEpoch();
    HistoryReader reader(path());
    const auto count = [&reader, this, t0]() {
        std::optional<qsizetype> answer;
        reader.samples(u"a"_s, t0, t0 + 3600000, this,
                       [&answer](const QList<HistorySample> &rows) { answer = rows.size(); });
        return QTest::qWaitFor([&answer]() { return answer.has_value(); }, 10000) ? *answer : -1;
    };
    // No file yet: nothing, and none is made by reading.
    QCOMPARE(count(), 0);
    QVERIFY(!QFile::exists(path()));
    {
        HistoryStore store(path(), clock.get());
        QVERIFY(store.open());
        QList<HistorySample> rows;
        for (int n = 0; n < 10; ++n)
            rows << sample(u"a"_s, t0 + n * 1000LL, n);
        QVERIFY(store.write(rows, {}));
    }
    QCOMPARE(count(), 10);
    // The file is damaged; the next writer sets it aside and starts a new one.
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
    }
    HistoryStore store(path(), clock.get());
    QVERIFY(store.open());
    QCOMPARE(setAside().size(), 1);
    QVERIFY(store.write({sample(u"a"_s, t0, 1)}, {}));
    QCOMPARE(count(), 1);
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
