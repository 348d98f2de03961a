#include "ProfileForm.h"

#include "CertificateFields.h"
#include "Palette.h"
#include "WrappedLabel.h"
#include "secrets/SecretStore.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

// The keywords with a field of their own; everything else goes to the table.
const QStringList &ownFields()
{
    static const QStringList keywords{u"host"_s,
                                      u"port"_s,
                                      u"dbname"_s,
                                      u"user"_s,
                                      u"password"_s,
                                      u"sslmode"_s,
                                      u"sslrootcert"_s,
                                      u"sslcert"_s,
                                      u"sslkey"_s,
                                      u"connect_timeout"_s,
                                      u"application_name"_s};
    return keywords;
}

// A route field, named for tests and screen readers, with an example and what it is for.
QLineEdit *routeField(QWidget *parent, const QString &objectName, const QString &accessibleName,
                      const QString &placeholder, const QString &toolTip)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(toolTip);
    return edit;
}

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new WrappedLabel(parent);
    label->setObjectName(name);
    Palette::keepStyleSheet(label, &Palette::errorTextStyle);
    label->hide();
    return label;
}

// A field's row and, under it, the row of its problem; the problem's label.
QLabel *addRowWithError(QFormLayout *form, const QString &label, QWidget *field,
                        const QString &errorName)
{
    form->addRow(label, field);
    QLabel *error = errorLabel(field->parentWidget(), errorName);
    form->addRow(QString(), error);
    return error;
}

// The inverse of QProcess::splitCommand: quotes arguments with spaces or quotes.
QString joinCommand(const QStringList &arguments)
{
    QStringList parts;
    for (const QString &argument : arguments) {
        if (argument.isEmpty() || argument.contains(u' ') || argument.contains(u'\t')
            || argument.contains(u'"'))
            parts << u'"' + QString(argument).replace(u"\""_s, u"\"\"\""_s) + u'"';
        else
            parts << argument;
    }
    return parts.join(u' ');
}

// A row of several widgets: the form's label names its first field for screen readers and
// its Alt+letter focuses it. The row is a layout, not a widget, so that the label and the
// field are siblings: that is where Qt looks for the label of a combo box, which it otherwise
// announces by its value.
void setRowBuddy(QFormLayout *form, QLayout *row, QWidget *field)
{
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(row)))
        label->setBuddy(field);
}

void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

