#pragma once

#include "ProfileForm.h"
#include "profiles/Profile.h"

#include <QWidget>

class QFrame;
class QLabel;
class QPushButton;
class SecretStore;

/// Edits one profile: the form with its fields, Save and Revert, and the banner that asks
/// Keep mine or Take theirs when the profile changed elsewhere while it was being edited.
/// It keeps the version the edits started from and merges changes saved elsewhere into them.
class ProfileEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    explicit ProfileEditor(SecretStore *secrets, QWidget *parent = nullptr);

    /// Fills the form from a profile, dropping unsaved edits.
    void setProfile(const Profile &profile);
    /// The profile as it was when the form was filled (or last reconciled with the owner).
    const Profile &baseline() const { return m_profile; }
    /// The owner has a newer version of this profile (saved here, in another window or by the
    /// command line). Without unsaved edits the form follows it; with edits to the same fields
    /// the user chooses Keep mine or Take theirs.
    void showSavedVersion(const Profile &saved);
    /// This profile was removed elsewhere; unsaved edits can still be kept (saved again).
    void showRemovedElsewhere();
    bool hasConflict() const;
    /// The owner could not save what Save sent; the form keeps it and Save works again.
    void saveFailed();
    /// The profile as the form now describes it (without any password).
    Profile editedProfile() const;
    /// The password typed in the form, if the user typed or pasted one.
    std::optional<QString> editedPassword() const;
    /// What Save is to do with the SSH route's passphrase or password, if anything.
    std::optional<ProfileForm::SshSecretEdit> editedSshSecret() const;
    /// The SSH secret of the last save is in the keychain: the row shows the saved one again.
    /// (Should it fail, saveFailed(): what was typed stays, for another Save.)
    void sshSecretSaved();
    bool isDirty() const { return m_dirty; }
    /// Dirty, and not only with what a save under way already carries.
    bool hasUnsavedEdits() const;
    /// Problems that block saving, one per field, empty when the form is valid.
    QStringList problems() const;

public Q_SLOTS:
    /// Asks the owner to save (saveRequested); does nothing while the form is invalid.
    void save();
    void revert();
    /// Sets the profile's own colour (#rrggbb), or the environment's when empty.
    void setColor(const QString &color);

Q_SIGNALS:
    /// overwrite: the user chose Keep mine over a change made elsewhere.
    void saveRequested(const Profile &baseline, const Profile &edited,
                       const std::optional<QString> &password, bool overwrite);
    void dirtyChanged(bool dirty);

private:
    void buildUi();
    void validate();
    void updateSaveButton();
    void setDirty(bool dirty);
    void showConflict(const QString &text);
    void resolveConflict(bool keepMine);
    /// Takes saved as the new baseline and shows form (edits on top of it), keeping a typed
    /// password.
    void rebaseOnto(const Profile &saved, const Profile &form);

    Profile m_profile;
    bool m_dirty = false;
    /// The version saved elsewhere while this form had edits, until the user chooses.
    std::optional<Profile> m_theirs;
    bool m_overwrite = false;
    /// What the last Save sent, until the owner says it is saved: to recognise our own save
    /// and keep what was typed after it.
    std::optional<Profile> m_submitted;
    std::optional<QString> m_submittedPassword;
    /// The SSH secret a save is storing after the fields: kept in the form until it is stored.
    std::optional<ProfileForm::SshSecretEdit> m_submittedSshSecret;
    QFrame *m_conflictFrame = nullptr;
    QLabel *m_conflictLabel = nullptr;
    ProfileForm *m_form = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_revertButton = nullptr;
};
