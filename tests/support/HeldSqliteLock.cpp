#include "HeldSqliteLock.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

HeldSqliteLock::HeldSqliteLock(const QString &path)
{
    static std::atomic<int> counter = 0;
    m_connectionName = u"held-lock-%1"_s.arg(++counter);
    QSqlDatabase holder = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    holder.setDatabaseName(path);
    if (!holder.open())
        return;
    QSqlQuery query(holder);
    m_held = query.exec(u"PRAGMA locking_mode=EXCLUSIVE"_s) && query.exec(u"CREATE TABLE x (y)"_s)
            && query.exec(u"BEGIN EXCLUSIVE"_s) && query.exec(u"INSERT INTO x VALUES (1)"_s);
}

HeldSqliteLock::~HeldSqliteLock()
{
    {
        QSqlDatabase holder = QSqlDatabase::database(m_connectionName, false);
        if (holder.isOpen()) {
            QSqlQuery(holder).exec(u"ROLLBACK"_s);
            holder.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}
