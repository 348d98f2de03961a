#include "RecentTests.h"

#include "history/HistoryReader.h"

#include <algorithm>

namespace {

// The file keeps one test per profile and millisecond.
bool sameTest(const HistoryTest &a, const HistoryTest &b)
{
    return a.msecs == b.msecs && a.profileId == b.profileId;
}

bool sameRows(const QList<HistoryTest> &a, const QList<HistoryTest> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const HistoryTest &x, const HistoryTest &y) {
                          return sameTest(x, y) && x.health == y.health && x.category == y.category;
                      });
}

} // namespace

RecentTests::RecentTests(HistoryReader *reader, QObject *parent)
    : QObject(parent)
    , m_reader(reader)
{ }

void RecentTests::refresh(const QString &profileId)
{
    m_requested.insert(profileId);
    // The reader answers in the order asked, so the last answer is the newest read.
    m_reader->tests(profileId, Shown, this, [this, profileId](const QList<HistoryTest> &rows) {
        const QList<HistoryTest> before = tests(profileId);
        m_read.insert(profileId, rows);
        auto unwritten = m_unwritten.find(profileId);
        if (unwritten != m_unwritten.end()) {
            unwritten->removeIf([&rows](const HistoryTest &test) {
                return std::any_of(rows.begin(), rows.end(),
                                   [&test](const HistoryTest &row) { return sameTest(row, test); });
            });
        }
        if (!sameRows(before, tests(profileId)))
            Q_EMIT changed(profileId);
    });
}

void RecentTests::readOnce(const QString &profileId)
{
    if (!m_requested.contains(profileId))
        refresh(profileId);
}

void RecentTests::add(const HistoryTest &test)
{
    m_unwritten[test.profileId].append(test);
    Q_EMIT changed(test.profileId);
}

QList<HistoryTest> RecentTests::tests(const QString &profileId) const
{
    QList<HistoryTest> all = m_read.value(profileId) + m_unwritten.value(profileId);
    std::stable_sort(all.begin(), all.end(),
                     [](const HistoryTest &a, const HistoryTest &b) { return a.msecs > b.msecs; });
    return all.mid(0, Shown);
}

std::optional<HistoryTest> RecentTests::last(const QString &profileId) const
{
    const QList<HistoryTest> all = tests(profileId);
    if (all.isEmpty())
        return std::nullopt;
    return all.constFirst();
}
