#pragma once

#include "profiles/Profile.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class SecretStore;

/// Edits one profile: every connection component with the document's defaults, a URL field
/// kept in step with them both ways (pasting a URL fills the form; its password goes to the
/// password field, never into the profile), sslmode with each mode's meaning, certificate
/// file pickers, other libpq keywords, the password and where it comes from, environment,
/// required extensions and notes. Problems show next to their field as the user types.
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
    void fillFromProfile(const Profile &profile);
    void fieldsChanged();
    void urlEdited(const QString &text);
    void validate();
    void setDirty(bool dirty);
    void showConflict(const QString &text);
    void resolveConflict(bool keepMine);
    /// Takes saved as the new baseline and shows form (edits on top of it), keeping a typed
    /// password.
    void rebaseOnto(const Profile &saved, const Profile &form);
    ConnectionUrl urlFromFields() const;
    QLineEdit *fileField(const QString &objectName, QWidget **row);

    SecretStore *m_secrets;
    Profile m_profile;
    bool m_dirty = false;
    bool m_filling = false;
    bool m_passwordTouched = false;
    /// The version saved elsewhere while this form had edits, until the user chooses.
    std::optional<Profile> m_theirs;
    bool m_overwrite = false;
    /// What the last Save sent, until the owner says it is saved: to recognise our own save
    /// and keep what was typed after it.
    std::optional<Profile> m_submitted;
    std::optional<QString> m_submittedPassword;
    class QFrame *m_conflictFrame = nullptr;
    QLabel *m_conflictLabel = nullptr;

    QLineEdit *m_nameLineEdit = nullptr;
    QLabel *m_nameErrorLabel = nullptr;
    QComboBox *m_environmentComboBox = nullptr;
    QLineEdit *m_urlLineEdit = nullptr;
    QLabel *m_urlErrorLabel = nullptr;
    QLineEdit *m_userLineEdit = nullptr;
    QLineEdit *m_passwordLineEdit = nullptr;
    QPushButton *m_showPasswordButton = nullptr;
    QComboBox *m_passwordSourceComboBox = nullptr;
    QLineEdit *m_passwordCommandLineEdit = nullptr;
    QLineEdit *m_hostLineEdit = nullptr;
    QLineEdit *m_portLineEdit = nullptr;
    QLabel *m_portErrorLabel = nullptr;
    QLineEdit *m_databaseLineEdit = nullptr;
    QComboBox *m_sslModeComboBox = nullptr;
    QLabel *m_sslModeMeaningLabel = nullptr;
    QLineEdit *m_sslRootCertLineEdit = nullptr;
    QLineEdit *m_sslCertLineEdit = nullptr;
    QLineEdit *m_sslKeyLineEdit = nullptr;
    QCheckBox *m_systemRootCheckBox = nullptr;
    QSpinBox *m_connectTimeoutSpinBox = nullptr;
    QLineEdit *m_applicationNameLineEdit = nullptr;
    QTableWidget *m_otherParamsTable = nullptr;
    QLabel *m_otherErrorLabel = nullptr;
    QLineEdit *m_extensionsLineEdit = nullptr;
    QPlainTextEdit *m_notesTextEdit = nullptr;
    QPushButton *m_colorButton = nullptr;
    QString m_color;
    /// The SQLAlchemy driver of the URL in the form (not in the baseline: that is what was
    /// saved).
    QString m_driver;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_revertButton = nullptr;
};
