#include "PoolChart.h"
#include "PoolMonitorView.h"
#include "SecurityAuditView.h"
#include "TestEnvironment.h"
#include "pool/ActivitySampler.h"
#include "pool/PoolerReport.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QDate>
#include <QImage>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

/// The pool chart with a day of synthetic samples and a clock the test controls, compared
/// pixel by pixel against where gaps, series and capacity lines must be; and the Pool page
/// against the real server.
class TestPoolChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void downsamplingSummarisesADay();
    void dayRendersGapsSeriesAndCapacityLines();
    void longWindowDrawsTheMeanOverAMinMaxBand();
    void readoutAndPause();
    void csvHoldsEverySampleInTheWindow();
    void scaleStepsAreRoundAndLabelsStayInside();
    void legendWrapsListsOnlySeriesWithDataAndNeverCoversPaused();
    void seriesColoursAreDistinct();
    void poolPageSamplesEditsAndSnippets();
    void pgbouncerBehindATunnelCommandIsNotDialled();
    void poolPageListsPgBouncersFindings();
    void securityPageAuditsPgBouncersSettings();

private:
    static QDateTime dayStart() { return QDateTime(QDate(2030, 1, 2), QTime(0, 0), Qt::UTC); }
    static bool outage(int second) { return second >= 10 * 3600 && second < 12 * 3600; }
    /// The whole day of m_day on a chart of that size, as its last millisecond.
    void showDay(PoolChart &chart, QSize size) const
    {
        chart.resize(size);
        chart.setClock(std::make_shared<ManualClock>(dayStart().addDays(1).addMSecs(-1)));
        chart.setHistory(&m_day);
        chart.setWindow(qint64(24) * 3600 * 1000);
    }
    SampleHistory m_day{100000};
};

void TestPoolChart::initTestCase()
{
    // 24 hours at 1 Hz: two idle sessions all day, active ones rising each hour, and the
    // server unreachable from 10:00 to 12:00.
    for (int second = 0; second < 24 * 3600; ++second) {
        ActivitySample sample;
        sample.t = dayStart().addSecs(second);
        sample.ok = !outage(second);
        if (sample.ok) {
            const int active = (second / 3600) % 5;
            sample.byState = {{u"active"_s, active}, {u"idle"_s, 2}};
            sample.byApplication = {{u"orderflow-api"_s, active + 2}};
            sample.counts.inDatabase = active + 2;
            sample.counts.total = active + 3;
            sample.counts.maxConnections = 40;
            sample.counts.superuserReserved = 3;
        } else {
            sample.category = u"connection_refused"_s;
        }
        m_day.append(sample);
    }
    QCOMPARE(m_day.size(), 86400);
}

void TestPoolChart::downsamplingSummarisesADay()
{
    const qint64 from = dayStart().toMSecsSinceEpoch();
    const qint64 to = dayStart().addDays(1).toMSecsSinceEpoch();
    const auto columns = m_day.columns(from, to, 720, SampleHistory::Series::ByState);
    QCOMPARE(columns.size(), 720);
    QCOMPARE(m_day.names(SampleHistory::Series::ByState), QStringList({u"active"_s, u"idle"_s}));
    // 120 seconds per column: 04:00-04:02 has four active and two idle throughout.
    const auto &four = columns.at(4 * 30);
    QVERIFY(four.hasData && !four.gap);
    QCOMPARE(four.maxTotal, 6);
    QCOMPARE(four.minTotal, 6);
    QCOMPARE(four.stack, std::vector<int>({4, 2}));
    // The column that holds 00:59-01:01 sees both hours: min and max differ.
    const auto &edge = columns.at(30);
    QCOMPARE(edge.minTotal, 3);
    QCOMPARE(edge.maxTotal, 3);
    const auto &outageColumn = columns.at(11 * 30);
    QVERIFY(outageColumn.gap && !outageColumn.hasData);
    const auto spans = m_day.outages(from, to);
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans.first().first, dayStart().addSecs(10 * 3600).toMSecsSinceEpoch());
    QCOMPARE(spans.first().second, dayStart().addSecs(12 * 3600).toMSecsSinceEpoch());
}

