#include "MainWindow.h"
#include "PoolChart.h"
#include "PoolMonitorView.h"
#include "ProfilePages.h"
#include "ShownWindow.h"
#include "TestEnvironment.h"
#include "history/HistoryStore.h"
#include "pool/Clock.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

/// The Pool page opens on what history.sqlite keeps: a real session against the test server is
/// recorded, and a window made anew on the same config folder shows it again, with the
/// incidents planted in the file listed and a click away.
class TestPoolHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSessionIsShownAgainInANewWindowWithItsIncidents();

private:
    /// The window's Pool page on a profile, with the chart's window chosen.
    static PoolMonitorView *poolPage(MainWindow &window, const QString &profile,
                                     const QString &chartWindow);
    /// A sample of the planted history: sessions in the database of 97 usable slots.
    static HistorySample planted(const QString &profileId, qint64 msecs, int sessions);
};

PoolMonitorView *TestPoolHistory::poolPage(MainWindow &window, const QString &profile,
                                           const QString &chartWindow)
{
    if (!window.selectProfileByName(profile))
        return nullptr;
    window.findChild<ProfilePages *>(u"profileTabWidget"_s)->showPage(ProfilePages::PoolPage);
    auto *page = window.findChild<PoolMonitorView *>();
    auto *windows = page->findChild<QComboBox *>(u"windowComboBox"_s);
    windows->setCurrentIndex(windows->findText(chartWindow));
    return page;
}

HistorySample TestPoolHistory::planted(const QString &profileId, qint64 msecs, int sessions)
{
    HistorySample sample;
    sample.profileId = profileId;
    sample.msecs = msecs;
    sample.ok = true;
    sample.counts.inDatabase = sessions;
    sample.counts.total = sessions + 1;
    sample.counts.maxConnections = 100;
    sample.counts.superuserReserved = 3;
    sample.byState = {{u"active"_s, sessions}};
    sample.poolCapacity = 30;
    return sample;
}

