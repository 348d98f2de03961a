#include "HistoryStore.h"

#include "Logging.h"
#include "pool/Clock.h"
#include "profiles/ProfileStore.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 MinuteMs = 60LL * 1000;
// Kept in place of an application's name that looked like it holds a secret.
const auto HiddenApplicationName = QStringLiteral("(hidden: looked like a password)");
// How much of one profile a retention step drops: ten minutes of samples, an hour of minutes.
// Small enough that a step never holds the file for long.
constexpr qint64 DropSamplesSpanMs = 10 * MinuteMs;
constexpr qint64 DropMinutesSpanMs = 60 * MinuteMs;

const std::array<HistoryMetric, HistoryMetricCount> &allMetrics()
{
    static const std::array<HistoryMetric, HistoryMetricCount> metrics = [] {
        std::array<HistoryMetric, HistoryMetricCount> list{};
        for (int i = 0; i < HistoryMetricCount; ++i)
            list.at(size_t(i)) = HistoryMetric(i);
        return list;
    }();
    return metrics;
}

QString metricColumns(const QString &pattern)
{
    QStringList columns;
    for (const HistoryMetric metric : allMetrics())
        columns << QString(pattern).replace(u"{}"_s, HistoryMetrics::column(metric));
    return columns.join(u", "_s);
}

QString schema()
{
    // Sessions by application are kept as "key:count,..." with the names in `applications`:
    // a name is written once, not once a second (most of a sample's size otherwise). A minute's
    // ranges are one packed value (MinuteRanges): a row of 36 numbers would be about twice the
    // size and much slower to read back for a 30-day window.
    return u"CREATE TABLE profiles (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);"
           "CREATE TABLE applications (key INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
           "last_seen INTEGER NOT NULL);"
           "CREATE TABLE samples (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "ok INTEGER NOT NULL, category TEXT, message TEXT, %1, max_connections INTEGER, "
           "superuser_reserved INTEGER, reserved INTEGER, by_state TEXT, by_application TEXT, "
           "PRIMARY KEY (profile, t)) WITHOUT ROWID;"
           "CREATE TABLE minutes (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "samples INTEGER NOT NULL, failures INTEGER NOT NULL, ranges BLOB NOT NULL, "
           "PRIMARY KEY (profile, t)) WITHOUT ROWID;"
           "CREATE TABLE tests (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "ok INTEGER NOT NULL, health TEXT, category TEXT, failed_stage TEXT, summary TEXT, "
           "elapsed_ms REAL, stages TEXT, PRIMARY KEY (profile, t)) WITHOUT ROWID"_s.arg(
                   metricColumns(u"{} NUMERIC"_s));
}

// The samples of one profile in [from, to) summed up by minute, in the columns of `minutes`.
QString minutesOfSamples()
{
    return u"SELECT (t / %1) * %1 AS m, count(*), sum(ok = 0), %2 FROM samples "
           "WHERE profile = :profile AND t >= :from AND t < :to GROUP BY m"_s.arg(
                   QString::number(MinuteMs), metricColumns(u"min({}), max({}), avg({})"_s));
}

// The states that have no column of their own, as JSON; null when there are none (nearly
// always: pg_stat_activity's other states are rare).
QVariant otherStates(QMap<QString, int> byState)
{
    for (const HistoryMetric state : HistoryMetrics::stateMetrics())
        byState.remove(HistoryMetrics::state(state));
    if (byState.isEmpty())
        return {};
    return QJsonDocument(HistoryCounts::toJson(byState)).toJson(QJsonDocument::Compact);
}

QMap<QString, int> counts(const QVariant &text)
{
    return HistoryCounts::fromJson(QJsonDocument::fromJson(text.toByteArray()).object());
}

