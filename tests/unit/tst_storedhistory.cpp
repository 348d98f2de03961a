#include "pool/MinuteHistory.h"
#include "pool/SampleHistory.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// What the Pool page keeps of history.sqlite: stored samples merged with live ones by time, and
/// minutes summed up per pixel column (min of mins, max of maxes, mean weighed by samples).
class TestStoredHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storedSamplesMergeWithLiveOnesByTime();
    void aRangeCopiedForAnExportWritesTheSameCsv();
    void minutesMergeInPlaceOfTheRangeRead();
    void columnsKeepTheExtremesAndWeighTheMeans();
    void aMinuteFillsEveryColumnItCovers();
    void csvHoldsMinMaxAndMeanOfEveryMetric();

private:
    static constexpr qint64 T0 = 1'900'000'000'000;
    static HistoryMinute minute(qint64 msecs, int samples, double min, double max, double mean,
                                int failures = 0)
    {
        HistoryMinute row;
        row.msecs = msecs;
        row.samples = samples;
        row.failures = failures;
        row.ranges.at(size_t(HistoryMetric::InDatabase)) = {true, min, max, mean};
        return row;
    }
};

void TestStoredHistory::storedSamplesMergeWithLiveOnesByTime()
{
    SampleHistory history;
    ActivitySample live;
    live.ok = true;
    live.counts.inDatabase = 7;
    live.byState = {{u"active"_s, 7}};
    for (const qint64 t : {T0 + 3000, T0 + 4000}) {
        live.t = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
        history.append(live);
    }
    QList<HistorySample> stored;
    for (int i = 0; i < 5; ++i) {
        HistorySample row;
        row.msecs = T0 + qint64(i) * 1000;
        row.ok = i != 1;
        row.counts.inDatabase = 2;
        row.counts.maxConnections = 40;
        row.counts.superuserReserved = 3;
        row.byState = {{u"idle"_s, 2}};
        stored << row;
    }
    history.merge(stored);
    // Five times, each once; where a live sample was held, it stays.
    QCOMPARE(history.size(), 5);
    const auto &points = history.points();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(points.at(size_t(i)).msecs, T0 + qint64(i) * 1000);
    QCOMPARE(points.at(3).inDatabase, 7);
    QCOMPARE(points.at(2).inDatabase, 2);
    QCOMPARE(points.at(2).serverCapacity, 37);
    QVERIFY(!points.at(1).ok);
    QCOMPARE(history.names(SampleHistory::Series::ByState), QStringList({u"active"_s, u"idle"_s}));
    QCOMPARE(history.value(points.at(0), SampleHistory::Series::ByState, 1), 2);
}

void TestStoredHistory::aRangeCopiedForAnExportWritesTheSameCsv()
{
    SampleHistory history;
    ActivitySample sample;
    sample.ok = true;
    for (int i = 0; i < 6; ++i) {
        sample.t = QDateTime::fromMSecsSinceEpoch(T0 + qint64(i) * 1000, Qt::UTC);
        sample.counts.inDatabase = i;
        // A series seen only before the range keeps its place (and its zero) in the copy.
        sample.byState = {{i == 0 ? u"idle in transaction"_s : u"active"_s, i + 1}};
        history.append(sample);
    }
    const qint64 from = T0 + 2000;
    const qint64 to = T0 + 5000;
    const SampleHistory copy = history.between(from, to);
    QCOMPARE(copy.size(), 3);
    QCOMPARE(copy.points().front().msecs, from);
    QCOMPARE(copy.points().back().msecs, to - 1000);
    QCOMPARE(copy.names(SampleHistory::Series::ByState),
             history.names(SampleHistory::Series::ByState));
    for (const auto series : {SampleHistory::Series::ByState, SampleHistory::Series::ByApplication})
        QCOMPARE(copy.toCsv(from, to, series), history.toCsv(from, to, series));
}

