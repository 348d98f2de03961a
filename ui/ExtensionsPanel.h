#pragma once

#include "connection/ServerSnapshot.h"
#include "profiles/Profile.h"

#include <QStringList>
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
    /// One "Create NAME..." button under the table for each extension it names.
    void showCreateButtons(const QStringList &names);

    QTableWidget *m_requiredTable = nullptr;
    QTableWidget *m_otherTable = nullptr;
    QWidget *m_createButtons = nullptr;
    /// The extensions that m_createButtons offers to create, in order.
    QStringList m_createNames;
    QLabel *m_hintsLabel = nullptr;
};
