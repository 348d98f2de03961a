#pragma once

#include "history/HistoryRecords.h"
#include "profiles/CheckVerdict.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

/// A remembered connection test in words, as the window shows it: "Passed 3 min ago",
/// "Failed: authentication, yesterday 17:02". The one place that words a test from the history.
class TestOutcome final
{
    Q_DECLARE_TR_FUNCTIONS(TestOutcome)

public:
    /// The test's health; Failed for a row whose health this version does not know.
    static CheckVerdict::Health health(const HistoryTest &test);
    /// "Passed", "Checks failed", "Failed: connection refused".
    static QString result(const HistoryTest &test);
    /// When the test ran, seen from now: "just now", "3 min ago", "today 09:12",
    /// "yesterday 17:02", "Mon 17:02", then the date.
    static QString when(const QDateTime &at, const QDateTime &now);
    /// The time of day for a test of today ("17:02:13"), else the date and time: what tells
    /// the rows of a list apart.
    static QString clockTime(const QDateTime &at, const QDateTime &now);
    /// The result and when it ran in one sentence.
    static QString sentence(const HistoryTest &test, const QDateTime &now);
    /// The exact local time, for a tooltip or a screen reader's description.
    static QString exactTime(const QDateTime &at);
    /// The test's local time.
    static QDateTime timeOf(const HistoryTest &test);
};
