#pragma once

#include "Palette.h"
#include "profiles/Profile.h"

#include <QDialog>

class PasswordRotation;
class ProfileRepository;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class SecretStore;

/// Rotates a profile's password from the window: says what will happen, asks for the name of a
/// production profile and which profiles sharing the role take the new password too, shows each
/// step as it passes, then the outcome. The new password is never shown, except in the one case
/// where the server holds it and nothing else does: then once, with a button to copy it.
class RotatePasswordDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RotatePasswordDialog)

public:
    RotatePasswordDialog(const Profile &profile, ProfileRepository *repository,
                         SecretStore *secrets, QWidget *parent = nullptr);

    /// Opens the dialog for the profile (window-modal, deleted on close).
    static void openFor(const Profile &profile, ProfileRepository *repository, SecretStore *secrets,
                        QWidget *parent);

protected:
    void reject() override;

private:
    void rotate();
    void updateRotateButton();

    Profile m_profile;
    PasswordRotation *m_rotation = nullptr;
    QList<std::pair<QString, QCheckBox *>> m_sharing;
    QLineEdit *m_confirmLineEdit = nullptr;
    QLabel *m_progressLabel = nullptr;
    QLabel *m_outcomeLabel = nullptr;
    /// The outcome's colour: green or red once the rotation has ended.
    Palette::Tone m_outcomeTone = nullptr;
    QLineEdit *m_keepLineEdit = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_rotateButton = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_running = false;
};
