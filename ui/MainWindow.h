#pragma once

#include "connection/AttemptResult.h"
#include "profiles/ProfileStore.h"

#include <QMainWindow>

class ConnectionTestView;
class PoolMonitorView;
class ProfileEditor;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;
class SecretStore;
class SecurityAuditView;
class ServerPanel;

/// The main window: saved profiles grouped by environment on the left; on the right the
/// selected profile's bar (environment badge, redacted URL, status light) and its pages:
/// the editor, the connection test, the server panels and the pool monitor. Production
/// profiles are framed in red everywhere. On first run it offers the standard profiles.
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
    /// A profile was saved, added, duplicated or deleted (after the store was written).
    void profilesChanged();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void reloadTree();
    /// Switches to a profile; false when the user kept unsaved edits instead.
    bool showProfile(const QString &profileId);
    bool confirmLeavingEdits();
    void addTemplates();
    void addProfile();
    void duplicateProfile();
    void deleteProfile();
    void importFile();
    void saveProfile(const Profile &profile, const std::optional<QString> &password);
    void saveEditedProfile(const Profile &profile);
    void checkFingerprint(const QString &profileId, const ServerSnapshot &snapshot);
    void showMessage(const QString &text, bool warning);
    void applyFilter(const QString &text);
    void updateHeader(const Profile &profile);
    void setStatusLight(const QString &state, const QString &tooltip);
    void selectVisibleProfile(int index);
    QString uniqueName(const QString &base) const;

    ProfileStore m_store;
    QSettings *m_settings = nullptr;
    SecretStore *m_secrets = nullptr;
    QString m_currentId;
    bool m_switching = false;
    QStringList m_fingerprintWarned;
    QLabel *m_messageLabel = nullptr;
    QLineEdit *m_filterLineEdit = nullptr;
    QTreeWidget *m_profileTree = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_emptyPage = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QPushButton *m_templatesButton = nullptr;
    QFrame *m_profileFrame = nullptr;
    QLabel *m_environmentLabel = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLabel *m_urlLabel = nullptr;
    QLabel *m_statusLightLabel = nullptr;
    QTabWidget *m_profileTabs = nullptr;
    ProfileEditor *m_editor = nullptr;
    ConnectionTestView *m_testView = nullptr;
    ServerPanel *m_serverPanel = nullptr;
    PoolMonitorView *m_poolView = nullptr;
    SecurityAuditView *m_auditView = nullptr;
};
