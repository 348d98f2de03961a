#pragma once

#include "history/HistoryRecords.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <optional>

class HistoryReader;

/// The last connection tests of each profile, as the window shows them: what history.sqlite
/// holds (read off the UI thread, so also the tests `check --profile` ran in a terminal), and
/// the tests this window just ran, at once, until a read finds them in the file (its writer
/// writes up to a second later). The window's one answer to "how did the last test go".
class RecentTests final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentTests)

public:
    /// How many tests of a profile are kept here, newest first.
    static constexpr int Shown = 10;

    explicit RecentTests(HistoryReader *reader, QObject *parent = nullptr);

    /// Reads the profile's tests from the file; changed() follows when they differ.
    void refresh(const QString &profileId);
    /// refresh() for a profile that has not been read yet.
    void readOnce(const QString &profileId);
    /// A test this window ran and recorded: shown now, and until a read finds it in the file.
    void add(const HistoryTest &test);

    /// The profile's tests, newest first; empty when none is known.
    QList<HistoryTest> tests(const QString &profileId) const;
    std::optional<HistoryTest> last(const QString &profileId) const;

Q_SIGNALS:
    void changed(const QString &profileId);

private:
    HistoryReader *m_reader;
    /// As the last read found them in the file.
    QHash<QString, QList<HistoryTest>> m_read;
    /// Added here and not yet found in the file.
    QHash<QString, QList<HistoryTest>> m_unwritten;
    /// The profiles read, or being read.
    QSet<QString> m_requested;
};
