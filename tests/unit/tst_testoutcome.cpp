#include "history/TestOutcome.h"

#include <QLocale>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// A remembered test in the words the window shows, against a fixed "now".
class TestTestOutcome : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whenSaysHowLongAgoThenTheDay_data();
    void whenSaysHowLongAgoThenTheDay();
    void resultNamesTheFailure_data();
    void resultNamesTheFailure();
    void sentenceJoinsResultAndTime();
    void clockTimeHasSecondsTodayAndTheDateBefore();
};

namespace {

// A Monday afternoon, local time.
const QDateTime now(QDate(2026, 11, 30), QTime(17, 5, 0));

HistoryTest testOf(const QString &health, const QString &category)
{
    HistoryTest test;
    test.profileId = u"p"_s;
    test.msecs = now.addSecs(-180).toMSecsSinceEpoch();
    test.ok = health == u"healthy"_s;
    test.health = health;
    test.category = category;
    return test;
}

QString shortTime(const QTime &time)
{
    return QLocale().toString(time, QLocale::ShortFormat);
}

} // namespace

void TestTestOutcome::whenSaysHowLongAgoThenTheDay_data()
{
    QTest::addColumn<QDateTime>("at");
    QTest::addColumn<QString>("expected");
    QTest::newRow("seconds") << now.addSecs(-59) << u"just now"_s;
    // Another machine's clock a little ahead is not "in the future".
    QTest::newRow("ahead") << now.addSecs(30) << u"just now"_s;
    QTest::newRow("one minute") << now.addSecs(-60) << u"1 min ago"_s;
    QTest::newRow("minutes") << now.addSecs(-3599) << u"59 min ago"_s;
    QTest::newRow("today") << now.addSecs(-3 * 3600) << u"today "_s + shortTime(QTime(14, 5, 0));
    QTest::newRow("yesterday") << QDateTime(QDate(2026, 11, 29), QTime(17, 2, 0))
                               << u"yesterday "_s + shortTime(QTime(17, 2, 0));
    QTest::newRow("this week") << QDateTime(QDate(2026, 11, 26), QTime(9, 30, 0))
                               << QLocale().dayName(4, QLocale::ShortFormat) + u' '
                    + shortTime(QTime(9, 30, 0));
    QTest::newRow("older") << QDateTime(QDate(2026, 11, 23), QTime(9, 30, 0))
                           << QLocale().toString(QDate(2026, 11, 23), QLocale::ShortFormat);
}

void TestTestOutcome::whenSaysHowLongAgoThenTheDay()
{
    QFETCH(QDateTime, at);
    QFETCH(QString, expected);
    QCOMPARE(TestOutcome::when(at, now), expected);
}

void TestTestOutcome::resultNamesTheFailure_data()
{
    QTest::addColumn<QString>("health");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("expected");
    QTest::newRow("passed") << u"healthy"_s << u"ok"_s << u"Passed"_s;
    QTest::newRow("checks") << u"checks_failed"_s << u"ok"_s << u"Checks failed"_s;
    QTest::newRow("auth") << u"failed"_s << u"auth_failed"_s << u"Failed: authentication"_s;
    QTest::newRow("refused") << u"failed"_s << u"connection_refused"_s
                             << u"Failed: connection refused"_s;
    // A row written by a newer version, with a category this one does not know.
    QTest::newRow("unknown category")
            << u"failed"_s << u"quantum_noise"_s << u"Failed: unrecognised failure"_s;
    QTest::newRow("unknown health") << u"sideways"_s << u"timeout"_s << u"Failed: timed out"_s;
}

void TestTestOutcome::resultNamesTheFailure()
{
    QFETCH(QString, health);
    QFETCH(QString, category);
    QFETCH(QString, expected);
    QCOMPARE(TestOutcome::result(testOf(health, category)), expected);
}

void TestTestOutcome::sentenceJoinsResultAndTime()
{
    QCOMPARE(TestOutcome::sentence(testOf(u"healthy"_s, u"ok"_s), now), u"Passed 3 min ago"_s);
    QCOMPARE(TestOutcome::sentence(testOf(u"failed"_s, u"auth_failed"_s), now),
             u"Failed: authentication, 3 min ago"_s);
    QCOMPARE(TestOutcome::sentence(testOf(u"checks_failed"_s, u"ok"_s), now),
             u"Connected, but a required check failed, 3 min ago"_s);
}

void TestTestOutcome::clockTimeHasSecondsTodayAndTheDateBefore()
{
    // LANG=C.UTF-8 in ctest: the C locale's 24-hour clock.
    QCOMPARE(TestOutcome::clockTime(QDateTime(now.date(), QTime(9, 4, 7)), now), u"09:04:07"_s);
    const QDateTime before(QDate(2026, 11, 29), QTime(9, 4, 7));
    QCOMPARE(TestOutcome::clockTime(before, now), QLocale().toString(before, QLocale::ShortFormat));
}

QTEST_GUILESS_MAIN(TestTestOutcome)
#include "tst_testoutcome.moc"