ProfileForm::ProfileForm(const Profile &baseline, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_baseline(baseline)
    , m_secrets(secrets)
{
    buildFields();
    connectFields();
}

void ProfileForm::buildFields()
{
    auto *form = new QFormLayout;
    m_formLayout = form;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_nameLineEdit = new QLineEdit(this);
    m_nameLineEdit->setObjectName(u"nameLineEdit"_s);
    m_nameErrorLabel = errorLabel(this, u"nameErrorLabel"_s);
    form->addRow(tr("&Name"), m_nameLineEdit);
    form->addRow(QString(), m_nameErrorLabel);

    m_environmentComboBox = new QComboBox(this);
    m_environmentComboBox->setObjectName(u"environmentComboBox"_s);
    for (Environment environment : Environments::all())
        m_environmentComboBox->addItem(Environments::displayName(environment),
                                       Environments::id(environment));
    auto *environmentLayout = new QHBoxLayout;
    environmentLayout->addWidget(m_environmentComboBox);
    m_colorButton = new QPushButton(this);
    m_colorButton->setObjectName(u"colorButton"_s);
    m_colorButton->setAccessibleName(tr("Colour"));
    m_colorButton->setToolTip(tr("The profile's colour (production is always red)"));
    auto *defaultColor = new QPushButton(tr("Environment colour"), this);
    defaultColor->setObjectName(u"defaultColorButton"_s);
    environmentLayout->addWidget(m_colorButton);
    environmentLayout->addWidget(defaultColor);
    environmentLayout->addStretch(1);
    connect(m_colorButton, &QPushButton::clicked, this, [this]() {
        const QColor chosen = QColorDialog::getColor(Palette::profileColor(editedProfile()), this,
                                                     tr("Profile colour"));
        if (chosen.isValid())
            setColor(chosen.name());
    });
    connect(defaultColor, &QPushButton::clicked, this, [this]() { setColor(QString()); });
    form->addRow(tr("&Environment"), environmentLayout);
    setRowBuddy(form, environmentLayout, m_environmentComboBox);

    m_urlLineEdit = new QLineEdit(this);
    m_urlLineEdit->setObjectName(u"urlLineEdit"_s);
    m_urlLineEdit->setPlaceholderText(
            tr("postgresql://user:password@host:port/database?parameters"));
    m_urlLineEdit->setToolTip(
            tr("Paste a URL to fill the form; its password moves to the password field."));
    m_urlErrorLabel = errorLabel(this, u"urlErrorLabel"_s);
    form->addRow(tr("&URL"), m_urlLineEdit);
    form->addRow(QString(), m_urlErrorLabel);

    m_userLineEdit = new QLineEdit(this);
    m_userLineEdit->setObjectName(u"userLineEdit"_s);
    m_userLineEdit->setPlaceholderText(Profile::defaultUser());
    form->addRow(tr("U&ser"), m_userLineEdit);

    auto *passwordLayout = new QHBoxLayout;
    m_passwordSourceComboBox = new QComboBox(this);
    m_passwordSourceComboBox->setObjectName(u"passwordSourceComboBox"_s);
    m_passwordSourceComboBox->addItem(tr("Stored in the keychain"),
                                      PasswordSources::id(PasswordSource::Keychain));
    m_passwordSourceComboBox->addItem(tr("Ask every time"),
                                      PasswordSources::id(PasswordSource::SessionOnly));
    m_passwordSourceComboBox->addItem(tr("From a command (short-lived token)"),
                                      PasswordSources::id(PasswordSource::Command));
    m_passwordSourceComboBox->addItem(tr("libpq's own (PGPASSWORD, .pgpass)"),
                                      PasswordSources::id(PasswordSource::Libpq));
    m_passwordLineEdit = new QLineEdit(this);
    m_passwordLineEdit->setObjectName(u"passwordLineEdit"_s);
    m_passwordLineEdit->setEchoMode(QLineEdit::Password);
    m_passwordLineEdit->setAccessibleName(tr("Password"));
    m_showPasswordButton = new QPushButton(tr("Show"), this);
    m_showPasswordButton->setObjectName(u"showPasswordButton"_s);
    m_showPasswordButton->setCheckable(true);
    m_showPasswordButton->setAccessibleName(tr("Show password"));
    passwordLayout->addWidget(m_passwordSourceComboBox);
    passwordLayout->addWidget(m_passwordLineEdit, 1);
    passwordLayout->addWidget(m_showPasswordButton);
    form->addRow(tr("&Password"), passwordLayout);
    setRowBuddy(form, passwordLayout, m_passwordSourceComboBox);
    m_passwordCommandLineEdit = new QLineEdit(this);
    m_passwordCommandLineEdit->setObjectName(u"passwordCommandLineEdit"_s);
    m_passwordCommandLineEdit->setPlaceholderText(
            tr("aws rds generate-db-auth-token --hostname ... --port 5432 --username orderflow"));
    form->addRow(tr("Password command"), m_passwordCommandLineEdit);

    m_hostLineEdit = new QLineEdit(this);
    m_hostLineEdit->setObjectName(u"hostLineEdit"_s);
    m_hostLineEdit->setPlaceholderText(Profile::defaultHost());
    form->addRow(tr("&Host"), m_hostLineEdit);
    m_portLineEdit = new QLineEdit(this);
    m_portLineEdit->setObjectName(u"portLineEdit"_s);
    m_portLineEdit->setPlaceholderText(Profile::defaultPort());
    m_portErrorLabel = errorLabel(this, u"portErrorLabel"_s);
    form->addRow(tr("P&ort"), m_portLineEdit);
    form->addRow(QString(), m_portErrorLabel);
    m_databaseLineEdit = new QLineEdit(this);
    m_databaseLineEdit->setObjectName(u"databaseLineEdit"_s);
    m_databaseLineEdit->setPlaceholderText(Profile::defaultDatabase());
    form->addRow(tr("&Database"), m_databaseLineEdit);

    // After the host and port: the route says from where they are seen.
    buildRouteFields(form);

    m_certificates = new CertificateFields(form, this);
    connect(m_certificates, &CertificateFields::changed, this, &ProfileForm::fieldsChanged);

    m_connectTimeoutSpinBox = new QSpinBox(this);
    m_connectTimeoutSpinBox->setObjectName(u"connectTimeoutSpinBox"_s);
    m_connectTimeoutSpinBox->setRange(0, 3600);
    m_connectTimeoutSpinBox->setSpecialValueText(tr("not set (10 s)"));
    m_connectTimeoutSpinBox->setSuffix(tr(" s"));
    m_connectTimeoutSpinBox->setAccessibleName(tr("Connection timeout (connect_timeout)"));
    form->addRow(u"connect_timeout"_s, m_connectTimeoutSpinBox);
    m_applicationNameLineEdit = new QLineEdit(this);
    m_applicationNameLineEdit->setObjectName(u"applicationNameLineEdit"_s);
    m_applicationNameLineEdit->setAccessibleName(tr("Application name (application_name)"));
    form->addRow(u"application_name"_s, m_applicationNameLineEdit);

    m_otherParamsTable = new QTableWidget(0, 2, this);
    m_otherParamsTable->setObjectName(u"otherParamsTable"_s);
    m_otherParamsTable->setAccessibleName(tr("Other parameters"));
    m_otherParamsTable->setHorizontalHeaderLabels({tr("libpq keyword"), tr("Value")});
    m_otherParamsTable->horizontalHeader()->setStretchLastSection(true);
    m_otherParamsTable->verticalHeader()->hide();
    m_otherParamsTable->setMaximumHeight(120);
    auto *addRowButton = new QPushButton(tr("Add parameter"), this);
    addRowButton->setObjectName(u"addParameterButton"_s);
    connect(addRowButton, &QPushButton::clicked, this,
            [this]() { m_otherParamsTable->insertRow(m_otherParamsTable->rowCount()); });
    m_otherErrorLabel = errorLabel(this, u"otherParamsErrorLabel"_s);
    form->addRow(tr("Other parameters"), m_otherParamsTable);
    form->addRow(QString(), addRowButton);
    form->addRow(QString(), m_otherErrorLabel);

    m_extensionsLineEdit = new QLineEdit(this);
    m_extensionsLineEdit->setObjectName(u"extensionsLineEdit"_s);
    m_extensionsLineEdit->setToolTip(tr("Comma-separated; a|b means either one"));
    form->addRow(tr("Required extensions"), m_extensionsLineEdit);
    m_notesTextEdit = new QPlainTextEdit(this);
    m_notesTextEdit->setObjectName(u"notesTextEdit"_s);
    m_notesTextEdit->setMaximumHeight(70);
    // Tab moves on to Save, as in the other fields; it does not type a tab into the notes.
    m_notesTextEdit->setTabChangesFocus(true);
    form->addRow(tr("Notes"), m_notesTextEdit);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addStretch(1);
}

void ProfileForm::buildRouteFields(QFormLayout *form)
{
    m_routeComboBox = new QComboBox(this);
    m_routeComboBox->setObjectName(u"routeComboBox"_s);
    m_routeComboBox->setAccessibleName(tr("Reach the server"));
    m_routeComboBox->addItem(tr("Directly"), int(Route::Kind::Direct));
    m_routeComboBox->addItem(tr("Through SSH"), int(Route::Kind::Ssh));
    m_routeComboBox->addItem(tr("Through a tunnel command"), int(Route::Kind::Command));
    form->addRow(tr("&Reach the server"), m_routeComboBox);

    m_sshHostLineEdit = routeField(
            this, u"sshHostLineEdit"_s, tr("SSH host"),
            tr("[user@]host[:port] or a Host of ~/.ssh/config"),
            tr("The system's ssh connects to it with your ~/.ssh/config, agent and known_hosts, "
               "as in a terminal."));
    m_sshHostErrorLabel
            = addRowWithError(form, tr("SSH hos&t"), m_sshHostLineEdit, u"sshHostErrorLabel"_s);

    m_jumpHostsLineEdit = routeField(
            this, u"jumpHostsLineEdit"_s, tr("Jump hosts"),
            tr("none; or jump-1,deploy@jump-2:2222"),
            tr("The hosts ssh goes through before the SSH host, in order, comma-separated (as "
               "ProxyJump)."));
    m_jumpHostsErrorLabel = addRowWithError(form, tr("&Jump hosts"), m_jumpHostsLineEdit,
                                            u"jumpHostsErrorLabel"_s);

    m_identityFileLayout = new QHBoxLayout;
    m_identityFileLineEdit = routeField(
            this, u"identityFileLineEdit"_s, tr("Identity file"),
            tr("ssh's own choice (agent, ~/.ssh/config)"),
            tr("The private key every SSH host is logged in with; its passphrase, if any, is "
               "asked for when needed."));
    auto *browse = new QPushButton(tr("Browse..."), this);
    browse->setObjectName(u"identityFileBrowseButton"_s);
    browse->setAccessibleName(tr("Browse: Identity file"));
    connect(browse, &QPushButton::clicked, this, &ProfileForm::chooseIdentityFile);
    m_identityFileLayout->addWidget(m_identityFileLineEdit, 1);
    m_identityFileLayout->addWidget(browse);
    m_identityFileErrorLabel = errorLabel(this, u"identityFileErrorLabel"_s);
    form->addRow(tr("&Identity file"), m_identityFileLayout);
    setRowBuddy(form, m_identityFileLayout, m_identityFileLineEdit);
    form->addRow(QString(), m_identityFileErrorLabel);

    // The identity's passphrase or the SSH password, kept in the keychain (never in the file),
    // given to ssh by this program as its askpass helper.
    m_sshSecretLayout = new QHBoxLayout;
    m_sshSecretComboBox = new QComboBox(this);
    m_sshSecretComboBox->setObjectName(u"sshSecretComboBox"_s);
    m_sshSecretComboBox->setAccessibleName(tr("SSH passphrase or password"));
    m_sshSecretComboBox->addItem(tr("None (ssh-agent, or a key without one)"),
                                 int(SshSecret::None));
    m_sshSecretComboBox->addItem(tr("The key's passphrase"), int(SshSecret::Passphrase));
    m_sshSecretComboBox->addItem(tr("An SSH password"), int(SshSecret::Password));
    m_sshSecretLineEdit = new QLineEdit(this);
    m_sshSecretLineEdit->setObjectName(u"sshSecretLineEdit"_s);
    m_sshSecretLineEdit->setEchoMode(QLineEdit::Password);
    m_sshSecretLineEdit->setAccessibleName(tr("SSH passphrase or password, saved in the keychain"));
    m_sshSecretLayout->addWidget(m_sshSecretComboBox);
    m_sshSecretLayout->addWidget(m_sshSecretLineEdit, 1);
    m_sshSecretErrorLabel = errorLabel(this, u"sshSecretErrorLabel"_s);
    form->addRow(tr("SSH secret"), m_sshSecretLayout);
    setRowBuddy(form, m_sshSecretLayout, m_sshSecretComboBox);
    form->addRow(QString(), m_sshSecretErrorLabel);

    m_tunnelCommandLineEdit = routeField(
            this, u"tunnelCommandLineEdit"_s, tr("Tunnel command"),
            u"kubectl port-forward svc/postgres {port}:5432"_s,
            tr("Run without a shell; it must listen on {port}, a free local port that this "
               "program picks. Quote an argument with spaces."));
    m_tunnelCommandErrorLabel = addRowWithError(
            form, tr("Tunnel &command"), m_tunnelCommandLineEdit, u"tunnelCommandErrorLabel"_s);

    m_routeNoteLabel = new WrappedLabel(this);
    m_routeNoteLabel->setObjectName(u"routeNoteLabel"_s);
    form->addRow(QString(), m_routeNoteLabel);
    showRouteRows();
}

Route::Kind ProfileForm::routeKind() const
{
    return Route::Kind(m_routeComboBox->currentData().toInt());
}

void ProfileForm::showRouteRows()
{
    const Route::Kind kind = routeKind();
    const bool ssh = kind == Route::Kind::Ssh;
    m_formLayout->setRowVisible(m_sshHostLineEdit, ssh);
    m_formLayout->setRowVisible(m_jumpHostsLineEdit, ssh);
    m_formLayout->setRowVisible(m_identityFileLayout, ssh);
    m_formLayout->setRowVisible(m_sshSecretLayout, ssh);
    m_formLayout->setRowVisible(m_sshSecretErrorLabel, ssh);
    m_sshSecretLineEdit->setEnabled(sshSecretKind() != SshSecret::None);
    showSshSecretPlaceholder();
    m_formLayout->setRowVisible(m_tunnelCommandLineEdit, kind == Route::Kind::Command);
    m_routeNoteLabel->setText(
            ssh ? tr("The host and port above are then as the last SSH host sees them "
                     "(localhost is that host).")
                : tr("The host and port above are then as the tunnel sees them; {port} is a "
                     "free local port that this program picks."));
    m_routeNoteLabel->setVisible(kind != Route::Kind::Direct);
}

// What the route fields say. Where they do not parse, the text as typed: validate() shows why
// and saving is refused, and an unsaved edit still differs from the saved route (a change made
// elsewhere meanwhile then asks Keep mine / Take theirs instead of replacing what was typed).
Route ProfileForm::routeFromFields() const
{
    Route typed;
    typed.kind = routeKind();
    switch (typed.kind) {
    case Route::Kind::Direct:
        break;
    case Route::Kind::Ssh: {
        const QString jumps = m_jumpHostsLineEdit->text().trimmed();
        if (auto route
            = Route::ssh(m_sshHostLineEdit->text(), jumps, m_identityFileLineEdit->text(), nullptr))
            return *route;
        typed.destination.host = m_sshHostLineEdit->text().trimmed();
        if (!jumps.isEmpty())
            typed.jumps = {SshHost{QString(), jumps, 0}};
        typed.identityFile = m_identityFileLineEdit->text().trimmed();
        break;
    }
    case Route::Kind::Command:
        if (auto route = Route::tunnelCommand(m_tunnelCommandLineEdit->text(), nullptr))
            return *route;
        typed.command = QProcess::splitCommand(m_tunnelCommandLineEdit->text());
        break;
    }
    return typed;
}

// Each part's problem under its own field: the destination first, then the jump hosts, then
// the identity file, as Route::ssh() checks them.
void ProfileForm::validateRoute()
{
    QString sshHostError, jumpHostsError, identityFileError, tunnelCommandError;
    const QString destination = m_sshHostLineEdit->text().trimmed();
    const QString jumps = m_jumpHostsLineEdit->text();
    QString error;
    switch (routeKind()) {
    case Route::Kind::Direct:
        break;
    case Route::Kind::Ssh:
        if (destination.isEmpty())
            sshHostError = tr("Give the SSH host: [user@]host[:port] or a Host of "
                              "~/.ssh/config.");
        else if (!Route::ssh(destination, QString(), QString(), &error))
            sshHostError = error;
        else if (!Route::ssh(destination, jumps, QString(), &error))
            jumpHostsError = error;
        else if (!Route::ssh(destination, jumps, m_identityFileLineEdit->text(), &error))
            identityFileError = error;
        break;
    case Route::Kind::Command:
        if (QProcess::splitCommand(m_tunnelCommandLineEdit->text()).isEmpty())
            tunnelCommandError = tr("Give the command that opens the tunnel, with {port} where "
                                    "it listens.");
        else if (!Route::tunnelCommand(m_tunnelCommandLineEdit->text(), &error))
            tunnelCommandError = error;
        break;
    }
    showError(m_sshHostErrorLabel, sshHostError);
    showError(m_jumpHostsErrorLabel, jumpHostsError);
    showError(m_identityFileErrorLabel, identityFileError);
    showError(m_tunnelCommandErrorLabel, tunnelCommandError);
    QString sshSecretError;
    if (const auto secret = editedSshSecret()) {
        if (secret->kind != SshSecret::None && secret->secret.isEmpty())
            sshSecretError = secret->kind == SshSecret::Password
                    ? tr("Type the SSH password, to be saved in the keychain.")
                    : tr("Type the key's passphrase, to be saved in the keychain.");
        else if (secret->kind != SshSecret::None)
            sshSecretError = SshSecrets::problem(secret->secret);
    }
    showError(m_sshSecretErrorLabel, sshSecretError);
}

SshSecret ProfileForm::sshSecretKind() const
{
    return SshSecret(m_sshSecretComboBox->currentData().toInt());
}

void ProfileForm::showSshSecretPlaceholder()
{
    const SshSecret kind = sshSecretKind();
    m_sshSecretLineEdit->setPlaceholderText(
            kind == SshSecret::None                ? QString()
                    : kind == m_baseline.sshSecret ? tr("saved in the keychain; type to replace it")
                                                   : tr("saved in the keychain when you save"));
}

std::optional<ProfileForm::SshSecretEdit> ProfileForm::editedSshSecret() const
{
    // No longer through SSH: a saved secret goes.
    if (routeKind() != Route::Kind::Ssh)
        return m_baseline.sshSecret != SshSecret::None
                ? std::optional<SshSecretEdit>(SshSecretEdit{SshSecret::None, QString()})
                : std::nullopt;
    if (!m_sshSecretTouched)
        return std::nullopt;
    const SshSecret kind = sshSecretKind();
    const QString typed = kind == SshSecret::None ? QString() : m_sshSecretLineEdit->text();
    if (kind == m_baseline.sshSecret && typed.isEmpty())
        return std::nullopt;
    return SshSecretEdit{kind, typed};
}

void ProfileForm::forgetSshSecret()
{
    m_sshSecretTouched = false;
    followSavedSshSecret();
}

void ProfileForm::followSavedSshSecret()
{
    if (m_sshSecretTouched)
        return;
    m_filling = true;
    m_sshSecretComboBox->setCurrentIndex(m_sshSecretComboBox->findData(int(m_baseline.sshSecret)));
    m_sshSecretLineEdit->clear();
    m_filling = false;
    validate();
}

// A window-modal dialog opened with open(): the UI thread goes on (the file watcher, a test
// running) while the user picks. It starts where the key is, or in ~/.ssh, and shows the dot
// folders that keys live in.
void ProfileForm::chooseIdentityFile()
{
    QString current = m_identityFileLineEdit->text().trimmed();
    if (current.startsWith(u"~/"_s))
        current = QDir::homePath() + current.mid(1);
    // Only the names: a stat here could hang on an unreachable network folder.
    const QString folder
            = current.isEmpty() ? QDir::homePath() + u"/.ssh"_s : QFileInfo(current).absolutePath();
    auto *dialog = new QFileDialog(this, tr("Choose the identity file (private key)"), folder);
    dialog->setObjectName(u"identityFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setFilter(dialog->filter() | QDir::Hidden);
    const QString profileId = m_baseline.id;
    connect(dialog, &QFileDialog::fileSelected, this, [this, profileId](const QString &path) {
        // Another profile may have been shown meanwhile (a change made elsewhere).
        if (profileId == m_baseline.id)
            m_identityFileLineEdit->setText(path);
    });
    dialog->open();
}

void ProfileForm::connectFields()
{
    connect(m_urlLineEdit, &QLineEdit::textEdited, this, &ProfileForm::urlEdited);
    for (QLineEdit *edit : {m_userLineEdit, m_hostLineEdit, m_portLineEdit, m_databaseLineEdit,
                            m_applicationNameLineEdit})
        connect(edit, &QLineEdit::textChanged, this, &ProfileForm::fieldsChanged);
    for (QLineEdit *edit :
         {m_nameLineEdit, m_passwordCommandLineEdit, m_extensionsLineEdit, m_sshHostLineEdit,
          m_jumpHostsLineEdit, m_identityFileLineEdit, m_tunnelCommandLineEdit})
        connect(edit, &QLineEdit::textChanged, this, [this]() {
            if (!m_filling) {
                validate();
                Q_EMIT edited();
            }
        });
    connect(m_sshSecretLineEdit, &QLineEdit::textEdited, this, [this]() {
        m_sshSecretTouched = true;
        validate();
        Q_EMIT edited();
    });
    connect(m_sshSecretComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        m_sshSecretLineEdit->setEnabled(sshSecretKind() != SshSecret::None);
        showSshSecretPlaceholder();
        if (!m_filling) {
            m_sshSecretTouched = true;
            validate();
            Q_EMIT edited();
        }
    });
    connect(m_passwordLineEdit, &QLineEdit::textEdited, this, [this]() {
        m_passwordTouched = true;
        Q_EMIT edited();
    });
    connect(m_showPasswordButton, &QPushButton::toggled, this, [this](bool shown) {
        m_passwordLineEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showPasswordButton->setText(shown ? tr("Hide") : tr("Show"));
        // Shown on request only: fetch the stored one when the user asks to see it.
        if (shown && !m_passwordTouched && m_baseline.hasStoredPassword()) {
            const QString id = m_baseline.id;
            m_secrets->readPassword(id, this, [this, id](const SecretResult &result) {
                if (result.ok() && id == m_baseline.id && !m_passwordTouched
                    && m_showPasswordButton->isChecked())
                    m_passwordLineEdit->setText(result.password);
            });
        }
        if (!shown && !m_passwordTouched)
            m_passwordLineEdit->clear();
    });
    connect(m_environmentComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        setColor(m_color); // the swatch follows the environment's colour
        if (!m_filling)
            Q_EMIT edited();
    });
    connect(m_passwordSourceComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        const bool command = m_passwordSourceComboBox->currentData().toString()
                == PasswordSources::id(PasswordSource::Command);
        m_passwordCommandLineEdit->setEnabled(command);
        m_passwordLineEdit->setEnabled(m_passwordSourceComboBox->currentIndex() == 0);
        if (!m_filling) {
            validate();
            Q_EMIT edited();
        }
    });
    connect(m_routeComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        showRouteRows();
        if (!m_filling) {
            validate();
            Q_EMIT edited();
        }
    });
    connect(m_connectTimeoutSpinBox, &QSpinBox::valueChanged, this, &ProfileForm::fieldsChanged);
    connect(m_otherParamsTable, &QTableWidget::cellChanged, this, &ProfileForm::fieldsChanged);
    connect(m_notesTextEdit, &QPlainTextEdit::textChanged, this, [this]() {
        if (!m_filling)
            Q_EMIT edited();
    });
}

