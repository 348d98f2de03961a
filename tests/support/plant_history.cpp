// Writes a made-up history of one profile into history.sqlite, for the README's screenshots of
// the Pool page's long windows: DAYS days up to an hour ago (the last hour is the live
// samples'), a sample every 10 s, sessions following the working day, one busy stretch two
// days ago (17 minutes above 80 % of the usable slots) and four minutes without an answer four
// days ago. Retention then sums up what is older than a day into minutes, as the program does.
// MAX_CONNECTIONS: the server's, so that the history fits its capacity line.
//
//   plant_history CONFIG_DIR PROFILE_ID [DAYS [MAX_CONNECTIONS]]

#include "history/HistoryStore.h"
#include "pool/Clock.h"

#include <QCoreApplication>

#include <cmath>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: plant_history CONFIG_DIR PROFILE_ID [DAYS [MAX_CONNECTIONS]]\n");
        return 2;
    }
    const QString profileId = QString::fromLocal8Bit(argv[2]);
    const int days = argc > 3 ? std::atoi(argv[3]) : 7;
    const int maxConnections = argc > 4 ? std::atoi(argv[4]) : 100;
    constexpr int Reserved = 3;
    const int usable = maxConnections - Reserved;
    const SystemClock clock;
    HistoryStore store(HistoryStore::pathIn(QString::fromLocal8Bit(argv[1])), &clock);
    if (!store.open()) {
        std::fprintf(stderr, "plant_history: history.sqlite could not be opened\n");
        return 1;
    }
    const QDateTime now = clock.now();
    // Local times, so that the busy stretch falls in the afternoon wherever the shot is taken.
    const QDateTime busyFrom(now.toLocalTime().date().addDays(-2), QTime(14, 14));
    const QDateTime downFrom(now.toLocalTime().date().addDays(-4), QTime(3, 2));
    const qint64 to = now.toMSecsSinceEpoch() - 3600'000;
    QList<HistorySample> rows;
    for (qint64 t = to - qint64(days) * 24 * 3600 * 1000; t < to; t += 10'000) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(t).toLocalTime();
        HistorySample sample;
        sample.profileId = profileId;
        sample.msecs = t;
        sample.poolCapacity = 30;
        const qint64 sinceDown = downFrom.msecsTo(at);
        if (sinceDown >= 0 && sinceDown < 4 * 60'000) {
            sample.category = u"connection_refused"_s;
            rows << sample;
            continue;
        }
        sample.ok = true;
        // A working day: quiet at night, busiest in the early afternoon, a little noise.
        const double hour = at.time().msecsSinceStartOfDay() / 3600000.0;
        const double day = std::max(0.0, std::sin((hour - 7) / 12 * M_PI));
        const int noise = int((t / 10'000 * 7919) % 7);
        // Up to 60 % of the usable slots on a working day; 85 % to 98 % in the busy stretch.
        int sessions = usable / 10 + int(day * usable / 2) + noise;
        const qint64 sinceBusy = busyFrom.msecsTo(at);
        if (sinceBusy >= 0 && sinceBusy < 17 * 60'000)
            sessions = usable * 85 / 100 + int((sinceBusy / 60'000) % (usable * 13 / 100 + 1));
        const int active = sessions / 3;
        const int inTransaction = sessions / 10;
        sample.byState = {{u"active"_s, active},
                          {u"idle in transaction"_s, inTransaction},
                          {u"idle"_s, sessions - active - inTransaction}};
        sample.byApplication = {{u"orderflow-api"_s, sessions - 2}, {u"orderflow-worker"_s, 2}};
        sample.counts.inDatabase = sessions;
        sample.counts.toolSessions = 1;
        sample.counts.total = sessions + 3;
        sample.counts.maxConnections = maxConnections;
        sample.counts.superuserReserved = Reserved;
        rows << sample;
        if (rows.size() >= 10'000) {
            store.write(rows, {});
            rows.clear();
        }
    }
    store.write(rows, {});
    if (!store.prune())
        return 1;
    std::printf("plant_history: %d days for %s\n", days, qPrintable(profileId));
    return 0;
}
