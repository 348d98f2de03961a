#include "connection/ConnectionUrl.h"
#include "metrics/MetricsExporter.h"
#include "metrics/MetricsHttpServer.h"
#include "metrics/MetricsText.h"
#include "metrics/ProfileMetrics.h"
#include "profiles/Profile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <tuple>

using namespace Qt::Literals::StringLiterals;

namespace {

// What Prometheus 2.42 sends with each scrape.
const QByteArray prometheusAccept
        = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
          "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

ActivitySample okSample()
{
    ActivitySample sample;
    sample.t = QDateTime::currentDateTimeUtc();
    sample.ok = true;
    sample.seconds = 0.004;
    sample.counts.database = u"orderflow"_s;
    sample.counts.inDatabase = 3;
    sample.counts.total = 5;
    sample.counts.maxConnections = 100;
    sample.counts.superuserReserved = 3;
    sample.byState = {{u"active"_s, 1}, {u"idle"_s, 2}};
    sample.byApplication = {{u"web"_s, 3}};
    return sample;
}

ProfileMetrics profileMetrics()
{
    ProfileMetrics metrics;
    metrics.profile = u"Staging EU"_s;
    metrics.environment = u"staging"_s;
    metrics.pool.workers = 4;
    return metrics;
}

// The lines of a page that hold samples of the family (not its HELP or TYPE).
QStringList samplesOf(const QByteArray &page, const QString &family)
{
    QStringList lines;
    for (const QString &line : QString::fromUtf8(page).split(u'\n')) {
        if (line.startsWith(family + u'{') || line.startsWith(family + u' '))
            lines << line;
    }
    return lines;
}

// Sends request to 127.0.0.1:port and returns everything the server wrote before it closed.
QByteArray exchange(quint16 port, const QByteArray &request,
                    const QHostAddress &address = QHostAddress::LocalHost)
{
    QTcpSocket socket;
    socket.connectToHost(address, port);
    socket.write(request);
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&socket, &answer]() { answer += socket.readAll(); });
    // A server that never closes shows as a missing or partial answer in the caller's checks.
    [[maybe_unused]] const bool closed = QTest::qWaitFor(
            [&socket]() { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000);
    return answer + socket.readAll();
}

QByteArray statusLine(const QByteArray &answer)
{
    return answer.left(answer.indexOf("\r\n"));
}

QByteArray header(const QByteArray &answer, const QByteArray &name)
{
    for (const QByteArray &line : answer.left(answer.indexOf("\r\n\r\n")).split('\n')) {
        if (line.startsWith(QByteArray(name + ':')))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

QByteArray body(const QByteArray &answer)
{
    return answer.mid(answer.indexOf("\r\n\r\n") + 4);
}

} // namespace

/// The text monitor --listen serves, and the small HTTP server that serves it.
class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void labelValuesEscapeBackslashQuoteAndLineFeed();
    void everyFamilyHasHelpAndTypeEvenWithoutSamples();
    void openMetricsEndsWithEofAndPrometheusTextDoesNot();
    void acceptHeaderChoosesTheFormat_data();
    void acceptHeaderChoosesTheFormat();
    void hostileApplicationNamesComeOutEscaped();
    void aFailedSampleSaysDownAndItsCategoryAndNoStaleCounts();
    void pgBouncerPoolsAreSummedPerDatabase();
    void noPasswordHostOrUrlReachesThePage();
    void getMetricsAnswersInTheNegotiatedFormat();
    void otherPathsAre404AndOtherMethods405();
    void malformedAndOversizedRequestsAreRefused();
    void aSilentClientDoesNotHoldUpOthers();
    void listensOnIpv6Loopback();
    void grafanaDashboardIsJsonAndAsksOnlyForServedMetrics();
};

void TestMetrics::labelValuesEscapeBackslashQuoteAndLineFeed()
{
    QCOMPARE(MetricsText::escapedLabelValue(u"a\\b\"c\nd"_s), u"a\\\\b\\\"c\\nd"_s);
    const QByteArray page = MetricsText::render({{u"m"_s, u"help"_s, {{{{u"l"_s, u"x\"y"_s}}, 2}}}},
                                                MetricsText::Format::Prometheus);
    QVERIFY2(page.contains("m{l=\"x\\\"y\"} 2\n"), page.constData());
}