void ProfileForm::fill(const Profile &profile, TypedPassword typed)
{
    const QString typedPassword = m_passwordLineEdit->text();
    if (typed == TypedPassword::Forget)
        m_passwordTouched = false;
    m_filling = true;
    // A typed SSH secret and its chosen kind stay with Keep, as the typed password does; an
    // untouched row follows the profile (a secret saved elsewhere is not undone by this Save).
    if (typed == TypedPassword::Forget)
        m_sshSecretTouched = false;
    if (!m_sshSecretTouched) {
        m_sshSecretComboBox->setCurrentIndex(m_sshSecretComboBox->findData(int(profile.sshSecret)));
        m_sshSecretLineEdit->clear();
    }
    m_driver = profile.driver;
    const QMap<QString, QString> &params = profile.params;
    m_nameLineEdit->setText(profile.name);
    m_environmentComboBox->setCurrentIndex(
            m_environmentComboBox->findData(Environments::id(profile.environment)));
    m_userLineEdit->setText(params.value(u"user"_s));
    m_hostLineEdit->setText(params.value(u"host"_s));
    m_portLineEdit->setText(params.value(u"port"_s));
    m_databaseLineEdit->setText(params.value(u"dbname"_s));
    m_certificates->fill(params);
    m_routeComboBox->setCurrentIndex(m_routeComboBox->findData(int(profile.route.kind)));
    m_sshHostLineEdit->setText(profile.route.destination.toString());
    m_jumpHostsLineEdit->setText(profile.route.jumpsText());
    m_identityFileLineEdit->setText(profile.route.identityFile);
    m_tunnelCommandLineEdit->setText(profile.route.commandLine());
    // A long command or key path shows from its start (the program's name), not its end.
    for (QLineEdit *edit : {m_sshHostLineEdit, m_jumpHostsLineEdit, m_identityFileLineEdit,
                            m_tunnelCommandLineEdit}) {
        if (!edit->hasFocus())
            edit->setCursorPosition(0);
    }
    m_connectTimeoutSpinBox->setValue(params.value(u"connect_timeout"_s).toInt());
    m_applicationNameLineEdit->setText(params.value(u"application_name"_s));
    m_otherParamsTable->setRowCount(0);
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (ownFields().contains(it.key()))
            continue;
        const int row = m_otherParamsTable->rowCount();
        m_otherParamsTable->insertRow(row);
        m_otherParamsTable->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_otherParamsTable->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
    m_passwordSourceComboBox->setCurrentIndex(qMax(
            0, m_passwordSourceComboBox->findData(PasswordSources::id(profile.passwordSource))));
    m_passwordCommandLineEdit->setText(joinCommand(profile.passwordCommand));
    m_passwordCommandLineEdit->setEnabled(profile.passwordSource == PasswordSource::Command);
    m_passwordLineEdit->clear();
    m_showPasswordButton->setChecked(false);
    m_passwordLineEdit->setPlaceholderText(profile.hasStoredPassword()
                                                   ? tr("stored in the keychain (Show to see it)")
                                                   : tr("not stored"));
    QStringList extensions;
    for (const QString &requirement : profile.requiredExtensions)
        extensions << requirement;
    m_extensionsLineEdit->setText(extensions.join(u", "_s));
    m_notesTextEdit->setPlainText(profile.notes);
    m_color = profile.color;
    setColor(profile.color);
    m_urlLineEdit->setText(profile.connectionUrl().toUrl(ConnectionUrl::PasswordMode::Omit));
    m_filling = false;
    validate();
    if (typed == TypedPassword::Keep && m_passwordTouched)
        m_passwordLineEdit->setText(typedPassword);
}