void TestPoolChart::dayRendersGapsSeriesAndCapacityLines()
{
    PoolChart chart;
    showDay(chart, QSize(900, 320));
    chart.setPoolCapacity(15);
    const QImage image = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    const double dpr = image.devicePixelRatio();
    auto pixel = [&](double x, double y) {
        return image.pixel(int(x * dpr), int(y * dpr));
    };
    const QRectF area = chart.plotArea();

    // The outage is shaded from top to bottom.
    const double gapX = chart.xForTime(dayStart().addSecs(11 * 3600).toMSecsSinceEpoch());
    QCOMPARE(pixel(gapX, area.center().y()), chart.gapColor().rgb());
    QCOMPARE(pixel(gapX, area.bottom() - 3), chart.gapColor().rgb());

    // At 04:30 the stack is four active (first series) under two idle (second series).
    const double x = chart.xForTime(dayStart().addSecs(4 * 3600 + 1800).toMSecsSinceEpoch());
    QCOMPARE(pixel(x, chart.yForValue(2)), chart.seriesColor(0).rgb());
    QCOMPARE(pixel(x, chart.yForValue(5)), chart.seriesColor(1).rgb());
    QCOMPARE(pixel(x, chart.yForValue(8)), chart.palette().color(QPalette::Base).rgb());

    // The capacity lines are dashed: somewhere along each, their colour shows.
    auto lineShows = [&](double value, const QColor &color) {
        const int y = int(chart.yForValue(value) * dpr);
        for (int px = int(area.left() * dpr) + 2; px < int(area.right() * dpr) - 2; ++px) {
            if (image.pixel(px, y) == color.rgb())
                return true;
        }
        return false;
    };
    QVERIFY(lineShows(37, chart.serverLineColor())); // 40 minus 3 reserved
    QVERIFY(lineShows(15, chart.poolLineColor()));
    QVERIFY(chart.yMaximum() >= 37);
}

void TestPoolChart::longWindowDrawsTheMeanOverAMinMaxBand()
{
    // Eight days of minutes: sessions in the database between 2 and 10 with a mean of 6, and
    // every sample failing on the third day. No sessions by state: one series alone.
    const QDateTime end = dayStart().addDays(8);
    const qint64 from = dayStart().toMSecsSinceEpoch();
    QList<HistoryMinute> rows;
    for (qint64 t = from; t < end.toMSecsSinceEpoch(); t += 60000) {
        HistoryMinute minute;
        minute.msecs = t;
        minute.samples = 60;
        const bool down = t >= dayStart().addDays(3).toMSecsSinceEpoch()
                && t < dayStart().addDays(4).toMSecsSinceEpoch();
        minute.failures = down ? 60 : 0;
        if (!down) {
            minute.ranges.at(size_t(HistoryMetric::InDatabase)) = {true, 2, 10, 6};
            minute.ranges.at(size_t(HistoryMetric::ServerCapacity)) = {true, 37, 37, 37};
        }
        rows << minute;
    }
    MinuteHistory minutes;
    minutes.merge(from, end.toMSecsSinceEpoch(), rows);
    QCOMPARE(minutes.minutes().size(), 8 * 24 * 60);
    PoolChart chart;
    chart.resize(900, 320);
    chart.setClock(std::make_shared<ManualClock>(end.addMSecs(-1)));
    chart.setHistory(&m_day);
    chart.setMinuteHistory(&minutes);
    chart.setWindow(qint64(7) * 24 * 3600 * 1000);
    QVERIFY(chart.drawsMinutes());
    const QImage image = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    const double dpr = image.devicePixelRatio();
    auto pixel = [&](double x, double y) {
        return QColor(image.pixel(int(x * dpr), int(y * dpr)));
    };
    const QColor base = chart.palette().color(QPalette::Base);
    const QColor series = chart.seriesColor(0);
    // The band: the series' colour, translucent over the base, between min and max.
    const double x = chart.xForTime(dayStart().addDays(6).toMSecsSinceEpoch());
    const QColor band = pixel(x, chart.yForValue(8.5));
    const auto blended = [&](int seriesChannel, int baseChannel) {
        return baseChannel + (seriesChannel - baseChannel) * 70 / 255;
    };
    QVERIFY2(std::abs(band.red() - blended(series.red(), base.red())) <= 2
                     && std::abs(band.green() - blended(series.green(), base.green())) <= 2
                     && std::abs(band.blue() - blended(series.blue(), base.blue())) <= 2,
             qPrintable(band.name()));
    QCOMPARE(pixel(x, chart.yForValue(3.5)), band);
    // Above the maximum and below the minimum, no band.
    QCOMPARE(pixel(x, chart.yForValue(12)), base);
    QCOMPARE(pixel(x, chart.yForValue(1)), base);
    // The mean line in the series' own colour (antialiased: nearly).
    const QColor line = pixel(x, chart.yForValue(6));
    QVERIFY2(std::abs(line.red() - series.red()) + std::abs(line.green() - series.green())
                             + std::abs(line.blue() - series.blue())
                     < 30,
             qPrintable(line.name()));
    // The day without answers is shaded, the server's capacity drawn.
    const double downX
            = chart.xForTime(dayStart().addDays(3).addSecs(qint64(12) * 3600).toMSecsSinceEpoch());
    QCOMPARE(pixel(downX, chart.yForValue(6)).rgb(), chart.gapColor().rgb());
    QCOMPARE(chart.legend(900).size(), 1);
    QVERIFY(chart.yMaximum() >= 37);
}

