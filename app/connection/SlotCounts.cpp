#include "SlotCounts.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SlotCounts)
};

// PgBouncer's application_name_add_host appends " - ADDRESS:PORT" to a client's name.
QString pgbouncerSuffix()
{
    return u" - "_s;
}

} // namespace

QString SlotCounts::summary() const
{
    // One arg() call: the database's name is the server's text and may hold "%1". Isolated, so
    // that right-to-left text in it cannot reorder the numbers around it.
    return Text::tr("%1 of %2 usable slots in use: %3 in database %4, %5 in other databases, %6 "
                    "of this tool's own (not counted in %4). %7 free (%8%).")
            .arg(QString::number(total), QString::number(usable()), QString::number(inDatabase),
                 u"\u2068"_s + database + u"\u2069"_s, QString::number(otherDatabases()),
                 QString::number(toolSessions), QString::number(qMax(0, available())),
                 QString::number(qRound(100 * freeShare())));
}

QJsonObject SlotCounts::toJson() const
{
    return QJsonObject{
            {u"database"_s, database},
            {u"in_database"_s, inDatabase},
            {u"tool_sessions"_s, toolSessions},
            {u"total"_s, total},
            {u"max_connections"_s, maxConnections},
            {u"superuser_reserved"_s, superuserReserved},
            {u"reserved"_s, reserved},
            {u"available"_s, available()},
    };
}

SlotCounts SlotCounts::fromJson(const QJsonObject &object)
{
    return SlotCounts{.database = object.value(u"database"_s).toString(),
                      .inDatabase = object.value(u"in_database"_s).toInt(),
                      .toolSessions = object.value(u"tool_sessions"_s).toInt(),
                      .total = object.value(u"total"_s).toInt(),
                      .maxConnections = object.value(u"max_connections"_s).toInt(),
                      .superuserReserved = object.value(u"superuser_reserved"_s).toInt(),
                      .reserved = object.value(u"reserved"_s).toInt()};
}

QString SlotCounts::serverSessionName()
{
    return u"orderflow-dbadmin"_s;
}

QString SlotCounts::monitorSessionName()
{
    return u"orderflow-dbadmin monitor"_s;
}

bool SlotCounts::isToolSession(const QString &applicationName)
{
    for (const QString &name : {serverSessionName(), monitorSessionName()}) {
        if (applicationName == name || applicationName.startsWith(name + pgbouncerSuffix()))
            return true;
    }
    return false;
}

QByteArray SlotCounts::holdsClientSlotSql()
{
    // Without pg_read_all_stats another role's session shows no backend_type, only its
    // database: it holds a slot all the same.
    return "(backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL))";
}

QByteArray SlotCounts::isToolSessionSql(const QByteArray &applicationName)
{
    // The names are the constants above, without quotes or LIKE wildcards in them.
    QByteArrayList tests;
    for (const QString &name : {serverSessionName(), monitorSessionName()}) {
        const QByteArray literal = name.toUtf8();
        tests << applicationName + " = '" + literal + "'"
              << applicationName + " LIKE '" + literal + pgbouncerSuffix().toUtf8() + "%'";
    }
    return "(" + tests.join(" OR ") + ")";
}
