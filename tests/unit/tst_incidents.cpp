#include "history/Incidents.h"
#include "pool/SampleHistory.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// Incidents over samples and minutes: busy above 80 % of the usable slots, unreachable where
/// samples failed, cut to the window, merged across adjacent minutes, split by gaps.
class TestIncidents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void busyMeansAboveEightyPercentOfUsableSlots();
    void adjacentMinutesAreOneIncidentWithItsPeak();
    void aGapInTheMinutesSplitsAnIncident();
    void incidentsAtTheWindowsEdgesAreCutToIt();
    void unreachableMinutesAreAnIncidentOfTheirOwn();
    void samplesOfAFailingServerStayOneIncident();
    void incidentsReadAsOneLine();

private:
    static constexpr qint64 T0 = 1'900'000'000'000; // a whole minute
    static qint64 minuteAt(int n) { return T0 + qint64(n) * 60000; }
    /// A minute whose sessions peaked at sessions of capacity, failures of 60 samples failed.
    static HistoryMinute minute(int n, int sessions, int capacity = 97, int failures = 0)
    {
        HistoryMinute row;
        row.msecs = minuteAt(n);
        row.samples = 60;
        row.failures = failures;
        row.ranges.at(size_t(HistoryMetric::InDatabase))
                = {true, double(sessions / 2), double(sessions), sessions * 0.75};
        row.ranges.at(size_t(HistoryMetric::ServerCapacity))
                = {true, double(capacity), double(capacity), double(capacity)};
        return row;
    }
    static ActivitySample sample(qint64 msecs, bool ok, int sessions)
    {
        ActivitySample s;
        s.t = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
        s.ok = ok;
        if (ok) {
            s.counts.inDatabase = sessions;
            s.counts.maxConnections = 100;
            s.counts.superuserReserved = 3;
        }
        return s;
    }
};

void TestIncidents::busyMeansAboveEightyPercentOfUsableSlots()
{
    QVERIFY(!Incidents::busy(80, 100));
    QVERIFY(Incidents::busy(81, 100));
    QVERIFY(Incidents::busy(78, 97));
    QVERIFY(!Incidents::busy(77, 97));
    // No capacity known (a failed sample): never busy.
    QVERIFY(!Incidents::busy(5, 0));
}

void TestIncidents::adjacentMinutesAreOneIncidentWithItsPeak()
{
    const QList<HistoryMinute> minutes{minute(0, 10), minute(1, 85), minute(2, 92), minute(3, 80),
                                       minute(4, 10)};
    const QList<Incident> found = Incidents::ofMinutes(minutes, minuteAt(0), minuteAt(10));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().kind, Incident::Kind::Busy);
    QCOMPARE(found.first().fromMsecs, minuteAt(1));
    QCOMPARE(found.first().toMsecs, minuteAt(4));
    QCOMPARE(found.first().peakSessions, 92);
    QCOMPARE(found.first().capacity, 97);
}

void TestIncidents::aGapInTheMinutesSplitsAnIncident()
{
    // Nothing recorded in minutes 3 and 4 (the program was closed): two incidents.
    const QList<HistoryMinute> minutes{minute(1, 90), minute(2, 91), minute(5, 95)};
    const QList<Incident> found = Incidents::ofMinutes(minutes, minuteAt(0), minuteAt(10));
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).fromMsecs, minuteAt(1));
    QCOMPARE(found.at(0).toMsecs, minuteAt(3));
    QCOMPARE(found.at(0).peakSessions, 91);
    QCOMPARE(found.at(1).fromMsecs, minuteAt(5));
    QCOMPARE(found.at(1).toMsecs, minuteAt(6));
    QCOMPARE(found.at(1).peakSessions, 95);
}

