#pragma once

#include <QObject>
#include <QString>

class QFileSystemWatcher;
class QTimer;

/// Says when history.sqlite may hold something that another program wrote, such as the test of
/// a `check` run in a terminal: the file or its write-ahead log changed. The window's own
/// recording changes them too (every second while the Pool page samples), so changed() comes
/// at most once per ThrottleMs, after the first change of a burst.
class HistoryChanges final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryChanges)

public:
    static constexpr int ThrottleMs = 1000;

    explicit HistoryChanges(const QString &path, QObject *parent = nullptr);

Q_SIGNALS:
    void changed();

private:
    /// Watches the files that exist now, after each change in the folder: SQLite creates and
    /// deletes the log as programs open and close the file, and a history set aside is
    /// replaced by a new file.
    void followFiles();

    QString m_path;
    QFileSystemWatcher *m_watcher;
    QTimer *m_throttle;
};
