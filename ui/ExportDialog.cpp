#include "ExportDialog.h"
#include "SavedFile.h"

#include "AsyncTask.h"
#include "Palette.h"
#include "SecureClipboard.h"
#include "interop/ProfileExchange.h"
#include "secrets/SecretStore.h"
#include "security/SecurityAudit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::Literals::StringLiterals;

ExportDialog::ExportDialog(const Profile &profile, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_secrets(secrets)
{
    setWindowTitle(tr("Export %1").arg(profile.name));
    resize(640, 420);
    auto *layout = new QVBoxLayout(this);
    m_formatComboBox = new QComboBox(this);
    m_formatComboBox->setObjectName(u"formatComboBox"_s);
    m_formatComboBox->addItem(tr(".env file"), u"env"_s);
    m_formatComboBox->addItem(tr("pg_service.conf section"), u"pg-service"_s);
    m_formatComboBox->addItem(tr("docker compose environment block"), u"compose"_s);
    m_formatComboBox->addItem(tr("SQLAlchemy create_engine(...)"), u"sqlalchemy"_s);
    m_formatComboBox->addItem(tr("psql command line"), u"psql"_s);
    // A visible label: a screen reader names a combo box by its label.
    auto *formatLabel = new QLabel(tr("&Format"), this);
    formatLabel->setBuddy(m_formatComboBox);
    layout->addWidget(formatLabel);
    layout->addWidget(m_formatComboBox);
    m_passwordCheckBox = new QCheckBox(tr("Include the password"), this);
    m_passwordCheckBox->setObjectName(u"includePasswordCheckBox"_s);
    m_passwordCheckBox->setEnabled(profile.hasStoredPassword());
    layout->addWidget(m_passwordCheckBox);
    m_warningLabel = new QLabel(this);
    m_warningLabel->setObjectName(u"exportWarningLabel"_s);
    m_warningLabel->setTextFormat(Qt::PlainText);
    m_warningLabel->setWordWrap(true);
    Palette::keepStyleSheet(m_warningLabel, &Palette::errorTextStyle);
    layout->addWidget(m_warningLabel);
    m_previewTextEdit = new QPlainTextEdit(this);
    m_previewTextEdit->setObjectName(u"exportPreviewTextEdit"_s);
    m_previewTextEdit->setAccessibleName(tr("Exported text"));
    m_previewTextEdit->setReadOnly(true);
    m_previewTextEdit->setFont(QFont(u"monospace"_s));
    layout->addWidget(m_previewTextEdit, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(u"copyExportButton"_s);
    auto *save = buttons->addButton(tr("Save as..."), QDialogButtonBox::ActionRole);
    save->setObjectName(u"saveExportButton"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this, [this]() {
        if (m_password && m_passwordCheckBox->isChecked())
            SecureClipboard::copySecret(text());
        else
            SecureClipboard::copyText(text());
    });
    connect(save, &QPushButton::clicked, this, &ExportDialog::saveAs);
    layout->addWidget(buttons);

    connect(m_formatComboBox, &QComboBox::currentIndexChanged, this, &ExportDialog::refresh);
    connect(m_passwordCheckBox, &QCheckBox::toggled, this, [this](bool include) {
        if (include && !m_password) {
            // Read only now that the user asked for it.
            m_secrets->readPassword(m_profile.id, this, [this](const SecretResult &result) {
                if (result.ok())
                    m_password = result.password;
                else
                    m_warningLabel->setText(result.message);
                refresh();
            });
            return;
        }
        refresh();
    });
    refresh();
}

QString ExportDialog::text() const
{
    const auto format = ProfileExchange::formatFromId(m_formatComboBox->currentData().toString());
    const bool include = m_passwordCheckBox->isChecked() && m_password;
    return ProfileExchange::write(m_profile, format.value_or(ProfileExchange::Format::Env),
                                  include ? m_password : std::nullopt);
}

void ExportDialog::refresh()
{
    const bool include = m_passwordCheckBox->isChecked() && m_password;
    m_warningLabel->setText(include ? tr("The text holds the password: keep it out of version "
                                         "control, chat and tickets.")
                                    : QString());
    m_previewTextEdit->setPlainText(text());
    Q_EMIT textChanged();
}

QString ExportDialog::gitWarning(const QString &path, bool withPassword)
{
    if (!withPassword)
        return {};
    const std::optional<bool> committable = SecurityAudit::committableByGit(path);
    if (!committable || !*committable)
        return {};
    return tr("%1 is inside a git working tree and not ignored: the password would be committed "
              "with the next \"git add\". Add it to .gitignore first.")
            .arg(path);
}

void ExportDialog::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save export"));
    if (!path.isEmpty())
        saveAfterGitCheck(path);
}

void ExportDialog::saveAfterGitCheck(const QString &path)
{
    // What is saved is decided now, once: a password that arrives from the keychain while git
    // runs cannot slip into a file that git would commit without the question below.
    const bool withPassword = m_passwordCheckBox->isChecked() && m_password.has_value();
    const QByteArray bytes = text().toUtf8();
    const SavedFile::Access access
            = withPassword ? SavedFile::Access::OwnerOnly : SavedFile::Access::Default;
    // The window that opened the dialog sees the save through: the dialog may be closed (and
    // deleted) before git or the disk answers, and the file is still written, or said not to be.
    QWidget *owner = parentWidget() ? parentWidget()->window() : this;
    const QPointer<ExportDialog> dialog(this);
    // git runs on the pool; the question, if any, opens without nesting an event loop.
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path, withPassword]() { return gitWarning(path, withPassword); }, owner,
            [owner, dialog, path, bytes, access](const QString &warning) {
                if (warning.isEmpty()) {
                    saveReportingFailure(owner, dialog, path, bytes, access);
                    return;
                }
                QWidget *asker = dialog ? static_cast<QWidget *>(dialog.data()) : owner;
                auto *box = new QMessageBox(QMessageBox::Warning,
                                            tr("Password in a git working tree"), warning,
                                            QMessageBox::Save | QMessageBox::Cancel, asker);
                box->setObjectName(u"gitWarningMessageBox"_s);
                box->setTextFormat(Qt::PlainText);
                box->setAttribute(Qt::WA_DeleteOnClose);
                connect(box, &QMessageBox::finished, owner,
                        [owner, dialog, path, bytes, access](int answer) {
                            if (answer == QMessageBox::Save)
                                saveReportingFailure(owner, dialog, path, bytes, access);
                        });
                box->open();
            });
}

void ExportDialog::saveReportingFailure(QWidget *owner, const QPointer<ExportDialog> &dialog,
                                        const QString &path, const QByteArray &bytes,
                                        SavedFile::Access access)
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path, bytes, access]() { return SavedFile::write(path, bytes, access); }, owner,
            [dialog, owner, path](const QString &error) {
                if (dialog)
                    Q_EMIT dialog->saved(path, error);
                if (error.isEmpty())
                    return;
                auto *box = new QMessageBox(QMessageBox::Warning, tr("Not saved"),
                                            tr("%1 was not saved: %2").arg(path, error),
                                            QMessageBox::Ok, owner);
                box->setObjectName(u"notSavedMessageBox"_s);
                box->setTextFormat(Qt::PlainText);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
}
