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

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 MinuteMs = 60LL * 1000;
// How much of one profile a retention step handles: samples of ten minutes to sum up, an
// hour of minutes to drop. Small enough that a step never holds the file for long.
constexpr qint64 RollUpSpanMs = 10 * MinuteMs;
constexpr qint64 DropSpanMs = 60 * MinuteMs;

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
    return u"CREATE TABLE profiles (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);"
           "CREATE TABLE samples (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "ok INTEGER NOT NULL, category TEXT, message TEXT, %1, max_connections INTEGER, "
           "superuser_reserved INTEGER, reserved INTEGER, by_state TEXT, by_application TEXT, "
           "PRIMARY KEY (profile, t)) WITHOUT ROWID;"
           "CREATE TABLE minutes (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "samples INTEGER NOT NULL, failures INTEGER NOT NULL, %2, "
           "PRIMARY KEY (profile, t)) WITHOUT ROWID;"
           "CREATE TABLE tests (profile INTEGER NOT NULL, t INTEGER NOT NULL, "
           "ok INTEGER NOT NULL, health TEXT, category TEXT, failed_stage TEXT, summary TEXT, "
           "elapsed_ms REAL, stages TEXT, PRIMARY KEY (profile, t)) WITHOUT ROWID"_s.arg(
                   metricColumns(u"{} NUMERIC"_s),
                   metricColumns(u"{}_min NUMERIC, {}_max NUMERIC, {}_mean REAL"_s));
}

// The samples of one profile in [from, to) summed up by minute, in the columns of `minutes`.
QString minutesOfSamples()
{
    return u"SELECT (t / %1) * %1 AS m, count(*), sum(ok = 0), %2 FROM samples "
           "WHERE profile = :profile AND t >= :from AND t < :to GROUP BY m"_s.arg(
                   QString::number(MinuteMs), metricColumns(u"min({}), max({}), avg({})"_s));
}

QByteArray compact(const QMap<QString, int> &counts)
{
    return QJsonDocument(HistoryCounts::toJson(counts)).toJson(QJsonDocument::Compact);
}

// The states that have no column of their own (the count of one that has is in its column),
// about half the size of a row.
QMap<QString, int> otherStates(QMap<QString, int> byState)
{
    for (const HistoryMetric state : HistoryMetrics::stateMetrics()) {
        if (byState.value(HistoryMetrics::state(state)) > 0)
            byState.remove(HistoryMetrics::state(state));
    }
    return byState;
}

QMap<QString, int> counts(const QVariant &text)
{
    return HistoryCounts::fromJson(QJsonDocument::fromJson(text.toByteArray()).object());
}

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
bool isBusy(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    return ok && (code == 5 || code == 6 || code == 15);
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
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    database().close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void HistoryStore::failed(const QSqlError &error)
{
    m_failure = error.text();
    m_failureIsBusy = isBusy(error);
}

HistoryStore::Outcome HistoryStore::tryOpenWhileBusy(Check check)
{
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const Outcome outcome = tryOpen(check);
        if (outcome != Outcome::Busy)
            return outcome;
        close();
        if (waited.elapsed() >= LockedAfterMs) {
            m_failure = tr("the file stayed locked for %1 s (%2)")
                                .arg(LockedAfterMs / 1000)
                                .arg(m_failure);
            return Outcome::Unusable;
        }
        QThread::msleep(RetryAfterBusyMs);
    }
}

bool HistoryStore::open(Check check)
{
    close();
    Outcome outcome = tryOpenWhileBusy(check);
    if (outcome == Outcome::Unusable) {
        close();
        if (setAside(m_failure))
            outcome = tryOpenWhileBusy(check);
    }
    if (outcome == Outcome::Ok) {
        m_open = true;
        return true;
    }
    if (outcome == Outcome::Unusable)
        m_problems << tr("History is not recorded: %1 cannot be used (%2).")
                              .arg(QDir::toNativeSeparators(m_path), m_failure);
    close();
    return false;
}

