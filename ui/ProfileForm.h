#pragma once

#include "profiles/Profile.h"

#include <QWidget>

class CertificateFields;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class SecretStore;

/// The profile editor's fields: every connection component with the document's defaults, a
/// URL field kept in step with them both ways (pasting a URL fills the form; its password goes
/// to the password field), sslmode with each mode's meaning, certificate file pickers, other
/// libpq keywords, the password and where it comes from, how the server is reached (directly,
/// through SSH or a tunnel command), environment, colour, required extensions and notes. Problems
/// show next to their field as the user types. What the fields apply to, and whether they are
/// saved, is the editor's business.
class ProfileForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileForm)

public:
    enum class TypedPassword { Forget, Keep };

    /// baseline: the editor's profile the fields' edits apply to; the editor owns it.
    ProfileForm(const Profile &baseline, SecretStore *secrets, QWidget *parent = nullptr);

    /// Shows a profile in the fields. Keep: a password the user typed stays in its field.
    void fill(const Profile &profile, TypedPassword typed);
    /// The baseline with the fields' values (without any password).
    Profile editedProfile() const;
    /// The password typed in the form, if the user typed or pasted one.
    std::optional<QString> editedPassword() const;
    bool passwordTouched() const { return m_passwordTouched; }
    /// What Save is to do with the SSH route's passphrase or password: save secret (typed) as
    /// kind, or delete it (kind None: no longer an SSH route, or "None" chosen).
    struct SshSecretEdit
    {
        SshSecret kind = SshSecret::None;
        QString secret;
    };
    /// nullopt: the saved one (if any) stays as it is.
    std::optional<SshSecretEdit> editedSshSecret() const;
    /// A password or SSH secret typed (or one to delete) that Save would store.
    bool secretsTouched() const { return m_passwordTouched || editedSshSecret().has_value(); }
    /// The SSH secret row shows the baseline's again, as after a fill (its save went through).
    void forgetSshSecret();
    /// An untouched SSH secret row shows the baseline's (saved elsewhere meanwhile).
    void followSavedSshSecret();
    /// Problems that block saving, one per field, empty when the form is valid.
    QStringList problems() const;
    /// Shows each field's problem next to it.
    void validate();
    /// Sets the profile's own colour (#rrggbb), or the environment's when empty.
    void setColor(const QString &color);

Q_SIGNALS:
    /// The user changed a field (the problems next to the fields are up to date).
    void edited();

private:
    void buildFields();
    void connectFields();
    void fieldsChanged();
    void urlEdited(const QString &text);
    ConnectionUrl urlFromFields() const;
    void buildRouteFields(QFormLayout *form);
    Route::Kind routeKind() const;
    Route routeFromFields() const;
    void showRouteRows();
    void validateRoute();
    SshSecret sshSecretKind() const;
    void showSshSecretPlaceholder();
    void chooseIdentityFile();

    const Profile &m_baseline;
    SecretStore *m_secrets;
    bool m_filling = false;
    bool m_passwordTouched = false;
    /// The user chose a kind or typed in the SSH secret row; until then it follows the baseline.
    bool m_sshSecretTouched = false;
    QString m_color;
    /// The SQLAlchemy driver of the URL in the form (not in the baseline: that is what was
    /// saved).
    QString m_driver;

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
    QFormLayout *m_formLayout = nullptr;
    QComboBox *m_routeComboBox = nullptr;
    QLineEdit *m_sshHostLineEdit = nullptr;
    QLabel *m_sshHostErrorLabel = nullptr;
    QLineEdit *m_jumpHostsLineEdit = nullptr;
    QLabel *m_jumpHostsErrorLabel = nullptr;
    QHBoxLayout *m_identityFileLayout = nullptr;
    QLineEdit *m_identityFileLineEdit = nullptr;
    QLabel *m_identityFileErrorLabel = nullptr;
    QHBoxLayout *m_sshSecretLayout = nullptr;
    QComboBox *m_sshSecretComboBox = nullptr;
    QLineEdit *m_sshSecretLineEdit = nullptr;
    QLabel *m_sshSecretErrorLabel = nullptr;
    QLineEdit *m_tunnelCommandLineEdit = nullptr;
    QLabel *m_tunnelCommandErrorLabel = nullptr;
    QLabel *m_routeNoteLabel = nullptr;
    CertificateFields *m_certificates = nullptr;
    QSpinBox *m_connectTimeoutSpinBox = nullptr;
    QLineEdit *m_applicationNameLineEdit = nullptr;
    QTableWidget *m_otherParamsTable = nullptr;
    QLabel *m_otherErrorLabel = nullptr;
    QLineEdit *m_extensionsLineEdit = nullptr;
    QPlainTextEdit *m_notesTextEdit = nullptr;
    QPushButton *m_colorButton = nullptr;
};