void TestStoredHistory::minutesMergeInPlaceOfTheRangeRead()
{
    MinuteHistory minutes;
    minutes.merge(T0, T0 + qint64(3) * 60000,
                  {minute(T0, 60, 1, 2, 1.5), minute(T0 + 60000, 60, 1, 2, 1.5),
                   minute(T0 + 120000, 10, 1, 1, 1)});
    // The newest minute read again with all its samples, and one more.
    minutes.merge(T0 + 120000, T0 + qint64(4) * 60000,
                  {minute(T0 + 120000, 60, 1, 5, 3), minute(T0 + 180000, 60, 2, 2, 2)});
    // Older ones read when the window grew.
    minutes.merge(T0 - 60000, T0, {minute(T0 - 60000, 60, 0, 0, 0)});
    QCOMPARE(minutes.minutes().size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(minutes.minutes().at(i).msecs, T0 + qint64(i - 1) * 60000);
    QCOMPARE(minutes.minutes().at(3).samples, 60);
    QCOMPARE(minutes.lastMsecs(), T0 + 180000);
    QCOMPARE(minutes.at(T0 + 150000)->msecs, T0 + 120000);
    QVERIFY(!minutes.at(T0 + qint64(10) * 60000));
}

void TestStoredHistory::columnsKeepTheExtremesAndWeighTheMeans()
{
    MinuteHistory minutes;
    minutes.merge(T0, T0 + qint64(2) * 60000,
                  {minute(T0, 60, 2, 10, 4), minute(T0 + 60000, 20, 1, 6, 8, 20)});
    const QList<HistoryMetric> metrics{HistoryMetric::InDatabase, HistoryMetric::Active};
    const auto columns = minutes.columns(T0, T0 + qint64(2) * 60000, 1, metrics);
    QCOMPARE(columns.size(), 1);
    const MinuteHistory::Column &column = columns.first();
    QVERIFY(column.hasData && column.gap);
    QCOMPARE(column.ranges.at(0).min, 1.0);
    QCOMPARE(column.ranges.at(0).max, 10.0);
    QCOMPARE(column.ranges.at(0).mean, (4.0 * 60 + 8.0 * 20) / 80);
    QVERIFY(!column.ranges.at(1).present);
    QCOMPARE(minutes.hasData(T0, T0 + qint64(2) * 60000, metrics), QList<bool>({true, false}));
}

void TestStoredHistory::aMinuteFillsEveryColumnItCovers()
{
    MinuteHistory minutes;
    minutes.merge(T0, T0 + 60000, {minute(T0, 60, 3, 3, 3)});
    // Two minutes over 120 columns: the first 60 hold the minute, the rest nothing.
    const auto columns
            = minutes.columns(T0, T0 + qint64(2) * 60000, 120, {HistoryMetric::InDatabase});
    for (int c = 0; c < 120; ++c)
        QCOMPARE(columns.at(c).hasData, c < 60);
    // A range that starts inside the minute still sees it.
    QVERIFY(minutes.columns(T0 + 30000, T0 + 90000, 4, {HistoryMetric::InDatabase})
                    .first()
                    .hasData);
}

void TestStoredHistory::csvHoldsMinMaxAndMeanOfEveryMetric()
{
    MinuteHistory minutes;
    minutes.merge(T0, T0 + 60000, {minute(T0, 60, 2, 10, 4.5, 1)});
    const QStringList lines = minutes.toCsv(T0, T0 + 60000).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(u"time,samples,failures,in_database_min,in_database_max,"
                                   "in_database_mean,total_min"_s));
    QCOMPARE(lines.at(0).count(u','), 2 + 3 * HistoryMetricCount);
    QVERIFY(lines.at(1).startsWith(QDateTime::fromMSecsSinceEpoch(T0, Qt::UTC).toString(Qt::ISODate)
                                   + u",60,1,2,10,4.5,,,"_s));
    QCOMPARE(lines.at(1).count(u','), 2 + 3 * HistoryMetricCount);
    QVERIFY(minutes.toCsv(T0 + 60000, T0 + 120000).count(u'\n') == 1);
}

QTEST_GUILESS_MAIN(TestStoredHistory)
#include "tst_storedhistory.moc"
