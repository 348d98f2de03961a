#pragma once

#include <QString>

/// Another program's lock on an SQLite file that it never lets go of while this object lives:
/// a rollback journal and an exclusive lock, which keeps out readers too.
class HeldSqliteLock final
{
public:
    explicit HeldSqliteLock(const QString &path);
    ~HeldSqliteLock();
    HeldSqliteLock(const HeldSqliteLock &) = delete;
    HeldSqliteLock &operator=(const HeldSqliteLock &) = delete;

    /// False when the file could not be created and locked.
    bool isHeld() const { return m_held; }

private:
    QString m_connectionName;
    bool m_held = false;
};
