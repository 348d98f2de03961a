#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

/// How the server's connection slots are taken, counted one way for the Server page, the Pool
/// page, check and monitor, so that they agree at the same moment. The tool's own sessions
/// (its Server page, its monitors, on any machine) hold slots like any other but are not the
/// application's: they count in the total and apart from the database's sessions.
struct SlotCounts
{
    QString database;
    /// Client sessions in the database, the tool's own left out.
    int inDatabase = 0;
    /// The tool's own sessions on the whole server.
    int toolSessions = 0;
    /// Every client session on the server, the tool's own included.
    int total = 0;
    int maxConnections = 0;
    int superuserReserved = 0;
    /// reserved_connections (PostgreSQL 16+), 0 before.
    int reserved = 0;

    /// Sessions of other databases, not the tool's.
    int otherDatabases() const { return total - inDatabase - toolSessions; }
    /// Slots ordinary roles may use: max_connections minus both reserves.
    int usable() const { return maxConnections - superuserReserved - reserved; }
    int available() const { return usable() - total; }
    /// The usable slots still free, from 0 to 1 (0 when reserved slots are in use too).
    double freeShare() const { return usable() > 0 ? qMax(0, available()) / double(usable()) : 0; }

    /// One sentence that says what each number counts, for the Server and Pool pages.
    QString summary() const;
    /// The count members of the `connections` object of check --json and monitor --json.
    QJsonObject toJson() const;
    /// Reads those members back (the sampler's statement writes them too).
    static SlotCounts fromJson(const QJsonObject &object);

    /// The application_name the tool gives each session it keeps open: the Server page's and
    /// the monitor's, whatever the profile's URL says, since it is how the counts tell these
    /// sessions from the application's. A connection test (Test page, check) keeps the
    /// profile's name, if any: it shows what the profile's settings give; its own session is
    /// told apart by its pid.
    static QString serverSessionName();
    static QString monitorSessionName();
    /// Whether a session of this application_name is one of the tool's own.
    static bool isToolSession(const QString &applicationName);
    /// The same test in SQL, on a column or expression holding the application_name.
    static QByteArray isToolSessionSql(const QByteArray &applicationName);
    /// Which rows of pg_stat_activity (or of the function behind it) hold a client's slot, in
    /// SQL on their backend_type and datid columns.
    static QByteArray holdsClientSlotSql();
};