HistoryStore::Outcome HistoryStore::tryOpen(Check check)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(BusyTimeoutMs));
    if (!db.open()) {
        failed(db.lastError());
        return m_failureIsBusy ? Outcome::Busy : Outcome::Unusable;
    }
    // Samples say who connected where and when: the owner's alone, like profiles.json. The
    // -wal and -shm files that SQLite creates take the same permissions.
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
    QSqlQuery query(db);
    const auto run = [this, &query](const QString &statement) {
        if (query.exec(statement))
            return true;
        failed(query.lastError());
        return false;
    };
    // Another program opening or writing the file at this moment is no reason to give up on it.
    const auto unusable = [this]() {
        return m_failureIsBusy ? Outcome::Busy : Outcome::Unusable;
    };
    if (!run(u"PRAGMA journal_mode=WAL"_s))
        return unusable();
    // Finds a truncated file now rather than at some later write.
    if (check == Check::Whole && !run(u"PRAGMA quick_check"_s))
        return unusable();
    if (check == Check::Whole && (!query.next() || query.value(0).toString() != u"ok"_s)) {
        m_failure = tr("the file is damaged: %1").arg(query.value(0).toString().simplified());
        m_failureIsBusy = false;
        return Outcome::Unusable;
    }
    if (!run(u"PRAGMA user_version"_s) || !query.next())
        return unusable();
    const int version = query.value(0).toInt();
    if (version > SchemaVersion) {
        m_problems << tr("History is not recorded: %1 was written by a newer version of the "
                         "program.")
                              .arg(QDir::toNativeSeparators(m_path));
        return Outcome::Refused;
    }
    if (version == 0) {
        // BEGIN IMMEDIATE: two programs starting at once create the tables once.
        if (!run(u"BEGIN IMMEDIATE"_s) || !run(u"PRAGMA user_version"_s) || !query.next()) {
            query.exec(u"ROLLBACK"_s);
            return unusable();
        }
        if (query.value(0).toInt() == 0) {
            for (const QString &statement : schema().split(u';')) {
                if (!run(statement)) {
                    query.exec(u"ROLLBACK"_s);
                    return unusable();
                }
            }
            if (!run(u"PRAGMA user_version = %1"_s.arg(SchemaVersion))) {
                query.exec(u"ROLLBACK"_s);
                return unusable();
            }
        }
        if (!run(u"COMMIT"_s)) {
            query.exec(u"ROLLBACK"_s);
            return unusable();
        }
    }
    // WAL with NORMAL loses at most the last transaction on a power cut, never the file.
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
    if (setAside(reason) && tryOpenWhileBusy(Check::Whole) == Outcome::Ok) {
        m_open = true;
        return;
    }
    close();
}

bool HistoryStore::inTransaction(const std::function<bool()> &work)
{
    if (!m_open)
        return false;
    {
        QSqlQuery query(database());
        if (query.exec(u"BEGIN IMMEDIATE"_s) && work() && query.exec(u"COMMIT"_s))
            return true;
        if (query.lastError().isValid())
            failed(query.lastError());
        query.exec(u"ROLLBACK"_s);
    }
    // Another program held the file for longer than the busy timeout: the caller tries again
    // later. Setting the file aside now would pull it from under that program.
    if (m_failureIsBusy) {
        qCInfo(lcHistory) << "history file busy:" << m_failure;
        return false;
    }
    recover(m_failure);
    return false;
}

