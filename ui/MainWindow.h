#pragma once

#include "connection/AttemptResult.h"
#include "profiles/CheckVerdict.h"
#include "profiles/ProfileRepository.h"

#include <functional>
#include <memory>
#include <optional>

#include <QDateTime>
#include <QHash>
#include <QMainWindow>
#include <QPointer>

class FramedPage;
class HistoryReader;
class HistoryWriter;
class MainMenus;
class ProfileActions;
class ProfileBar;
class ProfileListController;
class ProfileListView;
class ProfilePages;
class QLabel;
class QMessageBox;
class QPushButton;
class QStackedWidget;
class SecretStore;
class WindowSettings;

/// The main window: saved profiles grouped by environment on the left; on the right the
/// selected profile's bar (environment badge, redacted URL, status light) and its pages:
/// the editor, the connection test, the server panels and the pool monitor. Production
/// profiles are framed in red everywhere. On first run it offers the standard profiles.
/// It owns the selection and wires the list, the bar and the pages to the profiles' owner.
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
    void buildMenus();
    void reloadTree();
    void onLoaded();
    void onProfileChanged(const QString &profileId);
    void onProfileRemoved(const QString &profileId);
    void showFirstProfile();
    /// Switches to a profile; false when it does not (yet) happen: unsaved edits kept, or
    /// being saved first.
    bool showProfile(const QString &profileId);
    void showInViews(const Profile &profile);
    /// True when the editor has no unsaved edits: go ahead. Otherwise false, and the user is
    /// asked: after Discard proceed runs at once; after Save, once the save succeeded.
    bool confirmLeavingEdits(std::function<void()> proceed);
    void copyUrl(bool withPassword);
    /// A finished test (or its checks run again on a refreshed snapshot) of the current
    /// profile, kept for the session and shown.
    void rememberTest(const AttemptResult &result, const CheckVerdict &verdict);
    /// The profile's last test this session, on the status light (when it is the current
    /// profile) and beside its name in the sidebar.
    void showTestStatus(const QString &profileId);
    void exportProfile();
    /// After a save: the editor shows what was saved, then whatever waited for the save runs.
    void showSaved(const Profile &saved);
    void saveEdits(const Profile &baseline, const Profile &edited,
                   const std::optional<QString> &password, bool overwrite);
    void savePoolSettings(const QString &profileId, const PoolSettings &pool,
                          const PgBouncerTarget &pgbouncer);
    void checkFingerprint(const QString &profileId, const ServerSnapshot &snapshot);
    void showMessage(const QString &text, bool warning);
    /// The writer to history.sqlite, started on first use.
    HistoryWriter *history();
    /// The reader of history.sqlite for the pages, started on first use.
    HistoryReader *historyReader();
    void updateHeader(const Profile &profile);

    ProfileRepository *m_repository = nullptr;
    std::unique_ptr<WindowSettings> m_settings;
    SecretStore *m_secrets = nullptr;
    ProfileActions *m_actions = nullptr;
    ProfileListController *m_listController = nullptr;
    QString m_currentId;
    /// A --profile NAME asked for before the profiles were loaded.
    QString m_pendingProfileName;
    std::function<void()> m_afterSave;
    QPointer<QMessageBox> m_leaveEditsBox;
    QStringList m_fingerprintWarned;
    /// Each profile's last finished test in this session, by profile id: switching away and
    /// back keeps it, and the sidebar shows it.
    struct SessionTest
    {
        AttemptResult result;
        CheckVerdict verdict;
        QDateTime finishedAt;
        /// The URL tested: an edit that points the profile elsewhere makes it untested.
        QString target;
        /// Set when the server is not the cluster this profile, or another, remembered: the
        /// light then fails and the banner says why whenever the profile is shown.
        QString clusterWarning;
    };
    QHash<QString, SessionTest> m_sessionTests;
    /// Remembers the Pool page's samples and each finished test in history.sqlite.
    QString m_configDirectory;
    HistoryWriter *m_history = nullptr;
    HistoryReader *m_historyReader = nullptr;
    QLabel *m_messageLabel = nullptr;
    ProfileListView *m_list = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_emptyPage = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QPushButton *m_templatesButton = nullptr;
    FramedPage *m_profilePage = nullptr;
    ProfileBar *m_bar = nullptr;
    ProfilePages *m_pages = nullptr;
    MainMenus *m_menus = nullptr;
};
