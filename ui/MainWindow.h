#pragma once

#include "connection/AttemptResult.h"
#include "profiles/ProfileRepository.h"

#include <functional>
#include <optional>

#include <QMainWindow>

class ConnectionTestView;
class PoolMonitorView;
class ProfileActions;
struct ProfileActionResult;
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
    /// Before the profiles are loaded, the name is remembered and selected once they are.
    bool selectProfileByName(const QString &name);
    QString currentProfileId() const { return m_currentId; }
    /// The owner of the profiles this window shows.
    ProfileRepository *repository() const { return m_repository; }
    /// Imports a .env, pg_service.conf or .pgpass file (what Import... does after its dialog).
    void importFrom(const QString &path);

Q_SIGNALS:
    void profileSelected(const QString &profileId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void reloadTree();
    void onLoaded();
    void onProfileChanged(const QString &profileId);
    void onProfileRemoved(const QString &profileId);
    void showFirstProfile();
    /// Switches to a profile; false when it does not (yet) happen: unsaved edits kept, or
    /// being saved first.
    bool showProfile(const QString &profileId);
    void showInViews(const Profile &profile);
    /// True when the editor has no unsaved edits or the user discarded them. When the user
    /// chose Save, the save starts, false is returned, and afterSave runs once it succeeded.
    bool confirmLeavingEdits(std::function<void()> afterSave);
    void addTemplates();
    void addProfile();
    void duplicateProfile();
    void deleteProfile();
    void importFile();
    void saveEdits(const Profile &baseline, const Profile &edited,
                   const std::optional<QString> &password, bool overwrite);
    void savePoolSettings(const QString &profileId, const PoolSettings &pool,
                          const PgBouncerTarget &pgbouncer);
    void checkFingerprint(const QString &profileId, const ServerSnapshot &snapshot);
    /// Shows a failed use case's errors (true), or a successful one's warnings (false).
    bool reportFailure(const ProfileActionResult &result, const QString &what);
    void showMessage(const QString &text, bool warning);
    void applyFilter(const QString &text);
    void updateHeader(const Profile &profile);
    void setStatusLight(const QString &state, const QString &tooltip);
    void selectVisibleProfile(int index);

    ProfileRepository *m_repository = nullptr;
    QSettings *m_settings = nullptr;
    SecretStore *m_secrets = nullptr;
    ProfileActions *m_actions = nullptr;
    QString m_currentId;
    /// A --profile NAME asked for before the profiles were loaded.
    QString m_pendingProfileName;
    std::function<void()> m_afterSave;
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