void TestPoolChart::readoutAndPause()
{
    auto clock = std::make_shared<ManualClock>(dayStart().addSecs(5 * 3600));
    PoolChart chart;
    chart.resize(600, 240);
    chart.setClock(clock);
    chart.setHistory(&m_day);
    chart.setWindow(qint64(5) * 60 * 1000);
    const QString reading
            = chart.readout(chart.xForTime(dayStart().addSecs(5 * 3600 - 60).toMSecsSinceEpoch()));
    QVERIFY2(reading.contains(u"active 4"_s) && reading.contains(u"idle 2"_s), qPrintable(reading));
    QVERIFY(reading.contains(u"total 6 of 37"_s));
    chart.setPaused(true);
    const auto before = chart.range();
    clock->advance(60000);
    QCOMPARE(chart.range(), before);
    chart.setPaused(false);
    QCOMPARE(chart.range().second, clock->now().toMSecsSinceEpoch() + 1);
    clock->set(dayStart().addSecs(11 * 3600));
    QVERIFY(chart.readout(chart.xForTime(dayStart().addSecs(11 * 3600 - 30).toMSecsSinceEpoch()))
                    .contains(u"unreachable"_s));
}

void TestPoolChart::csvHoldsEverySampleInTheWindow()
{
    const qint64 from = dayStart().addSecs(3600).toMSecsSinceEpoch();
    const QString csv = m_day.toCsv(from, from + 10000, SampleHistory::Series::ByState);
    const QStringList lines = csv.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 11);
    QCOMPARE(lines.first(), u"time,ok,in_database,total,server_capacity,\"active\",\"idle\""_s);
    QCOMPARE(lines.at(1), u"2030-01-02T01:00:00.000Z,true,3,4,37,1,2"_s);
}

void TestPoolChart::scaleStepsAreRoundAndLabelsStayInside()
{
    PoolChart chart;
    showDay(chart, QSize(700, 300));
    const QImage image = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    // Server capacity 37: the scale reads 0, 10, 20, 30, 40, not 9/19/28/37.
    QCOMPARE(chart.yTicks(), QList<double>({0, 10, 20, 30, 40}));
    for (const double top : {3.0, 7.0, 12.0, 37.0, 99.0, 100.0, 480.0}) {
        chart.setPoolCapacity(int(top));
        chart.grab();
        const QList<double> ticks = chart.yTicks();
        const double step = ticks.at(1);
        const double power = std::pow(10.0, std::floor(std::log10(step)));
        QVERIFY2(QList<double>({1, 2, 5}).contains(step / power),
                 qPrintable(QString::number(step)));
        QVERIFY(ticks.last() > top && ticks.size() >= 3 && ticks.size() <= 7);
    }
    // Nothing is drawn right of the plot's frame in the time labels' row: the last label ends
    // at the frame instead of being cut off at the widget's edge.
    const QRectF area = chart.plotArea();
    const double dpr = image.devicePixelRatio();
    const QRgb base = chart.palette().color(QPalette::Base).rgb();
    int ink = 0;
    for (int x = int((area.right() + 2) * dpr); x < image.width(); ++x) {
        for (int y = int((area.bottom() + 2) * dpr); y < image.height(); ++y)
            ink += image.pixel(x, y) != base;
    }
    QCOMPARE(ink, 0);
    // And the last label is there, right-aligned under the frame's right end.
    int labelInk = 0;
    for (int x = int((area.right() - 20) * dpr); x < int(area.right() * dpr); ++x) {
        for (int y = int((area.bottom() + 2) * dpr); y < image.height(); ++y)
            labelInk += image.pixel(x, y) != base;
    }
    QVERIFY(labelInk > 0);
}