void TestIncidents::incidentsAtTheWindowsEdgesAreCutToIt()
{
    // Busy from minute 0 to 3 and from minute 7 to the end; the window is [1:30, 8:30).
    QList<HistoryMinute> minutes;
    for (int n = 0; n < 10; ++n)
        minutes << minute(n, n < 3 || n >= 7 ? 90 : 20);
    const qint64 from = minuteAt(1) + 30000;
    const qint64 to = minuteAt(8) + 30000;
    const QList<Incident> found = Incidents::ofMinutes(minutes, from, to);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).fromMsecs, from);
    QCOMPARE(found.at(0).toMsecs, minuteAt(3));
    QCOMPARE(found.at(1).fromMsecs, minuteAt(7));
    QCOMPARE(found.at(1).toMsecs, to);
    // Nothing in a window after the data; nothing in an empty list.
    QVERIFY(Incidents::ofMinutes(minutes, minuteAt(20), minuteAt(30)).isEmpty());
    QVERIFY(Incidents::ofMinutes({}, from, to).isEmpty());
}

void TestIncidents::unreachableMinutesAreAnIncidentOfTheirOwn()
{
    // A busy stretch, then four minutes with failures, one of them busy too before it failed.
    const QList<HistoryMinute> minutes{minute(0, 90),        minute(1, 90, 97, 10),
                                       minute(2, 0, 97, 60), minute(3, 0, 97, 60),
                                       minute(4, 0, 97, 60), minute(5, 10)};
    const QList<Incident> found = Incidents::ofMinutes(minutes, minuteAt(0), minuteAt(6));
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).kind, Incident::Kind::Busy);
    QCOMPARE(found.at(0).fromMsecs, minuteAt(0));
    QCOMPARE(found.at(0).toMsecs, minuteAt(2));
    QCOMPARE(found.at(1).kind, Incident::Kind::Unreachable);
    QCOMPARE(found.at(1).fromMsecs, minuteAt(1));
    QCOMPARE(found.at(1).toMsecs, minuteAt(5));
    QCOMPARE(found.at(1).peakSessions, 0);
}

void TestIncidents::samplesOfAFailingServerStayOneIncident()
{
    SampleHistory samples;
    qint64 t = T0;
    for (int i = 0; i < 5; ++i, t += 1000)
        samples.append(sample(t, true, 10));
    // Failing, sampled after 1, 2, 4, 8, 16 and 30 s as the sampler backs off.
    const qint64 failedFrom = t;
    for (const int wait : {1, 2, 4, 8, 16, 30}) {
        samples.append(sample(t, false, 0));
        t += qint64(wait) * 1000;
    }
    const qint64 failedTo = t;
    for (int i = 0; i < 3; ++i, t += 1000)
        samples.append(sample(t, true, i == 1 ? 90 : 10));
    const QList<Incident> found = Incidents::ofSamples(samples, T0, t);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).kind, Incident::Kind::Unreachable);
    QCOMPARE(found.at(0).fromMsecs, failedFrom);
    QCOMPARE(found.at(0).toMsecs, failedTo);
    QCOMPARE(found.at(1).kind, Incident::Kind::Busy);
    QCOMPARE(found.at(1).fromMsecs, failedTo + 1000);
    QCOMPARE(found.at(1).durationMsecs(), 1000);
    QCOMPARE(found.at(1).peakSessions, 90);
    QCOMPARE(found.at(1).capacity, 97);
}

void TestIncidents::incidentsReadAsOneLine()
{
    const QDateTime start(QDate(2030, 3, 4), QTime(2, 14), Qt::LocalTime);
    const qint64 from = start.toMSecsSinceEpoch();
    const Incident busy{Incident::Kind::Busy, from, from + qint64(17) * 60000, 92, 97};
    QCOMPARE(Incidents::text(busy, false), u"02:14–02:31 · 17 min · peak 92/97 sessions"_s);
    QCOMPARE(Incidents::text(busy, true), u"4 Mar 02:14–02:31 · 17 min · peak 92/97 sessions"_s);
    const Incident down{Incident::Kind::Unreachable, from, from + qint64(4) * 60000, 0, 0};
    QCOMPARE(Incidents::text(down, false), u"02:14–02:18 · unreachable · 4 min"_s);
    QCOMPARE(Incidents::duration(20000), u"< 1 min"_s);
    QCOMPARE(Incidents::duration(qint64(125) * 60000), u"2 h 5 min"_s);
    QCOMPARE(Incidents::duration(qint64(76) * 3600000), u"3 d 4 h"_s);
}

QTEST_GUILESS_MAIN(TestIncidents)
#include "tst_incidents.moc"