void TestMetrics::everyFamilyHasHelpAndTypeEvenWithoutSamples()
{
    const QList<MetricFamily> families = ProfileMetrics::families({});
    QVERIFY(families.size() >= 11);
    const QByteArray page = MetricsText::render(families, MetricsText::Format::Prometheus);
    for (const char *name :
         {"orderflow_db_up", "orderflow_db_sessions", "orderflow_db_sessions_by_application",
          "orderflow_db_server_capacity", "orderflow_db_max_connections",
          "orderflow_db_pool_capacity", "orderflow_db_sample_seconds", "orderflow_db_last_failure",
          "orderflow_pgbouncer_clients", "orderflow_pgbouncer_servers",
          "orderflow_pgbouncer_max_wait_seconds"}) {
        QVERIFY2(page.contains(QByteArray("# HELP " + QByteArray(name) + ' ')), name);
        QVERIFY2(page.contains(QByteArray("# TYPE " + QByteArray(name) + " gauge\n")), name);
    }
}

void TestMetrics::openMetricsEndsWithEofAndPrometheusTextDoesNot()
{
    const QList<MetricFamily> families = ProfileMetrics::families({profileMetrics()});
    const QByteArray open = MetricsText::render(families, MetricsText::Format::OpenMetrics);
    QVERIFY(open.endsWith("\n# EOF\n"));
    QCOMPARE(open.count("# EOF"), 1);
    const QByteArray text = MetricsText::render(families, MetricsText::Format::Prometheus);
    QVERIFY(!text.contains("# EOF"));
    QVERIFY(text.endsWith('\n'));
    QCOMPARE(MetricsText::contentType(MetricsText::Format::OpenMetrics),
             "application/openmetrics-text; version=1.0.0; charset=utf-8");
    QCOMPARE(MetricsText::contentType(MetricsText::Format::Prometheus),
             "text/plain; version=0.0.4; charset=utf-8");
}

void TestMetrics::acceptHeaderChoosesTheFormat_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<bool>("openMetrics");
    QTest::newRow("Prometheus 2.42") << prometheusAccept << true;
    QTest::newRow("none") << QByteArray() << false;
    QTest::newRow("curl") << QByteArray("*/*") << false;
    QTest::newRow("text only") << QByteArray("text/plain;version=0.0.4") << false;
    QTest::newRow("OpenMetrics only") << QByteArray("application/openmetrics-text") << true;
    QTest::newRow("OpenMetrics weighed lower")
            << QByteArray("application/openmetrics-text;q=0.2, text/plain;q=0.9") << false;
    QTest::newRow("OpenMetrics refused")
            << QByteArray("application/openmetrics-text;q=0, */*") << false;
    QTest::newRow("upper case") << QByteArray("Application/OpenMetrics-Text") << true;
}

void TestMetrics::acceptHeaderChoosesTheFormat()
{
    QFETCH(QByteArray, accept);
    QFETCH(bool, openMetrics);
    QCOMPARE(MetricsText::negotiate(accept) == MetricsText::Format::OpenMetrics, openMetrics);
}

void TestMetrics::hostileApplicationNamesComeOutEscaped()
{
    ProfileMetrics metrics = profileMetrics();
    ActivitySample sample = okSample();
    const QString hostile = u"x\"} 1\norderflow_db_up{profile=\"evil\\"_s;
    sample.byApplication = {{hostile, 7}};
    metrics.record(sample);
    for (const auto format : {MetricsText::Format::Prometheus, MetricsText::Format::OpenMetrics}) {
        const QByteArray page = MetricsText::render(ProfileMetrics::families({metrics}), format);
        const QStringList lines = samplesOf(page, u"orderflow_db_sessions_by_application"_s);
        QCOMPARE(lines,
                 QStringList{u"orderflow_db_sessions_by_application{profile=\"Staging EU\","
                             "environment=\"staging\",application=\"x\\\"} "
                             "1\\norderflow_db_up{profile=\\\"evil\\\\\"} 7"_s});
        // The injected line did not become a sample of its own.
        QCOMPARE(samplesOf(page, u"orderflow_db_up"_s).size(), 1);
    }
}

