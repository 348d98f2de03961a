#pragma once

#include "profiles/ProfileStore.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;
class ConnectionTestView;
class ProfileDetailsView;
class QTabWidget;
class SecretStore;
class ServerPanel;
class PoolMonitorView;

/// The main window: saved profiles grouped by environment on the left, the selected
/// profile on the right. On first run it offers the standard OrderFlow profiles.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const QString &configDirectory = ProfileStore::defaultDirectory(),
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Selects a profile by name (case-insensitive); shows a message when there is none.
    bool selectProfileByName(const QString &name);
    QString currentProfileId() const { return m_currentId; }

Q_SIGNALS:
    void profileSelected(const QString &profileId);

private:
    void buildUi();
    void reloadTree();
    void showProfile(const QString &profileId);
    void addTemplates();
    void showMessage(const QString &text, bool warning);
    void applyFilter(const QString &text);
    void saveEditedProfile(const Profile &profile);

    ProfileStore m_store;
    QString m_currentId;
    QLabel *m_messageLabel = nullptr;
    QLineEdit *m_filterLineEdit = nullptr;
    QTreeWidget *m_profileTree = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_emptyPage = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QPushButton *m_templatesButton = nullptr;
    ProfileDetailsView *m_detailsView = nullptr;
    QTabWidget *m_profileTabs = nullptr;
    ConnectionTestView *m_testView = nullptr;
    ServerPanel *m_serverPanel = nullptr;
    PoolMonitorView *m_poolView = nullptr;
    SecretStore *m_secrets = nullptr;
};
