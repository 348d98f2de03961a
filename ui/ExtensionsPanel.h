#pragma once

#include "connection/ServerSnapshot.h"
#include "profiles/Profile.h"

#include <QWidget>

class QLabel;
class QTableWidget;

/// The profile's required extensions in this database (installed, available but not created,
/// missing from the server; updates), how to get the missing ones, a Create action for the
/// available ones, and every other installed extension, like psql's \dx.
class ExtensionsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExtensionsPanel)

public:
    explicit ExtensionsPanel(QWidget *parent = nullptr);

    void setData(const Profile &profile, const ServerSnapshot &snapshot);

Q_SIGNALS:
    void createRequested(const QString &extension);

private:
    QTableWidget *m_requiredTable = nullptr;
    QTableWidget *m_otherTable = nullptr;
    QWidget *m_createButtons = nullptr;
    QLabel *m_hintsLabel = nullptr;
};