ConnectionUrl ProfileForm::urlFromFields() const
{
    ConnectionUrl url;
    auto put = [&](const QString &keyword, const QString &value) {
        if (!value.trimmed().isEmpty())
            url.setValue(keyword, value.trimmed());
    };
    put(u"user"_s, m_userLineEdit->text());
    put(u"host"_s, m_hostLineEdit->text());
    put(u"port"_s, m_portLineEdit->text());
    put(u"dbname"_s, m_databaseLineEdit->text());
    m_certificates->addTo(url);
    if (m_connectTimeoutSpinBox->value() > 0)
        url.setValue(u"connect_timeout"_s, QString::number(m_connectTimeoutSpinBox->value()));
    put(u"application_name"_s, m_applicationNameLineEdit->text());
    for (int row = 0; row < m_otherParamsTable->rowCount(); ++row) {
        const auto *key = m_otherParamsTable->item(row, 0);
        const auto *value = m_otherParamsTable->item(row, 1);
        if (key && !key->text().trimmed().isEmpty())
            url.setValue(key->text().trimmed(), value ? value->text() : QString());
    }
    url.setDriver(m_driver);
    return url;
}

void ProfileForm::fieldsChanged()
{
    if (m_filling)
        return;
    m_filling = true;
    m_urlLineEdit->setText(urlFromFields().toUrl(ConnectionUrl::PasswordMode::Omit));
    m_filling = false;
    validate();
    Q_EMIT edited();
}