qint64 HistoryStore::profileKey(const QString &profileId, bool create)
{
    const auto known = m_profileKeys.constFind(profileId);
    if (known != m_profileKeys.cend())
        return *known;
    QSqlQuery query(database());
    query.prepare(u"SELECT key FROM profiles WHERE id = ?"_s);
    query.addBindValue(profileId);
    if (query.exec() && query.next())
        return m_profileKeys[profileId] = query.value(0).toLongLong();
    if (!create)
        return -1;
    query.prepare(u"INSERT INTO profiles (id) VALUES (?)"_s);
    query.addBindValue(profileId);
    if (!query.exec())
        return -1;
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
                insert.addBindValue(sample.ok ? QVariant(compact(otherStates(sample.byState)))
                                              : QVariant());
                insert.addBindValue(sample.ok ? QVariant(compact(sample.byApplication))
                                              : QVariant());
                if (!insert.exec()) {
                    failed(insert.lastError());
                    return false;
                }
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
    // Whole minutes only, so that a minute is summed up once, from all its samples.
    const qint64 sampleCutoff = minuteOf(now - SampleRetentionMs);
    const qint64 minuteCutoff = now - MinuteRetentionMs;
    bool more = false;
    QSqlQuery query(database());
    for (const qint64 key : profileKeys()) {
        query.prepare(u"SELECT min(t) FROM samples WHERE profile = ?"_s);
        query.addBindValue(key);
        if (query.exec() && query.next() && !query.value(0).isNull()) {
            const qint64 oldest = minuteOf(query.value(0).toLongLong());
            const qint64 end = qMin(oldest + RollUpSpanMs, sampleCutoff);
            if (oldest < sampleCutoff) {
                query.prepare(u"INSERT OR REPLACE INTO minutes (profile, t, samples, failures, "
                              "%1) SELECT :profile, * FROM ("_s.arg(
                                      metricColumns(u"{}_min, {}_max, {}_mean"_s))
                              + minutesOfSamples() + u")"_s);
                query.bindValue(u":profile"_s, key);
                query.bindValue(u":from"_s, oldest);
                query.bindValue(u":to"_s, end);
                query.exec();
                query.prepare(u"DELETE FROM samples WHERE profile = ? AND t < ?"_s);
                query.addBindValue(key);
                query.addBindValue(end);
                query.exec();
                more = more || end < sampleCutoff;
            }
        }
        query.prepare(u"SELECT min(t) FROM minutes WHERE profile = ?"_s);
        query.addBindValue(key);
        if (query.exec() && query.next() && !query.value(0).isNull()) {
            const qint64 oldest = query.value(0).toLongLong();
            if (oldest < minuteCutoff) {
                const qint64 end = qMin(oldest + DropSpanMs, minuteCutoff);
                query.prepare(u"DELETE FROM minutes WHERE profile = ? AND t < ?"_s);
                query.addBindValue(key);
                query.addBindValue(end);
                query.exec();
                more = more || end < minuteCutoff;
            }
        }
        query.prepare(u"DELETE FROM tests WHERE profile = ? AND t <= (SELECT t FROM tests "
                      "WHERE profile = ? ORDER BY t DESC LIMIT 1 OFFSET %1)"_s.arg(TestsKept));
        query.addBindValue(key);
        query.addBindValue(key);
        query.exec();
    }
    return more;
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
            for (const QString &table : {u"samples"_s, u"minutes"_s, u"tests"_s, u"profiles"_s}) {
                if (!query.exec(u"DELETE FROM "_s + table))
                    return false;
            }
            m_profileKeys.clear();
            return true;
        }
        const qint64 key = profileKey(profileId, false);
        if (key < 0)
            return true;
        for (const QString &table : {u"samples"_s, u"minutes"_s, u"tests"_s}) {
            query.prepare(u"DELETE FROM %1 WHERE profile = ?"_s.arg(table));
            query.addBindValue(key);
            if (!query.exec())
                return false;
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
        row.byApplication = counts(query.value(rest + 4));
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
    // The kept minutes, then the last day's samples summed up alike; a minute that is in both
    // (summed up while its last samples were still arriving) is taken from the samples.
    query.prepare(u"WITH recent AS ("_s + minutesOfSamples()
                  + u") SELECT t, samples, failures, %1 FROM minutes "
                    "WHERE profile = :profile AND t >= :from AND t < :to "
                    "AND t NOT IN (SELECT m FROM recent) "
                    "UNION ALL SELECT * FROM recent ORDER BY 1"_s.arg(
                            metricColumns(u"{}_min, {}_max, {}_mean"_s)));
    QSqlQuery key(database());
    key.prepare(u"SELECT key FROM profiles WHERE id = ?"_s);
    key.addBindValue(profileId);
    if (!key.exec() || !key.next())
        return rows;
    query.bindValue(u":profile"_s, key.value(0));
    query.bindValue(u":from"_s, fromMsecs);
    query.bindValue(u":to"_s, toMsecs);
    if (!query.exec())
        return rows;
    while (query.next()) {
        HistoryMinute minute;
        minute.msecs = query.value(0).toLongLong();
        minute.samples = query.value(1).toInt();
        minute.failures = query.value(2).toInt();
        for (int i = 0; i < HistoryMetricCount; ++i) {
            const int column = 3 + 3 * i;
            HistoryMinute::Range &range = minute.ranges.at(size_t(i));
            range.present = !query.value(column).isNull();
            range.min = query.value(column).toDouble();
            range.max = query.value(column + 1).toDouble();
            range.mean = query.value(column + 2).toDouble();
        }
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