void TestPoolChart::legendWrapsListsOnlySeriesWithDataAndNeverCoversPaused()
{
    // Many applications with long names, and one that has no session in the window.
    SampleHistory history;
    auto clock = std::make_shared<ManualClock>(dayStart().addSecs(600));
    for (int second = 0; second < 600; ++second) {
        ActivitySample sample;
        sample.t = dayStart().addSecs(second);
        sample.ok = true;
        for (int app = 0; app < 9; ++app)
            sample.byApplication.insert(u"orderflow-worker-with-a-long-name-%1"_s.arg(app), 1);
        sample.byApplication.insert(u"never-connected"_s, 0);
        sample.counts.inDatabase = 9;
        sample.counts.maxConnections = 100;
        history.append(sample);
    }
    PoolChart chart;
    chart.resize(420, 300);
    chart.setClock(clock);
    chart.setHistory(&history);
    chart.setSeries(SampleHistory::Series::ByApplication);
    chart.setPaused(true);
    chart.grab();

    const QList<PoolChart::LegendItem> items = chart.legend(chart.width());
    QCOMPARE(items.size(), 10); // nine applications and "paused"
    QCOMPARE(items.last().series, -1);
    for (const PoolChart::LegendItem &item : items) {
        QVERIFY(item.name != u"never-connected"_s);
        QVERIFY2(item.rect.left() >= 0 && item.rect.right() <= chart.width(),
                 qPrintable(item.name));
        QVERIFY(item.rect.bottom() <= chart.plotArea().top());
        for (const PoolChart::LegendItem &other : items) {
            if (&other != &item)
                QVERIFY2(!item.rect.intersects(other.rect), qPrintable(item.name));
        }
    }
    QVERIFY(items.last().rect.top() > items.first().rect.top()); // it wrapped
    // The CSV leaves the silent series out as well.
    const auto [from, to] = chart.range();
    QVERIFY(!history.toCsv(from, to, SampleHistory::Series::ByApplication)
                     .contains(u"never-connected"_s));
}

void TestPoolChart::seriesColoursAreDistinct()
{
    PoolChart chart;
    QSet<QRgb> seen;
    for (int i = 0; i < 14; ++i)
        seen.insert(chart.seriesColor(i).rgb());
    QCOMPARE(seen.size(), 14);
}

