#pragma once

#include "AsyncTask.h"
#include "profiles/Profile.h"
#include "security/SecurityAudit.h"

#include <QWidget>

class PasswordResolver;
class PoolerReader;
class QLabel;
class QPushButton;
class ProfileRepository;
class QTreeWidget;
class SecretStore;

/// The Security page: the audit of the selected profile, each item pass, info, warn or fail
/// with why and how to fix it. The keychain's password is measured, never shown; a .env file
/// can be checked for the password and for whether git would commit it. A keychain password is
/// rotated from here (RotatePasswordDialog). When the profile names its PgBouncer admin console,
/// the console's settings are read (once shown, off the UI thread) and checked against the
/// profile's pool settings.
class SecurityAuditView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecurityAuditView)

public:
    SecurityAuditView(SecretStore *secrets, ProfileRepository *repository,
                      QWidget *parent = nullptr);

    void setProfile(const Profile &profile);
    /// Checks a .env file: does it hold this profile's password, would git commit it.
    void checkEnvFile(const QString &path);
    QList<AuditItem> items() const { return m_items; }

Q_SIGNALS:
    void audited(const QList<AuditItem> &items);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void run();
    /// Reads the PgBouncer console's settings, then audits again.
    void readPooler();
    void showItems(const QList<AuditItem> &items);

    SecretStore *m_secrets;
    ProfileRepository *m_repository;
    SecurityAudit::Input m_input;
    QList<AuditItem> m_items;
    AsyncTask::Generation m_generation;
    PasswordResolver *m_resolver;
    PoolerReader *m_poolerReader;
    /// What the console said for the profile's current PgBouncer target; unset until read.
    std::optional<PoolerSettings> m_poolerSettings;
    /// The profile names a console whose settings are not read yet.
    bool m_poolerWanted = false;
    QLabel *m_summaryLabel = nullptr;
    QPushButton *m_rotateButton = nullptr;
    QTreeWidget *m_itemsTree = nullptr;
};