void TestMetrics::aFailedSampleSaysDownAndItsCategoryAndNoStaleCounts()
{
    ProfileMetrics metrics = profileMetrics();
    metrics.record(okSample());
    QByteArray page = MetricsText::render(ProfileMetrics::families({metrics}),
                                          MetricsText::Format::Prometheus);
    QCOMPARE(samplesOf(page, u"orderflow_db_up"_s),
             QStringList{u"orderflow_db_up{profile=\"Staging EU\",environment=\"staging\"} 1"_s});
    QVERIFY(samplesOf(page, u"orderflow_db_sessions"_s)
                    .contains(
                            u"orderflow_db_sessions{profile=\"Staging EU\",environment=\"staging\","
                            "database=\"orderflow\",state=\"idle\"} 2"_s));
    QCOMPARE(samplesOf(page, u"orderflow_db_server_capacity"_s).value(0).section(u' ', -1),
             u"97"_s);
    QCOMPARE(samplesOf(page, u"orderflow_db_max_connections"_s).value(0).section(u' ', -1),
             u"100"_s);
    // workers x (pool_size + max_overflow) = 4 x (5 + 10)
    QCOMPARE(samplesOf(page, u"orderflow_db_pool_capacity"_s).value(0).section(u' ', -1), u"60"_s);
    QCOMPARE(samplesOf(page, u"orderflow_db_sample_seconds"_s).value(0).section(u' ', -1),
             u"0.004"_s);
    QVERIFY(samplesOf(page, u"orderflow_db_last_failure"_s).isEmpty());

    ActivitySample failed;
    failed.t = QDateTime::fromSecsSinceEpoch(1700000000);
    failed.category = u"connection_refused"_s;
    metrics.record(failed);
    page = MetricsText::render(ProfileMetrics::families({metrics}),
                               MetricsText::Format::Prometheus);
    QCOMPARE(samplesOf(page, u"orderflow_db_up"_s).value(0).section(u' ', -1), u"0"_s);
    QCOMPARE(
            samplesOf(page, u"orderflow_db_last_failure"_s),
            QStringList{u"orderflow_db_last_failure{profile=\"Staging EU\",environment=\"staging\","
                        "category=\"connection_refused\"} 1700000000"_s});
    QVERIFY(samplesOf(page, u"orderflow_db_sessions"_s).isEmpty());
    QVERIFY(samplesOf(page, u"orderflow_db_server_capacity"_s).isEmpty());
    QCOMPARE(samplesOf(page, u"orderflow_db_pool_capacity"_s).size(), 1);
}

void TestMetrics::pgBouncerPoolsAreSummedPerDatabase()
{
    ProfileMetrics metrics = profileMetrics();
    ActivitySample sample = okSample();
    PgBouncerSample bouncer;
    bouncer.ok = true;
    // Two users' pools of one database: clients active and waiting, servers active and idle,
    // the longest wait.
    for (const auto &[user, active, waiting, serversActive, serversIdle, maxWait] :
         {std::tuple{u"a"_s, 1, 2, 1, 0, 1.5}, std::tuple{u"b"_s, 0, 3, 0, 1, 0.25}}) {
        PgBouncerPool pool;
        pool.database = u"orderflow"_s;
        pool.user = user;
        pool.clientsActive = active;
        pool.clientsWaiting = waiting;
        pool.serversActive = serversActive;
        pool.serversIdle = serversIdle;
        pool.maxWaitSeconds = maxWait;
        bouncer.pools << pool;
    }
    sample.pgbouncer = bouncer;
    metrics.record(sample);
    const QByteArray page = MetricsText::render(ProfileMetrics::families({metrics}),
                                                MetricsText::Format::Prometheus);
    const QString labels
            = u"profile=\"Staging EU\",environment=\"staging\",database=\"orderflow\""_s;
    QVERIFY(samplesOf(page, u"orderflow_pgbouncer_clients"_s)
                    .contains(u"orderflow_pgbouncer_clients{"_s + labels
                              + u",state=\"waiting\"} 5"_s));
    QVERIFY(samplesOf(page, u"orderflow_pgbouncer_servers"_s)
                    .contains(u"orderflow_pgbouncer_servers{"_s + labels
                              + u",state=\"idle\"} 1"_s));
    QCOMPARE(samplesOf(page, u"orderflow_pgbouncer_max_wait_seconds"_s),
             QStringList{u"orderflow_pgbouncer_max_wait_seconds{"_s + labels + u"} 1.5"_s});
}

