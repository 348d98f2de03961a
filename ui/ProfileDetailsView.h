#pragma once

#include "profiles/Profile.h"

#include <QWidget>

class QFormLayout;
class QLabel;

/// A read-only view of one profile: its environment badge, redacted URL, connection
/// parameters, password status, pool settings, required extensions and notes.
class ProfileDetailsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileDetailsView)

public:
    explicit ProfileDetailsView(QWidget *parent = nullptr);
    ~ProfileDetailsView() override;

    void setProfile(const Profile &profile);

private:
    QLabel *addRow(const QString &label, const QString &objectName);

    QLabel *m_environmentLabel = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLabel *m_urlLabel = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_hostLabel = nullptr;
    QLabel *m_portLabel = nullptr;
    QLabel *m_databaseLabel = nullptr;
    QLabel *m_userLabel = nullptr;
    QLabel *m_sslModeLabel = nullptr;
    QLabel *m_otherParamsLabel = nullptr;
    QLabel *m_passwordLabel = nullptr;
    QLabel *m_poolLabel = nullptr;
    QLabel *m_extensionsLabel = nullptr;
    QLabel *m_notesLabel = nullptr;
};