void ProfileForm::urlEdited(const QString &text)
{
    if (m_filling)
        return;
    QString error;
    const auto url = ConnectionUrl::parse(text, &error);
    if (!url) {
        showError(m_urlErrorLabel, error);
        Q_EMIT edited();
        return;
    }
    // On top of the other fields as they are now: an unsaved route or notes edit stays.
    Profile parsed = editedProfile();
    parsed.setConnection(*url);
    const QString name = m_nameLineEdit->text();
    const int environment = m_environmentComboBox->currentIndex();
    const QString typedPassword = m_passwordLineEdit->text();
    const bool passwordTouched = m_passwordTouched;
    m_filling = true;
    fill(parsed, TypedPassword::Keep);
    m_passwordLineEdit->setText(typedPassword);
    m_passwordTouched = passwordTouched;
    m_nameLineEdit->setText(name);
    m_environmentComboBox->setCurrentIndex(environment);
    m_filling = true;
    if (url->hasPassword()) {
        // The password goes to its own field (and from there to the keychain), not the URL.
        m_passwordLineEdit->setText(url->password());
        m_passwordTouched = true;
        m_urlLineEdit->setText(url->toUrl(ConnectionUrl::PasswordMode::Omit));
    } else {
        m_urlLineEdit->setText(text);
    }
    m_filling = false;
    validate();
    Q_EMIT edited();
}

