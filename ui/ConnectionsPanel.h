#pragma once

#include "connection/ServerSnapshot.h"
#include "profiles/Profile.h"

#include <QWidget>

class CapacityBar;
class QComboBox;
class QLabel;
class QTableWidget;

/// Connections for the profile's database or the whole server, by state, application,
/// client address and user; the server's capacity and the headroom left for ordinary roles;
/// warnings for low headroom, long idle transactions and sessions idle past pool_recycle.
class ConnectionsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsPanel)

public:
    explicit ConnectionsPanel(QWidget *parent = nullptr);

    /// Idle-in-transaction sessions older than this are flagged (seconds).
    void setIdleInTransactionThreshold(int seconds) { m_idleThreshold = seconds; }
    void setData(const Profile &profile, const ServerSnapshot &snapshot);
    /// The warnings now shown, one per line (for tests and the report).
    QStringList warnings() const { return m_warnings; }

private:
    void fillTables();

    CapacityBar *m_bar = nullptr;
    QLabel *m_capacityLabel = nullptr;
    QLabel *m_warningsLabel = nullptr;
    QLabel *m_migrationsLabel = nullptr;
    QComboBox *m_scopeComboBox = nullptr;
    QLabel *m_toolSessionsLabel = nullptr;
    QTableWidget *m_stateTable = nullptr;
    QTableWidget *m_applicationTable = nullptr;
    QTableWidget *m_clientTable = nullptr;
    QTableWidget *m_userTable = nullptr;
    int m_idleThreshold = 60;
    std::optional<ServerSnapshot> m_snapshot;
    QStringList m_warnings;
};
