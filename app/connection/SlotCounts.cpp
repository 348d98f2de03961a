#include "SlotCounts.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SlotCounts)
};

const QString toolName = u"orderflow-dbadmin"_s;

} // namespace

QString SlotCounts::summary() const
{
    return Text::tr("%1 of %2 usable slots in use: %3 in database %4, %5 in other databases, %6 "
                    "of this tool's own (not counted in %4). %7 free.")
            .arg(total)
            .arg(usable())
            .arg(inDatabase)
            .arg(database)
            .arg(otherDatabases())
            .arg(toolSessions)
            .arg(available());
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
    return toolName;
}

QString SlotCounts::monitorSessionName()
{
    return toolName + u" monitor"_s;
}

bool SlotCounts::isToolSession(const QString &applicationName)
{
    return applicationName == serverSessionName() || applicationName == monitorSessionName();
}

QByteArray SlotCounts::isToolSessionSql(const QByteArray &applicationName)
{
    return "(" + applicationName + " IN ('" + serverSessionName().toUtf8() + "', '"
            + monitorSessionName().toUtf8() + "'))";
}
