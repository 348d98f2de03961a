#include "EmptyRecentTests.h"

#include "history/HistoryStore.h"

EmptyRecentTests::EmptyRecentTests()
    : m_reader(HistoryStore::pathIn(m_folder.path()))
    , m_tests(&m_reader)
{ }