QStringList ProfileForm::problems() const
{
    QStringList out;
    if (m_nameLineEdit->text().trimmed().isEmpty())
        out << tr("A profile needs a name.");
    for (const QLabel *label :
         {m_urlErrorLabel, m_portErrorLabel, m_otherErrorLabel, m_sshHostErrorLabel,
          m_jumpHostsErrorLabel, m_identityFileErrorLabel, m_sshSecretErrorLabel,
          m_tunnelCommandErrorLabel}) {
        if (!label->text().isEmpty())
            out << label->text();
    }
    return out;
}

void ProfileForm::validate()
{
    showError(m_nameErrorLabel,
              m_nameLineEdit->text().trimmed().isEmpty() ? tr("A profile needs a name.")
                                                         : QString());
    const ConnectionUrl url = urlFromFields();
    QString portError, otherError, urlError;
    for (const ConnectionUrl::Problem &problem : url.problems()) {
        if (problem.keyword == u"port"_s)
            portError = problem.text;
        else if (!ConnectionUrl::knownKeywords().contains(problem.keyword))
            otherError = problem.text;
        else
            urlError = problem.text;
    }
    if (url.hasPassword())
        otherError = tr("Put the password in the password field, not among the parameters.");
    if (m_passwordSourceComboBox->currentData().toString()
                == PasswordSources::id(PasswordSource::Command)
        && QProcess::splitCommand(m_passwordCommandLineEdit->text()).isEmpty())
        urlError = tr("Give the command that prints the password.");
    showError(m_portErrorLabel, portError);
    showError(m_otherErrorLabel, otherError);
    showError(m_urlErrorLabel, urlError);
    validateRoute();
}