void TestPoolHistory::aSessionIsShownAgainInANewWindowWithItsIncidents()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QTemporaryDir dir;
    const QString database = u"poolhistory_%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    server->superuserQuery(u"CREATE DATABASE %1 OWNER orderflow"_s.arg(database));
    Profile pooled = Profile::fromUrl(
            u"pooled"_s, Environment::Development,
            *ConnectionUrl::parse(u"postgresql://orderflow@127.0.0.1:%1/%2?sslmode=disable"_s.arg(
                    QString::number(server->port), database)));
    // A saved password, as a save in the window leaves it.
    pooled.passwordChangedAt = QDateTime::currentDateTimeUtc();
    // Port 1 on loopback refuses: the profile switched to and back from.
    const Profile refused
            = Profile::fromUrl(u"refused"_s, Environment::Development,
                               *ConnectionUrl::parse(u"postgresql://u@127.0.0.1:1/db"_s));
    {
        ProfileStore store(dir.path());
        store.load();
        QVERIFY(store.add(pooled) && store.add(refused) && store.save());
        SecretStore secrets;
        bool written = false;
        secrets.writePassword(pooled.id, u"dev_password"_s, this,
                              [&](const SecretResult &r) { written = r.ok(); });
        QTRY_VERIFY(written);
    }

    // Planted in the file: 95 of 97 slots taken for 90 s twenty minutes ago, and for half an
    // hour three days ago (one sample a minute, summed up into minutes by retention).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 busyFrom = (now - qint64(20) * 60000) / 1000 * 1000;
    const qint64 longAgo = (now - qint64(3) * 24 * 3600 * 1000) / 60000 * 60000;
    {
        const SystemClock clock;
        HistoryStore store(HistoryStore::pathIn(dir.path()), &clock);
        QVERIFY(store.open());
        QList<HistorySample> rows;
        for (int second = 0; second < 90; ++second)
            rows << planted(pooled.id, busyFrom + qint64(second) * 1000, 95);
        for (int minute = -10; minute < 40; ++minute)
            rows << planted(pooled.id, longAgo + qint64(minute) * 60000,
                            minute >= 0 && minute < 30 ? 90 : 5);
        QVERIFY(store.write(rows, {}));
        QVERIFY(store.prune());
    }

    // A first window samples the real server for a few seconds, switches away and back.
    QList<qint64> live;
    {
        MainWindow window(dir.path());
        QVERIFY(showAndSettle(window));
        PoolMonitorView *page = poolPage(window, u"pooled"_s, u"24 hours"_s);
        QVERIFY(page);
        QList<ActivitySample> shown;
        connect(page, &PoolMonitorView::sampleShown, this,
                [&shown](const ActivitySample &sample) { shown << sample; });
        QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 3, 20000);
        QVERIFY2(shown.first().ok, qPrintable(shown.first().message));
        for (const ActivitySample &sample : shown)
            live << sample.t.toMSecsSinceEpoch();
        page->disconnect(this);
        // The stored stretch is there beside the live samples.
        QTRY_VERIFY(page->history().size() >= 90 + 3);
        QVERIFY(poolPage(window, u"refused"_s, u"24 hours"_s));
        QTRY_COMPARE(page->history().size() < 90, true);
        QVERIFY(poolPage(window, u"pooled"_s, u"24 hours"_s));
        // Switching back shows the stored history again, not an empty chart.
        QTRY_VERIFY(page->history().size() >= 90);
    }

    // A window made anew on the same folder shows the first one's samples and the incidents.
    MainWindow window(dir.path());
    QVERIFY(showAndSettle(window));
    PoolMonitorView *page = poolPage(window, u"pooled"_s, u"24 hours"_s);
    QVERIFY(page);
    const auto held = [page](qint64 msecs) {
        const auto &points = page->history().points();
        return std::any_of(points.cbegin(), points.cend(),
                           [msecs](const SampleHistory::Point &p) { return p.msecs == msecs; });
    };
    // Two reads: the five minutes the page opens on, then the rest of the day.
    QTRY_VERIFY_WITH_TIMEOUT(held(live.first()) && held(live.last()) && held(busyFrom)
                                     && held(busyFrom + qint64(89) * 1000),
                             10000);
    const auto busyAt = [page](qint64 msecs) {
        return std::find_if(page->incidents().cbegin(), page->incidents().cend(),
                            [msecs](const Incident &i) { return i.fromMsecs == msecs; });
    };
    QTRY_VERIFY(busyAt(busyFrom) != page->incidents().cend());
    const Incident recent = *busyAt(busyFrom);
    QCOMPARE(recent.kind, Incident::Kind::Busy);
    QCOMPARE(recent.toMsecs, busyFrom + qint64(90) * 1000);
    QCOMPARE(recent.peakSessions, 95);
    QCOMPARE(recent.capacity, 97);
    auto *list = page->findChild<QListWidget *>(u"incidentListWidget"_s);
    QCOMPARE(list->count(), page->incidents().size());

    // Seven days: the minutes, with the half hour three days ago.
    auto *windows = page->findChild<QComboBox *>(u"windowComboBox"_s);
    windows->setCurrentIndex(windows->findText(u"7 days"_s));
    auto *chart = page->findChild<PoolChart *>(u"poolChart"_s);
    QVERIFY(chart->drawsMinutes());
    QTRY_VERIFY(busyAt(longAgo) != page->incidents().cend());
    const auto old = busyAt(longAgo);
    QCOMPARE(old->toMsecs, longAgo + qint64(30) * 60000);
    QCOMPARE(old->peakSessions, 90);
    QVERIFY(page->minutes().minutes().size() >= 50);

    // Enter on it zooms the chart to it; the button goes back to the seven days.
    list->setFocus();
    list->setCurrentRow(int(old - page->incidents().cbegin()));
    QTest::keyClick(list, Qt::Key_Return);
    QVERIFY(chart->isZoomed());
    QVERIFY(chart->range().first < longAgo && chart->range().second > longAgo + qint64(30) * 60000);
    QVERIFY(chart->range().second - chart->range().first <= qint64(3600) * 1000);
    auto *back = page->findChild<QPushButton *>(u"wholeWindowButton"_s);
    QVERIFY(back->isVisible());
    QTest::mouseClick(back, Qt::LeftButton);
    QVERIFY(!chart->isZoomed());
    QCOMPARE(chart->range().second - chart->range().first, qint64(7) * 24 * 3600 * 1000);
}

QTEST_MAIN(TestPoolHistory)
#include "tst_poolhistory.moc"
