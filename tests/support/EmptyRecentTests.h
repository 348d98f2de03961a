#pragma once

#include "history/HistoryReader.h"
#include "history/RecentTests.h"

#include <QTemporaryDir>

/// The recent tests of a history of its own, empty at first: what a Test page needs when a
/// test builds one without a window.
class EmptyRecentTests final
{
public:
    EmptyRecentTests();
    EmptyRecentTests(const EmptyRecentTests &) = delete;
    EmptyRecentTests &operator=(const EmptyRecentTests &) = delete;

    RecentTests *get() { return &m_tests; }

private:
    QTemporaryDir m_folder;
    HistoryReader m_reader;
    RecentTests m_tests;
};