void TestPoolChart::poolPageSamplesEditsAndSnippets()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    SecretStore secrets;
    PoolMonitorView view(&secrets);
    view.resize(1000, 900);
    view.setSamplingInterval(200);
    Profile profile = Profile::fromUrl(
            u"Development"_s, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    profile.passwordSource = PasswordSource::SessionOnly;
    secrets.setSessionPassword(profile.id, u"dev_password"_s);
    Profile celery = Profile::fromUrl(
            u"Celery"_s, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@localhost:%1/orderflow"_s.arg(server->port)));
    celery.pool.poolSize = 2;
    celery.pool.maxOverflow = 5;
    QSignalSpy samples(&view, &PoolMonitorView::sampleShown);
    QSignalSpy edits(&view, &PoolMonitorView::poolSettingsEdited);
    view.setProfile(profile, {profile, celery});
    QTest::qWait(100);
    QVERIFY(!view.sampler()->isRunning()); // selecting a profile opens no connection
    view.show();
    QVERIFY(samples.wait(10000));
    QVERIFY(samples.last().first().value<ActivitySample>().ok);
    QTRY_VERIFY_WITH_TIMEOUT(view.history().size() >= 3, 10000);
    QVERIFY(view.findChild<QLabel *>(u"samplerStatusLabel"_s)->text().contains(u"usable"_s));

    const QString budget = view.findChild<QLabel *>(u"budgetLabel"_s)->text();
    QVERIFY2(budget.contains(u"Celery"_s) && budget.contains(u"up to 7"_s), qPrintable(budget));
    QVERIFY(budget.contains(u"22 connections"_s)); // 15 + 7, against 37 slots
    QVERIFY(budget.contains(u"15 to spare"_s));

    auto *poolSize = view.findChild<QSpinBox *>(u"poolSizeSpinBox"_s);
    poolSize->setValue(30);
    // Only the pool settings go to the owner, never a whole profile to write back.
    QCOMPARE(edits.size(), 1);
    QCOMPARE(edits.last().at(0).toString(), profile.id);
    QCOMPARE(edits.last().at(1).value<PoolSettings>().poolSize, 30);
    QVERIFY(view.findChild<QLabel *>(u"budgetLabel"_s)->text().contains(u"more than"_s));
    QVERIFY(view.findChild<QPlainTextEdit *>(u"snippetTextEdit"_s)
                    ->toPlainText()
                    .contains(u"pool_size=30,"_s));

    auto *presets = view.findChild<QComboBox *>(u"presetComboBox"_s);
    presets->setCurrentIndex(presets->findData(u"high-traffic"_s));
    Q_EMIT presets->activated(presets->currentIndex());
    QCOMPARE(edits.last().at(1).value<PoolSettings>().poolSize, 20);
    QCOMPARE(edits.last().at(1).value<PoolSettings>().maxOverflow, 40);

    QTemporaryDir dir;
    // The exported picture says whose chart it is and when, on a title line above it.
    const QString title = view.exportTitle();
    QVERIFY2(title.contains(profile.name) && title.contains(u"development"_s, Qt::CaseInsensitive),
             qPrintable(title));
    QVERIFY(title.contains(QDate::currentDate().toString(u"yyyy-MM-dd"_s)));
    // Written on a pool thread; the page says where, and exported() tells the outcome.
    QSignalSpy exported(&view, &PoolMonitorView::exported);
    auto *exportLabel = view.findChild<QLabel *>(u"exportLabel"_s);
    view.exportPng(dir.filePath(u"chart.png"_s));
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    QVERIFY2(exportLabel->text().contains(dir.filePath(u"chart.png"_s)),
             qPrintable(exportLabel->text()));
    const QImage png(dir.filePath(u"chart.png"_s));
    const QSize chartSize = view.findChild<PoolChart *>()->size();
    QVERIFY(png.height() > chartSize.height() * png.devicePixelRatio());
    view.exportCsv(dir.filePath(u"samples.csv"_s));
    QTRY_COMPARE(exported.size(), 2);
    QCOMPARE(exported.at(1).at(1).toString(), QString());
    QFile csv(dir.filePath(u"samples.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readAll().split('\n').size() >= 4);

    // A folder that is not there: the reason, on the page.
    const QString nowhere = dir.filePath(u"missing/samples.csv"_s);
    view.exportCsv(nowhere);
    QTRY_COMPARE(exported.size(), 3);
    const QString error = exported.at(2).at(1).toString();
    QVERIFY(!error.isEmpty());
    QVERIFY2(exportLabel->text().contains(nowhere) && exportLabel->text().contains(error),
             qPrintable(exportLabel->text()));
}

// A tunnel command forwards the database's port only: the page does not dial PgBouncer through
// it, and says so where PgBouncer's pools would show.
void TestPoolChart::pgbouncerBehindATunnelCommandIsNotDialled()
{
    SecretStore secrets;
    PoolMonitorView view(&secrets);
    Profile profile = Profile::fromUrl(
            u"Kubernetes"_s, Environment::Staging,
            *ConnectionUrl::parse(u"postgresql://orderflow@db.internal:5432/orderflow"_s));
    profile.passwordSource = PasswordSource::SessionOnly;
    secrets.setSessionPassword(profile.id, u"dev_password"_s);
    // It exits at once: the database's samples fail, which is not what this is about.
    profile.route = *Route::tunnelCommand(u"sh -c \"exit 3\" {port}"_s, nullptr);
    profile.pgbouncer.enabled = true;
    QSignalSpy samples(&view, &PoolMonitorView::sampleShown);
    view.setProfile(profile, {profile});
    view.show();
    auto *status = view.findChild<QLabel *>(u"pgbouncerStatusLabel"_s);
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"tunnel command"_s), 5000);
    QVERIFY2(status->text().contains(u"db.internal:6432"_s), qPrintable(status->text()));
    QVERIFY(status->isVisible());
    QVERIFY(!view.findChild<QWidget *>(u"pgbouncerChart"_s)->isVisible());
    QVERIFY(samples.wait(10000));
    QCOMPARE(samples.last().first().value<ActivitySample>().category, u"tunnel_command_failed"_s);
    // Failing samples leave the line as it is.
    QVERIFY(status->text().contains(u"tunnel command"_s));
}

// The test PgBouncer pools by transaction and takes 50 clients: a psycopg 3 application with 8
// workers of 5 + 10 meets both limits, and the calculator says so, with the fixes.
void TestPoolChart::poolPageListsPgBouncersFindings()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    ORDERFLOW_REQUIRE(bouncerPort > 0, "no test PgBouncer: run through tests/scripts/run-tests.sh");
    SecretStore secrets;
    PoolMonitorView view(&secrets);
    view.resize(1000, 900);
    Profile profile = Profile::fromUrl(
            u"Pooled"_s, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql+psycopg://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    QCOMPARE(profile.driver, u"psycopg"_s);
    profile.passwordSource = PasswordSource::SessionOnly;
    secrets.setSessionPassword(profile.id, u"dev_password"_s);
    profile.pool.workers = 8;
    profile.pgbouncer.enabled = true;
    profile.pgbouncer.host = u"127.0.0.1"_s;
    profile.pgbouncer.port = bouncerPort;
    QSignalSpy checked(&view, &PoolMonitorView::poolerChecked);
    view.setProfile(profile, {profile});
    auto *findings = view.findChild<QLabel *>(u"poolerFindingsLabel"_s);
    QVERIFY(findings);
    QTest::qWait(100);
    QCOMPARE(checked.size(), 0); // selecting a profile opens no connection
    view.show();
    QVERIFY(checked.wait(10000));
    const auto report = checked.last().first().value<PoolerReport>();
    QVERIFY2(report.settings.read, qPrintable(report.settings.error));
    QCOMPARE(report.settings.poolMode, u"transaction"_s);
    QCOMPARE(report.settings.maxClientConn, 50);
    QVERIFY(findings->isVisible());
    QString text = findings->text();
    QVERIFY2(text.contains(u"prepare_threshold"_s), qPrintable(text));
    QVERIFY2(text.contains(u"120 client connections"_s), qPrintable(text));
    QVERIFY(!text.contains(u"dev_password"_s));

    // Fewer workers fit: the findings follow the edit without reading PgBouncer again.
    view.findChild<QSpinBox *>(u"workersSpinBox"_s)->setValue(2);
    text = findings->text();
    QVERIFY2(!text.contains(u"client connections"_s), qPrintable(text));
    QVERIFY(text.contains(u"prepare_threshold"_s));
    QCOMPARE(checked.size(), 1);
}

// The same findings, from the same rules, on the Security page once it is shown.
void TestPoolChart::securityPageAuditsPgBouncersSettings()
{
    ORDERFLOW_REQUIRE_POSTGRES(server);
    const int bouncerPort = qEnvironmentVariableIntValue("ORDERFLOW_TEST_BOUNCER_PORT");
    ORDERFLOW_REQUIRE(bouncerPort > 0, "no test PgBouncer: run through tests/scripts/run-tests.sh");
    SecretStore secrets;
    SecurityAuditView view(&secrets, nullptr);
    Profile profile = Profile::fromUrl(
            u"Pooled"_s, Environment::Development,
            *ConnectionUrl::parse(
                    u"postgresql+asyncpg://orderflow@127.0.0.1:%1/orderflow"_s.arg(server->port)));
    profile.passwordSource = PasswordSource::SessionOnly;
    secrets.setSessionPassword(profile.id, u"dev_password"_s);
    profile.pgbouncer.enabled = true;
    profile.pgbouncer.host = u"127.0.0.1"_s;
    profile.pgbouncer.port = bouncerPort;
    view.setProfile(profile);
    auto has = [&view](const QString &id) {
        const QList<AuditItem> items = view.items();
        return std::any_of(items.cbegin(), items.cend(),
                           [&id](const AuditItem &item) { return item.id == id; });
    };
    QVERIFY(!has(u"pooler-prepared-statements"_s)); // not read before the page is shown
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(has(u"pooler-prepared-statements"_s), 10000);
    auto *tree = view.findChild<QTreeWidget *>(u"auditTree"_s);
    QVERIFY(tree);
    const QList<QTreeWidgetItem *> rows
            = tree->findItems(u"asyncpg"_s, Qt::MatchContains | Qt::MatchRecursive, 0);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows.first()->text(1).contains(u"statement_cache_size"_s),
             qPrintable(rows.first()->text(1)));
    QCOMPARE(rows.first()->data(0, Qt::UserRole).toString(), u"fail"_s);
}

QTEST_MAIN(TestPoolChart)
#include "tst_poolchart.moc"
