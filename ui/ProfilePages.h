#pragma once

#include "connection/AttemptResult.h"
#include "pool/ActivitySample.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"

#include <functional>
#include <optional>
#include <utility>

#include <QTabWidget>

class ConnectionTestView;
class HistoryReader;
class PoolMonitorView;
class ProfileEditor;
class ProfileRepository;
class RecentTests;
class SecretStore;
class SecurityAuditView;
class ServerPanel;
struct ServerSnapshot;

/// The selected profile's pages in tabs: the editor, the connection test, the server panels,
/// the pool monitor and the security audit. Each page is made the first time its tab is shown
/// (the first of all after the first frame, once a worker has opened libpq): the window opens
/// faster, the UI thread does not wait for libpq's files, and no page connects or audits
/// before someone looks at it.
class ProfilePages final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfilePages)

public:
    enum Page { EditorPage, TestPage, ServerPage, PoolPage, SecurityPage };

    /// currentProfileId: the window's selection, which pages made later start from.
    ProfilePages(SecretStore *secrets, ProfileRepository *repository, RecentTests *recentTests,
                 std::function<QString()> currentProfileId, QWidget *parent = nullptr);

    /// The editor, or nullptr while its page has not been shown (then nothing is edited).
    ProfileEditor *editor() const { return m_editor; }
    /// Shows the profile on the pages made so far (the editor follows the window's rules,
    /// not this).
    void showProfile(const Profile &profile);
    /// Makes the page if needed and brings it to the front.
    void showPage(Page page);
    /// Brings the Test page to the front and tests the profile, unless a test is running.
    void startTest();
    /// Where the Pool page reads the profiles' history, asked for when the page is made.
    void setHistoryReader(std::function<HistoryReader *()> reader)
    {
        m_historyReader = std::move(reader);
    }

Q_SIGNALS:
    void saveRequested(const Profile &baseline, const Profile &edited,
                       const std::optional<QString> &password, bool overwrite);
    void editorDirtyChanged(bool dirty);
    void attemptFinished(const AttemptResult &result, const CheckVerdict &verdict);
    void serverRefreshed(const ServerSnapshot &snapshot);
    void serverRefreshFailed(const AttemptResult &failure);
    /// The Pool page took a sample of the profile shown.
    void poolSampled(const QString &profileId, const ActivitySample &sample);
    void poolSettingsEdited(const QString &profileId, const PoolSettings &pool,
                            const PgBouncerTarget &pgbouncer);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void ensurePage(int index);
    void makeFirstPageWhenLibpqIsOpen();
    QWidget *makePage(Page page, QWidget *parent);
    void showProfileOn(Page page, const Profile &profile);

    SecretStore *m_secrets;
    ProfileRepository *m_repository;
    RecentTests *m_recentTests;
    std::function<QString()> m_currentProfileId;
    std::function<HistoryReader *()> m_historyReader;
    bool m_shownBefore = false;
    /// Per tab, the holder its page goes into when made.
    QList<QWidget *> m_holders;
    ProfileEditor *m_editor = nullptr;
    ConnectionTestView *m_testView = nullptr;
    ServerPanel *m_serverPanel = nullptr;
    PoolMonitorView *m_poolView = nullptr;
    SecurityAuditView *m_auditView = nullptr;
};
