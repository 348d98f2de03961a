// Prints figures for the local history (history.sqlite): the CPU that recording 10 profiles at
// 1 Hz costs, with a day of samples already kept so that retention runs as it does in steady
// state (an accelerated clock: each simulated second is one transaction, as the writer makes);
// the time to read 30 days of per-minute rows for one profile; and the size of the file at full
// retention for 10 profiles, computed from the measured size of a row.
//
//   bench_history [SECONDS [PREFILL_HOURS [QUERIES]]]

#include "history/HistoryStore.h"
#include "pool/Clock.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int Profiles = 10;
const QDateTime start(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

HistorySample sample(int profile, qint64 msecs)
{
    HistorySample row;
    row.profileId = u"00000000-0000-4000-8000-%1"_s.arg(profile, 12, 10, QChar(u'0'));
    row.msecs = msecs;
    row.ok = true;
    const int second = int((msecs / 1000) % 60);
    row.counts.inDatabase = 5 + second % 7;
    row.counts.total = row.counts.inDatabase + 4;
    row.counts.toolSessions = 1;
    row.counts.maxConnections = 100;
    row.counts.superuserReserved = 3;
    row.byState = {{u"active"_s, 1 + second % 3}, {u"idle"_s, 4}, {u"idle in transaction"_s, 0}};
    row.byApplication = {{u"orderflow-api"_s, 4}, {u"orderflow-worker"_s, 1 + second % 7}};
    row.poolCapacity = 30;
    return row;
}

// The bytes of the pages that hold a table, with the room left free in them, and its rows,
// after a checkpoint (dbstat: SQLite's own page accounting).
struct TableSize
{
    qint64 bytes = 0;
    qint64 rows = 0;
    double perRow() const { return rows > 0 ? double(bytes) / double(rows) : 0; }
};

TableSize tableSize(const QString &path, const QString &table)
{
    TableSize size;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"size"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
            query.prepare(u"SELECT sum(pgsize) FROM dbstat WHERE name = ?"_s);
            query.addBindValue(table);
            if (query.exec() && query.next()) {
                size.bytes = query.value(0).toLongLong();
            } else {
                // An SQLite without the dbstat table: no figure rather than a wrong one.
                std::fprintf(stderr, "bench_history: cannot measure %s: %s\n", qPrintable(table),
                             qPrintable(query.lastError().text()));
                std::exit(1);
            }
            if (query.exec(u"SELECT count(*) FROM "_s + table) && query.next())
                size.rows = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(u"size"_s);
    return size;
}

// A figure measured on rows that were not written would be no figure at all.
void mustWrite(HistoryStore &store, const QList<HistorySample> &rows)
{
    if (!store.write(rows, {})) {
        std::fprintf(stderr, "bench_history: writing failed: %s\n",
                     qPrintable(store.takeProblems().join(u' ')));
        std::exit(1);
    }
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size();
}

/// Records as the writer does and returns the measured bytes of a sample row.
double recording(int seconds, int prefillHours)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"history.sqlite"_s);
    ManualClock clock(start);
    HistoryStore store(path, &clock);
    if (!store.open()) {
        std::printf("recording: history.sqlite could not be opened\n");
        return 0;
    }
    // The samples of the hours before, written in large batches (not measured).
    const qint64 t0 = start.toMSecsSinceEpoch();
    const qint64 prefillSeconds = qint64(prefillHours) * 3600;
    for (qint64 s = 0; s < prefillSeconds; s += 600) {
        QList<HistorySample> rows;
        for (qint64 second = s; second < std::min(s + 600, prefillSeconds); ++second) {
            for (int profile = 0; profile < Profiles; ++profile)
                rows << sample(profile, t0 + second * 1000);
        }
        clock.set(QDateTime::fromMSecsSinceEpoch(t0 + (s + 600) * 1000, Qt::UTC));
        mustWrite(store, rows);
    }

    // Opening to record checks the whole file (quick_check), as every command and the window's
    // writer do.
    if (prefillHours > 0) {
        // Moves the rows out of the -wal file into the file itself, as a close does.
        tableSize(path, u"samples"_s);
        HistoryStore reader(path, &clock);
        QElapsedTimer timer;
        timer.start();
        reader.open();
        const double openMs = timer.nsecsElapsed() / 1e6;
        std::printf("open: a file of %lld samples (%.1f MiB) opens and is checked in %.1f ms\n",
                    prefillSeconds * Profiles, fileBytes(path) / 1048576.0, openMs);
    }

    // Then the measured seconds: one transaction a second with a sample of each profile, and
    // a retention step in it; the clock moves a second each time.
    const qint64 from = t0 + prefillSeconds * 1000;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    for (int second = 0; second < seconds; ++second) {
        const qint64 now = from + qint64(second) * 1000;
        clock.set(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC));
        QList<HistorySample> rows;
        for (int profile = 0; profile < Profiles; ++profile)
            rows << sample(profile, now);
        mustWrite(store, rows);
    }
    const double cpu = cpuSeconds() - cpuBefore;
    std::printf("recording: %d profiles at 1 Hz for %d simulated s (%d h kept before, retention "
                "running): %.3f s CPU = %.3f%% of one core (wall %.2f s)\n",
                Profiles, seconds, prefillHours, cpu, 100.0 * cpu / seconds,
                wall.elapsed() / 1000.0);
    // The samples of 10 profiles arrive interleaved, as they do: the pages' free room included.
    return tableSize(path, u"samples"_s).perRow();
}