Profile ProfileForm::editedProfile() const
{
    Profile profile = m_baseline;
    profile.name = m_nameLineEdit->text().trimmed().normalized(QString::NormalizationForm_C);
    profile.environment = Environments::fromId(m_environmentComboBox->currentData().toString())
                                  .value_or(Environment::Other);
    profile.setConnection(urlFromFields());
    profile.passwordSource
            = PasswordSources::fromId(m_passwordSourceComboBox->currentData().toString())
                      .value_or(PasswordSource::Keychain);
    profile.passwordCommand = QProcess::splitCommand(m_passwordCommandLineEdit->text());
    profile.route = routeFromFields();
    profile.requiredExtensions.clear();
    for (const QString &part : m_extensionsLineEdit->text().split(u',', Qt::SkipEmptyParts)) {
        QString requirement = part.trimmed();
        requirement.replace(u" or "_s, u"|"_s).remove(u' ');
        if (!requirement.isEmpty())
            profile.requiredExtensions << requirement;
    }
    profile.notes = m_notesTextEdit->toPlainText();
    profile.color = m_color;
    return profile;
}

void ProfileForm::setColor(const QString &color)
{
    const bool changed = color != m_color;
    m_color = color;
    const QColor shown = Palette::profileColor(editedProfile());
    // An icon, not a style sheet: a styled button loses the style's look, and with it the colour
    // showed as a blank button.
    m_colorButton->setIcon(Palette::swatchIcon(shown));
    // Production stays red whatever colour the profile holds: the button names what is shown.
    const bool own = !color.isEmpty() && QColor(color) == shown;
    m_colorButton->setText(own ? shown.name() : tr("Environment's (%1)").arg(shown.name()));
    if (changed && !m_filling)
        Q_EMIT edited();
}

std::optional<QString> ProfileForm::editedPassword() const
{
    if (!m_passwordTouched)
        return std::nullopt;
    return m_passwordLineEdit->text();
}