void TestMetrics::noPasswordHostOrUrlReachesThePage()
{
    QString error;
    const auto url = ConnectionUrl::parseValid(
            u"postgresql://orderflow:s3cretPW@db-7.internal.example:6543/orderflow"_s, &error);
    QVERIFY2(url, qPrintable(error));
    const Profile profile = Profile::fromUrl(u"Prod"_s, Environment::Production, *url);
    MetricsExporter exporter(nullptr);
    exporter.addProfile(profile, u"s3cretPW"_s, 1000);
    const QByteArray page = exporter.page(MetricsText::Format::OpenMetrics);
    QVERIFY(page.contains(
            "orderflow_db_pool_capacity{profile=\"Prod\",environment=\"production\"}"));
    for (const char *secret : {"s3cretPW", "db-7", "6543", "postgresql://"})
        QVERIFY2(!page.contains(secret), secret);
}

void TestMetrics::getMetricsAnswersInTheNegotiatedFormat()
{
    MetricsHttpServer server([](MetricsText::Format format) {
        return MetricsText::render(ProfileMetrics::families({profileMetrics()}), format);
    });
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    QVERIFY(server.port() > 0);

    QByteArray answer = exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(statusLine(answer), "HTTP/1.1 200 OK");
    QCOMPARE(header(answer, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    QCOMPARE(header(answer, "Content-Length").toInt(), body(answer).size());
    QVERIFY(body(answer).contains("# TYPE orderflow_db_up gauge\n"));
    QVERIFY(!body(answer).contains("# EOF"));

    answer = exchange(server.port(),
                      "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\naccept: " + prometheusAccept
                              + "\r\n\r\n");
    QCOMPARE(statusLine(answer), "HTTP/1.1 200 OK");
    QCOMPARE(header(answer, "Content-Type"),
             "application/openmetrics-text; version=1.0.0; charset=utf-8");
    QVERIFY(body(answer).endsWith("# EOF\n"));
}

void TestMetrics::otherPathsAre404AndOtherMethods405()
{
    MetricsHttpServer server([](MetricsText::Format) { return QByteArray("page\n"); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(statusLine(exchange(server.port(), "GET / HTTP/1.1\r\n\r\n")),
             "HTTP/1.1 404 Not Found");
    QCOMPARE(statusLine(exchange(server.port(), "GET /metrics/x HTTP/1.0\r\n\r\n")),
             "HTTP/1.1 404 Not Found");
    for (const QByteArray method : {"POST", "HEAD", "PUT", "DELETE"}) {
        const QByteArray answer = exchange(
                server.port(), method + " /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(statusLine(answer), "HTTP/1.1 405 Method Not Allowed");
        QCOMPARE(header(answer, "Allow"), "GET");
        QVERIFY(!answer.contains("page"));
    }
}

void TestMetrics::malformedAndOversizedRequestsAreRefused()
{
    int pages = 0;
    MetricsHttpServer server([&pages](MetricsText::Format) {
        ++pages;
        return QByteArray("page\n");
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(statusLine(exchange(server.port(), "GET /metrics\r\n\r\n")),
             "HTTP/1.1 400 Bad Request");
    QCOMPARE(statusLine(exchange(server.port(), "\x16\x03\x01\x02\x01\r\n\r\n")),
             "HTTP/1.1 400 Bad Request");
    const QByteArray huge = "GET /metrics HTTP/1.1\r\nX-Filler: "
            + QByteArray(MetricsHttpServer::maxRequestBytes, 'a') + "\r\n\r\n";
    QCOMPARE(statusLine(exchange(server.port(), huge)),
             "HTTP/1.1 431 Request Header Fields Too Large");
    QCOMPARE(pages, 0);
    // The server still answers afterwards.
    QCOMPARE(statusLine(exchange(server.port(), "GET /metrics HTTP/1.1\r\n\r\n")),
             "HTTP/1.1 200 OK");
    QCOMPARE(pages, 1);
}

void TestMetrics::aSilentClientDoesNotHoldUpOthers()
{
    MetricsHttpServer server([](MetricsText::Format) { return QByteArray("page\n"); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, server.port());
    QTcpSocket half;
    half.connectToHost(QHostAddress::LocalHost, server.port());
    half.write("GET /metr");
    QTRY_VERIFY(half.state() == QAbstractSocket::ConnectedState
                && silent.state() == QAbstractSocket::ConnectedState);
    QCOMPARE(statusLine(exchange(server.port(), "GET /metrics HTTP/1.1\r\n\r\n")),
             "HTTP/1.1 200 OK");
    QCOMPARE(half.state(), QAbstractSocket::ConnectedState);
}

void TestMetrics::listensOnIpv6Loopback()
{
    MetricsHttpServer server([](MetricsText::Format) { return QByteArray("page\n"); });
    if (!server.listen(QHostAddress::LocalHostIPv6, 0))
        QSKIP(qPrintable(u"no IPv6 loopback on this machine (a platform feature): "_s
                         + server.errorString()));
    QCOMPARE(statusLine(exchange(server.port(), "GET /metrics HTTP/1.1\r\n\r\n",
                                 QHostAddress::LocalHostIPv6)),
             "HTTP/1.1 200 OK");
    // Bound to ::1 only: the IPv4 loopback is not served.
    QTcpSocket v4;
    v4.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_VERIFY(v4.state() == QAbstractSocket::UnconnectedState);
    QCOMPARE(v4.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestMetrics::grafanaDashboardIsJsonAndAsksOnlyForServedMetrics()
{
    QFile file(QStringLiteral(ORDERFLOW_SOURCE_DIR)
               + u"/packaging/grafana/orderflow-dbadmin-dashboard.json"_s);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QSet<QString> served;
    for (const MetricFamily &family : ProfileMetrics::families({}))
        served << family.name;
    const QRegularExpression metricName(u"\\borderflow_[a-z_]+\\b"_s);
    // Each panel's metrics, to find the Pool page's two charts among them.
    QList<QSet<QString>> panels;
    const QJsonArray panelArray = document.object().value(u"panels"_s).toArray();
    QVERIFY(!panelArray.isEmpty());
    for (const auto &panel : panelArray) {
        QSet<QString> used;
        const QJsonArray targets = panel.toObject().value(u"targets"_s).toArray();
        QVERIFY2(!targets.isEmpty(), qPrintable(panel.toObject().value(u"title"_s).toString()));
        for (const auto &target : targets) {
            const QString expression = target.toObject().value(u"expr"_s).toString();
            QVERIFY(!expression.isEmpty());
            auto matches = metricName.globalMatch(expression);
            QVERIFY2(matches.hasNext(), qPrintable(expression));
            while (matches.hasNext()) {
                const QString name = matches.next().captured();
                QVERIFY2(served.contains(name), qPrintable(name + u" in "_s + expression));
                used << name;
            }
        }
        panels << used;
    }
    const auto hasPanelWith = [&panels](const QSet<QString> &names) {
        return std::any_of(panels.cbegin(), panels.cend(),
                           [&names](const QSet<QString> &used) { return used.contains(names); });
    };
    QVERIFY(hasPanelWith({u"orderflow_db_sessions"_s, u"orderflow_db_server_capacity"_s,
                          u"orderflow_db_pool_capacity"_s}));
    QVERIFY(hasPanelWith({u"orderflow_pgbouncer_clients"_s}));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
