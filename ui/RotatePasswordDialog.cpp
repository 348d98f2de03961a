#include "RotatePasswordDialog.h"

#include "Palette.h"
#include "SecureClipboard.h"
#include "profiles/ProfileRepository.h"
#include "usecases/PasswordRotation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

QString stepText(PasswordRotation::Step step)
{
    switch (step) {
    case PasswordRotation::Step::Connected:
        return RotatePasswordDialog::tr("Logged in with the current password.");
    case PasswordRotation::Step::ServerChanged:
        return RotatePasswordDialog::tr("The server holds the new password.");
    case PasswordRotation::Step::Proven:
        return RotatePasswordDialog::tr("A fresh login with the new password worked.");
    case PasswordRotation::Step::KeychainWritten:
        break;
    }
    return RotatePasswordDialog::tr("The keychain holds the new password.");
}

} // namespace

RotatePasswordDialog::RotatePasswordDialog(const Profile &profile, ProfileRepository *repository,
                                           SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_rotation(new PasswordRotation(repository, secrets, this))
{
    setWindowTitle(tr("Rotate password"));
    setObjectName(u"rotatePasswordDialog"_s);
    auto *layout = new QVBoxLayout(this);
    const ConnectionUrl url = profile.connectionUrl();
    layout->addWidget(plainLabel(
            tr("A new generated password for role %1 on %2, set on the server (only its "
               "SCRAM-SHA-256 verifier is sent), proven by a fresh login, then saved in the "
               "keychain for \"%3\". If a step fails, the old password is put back.")
                    .arg(url.value(u"user"_s), url.value(u"host"_s) + u':' + url.value(u"port"_s),
                         profile.name),
            this));

    auto *form = new QFormLayout;
    for (const Profile &other : PasswordRotation::sharingRole(repository->profiles(), profile)) {
        auto *box = new QCheckBox(tr("Also give the new password to \"%1\"").arg(other.name), this);
        box->setChecked(true);
        box->setToolTip(tr("It logs in as the same role on the same server: the old password "
                           "stops working for it too."));
        form->addRow(box);
        m_sharing.append({other.id, box});
    }
    if (profile.environment == Environment::Production) {
        m_confirmLineEdit = new QLineEdit(this);
        m_confirmLineEdit->setObjectName(u"confirmNameLineEdit"_s);
        m_confirmLineEdit->setAccessibleName(tr("Profile name to confirm"));
        m_confirmLineEdit->setPlaceholderText(profile.name);
        form->addRow(plainLabel(tr("Type the name of this production profile:"), this),
                     m_confirmLineEdit);
        connect(m_confirmLineEdit, &QLineEdit::textChanged, this,
                &RotatePasswordDialog::updateRotateButton);
    }
    layout->addLayout(form);

    m_progressLabel = plainLabel({}, this);
    m_progressLabel->setObjectName(u"rotationProgressLabel"_s);
    layout->addWidget(m_progressLabel);
    m_outcomeLabel = plainLabel({}, this);
    m_outcomeLabel->setObjectName(u"rotationOutcomeLabel"_s);
    m_outcomeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    Palette::whenSchemeChanges(m_outcomeLabel,
                               [this]() { Palette::setTextTone(m_outcomeLabel, m_outcomeTone); });
    layout->addWidget(m_outcomeLabel);

    auto *keepRow = new QHBoxLayout;
    m_keepLineEdit = new QLineEdit(this);
    m_keepLineEdit->setObjectName(u"newPasswordLineEdit"_s);
    m_keepLineEdit->setAccessibleName(tr("The new password"));
    m_keepLineEdit->setReadOnly(true);
    m_copyButton = new QPushButton(tr("Copy password"), this);
    m_copyButton->setObjectName(u"copyNewPasswordButton"_s);
    connect(m_copyButton, &QPushButton::clicked, this,
            [this]() { SecureClipboard::copySecret(m_keepLineEdit->text()); });
    keepRow->addWidget(m_keepLineEdit, 1);
    keepRow->addWidget(m_copyButton);
    layout->addLayout(keepRow);
    m_keepLineEdit->hide();
    m_copyButton->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_rotateButton = m_buttons->addButton(tr("Rotate"), QDialogButtonBox::AcceptRole);
    m_rotateButton->setObjectName(u"rotateButton"_s);
    connect(m_rotateButton, &QPushButton::clicked, this, &RotatePasswordDialog::rotate);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_rotation, &PasswordRotation::stepPassed, this, [this](PasswordRotation::Step step) {
        m_progressLabel->setText(m_progressLabel->text() + stepText(step) + u'\n');
        // Each step adds a line: the dialog grows to show them all, wrapped text included.
        adjustSize();
    });
    updateRotateButton();
}

void RotatePasswordDialog::openFor(const Profile &profile, ProfileRepository *repository,
                                   SecretStore *secrets, QWidget *parent)
{
    auto *dialog = new RotatePasswordDialog(profile, repository, secrets, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
}

void RotatePasswordDialog::reject()
{
    // Closing mid-way would end the rotation between the server and the keychain, and drop the
    // outcome (and the one copy of a password the server may hold): the dialog stays.
    if (!m_running)
        QDialog::reject();
}

void RotatePasswordDialog::updateRotateButton()
{
    m_rotateButton->setEnabled(!m_confirmLineEdit || m_confirmLineEdit->text() == m_profile.name);
}

void RotatePasswordDialog::rotate()
{
    QStringList alsoUpdate;
    for (const auto &[id, box] : std::as_const(m_sharing)) {
        if (box->isChecked())
            alsoUpdate << id;
        box->setEnabled(false);
    }
    m_rotateButton->setEnabled(false);
    if (m_confirmLineEdit)
        m_confirmLineEdit->setReadOnly(true);
    m_running = true;
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(false);
    m_progressLabel->setText({});
    m_rotation->start(
            // Nothing typed when no name was asked for: should the profile have become a
            // production one meanwhile, the rotation refuses.
            m_profile.id, m_confirmLineEdit ? m_confirmLineEdit->text() : QString(),
            PasswordRotation::DefaultLength, alsoUpdate,
            [this](const PasswordRotation::Outcome &outcome) {
                m_running = false;
                if (m_confirmLineEdit)
                    m_confirmLineEdit->disconnect(this);
                m_buttons->clear(); // deletes the Rotate button
                m_rotateButton = nullptr;
                m_buttons->addButton(QDialogButtonBox::Close);
                m_outcomeTone = outcome.result.ok() ? &Palette::okColor : &Palette::failColor;
                Palette::setTextTone(m_outcomeLabel, m_outcomeTone);
                if (outcome.result.ok()) {
                    QStringList lines{tr("Rotated: the server, the keychain and the profile "
                                         "hold the new password.")};
                    lines << outcome.result.warnings;
                    m_outcomeLabel->setText(lines.join(u'\n'));
                    adjustSize();
                    return;
                }
                m_outcomeLabel->setText(outcome.result.errorText());
                if (outcome.passwordToKeep) {
                    m_keepLineEdit->setText(*outcome.passwordToKeep);
                    m_keepLineEdit->show();
                    m_copyButton->show();
                }
                adjustSize();
            });
}
