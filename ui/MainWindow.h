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
class QTimer;
class RecentTests;
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
    void changeEvent(QEvent *event) override;

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
    /// A finished test of the current profile: recorded in the history and shown.
    void rememberTest(const AttemptResult &result, const CheckVerdict &verdict);
    /// The profile's last test, on the status light (when it is the current profile) and
    /// beside its name in the sidebar.
    void showTestStatus(const QString &profileId);
    /// The last test beside the profile's name in the sidebar.
    void showListStatus(const QString &profileId);
    void exportProfile();
    /// After a save: the editor shows what was saved, then whatever waited for the save runs.
    void showSaved(const Profile &saved);
    void saveEdits(const Profile &baseline, const Profile &edited,
                   const std::optional<QString> &password, bool overwrite);
    void savePoolSettings(const QString &profileId, const PoolSettings &pool,
                          const PgBouncerTarget &pgbouncer);
    void checkFingerprint(const QString &profileId, const ServerSnapshot &snapshot);
    void showMessage(const QString &text, bool warning);
    void styleMessage();
    /// The frame around production and staging profiles' pages, in the palette's colour.
    void styleFrame(const Profile &profile);
    /// Picks the window's colours again after the application's palette changed.
    void followTheScheme();
    /// The writer to history.sqlite, started on first use.
    HistoryWriter *history();
    /// The one reader of history.sqlite for the pages and the recent tests.
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
    /// The last tests of each profile, from history.sqlite and this window: the light, the list
    /// and the Test page all show its answer.
    RecentTests *m_recentTests = nullptr;
    /// Set when a test reached a cluster other than the one this profile, or another,
    /// remembered: the light then fails and the banner says why whenever the profile is shown,
    /// until the profile's next test in this window.
    QHash<QString, QString> m_clusterWarnings;
    /// The whole attempt of the last test this window ran (the history keeps its outcome only),
    /// so that the Server page's refreshes can check its requirements again.
    QString m_lastAttemptProfileId;
    AttemptResult m_lastAttempt;
    /// Keeps "3 min ago" in the list true.
    QTimer *m_statusClock = nullptr;
    /// Remembers the Pool page's samples and each finished test in history.sqlite.
    QString m_configDirectory;
    HistoryWriter *m_history = nullptr;
    HistoryReader *m_historyReader = nullptr;
    QLabel *m_messageLabel = nullptr;
    bool m_messageIsWarning = false;
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
