#pragma once

#include "history/HistoryRecords.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>
#include <utility>

class Clock;
class QSqlDatabase;
class QSqlError;

/// The local history: samples and connection tests per profile, in history.sqlite beside
/// profiles.json (DESIGN.md, app/history). It keeps 1 Hz samples for a day, per-minute min,
/// max and mean for 30 days, and the last 50 tests of each profile.
///
/// A store is used by the thread that opened it (a QSqlDatabase belongs to it). Several
/// stores, in one process or several, may use the same file: SQLite's locks in WAL mode keep
/// it whole, and a writer waits a moment for another's transaction. A damaged file, or one
/// that stays locked while it opens, is set aside and a new one started: losing history never
/// stops the program, and problems() says what happened.
class HistoryStore final
{
    Q_DECLARE_TR_FUNCTIONS(HistoryStore)

public:
    static constexpr int SchemaVersion = 1;
    static constexpr qint64 SampleRetentionMs = 24LL * 3600 * 1000;
    static constexpr qint64 MinuteRetentionMs = 30LL * 24 * 3600 * 1000;
    static constexpr int TestsKept = 50;
    /// How long a statement waits for another connection's lock before the file counts as
    /// locked.
    static constexpr int BusyTimeoutMs = 2000;
    /// How long opening tries again while another connection has the file, before the file
    /// counts as locked and is set aside.
    static constexpr int LockedAfterMs = 5000;
    static constexpr int RetryAfterBusyMs = 20;
    /// How often an application's name has its last use written (it is kept while a sample
    /// may refer to it).
    static constexpr qint64 ApplicationSeenEveryMs = 3600LL * 1000;

    /// history.sqlite in the profiles' folder (ORDERFLOW_DBADMIN_CONFIG_DIR moves both).
    static QString defaultPath();
    /// history.sqlite in a config folder.
    static QString pathIn(const QString &configDirectory);

    /// clock: what "now" is for retention; it must outlive the store.
    HistoryStore(const QString &path, const Clock *clock);
    ~HistoryStore();
    Q_DISABLE_COPY_MOVE(HistoryStore)

    QString path() const { return m_path; }
    /// How open() treats the file. To record, it creates the file and reads it whole for
    /// damage (about 2 ms a MiB), setting a damaged one aside. To append, as a command that
    /// records one row and ends, it skips reading it whole: damage that a statement meets sets
    /// the file aside all the same. To read, it only opens an existing file read-only: no file
    /// is created, checked, set aside or reported.
    enum class Mode { Record, Append, Read };
    /// What a failed statement said, in kind.
    enum class Failure { None, Busy, Damaged, Other };
    /// Opens the file. False when no history can be kept (the folder cannot be written, or a
    /// newer version wrote the file) or read (no file yet); then the other calls do nothing.
    bool open(Mode mode = Mode::Record);
    /// Makes an open() that waits for another program's lock give up: the program is closing.
    /// Callable from any thread.
    void stopWaiting();
    bool isOpen() const;
    /// What went wrong since the last call, in words for the user (a file set aside, ...).
    QStringList takeProblems();
    /// Whether the last failure was another connection holding the file.
    bool busy() const { return m_failureKind == Failure::Busy; }

    /// Writes the rows in one transaction, together with one small step of retention. False
    /// with busy() when another connection held the file too long: the rows can be written
    /// later.
    bool write(const QList<HistorySample> &samples, const QList<HistoryTest> &tests);
    /// Applies retention in small steps, each its own transaction, until nothing is left to do.
    bool prune();
    /// Forgets one profile's history, or every profile's with an empty id.
    bool clear(const QString &profileId = {});

    /// The samples of a profile in [from, to), oldest first (only the last day has them).
    QList<HistorySample> samples(const QString &profileId, qint64 fromMsecs, qint64 toMsecs) const;
    /// The minutes of a profile that start in [from, to), oldest first. A minute is summed up
    /// as its samples are written, so the last day has both.
    QList<HistoryMinute> minutes(const QString &profileId, qint64 fromMsecs, qint64 toMsecs) const;
    /// The last tests of a profile, newest first.
    QList<HistoryTest> tests(const QString &profileId, int limit = TestsKept) const;

private:
    /// One step of retention, inside the caller's transaction. True when there is more to do.
    bool pruneStep();
    enum class Outcome { Ok, Busy, Unusable, Refused };
    Outcome tryOpen(Mode mode);
    /// tryOpen() again while the file is busy, up to LockedAfterMs; then it is Unusable.
    Outcome tryOpenWhileBusy(Mode mode);
    /// Forgets the remembered keys when another connection committed since this one last did.
    void forgetKeysChangedElsewhere();
    /// Remembers what a statement said.
    void failed(const QSqlError &error);
    QSqlDatabase database() const;
    void close();
    bool setAside(const QString &reason);
    /// A statement failed: a damaged or locked file is set aside and a new one opened.
    void recover(const QString &reason);
    qint64 profileKey(const QString &profileId, bool create);
    /// Sessions by application as a sample row keeps them ("key:count,..."); nullopt when a
    /// name could not be written.
    std::optional<QString> applicationCounts(const QMap<QString, int> &byApplication,
                                             qint64 seenAt);
    qint64 applicationKey(const QString &name, qint64 seenAt);
    QHash<qint64, QString> applicationNames() const;
    /// Sums up again the minutes of a profile's samples that [from, to) touches.
    bool sumUpMinutes(qint64 key, qint64 fromMsecs, qint64 toMsecs);
    QList<qint64> profileKeys() const;
    bool inTransaction(const std::function<bool()> &work);

    QString m_path;
    const Clock *m_clock;
    QString m_connectionName;
    bool m_open = false;
    QStringList m_problems;
    /// What the last failed statement said.
    QString m_failure;
    Failure m_failureKind = Failure::None;
    /// The last failure reported in problems, so that one that lasts is said once.
    QString m_lastReported;
    /// PRAGMA data_version at this connection's last transaction.
    qint64 m_dataVersion = -1;
    std::atomic<bool> m_stopWaiting = false;
    QHash<QString, qint64> m_profileKeys;
    /// Application name to its key and the last_seen written for it.
    QHash<QString, std::pair<qint64, qint64>> m_applicationKeys;
};
