#pragma once

#include "connection/AttemptResult.h"
#include "profiles/Profile.h"

#include <functional>

#include <QWidget>

class ConnectionsPanel;
class ExtensionsPanel;
class PasswordResolver;
class QLabel;
class QLineEdit;
class QPushButton;
class SecretStore;
class ServerSession;

/// The Server page of a profile: its extensions and connections, refreshed on their own over
/// one connection (paused while the page is hidden or the window minimised), with a banner
/// that explains a failed refresh, and guarded fixes (create an extension, create the test
/// database) that show their SQL first.
class ServerPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerPanel)

public:
    explicit ServerPanel(SecretStore *secrets, QWidget *parent = nullptr);
    ~ServerPanel() override;

    void setProfile(const Profile &profile);
    void setRefreshInterval(int milliseconds);
    ServerSession *session() const { return m_session; }

Q_SIGNALS:
    void refreshed(const ServerSnapshot &snapshot);
    void refreshFailed(const AttemptResult &failure);
    void statementFinished(bool ok, const QString &error);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateActive();
    void startSession();
    void showFailure(const AttemptResult &failure);
    void createExtension(const QString &name);
    void createDatabase();
    /// Asks the user to confirm a statement; answered runs when they have.
    void confirm(const QString &title, const QString &sql, const QString &permission,
                 std::function<void(bool confirmed)> answered);
    /// Runs CREATE DATABASE on the maintenance session, which it then deletes.
    void executeCreateDatabase(ServerSession *maintenance, const QString &sql);

    SecretStore *m_secrets;
    PasswordResolver *m_resolver;
    ServerSession *m_session;
    Profile m_profile;
    bool m_resolving = false;
    QLabel *m_bannerLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QPushButton *m_createDatabaseButton = nullptr;
    QWidget *m_passwordRow = nullptr;
    QLineEdit *m_passwordLineEdit = nullptr;
    ExtensionsPanel *m_extensions = nullptr;
    ConnectionsPanel *m_connections = nullptr;
    QWidget *m_content = nullptr;
};