// The measured bytes of a minute row: 10 profiles, interleaved, each minute summed up from
// samples that differ (so that its mean has hundredths, as real ones do).
double minuteRowBytes()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"history.sqlite"_s);
    ManualClock clock(start);
    HistoryStore store(path, &clock);
    if (!store.open())
        return 0;
    const qint64 t0 = start.toMSecsSinceEpoch();
    constexpr int Hours = 48;
    for (int hour = 0; hour < Hours; ++hour) {
        QList<HistorySample> rows;
        for (int minute = 0; minute < 60; ++minute) {
            for (const int second : {0, 13, 31, 47}) {
                const qint64 msecs = t0 + ((hour * 60LL + minute) * 60 + second) * 1000;
                for (int profile = 0; profile < Profiles; ++profile)
                    rows << sample(profile, msecs);
            }
        }
        mustWrite(store, rows);
    }
    return tableSize(path, u"minutes"_s).perRow();
}

void minuteQuery(int queries)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"history.sqlite"_s);
    ManualClock clock(start);
    HistoryStore store(path, &clock);
    if (!store.open())
        return;
    // A sample a minute for 30 days; then the clock moves on, so that only the last day's
    // samples are kept beside the minutes, as on the Pool page's 30-day window.
    constexpr int Minutes = 30 * 24 * 60;
    const qint64 t0 = start.toMSecsSinceEpoch();
    QList<HistorySample> rows;
    for (int minute = 0; minute < Minutes; ++minute)
        rows << sample(0, t0 + qint64(minute) * 60000);
    mustWrite(store, rows);
    const qint64 now = t0 + qint64(Minutes) * 60000;
    clock.set(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC));
    store.prune();

    QList<double> times;
    qsizetype count = 0;
    for (int i = 0; i < queries; ++i) {
        QElapsedTimer timer;
        timer.start();
        count = store.minutes(rows.first().profileId, t0, now).size();
        times << timer.nsecsElapsed() / 1e6;
    }
    std::sort(times.begin(), times.end());
    std::printf("query: %lld per-minute rows (30 days) in %.1f ms (median of %d, fastest %.1f "
                "ms)\n",
                qint64(count), times.at(times.size() / 2), queries, times.first());
}

void size(double sampleRowBytes, double minuteRowBytes)
{
    const double total = Profiles
            * (86400.0 * sampleRowBytes + 30.0 * 24 * 60 * minuteRowBytes
               + HistoryStore::TestsKept * 200.0);
    std::printf("size: %.1f B per sample row, %.1f B per minute row (pages included); at full "
                "retention %d profiles keep %d samples and %d minutes each (and %d tests of about "
                "200 B): %.1f MiB\n",
                sampleRowBytes, minuteRowBytes, Profiles, 86400, 30 * 24 * 60,
                HistoryStore::TestsKept, total / 1048576.0);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 600;
    const int prefillHours = argc > 2 ? std::atoi(argv[2]) : 24;
    const int queries = argc > 3 ? std::max(1, std::atoi(argv[3])) : 10;
    const double sampleRowBytes = recording(seconds, qMax(1, prefillHours));
    minuteQuery(queries);
    size(sampleRowBytes, minuteRowBytes());
    return 0;
}