/// A minute's ranges packed into a few bytes: a version byte, a 16-bit little-endian mask of
/// the metrics present, then for each present metric, in HistoryMetric order, three varints
/// of hundredths: min (zigzag, as it is signed), max - min and mean - min. Counts come back
/// exactly, seconds to a hundredth.
namespace MinuteRanges {

constexpr char Version = 1;
using Ranges = std::array<HistoryMinute::Range, HistoryMetricCount>;

void putVarint(QByteArray &bytes, quint64 value)
{
    while (value >= 0x80) {
        bytes.append(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    bytes.append(char(value));
}

bool takeVarint(QByteArrayView bytes, qsizetype &at, quint64 &value)
{
    value = 0;
    for (int shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
        const auto byte = quint8(bytes.at(at++));
        value |= quint64(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

// Counts and seconds are far below the bound; a value a hostile server made up (infinite, or
// beyond what 64 bits hold in hundredths) is kept at the bound rather than overflowing.
qint64 hundredths(double value)
{
    constexpr double Bound = 1e15;
    if (std::isnan(value))
        return 0;
    return std::llround(std::clamp(value, -Bound, Bound) * 100);
}

QByteArray encode(const Ranges &ranges)
{
    QByteArray bytes;
    bytes.reserve(3 + 4 * HistoryMetricCount);
    quint16 mask = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
        if (ranges.at(i).present)
            mask |= quint16(1U << i);
    }
    bytes.append(Version);
    bytes.append(char(mask & 0xff));
    bytes.append(char(mask >> 8));
    for (const HistoryMinute::Range &range : ranges) {
        if (!range.present)
            continue;
        const qint64 min = hundredths(range.min);
        putVarint(bytes, (quint64(min) << 1) ^ quint64(min >> 63));
        putVarint(bytes, quint64(qMax<qint64>(0, hundredths(range.max) - min)));
        putVarint(bytes, quint64(qMax<qint64>(0, hundredths(range.mean) - min)));
    }
    return bytes;
}

// encode() writes nothing beyond the bound of hundredths(); a value past it is not ours.
constexpr quint64 MaxZigzag = 4'000'000'000'000'000'000ULL / 10;
constexpr quint64 MaxSpread = 2'000'000'000'000'000'000ULL / 10;

bool decode(QByteArrayView bytes, Ranges &ranges)
{
    if (bytes.size() < 3 || bytes.at(0) != Version)
        return false;
    const quint16 mask = quint16(quint8(bytes.at(1))) | quint16(quint8(bytes.at(2)) << 8);
    if (mask >> HistoryMetricCount != 0)
        return false;
    qsizetype at = 3;
    for (size_t i = 0; i < ranges.size(); ++i) {
        HistoryMinute::Range &range = ranges.at(i);
        range = {};
        if ((mask & (1U << i)) == 0)
            continue;
        quint64 zigzag = 0;
        quint64 spread = 0;
        quint64 aboveMin = 0;
        if (!takeVarint(bytes, at, zigzag) || !takeVarint(bytes, at, spread)
            || !takeVarint(bytes, at, aboveMin) || zigzag > MaxZigzag || spread > MaxSpread
            || aboveMin > MaxSpread)
            return false;
        const auto min = qint64(zigzag >> 1) ^ -qint64(zigzag & 1);
        range.present = true;
        range.min = double(min) / 100;
        range.max = double(min + qint64(spread)) / 100;
        range.mean = double(min + qint64(aboveMin)) / 100;
    }
    return at == bytes.size();
}

} // namespace MinuteRanges

QVariant orNull(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant();
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

// SQLite's "another connection has the file": BUSY, LOCKED and PROTOCOL (a WAL race), with
// their extended codes. Some of these come back at once, without the busy timeout's wait:
// switching to WAL, or two connections upgrading their read locks at the same moment.
// SQLite's CORRUPT and NOTADB: the file itself is damaged. Only these (and a failed
// quick_check) set a file aside: another error (a full disk, a file made read-only) would
// follow a new file too, and renaming would only lose what the old one holds.
HistoryStore::Failure failureOf(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return HistoryStore::Failure::Other;
    if (code == 5 || code == 6 || code == 15)
        return HistoryStore::Failure::Busy;
    if (code == 11 || code == 26)
        return HistoryStore::Failure::Damaged;
    return HistoryStore::Failure::Other;
}

qint64 minuteOf(qint64 msecs)
{
    return msecs - (((msecs % MinuteMs) + MinuteMs) % MinuteMs);
}

} // namespace

QString HistoryStore::defaultPath()
{
    return pathIn(ProfileStore::defaultDirectory());
}

QString HistoryStore::pathIn(const QString &configDirectory)
{
    return QDir(configDirectory).filePath(u"history.sqlite"_s);
}

HistoryStore::HistoryStore(const QString &path, const Clock *clock)
    : m_path(path)
    , m_clock(clock)
{
    static std::atomic<int> counter = 0;
    m_connectionName = u"orderflow-history-%1"_s.arg(++counter);
}

HistoryStore::~HistoryStore()
{
    close();
}

QSqlDatabase HistoryStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool HistoryStore::isOpen() const
{
    return m_open;
}

QStringList HistoryStore::takeProblems()
{
    return std::exchange(m_problems, {});
}

void HistoryStore::close()
{
    m_open = false;
    m_profileKeys.clear();
    m_applicationKeys.clear();
    m_dataVersion = -1;
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    database().close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void HistoryStore::failed(const QSqlError &error)
{
    m_failure = error.text();
    m_failureKind = failureOf(error);
}

void HistoryStore::stopWaiting()
{
    m_stopWaiting = true;
}

HistoryStore::Outcome HistoryStore::tryOpenWhileBusy(Mode mode)
{
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const Outcome outcome = tryOpen(mode);
        if (outcome != Outcome::Busy)
            return outcome;
        close();
        if (m_stopWaiting) {
            if (mode != Mode::Read)
                m_problems << tr("History is not recorded: %1 is locked by another program, "
                                 "and this one is closing.")
                                      .arg(QDir::toNativeSeparators(m_path));
            return Outcome::Refused;
        }
        // Our own writers hold the file for milliseconds: one that is held this long belongs
        // to a program that hangs, and history goes on in a new file.
        if (waited.elapsed() >= LockedAfterMs) {
            m_failure = tr("the file stayed locked for %1 s (%2)")
                                .arg(QString::number(LockedAfterMs / 1000), m_failure);
            m_failureKind = Failure::Damaged;
            return Outcome::Unusable;
        }
        QThread::msleep(RetryAfterBusyMs);
    }
}

bool HistoryStore::open(Mode mode)
{
    close();
    Outcome outcome = tryOpenWhileBusy(mode);
    if (outcome == Outcome::Unusable && mode != Mode::Read && m_failureKind == Failure::Damaged) {
        close();
        if (setAside(m_failure))
            outcome = tryOpenWhileBusy(mode);
    }
    if (outcome == Outcome::Ok) {
        m_open = true;
        return true;
    }
    // A reader answers with nothing until the file can be read.
    if (outcome == Outcome::Unusable)
        m_problems << (mode == Mode::Read ? tr("History cannot be read: %1 cannot be used (%2).")
                                          : tr("History is not recorded: %1 cannot be used (%2)."))
                              .arg(QDir::toNativeSeparators(m_path), m_failure);
    close();
    return false;
}

HistoryStore::Outcome HistoryStore::tryOpen(Mode mode)
{
    if (mode == Mode::Read && !QFile::exists(m_path))
        return Outcome::Refused;
    if (mode != Mode::Read)
        QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    db.setDatabaseName(m_path);
    QString options = u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(BusyTimeoutMs);
    if (mode == Mode::Read)
        options += u";QSQLITE_OPEN_READONLY"_s;
    db.setConnectOptions(options);
    // Another program opening or writing the file at this moment is no reason to give up on it.
    const auto unusable = [this]() {
        return m_failureKind == Failure::Busy ? Outcome::Busy : Outcome::Unusable;
    };
    if (!db.open()) {
        failed(db.lastError());
        return unusable();
    }
    QSqlQuery query(db);
    const auto run = [this, &query](const QString &statement) {
        if (query.exec(statement))
            return true;
        failed(query.lastError());
        return false;
    };
    if (mode != Mode::Read) {
        // Samples say who connected where and when: the owner's alone, like profiles.json. The
        // -wal and -shm files that SQLite creates take the same permissions.
        QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
        if (!run(u"PRAGMA journal_mode=WAL"_s))
            return unusable();
    }
    if (mode == Mode::Record) {
        // Finds a truncated file now rather than at some later write.
        if (!run(u"PRAGMA quick_check"_s))
            return unusable();
        if (!query.next() || query.value(0).toString() != u"ok"_s) {
            m_failure = tr("the file is damaged: %1").arg(query.value(0).toString().simplified());
            m_failureKind = Failure::Damaged;
            return Outcome::Unusable;
        }
    }
    if (!run(u"PRAGMA user_version"_s) || !query.next())
        return unusable();
    const int version = query.value(0).toInt();
    if (version > SchemaVersion) {
        if (mode != Mode::Read)
            m_problems << tr("History is not recorded: %1 was written by a newer version of "
                             "the program.")
                                  .arg(QDir::toNativeSeparators(m_path));
        return Outcome::Refused;
    }
    if (version == 0 && mode == Mode::Read)
        return Outcome::Refused;
    if (version == 0) {
        // BEGIN IMMEDIATE: two programs starting at once create the tables once.
        const auto rolledBack = [&query, &unusable]() {
            query.exec(u"ROLLBACK"_s);
            return unusable();
        };
        if (!run(u"BEGIN IMMEDIATE"_s) || !run(u"PRAGMA user_version"_s) || !query.next())
            return rolledBack();
        if (query.value(0).toInt() == 0) {
            for (const QString &statement : schema().split(u';')) {
                if (!run(statement))
                    return rolledBack();
            }
            if (!run(u"PRAGMA user_version = %1"_s.arg(SchemaVersion)))
                return rolledBack();
        }
        if (!run(u"COMMIT"_s))
            return rolledBack();
    }
    // WAL with NORMAL loses at most the last transaction on a power cut, never the file.
    if (mode != Mode::Read)
        run(u"PRAGMA synchronous=NORMAL"_s);
    return Outcome::Ok;
}

bool HistoryStore::setAside(const QString &reason)
{
    if (!QFile::exists(m_path))
        return true;
    const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
    QString aside = u"%1.unusable-%2"_s.arg(m_path, stamp);
    for (int n = 2; QFile::exists(aside); ++n)
        aside = u"%1.unusable-%2-%3"_s.arg(m_path, stamp, QString::number(n));
    if (!QFile::rename(m_path, aside)) {
        m_problems << tr("History is not recorded: %1 cannot be used (%2) and could not be "
                         "moved aside.")
                              .arg(QDir::toNativeSeparators(m_path), reason);
        return false;
    }
    // The journals belong to the old file: left here, SQLite would replay them into the new one.
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s, u"-journal"_s}) {
        if (QFile::exists(m_path + suffix))
            QFile::rename(m_path + suffix, aside + suffix);
    }
    qCWarning(lcHistory) << "history file set aside as" << aside << "because" << reason;
    m_problems << tr("The history file could not be used (%1). It was kept as %2 and a new one "
                     "was started.")
                          .arg(reason, QDir::toNativeSeparators(aside));
    return true;
}

void HistoryStore::recover(const QString &reason)
{
    qCWarning(lcHistory) << "history statement failed:" << reason;
    close();
    if (setAside(reason) && tryOpenWhileBusy(Mode::Record) == Outcome::Ok) {
        m_open = true;
        return;
    }
    close();
}

bool HistoryStore::inTransaction(const std::function<bool()> &work)
{
    if (!m_open)
        return false;
    m_failure.clear();
    m_failureKind = Failure::None;
    {
        QSqlQuery query(database());
        if (query.exec(u"BEGIN IMMEDIATE"_s)) {
            forgetKeysChangedElsewhere();
            if (work() && query.exec(u"COMMIT"_s))
                return true;
        }
        if (query.lastError().isValid())
            failed(query.lastError());
        query.exec(u"ROLLBACK"_s);
    }
    // Keys this transaction wrote are gone with it.
    m_profileKeys.clear();
    m_applicationKeys.clear();
    switch (m_failureKind) {
    case Failure::Busy:
        // Another program held the file for longer than the busy timeout: the caller tries
        // again later. Setting the file aside now would pull it from under that program.
        qCInfo(lcHistory) << "history file busy:" << m_failure;
        break;
    case Failure::Damaged:
        recover(m_failure);
        break;
    case Failure::None:
    case Failure::Other:
        // Said once, not once a second while it lasts.
        qCWarning(lcHistory) << "history statement failed:" << m_failure;
        if (m_failure != m_lastReported)
            m_problems << tr("History could not be written: %1").arg(m_failure);
        m_lastReported = m_failure;
        break;
    }
    return false;
}

void HistoryStore::forgetKeysChangedElsewhere()
{
    // data_version changes when another connection commits: it may have cleared a profile
    // or dropped a name whose key is remembered here, and SQLite may give that key out again.
    QSqlQuery query(database());
    if (!query.exec(u"PRAGMA data_version"_s) || !query.next())
        return;
    const qint64 version = query.value(0).toLongLong();
    if (version != m_dataVersion) {
        m_profileKeys.clear();
        m_applicationKeys.clear();
    }
    m_dataVersion = version;
}

qint64 HistoryStore::profileKey(const QString &profileId, bool create)
{
    const auto known = m_profileKeys.constFind(profileId);
    if (known != m_profileKeys.cend())
        return *known;
    QSqlQuery query(database());
    query.prepare(u"SELECT key FROM profiles WHERE id = ?"_s);
    query.addBindValue(profileId);
    if (!query.exec()) {
        failed(query.lastError());
        return -1;
    }
    if (query.next())
        return m_profileKeys[profileId] = query.value(0).toLongLong();
    if (!create)
        return -1;
    query.prepare(u"INSERT INTO profiles (id) VALUES (?)"_s);
    query.addBindValue(profileId);
    if (!query.exec()) {
        failed(query.lastError());
        return -1;
    }
    return m_profileKeys[profileId] = query.lastInsertId().toLongLong();
}

QList<qint64> HistoryStore::profileKeys() const
{
    QList<qint64> keys;
    QSqlQuery query(database());
    if (query.exec(u"SELECT key FROM profiles"_s)) {
        while (query.next())
            keys << query.value(0).toLongLong();
    }
    return keys;
}

bool HistoryStore::write(const QList<HistorySample> &samples, const QList<HistoryTest> &tests)
{
    return inTransaction([this, &samples, &tests]() {
        QSqlQuery insert(database());
        // The times each profile's rows span: their minutes are summed up again.
        struct Span
        {
            qint64 from = 0;
            qint64 to = 0;
        };
        QHash<qint64, Span> touched;
        if (!samples.isEmpty()) {
            insert.prepare(u"INSERT OR REPLACE INTO samples (profile, t, ok, category, message, "
                           "%1, max_connections, superuser_reserved, reserved, by_state, "
                           "by_application) VALUES (?, ?, ?, ?, ?, %2, ?, ?, ?, ?, ?)"_s.arg(
                                   metricColumns(u"{}"_s), metricColumns(u"?"_s)));
            for (const HistorySample &sample : samples) {
                const qint64 key = profileKey(sample.profileId, true);
                if (key < 0)
                    return false;
                insert.addBindValue(key);
                insert.addBindValue(sample.msecs);
                insert.addBindValue(sample.ok ? 1 : 0);
                insert.addBindValue(textOrNull(sample.category));
                insert.addBindValue(textOrNull(HistoryText::storable(sample.message)));
                for (const HistoryMetric metric : allMetrics())
                    insert.addBindValue(orNull(sample.value(metric)));
                insert.addBindValue(sample.ok ? QVariant(sample.counts.maxConnections)
                                              : QVariant());
                insert.addBindValue(sample.ok ? QVariant(sample.counts.superuserReserved)
                                              : QVariant());
                insert.addBindValue(sample.ok ? QVariant(sample.counts.reserved) : QVariant());
                insert.addBindValue(sample.ok ? otherStates(sample.byState) : QVariant());
                QVariant byApplication;
                if (sample.ok) {
                    const std::optional<QString> encoded
                            = applicationCounts(sample.byApplication, sample.msecs);
                    if (!encoded)
                        return false;
                    byApplication = *encoded;
                }
                insert.addBindValue(byApplication);
                if (!insert.exec()) {
                    failed(insert.lastError());
                    return false;
                }
                Span &span = touched[key];
                span.from = span.to == 0 ? sample.msecs : qMin(span.from, sample.msecs);
                span.to = qMax(span.to, sample.msecs + 1);
            }
            for (auto it = touched.cbegin(); it != touched.cend(); ++it) {
                if (!sumUpMinutes(it.key(), it->from, it->to))
                    return false;
            }
        }
        if (!tests.isEmpty()) {
            insert.prepare(u"INSERT OR REPLACE INTO tests (profile, t, ok, health, category, "
                           "failed_stage, summary, elapsed_ms, stages) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
            for (const HistoryTest &test : tests) {
                const qint64 key = profileKey(test.profileId, true);
                if (key < 0)
                    return false;
                // An array, so that the stages keep their order.
                QJsonArray stages;
                for (const auto &[stage, ms] : test.stageMs)
                    stages.append(QJsonArray{stage, ms});
                insert.addBindValue(key);
                insert.addBindValue(test.msecs);
                insert.addBindValue(test.ok ? 1 : 0);
                insert.addBindValue(test.health);
                insert.addBindValue(test.category);
                insert.addBindValue(textOrNull(test.failedStage));
                insert.addBindValue(HistoryText::storable(test.summary));
                insert.addBindValue(test.elapsedMs);
                insert.addBindValue(QJsonDocument(stages).toJson(QJsonDocument::Compact));
                if (!insert.exec()) {
                    failed(insert.lastError());
                    return false;
                }
            }
        }
        pruneStep();
        return true;
    });
}

bool HistoryStore::pruneStep()
{
    const qint64 now = m_clock->now().toMSecsSinceEpoch();
    const qint64 sampleCutoff = now - SampleRetentionMs;
    const qint64 minuteCutoff = now - MinuteRetentionMs;
    bool more = false;
    QSqlQuery query(database());
    // Drops the oldest rows of a table, at most `span` of them at a time; true when more are
    // left before the cutoff.
    const auto dropOldest = [&query](const QString &table, qint64 key, qint64 cutoff, qint64 span) {
        query.prepare(u"SELECT min(t) FROM %1 WHERE profile = ?"_s.arg(table));
        query.addBindValue(key);
        if (!query.exec() || !query.next() || query.value(0).isNull())
            return false;
        const qint64 oldest = query.value(0).toLongLong();
        if (oldest >= cutoff)
            return false;
        const qint64 end = qMin(oldest + span, cutoff);
        query.prepare(u"DELETE FROM %1 WHERE profile = ? AND t < ?"_s.arg(table));
        query.addBindValue(key);
        query.addBindValue(end);
        // Nothing dropped (a row whose time is not a number, in a file written by something
        // else): no more steps, or pruning would never end.
        return query.exec() && query.numRowsAffected() > 0 && end < cutoff;
    };
    for (const qint64 key : profileKeys()) {
        // The minutes were summed up as the samples came: old samples only go.
        more = dropOldest(u"samples"_s, key, sampleCutoff, DropSamplesSpanMs) || more;
        more = dropOldest(u"minutes"_s, key, minuteCutoff, DropMinutesSpanMs) || more;
        query.prepare(u"DELETE FROM tests WHERE profile = ? AND t <= (SELECT t FROM tests "
                      "WHERE profile = ? ORDER BY t DESC LIMIT 1 OFFSET %1)"_s.arg(TestsKept));
        query.addBindValue(key);
        query.addBindValue(key);
        query.exec();
    }
    // Names that no kept sample can use any more (last_seen is written at most hourly).
    query.prepare(u"DELETE FROM applications WHERE last_seen < ?"_s);
    query.addBindValue(sampleCutoff - 2 * ApplicationSeenEveryMs);
    if (query.exec() && query.numRowsAffected() > 0)
        m_applicationKeys.clear();
    return more;
}

bool HistoryStore::sumUpMinutes(qint64 key, qint64 fromMsecs, qint64 toMsecs)
{
    QSqlQuery sum(database());
    sum.setForwardOnly(true);
    sum.prepare(minutesOfSamples());
    sum.bindValue(u":profile"_s, key);
    sum.bindValue(u":from"_s, minuteOf(fromMsecs));
    sum.bindValue(u":to"_s, minuteOf(toMsecs - 1) + MinuteMs);
    if (!sum.exec()) {
        failed(sum.lastError());
        return false;
    }
    QSqlQuery insert(database());
    insert.prepare(u"INSERT OR REPLACE INTO minutes (profile, t, samples, failures, ranges) "
                   "VALUES (?, ?, ?, ?, ?)"_s);
    while (sum.next()) {
        MinuteRanges::Ranges ranges{};
        for (int i = 0; i < HistoryMetricCount; ++i) {
            const int column = 3 + 3 * i;
            HistoryMinute::Range &range = ranges.at(size_t(i));
            range.present = !sum.value(column).isNull();
            range.min = sum.value(column).toDouble();
            range.max = sum.value(column + 1).toDouble();
            range.mean = sum.value(column + 2).toDouble();
        }
        insert.addBindValue(key);
        insert.addBindValue(sum.value(0));
        insert.addBindValue(sum.value(1));
        insert.addBindValue(sum.value(2));
        insert.addBindValue(MinuteRanges::encode(ranges));
        if (!insert.exec()) {
            failed(insert.lastError());
            return false;
        }
    }
    return true;
}

std::optional<QString> HistoryStore::applicationCounts(const QMap<QString, int> &byApplication,
                                                       qint64 seenAt)
{
    QStringList pairs;
    for (auto it = byApplication.cbegin(); it != byApplication.cend(); ++it) {
        // Any client sets its application_name; one that set its connection URL must not
        // bring the password along. Its sessions are still counted.
        QString name = HistoryText::storable(it.key());
        if (name.isEmpty() && !it.key().isEmpty())
            name = HiddenApplicationName;
        const qint64 key = applicationKey(name, seenAt);
        if (key < 0)
            return std::nullopt;
        pairs << u"%1:%2"_s.arg(QString::number(key), QString::number(it.value()));
    }
    return pairs.join(u',');
}

qint64 HistoryStore::applicationKey(const QString &name, qint64 seenAt)
{
    QSqlQuery query(database());
    auto known = m_applicationKeys.find(name);
    if (known == m_applicationKeys.end()) {
        query.prepare(u"SELECT key, last_seen FROM applications WHERE name = ?"_s);
        query.addBindValue(name);
        if (query.exec() && query.next()) {
            known = m_applicationKeys.insert(
                    name, {query.value(0).toLongLong(), query.value(1).toLongLong()});
        } else {
            query.prepare(u"INSERT INTO applications (name, last_seen) VALUES (?, ?)"_s);
            query.addBindValue(name);
            query.addBindValue(seenAt);
            if (!query.exec()) {
                failed(query.lastError());
                return -1;
            }
            m_applicationKeys.insert(name, {query.lastInsertId().toLongLong(), seenAt});
            return query.lastInsertId().toLongLong();
        }
    }
    if (seenAt - known->second >= ApplicationSeenEveryMs) {
        query.prepare(u"UPDATE applications SET last_seen = ? WHERE key = ?"_s);
        query.addBindValue(seenAt);
        query.addBindValue(known->first);
        if (!query.exec()) {
            failed(query.lastError());
            return -1;
        }
        known->second = seenAt;
    }
    return known->first;
}

QHash<qint64, QString> HistoryStore::applicationNames() const
{
    QHash<qint64, QString> names;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (query.exec(u"SELECT key, name FROM applications"_s)) {
        while (query.next())
            names.insert(query.value(0).toLongLong(), query.value(1).toString());
    }
    return names;
}

bool HistoryStore::prune()
{
    bool more = true;
    while (more && m_open) {
        more = false;
        if (!inTransaction([this, &more]() {
                more = pruneStep();
                return true;
            }))
            return false;
    }
    return m_open;
}

bool HistoryStore::clear(const QString &profileId)
{
    return inTransaction([this, &profileId]() {
        QSqlQuery query(database());
        if (profileId.isEmpty()) {
            for (const QString &table :
                 {u"samples"_s, u"minutes"_s, u"tests"_s, u"profiles"_s, u"applications"_s}) {
                if (!query.exec(u"DELETE FROM "_s + table)) {
                    failed(query.lastError());
                    return false;
                }
            }
            m_profileKeys.clear();
            m_applicationKeys.clear();
            return true;
        }
        const qint64 key = profileKey(profileId, false);
        if (key < 0)
            return true;
        for (const QString &table : {u"samples"_s, u"minutes"_s, u"tests"_s}) {
            query.prepare(u"DELETE FROM %1 WHERE profile = ?"_s.arg(table));
            query.addBindValue(key);
            if (!query.exec()) {
                failed(query.lastError());
                return false;
            }
        }
        return true;
    });
}

QList<HistorySample> HistoryStore::samples(const QString &profileId, qint64 fromMsecs,
                                           qint64 toMsecs) const
{
    QList<HistorySample> rows;
    if (!m_open)
        return rows;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(
            u"SELECT s.t, s.ok, s.category, s.message, %1, s.max_connections, "
            "s.superuser_reserved, s.reserved, s.by_state, s.by_application "
            "FROM samples s JOIN profiles p ON p.key = s.profile "
            "WHERE p.id = ? AND s.t >= ? AND s.t < ? ORDER BY s.t"_s.arg(metricColumns(u"s.{}"_s)));
    query.addBindValue(profileId);
    query.addBindValue(fromMsecs);
    query.addBindValue(toMsecs);
    if (!query.exec())
        return rows;
    const QHash<qint64, QString> applications = applicationNames();
    while (query.next()) {
        HistorySample row;
        row.profileId = profileId;
        row.msecs = query.value(0).toLongLong();
        row.ok = query.value(1).toInt() != 0;
        row.category = query.value(2).toString();
        row.message = query.value(3).toString();
        const auto metric = [&query](HistoryMetric which) {
            return query.value(4 + int(which));
        };
        row.counts.inDatabase = metric(HistoryMetric::InDatabase).toInt();
        row.counts.total = metric(HistoryMetric::Total).toInt();
        row.counts.toolSessions = metric(HistoryMetric::ToolSessions).toInt();
        row.poolCapacity = metric(HistoryMetric::PoolCapacity).toInt();
        if (!metric(HistoryMetric::PgBouncerClientsActive).isNull()) {
            PgBouncerPool totals;
            totals.clientsActive = metric(HistoryMetric::PgBouncerClientsActive).toInt();
            totals.clientsWaiting = metric(HistoryMetric::PgBouncerClientsWaiting).toInt();
            totals.serversActive = metric(HistoryMetric::PgBouncerServersActive).toInt();
            totals.maxWaitSeconds = metric(HistoryMetric::PgBouncerMaxWaitSeconds).toDouble();
            row.pgbouncer = totals;
        }
        const int rest = 4 + HistoryMetricCount;
        row.counts.maxConnections = query.value(rest).toInt();
        row.counts.superuserReserved = query.value(rest + 1).toInt();
        row.counts.reserved = query.value(rest + 2).toInt();
        row.byState = counts(query.value(rest + 3));
        for (const HistoryMetric state : HistoryMetrics::stateMetrics()) {
            if (metric(state).toInt() > 0)
                row.byState.insert(HistoryMetrics::state(state), metric(state).toInt());
        }
        for (const QString &pair :
             query.value(rest + 4).toString().split(u',', Qt::SkipEmptyParts)) {
            const qsizetype colon = pair.indexOf(u':');
            const QString name = applications.value(pair.left(colon).toLongLong());
            if (colon > 0 && !name.isNull())
                row.byApplication.insert(name, pair.mid(colon + 1).toInt());
        }
        rows << row;
    }
    return rows;
}

QList<HistoryMinute> HistoryStore::minutes(const QString &profileId, qint64 fromMsecs,
                                           qint64 toMsecs) const
{
    QList<HistoryMinute> rows;
    if (!m_open)
        return rows;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(u"SELECT m.t, m.samples, m.failures, m.ranges FROM minutes m "
                  "JOIN profiles p ON p.key = m.profile "
                  "WHERE p.id = ? AND m.t >= ? AND m.t < ? ORDER BY m.t"_s);
    query.addBindValue(profileId);
    query.addBindValue(fromMsecs);
    query.addBindValue(toMsecs);
    if (!query.exec())
        return rows;
    // A 30-day window is some 16 MiB of rows: growing the list step by step would copy it
    // over and over.
    const double span = qMax(0.0, double(toMsecs) - double(fromMsecs));
    rows.reserve(qsizetype(qMin(span / MinuteMs + 1, double(MinuteRetentionMs / MinuteMs + 2))));
    while (query.next()) {
        HistoryMinute minute;
        minute.msecs = query.value(0).toLongLong();
        minute.samples = query.value(1).toInt();
        minute.failures = query.value(2).toInt();
        // A row that does not decode is left out rather than shown as zeros.
        if (MinuteRanges::decode(query.value(3).toByteArray(), minute.ranges))
            rows << minute;
    }
    return rows;
}

QList<HistoryTest> HistoryStore::tests(const QString &profileId, int limit) const
{
    QList<HistoryTest> rows;
    if (!m_open)
        return rows;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(u"SELECT t.t, t.ok, t.health, t.category, t.failed_stage, t.summary, "
                  "t.elapsed_ms, t.stages FROM tests t JOIN profiles p ON p.key = t.profile "
                  "WHERE p.id = ? ORDER BY t.t DESC LIMIT ?"_s);
    query.addBindValue(profileId);
    query.addBindValue(limit);
    if (!query.exec())
        return rows;
    while (query.next()) {
        HistoryTest test;
        test.profileId = profileId;
        test.msecs = query.value(0).toLongLong();
        test.ok = query.value(1).toInt() != 0;
        test.health = query.value(2).toString();
        test.category = query.value(3).toString();
        test.failedStage = query.value(4).toString();
        test.summary = query.value(5).toString();
        test.elapsedMs = query.value(6).toDouble();
        const QJsonArray stages = QJsonDocument::fromJson(query.value(7).toByteArray()).array();
        for (const auto &stage : stages)
            test.stageMs.append({stage[0].toString(), stage[1].toDouble()});
        rows << test;
    }
    return rows;
}
