#include "ProfileEditor.h"

#include "PageScrollArea.h"
#include "Palette.h"
#include "ProfileForm.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

ProfileEditor::ProfileEditor(SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
{
    m_form = new ProfileForm(m_profile, secrets, this);
    buildUi();
}

void ProfileEditor::buildUi()
{
    auto *outer = new QVBoxLayout(this);

    m_conflictFrame = new QFrame(this);
    m_conflictFrame->setObjectName(u"conflictFrame"_s);
    auto styleConflictFrame = [this]() {
        m_conflictFrame->setStyleSheet(Palette::warningFrameStyle(m_conflictFrame->objectName()));
    };
    styleConflictFrame();
    Palette::whenSchemeChanges(m_conflictFrame, styleConflictFrame);
    auto *conflictLayout = new QHBoxLayout(m_conflictFrame);
    m_conflictLabel = new QLabel(m_conflictFrame);
    m_conflictLabel->setObjectName(u"conflictLabel"_s);
    m_conflictLabel->setTextFormat(Qt::PlainText);
    m_conflictLabel->setWordWrap(true);
    auto *keepMine = new QPushButton(tr("Keep mine"), m_conflictFrame);
    keepMine->setObjectName(u"keepMineButton"_s);
    keepMine->setToolTip(tr("Keep the edits in this form; Save then replaces the other version"));
    auto *takeTheirs = new QPushButton(tr("Take theirs"), m_conflictFrame);
    takeTheirs->setObjectName(u"takeTheirsButton"_s);
    takeTheirs->setToolTip(tr("Drop the edits in this form and show the saved version"));
    conflictLayout->addWidget(m_conflictLabel, 1);
    conflictLayout->addWidget(keepMine);
    conflictLayout->addWidget(takeTheirs);
    connect(keepMine, &QPushButton::clicked, this, [this]() { resolveConflict(true); });
    connect(takeTheirs, &QPushButton::clicked, this, [this]() { resolveConflict(false); });
    m_conflictFrame->hide();
    outer->addWidget(m_conflictFrame);
    connect(m_form, &ProfileForm::edited, this, [this]() {
        updateSaveButton();
        setDirty(true);
    });
    // The form scrolls; the conflict banner above it and Save below it stay in sight.
    QScrollArea *scroll = pageScrollArea(m_form, u"editorScrollArea"_s, tr("Profile"),
                                         ScrollFocus::Controls, this);
    outer->addWidget(scroll, 1);

    auto *buttons = new QHBoxLayout;
    m_saveButton = new QPushButton(tr("Save"), this);
    m_saveButton->setObjectName(u"saveButton"_s);
    m_saveButton->setShortcut(QKeySequence::Save);
    m_revertButton = new QPushButton(tr("Revert"), this);
    m_revertButton->setObjectName(u"revertButton"_s);
    m_revertButton->setEnabled(false); // nothing to revert until something is edited
    buttons->addStretch(1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_saveButton);
    outer->addLayout(buttons);

    // Tab follows the reading order: the conflict's buttons above the form, Revert before Save.
    setTabOrder(takeTheirs, scroll);
    setTabOrder(m_revertButton, m_saveButton);

    connect(m_saveButton, &QPushButton::clicked, this, &ProfileEditor::save);
    connect(m_revertButton, &QPushButton::clicked, this, &ProfileEditor::revert);
}

void ProfileEditor::setProfile(const Profile &profile)
{
    m_profile = profile;
    m_theirs.reset();
    m_submitted.reset();
    m_overwrite = false;
    m_conflictFrame->hide();
    // From the copy: profile may be *m_theirs, which was just reset.
    m_form->fill(m_profile, ProfileForm::TypedPassword::Forget);
    setDirty(false);
    validate();
}

void ProfileEditor::showSavedVersion(const Profile &saved)
{
    if (saved.id != m_profile.id || !m_dirty)
        return setProfile(saved);
    if (m_submitted && saved.editorFields() == m_submitted->editorFields()) {
        // Our own save came back. What was typed since it was sent stays, on top of it.
        const bool typedSince = !(editedProfile().editorFields() == m_submitted->editorFields())
                || editedPassword() != m_submittedPassword || m_submittedSshSecret.has_value();
        m_submitted.reset();
        if (!typedSince)
            return setProfile(saved);
        return rebaseOnto(saved, editedProfile());
    }
    const Profile::EditorMerge merge
            = Profile::mergeEditorFields(m_profile, editedProfile(), saved);
    if (merge.conflicts.isEmpty()) {
        // Changes made elsewhere to other fields join the edits in the form.
        if (merge.merged.editorFields() == saved.editorFields() && !m_form->secretsTouched())
            return setProfile(saved);
        return rebaseOnto(saved, merge.merged);
    }
    m_theirs = saved;
    showConflict(tr("\"%1\" was changed elsewhere (another window or the command line) while "
                    "you were editing its %2. Keep your version of those, or take the saved "
                    "version?")
                         .arg(saved.name, merge.conflicts.join(u", "_s)));
}

void ProfileEditor::rebaseOnto(const Profile &saved, const Profile &form)
{
    m_profile = saved;
    m_overwrite = false;
    if (!(form.editorFields() == editedProfile().editorFields()))
        m_form->fill(form, ProfileForm::TypedPassword::Keep);
    m_form->followSavedSshSecret();
    setDirty(!(form.editorFields() == saved.editorFields()) || m_form->secretsTouched());
    validate();
}

bool ProfileEditor::hasUnsavedEdits() const
{
    if (!m_dirty)
        return false;
    if (!m_submitted)
        return true;
    return !(editedProfile().editorFields() == m_submitted->editorFields())
            || editedPassword() != m_submittedPassword;
}

void ProfileEditor::sshSecretSaved()
{
    m_submittedSshSecret.reset();
    m_form->forgetSshSecret();
}

void ProfileEditor::saveFailed()
{
    m_submitted.reset();
    m_submittedSshSecret.reset();
    validate();
}

void ProfileEditor::showRemovedElsewhere()
{
    if (!m_dirty)
        return;
    m_theirs.reset();
    showConflict(tr("\"%1\" was deleted elsewhere (another window or the command line) while "
                    "you were editing it. Keep your edits (Save adds it again), or let it go?")
                         .arg(m_profile.name));
}

bool ProfileEditor::hasConflict() const
{
    return m_conflictFrame->isVisibleTo(this);
}

void ProfileEditor::showConflict(const QString &text)
{
    m_submitted.reset();
    m_conflictLabel->setText(text);
    m_conflictFrame->show();
    m_saveButton->setEnabled(false);
}

void ProfileEditor::resolveConflict(bool keepMine)
{
    m_conflictFrame->hide();
    if (!keepMine) {
        if (m_theirs)
            return setProfile(*m_theirs);
        // The profile is gone: nothing to show; the owner moves on to another.
        return setDirty(false);
    }
    if (!m_theirs) {
        // Deleted elsewhere: the next Save adds it again.
        m_overwrite = true;
        return validate();
    }
    // Keep mine where both changed; take theirs where only they did.
    const Profile theirs = *std::exchange(m_theirs, std::nullopt);
    rebaseOnto(theirs, Profile::mergeEditorFields(m_profile, editedProfile(), theirs).merged);
}

void ProfileEditor::revert()
{
    setProfile(m_profile);
}

QStringList ProfileEditor::problems() const
{
    return m_form->problems();
}

void ProfileEditor::validate()
{
    m_form->validate();
    updateSaveButton();
}

void ProfileEditor::updateSaveButton()
{
    m_saveButton->setEnabled(problems().isEmpty() && !hasConflict() && !m_submitted);
}

void ProfileEditor::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    m_revertButton->setEnabled(dirty);
    Q_EMIT dirtyChanged(dirty);
}

Profile ProfileEditor::editedProfile() const
{
    return m_form->editedProfile();
}

void ProfileEditor::setColor(const QString &color)
{
    m_form->setColor(color);
}

std::optional<QString> ProfileEditor::editedPassword() const
{
    return m_form->editedPassword();
}

std::optional<ProfileForm::SshSecretEdit> ProfileEditor::editedSshSecret() const
{
    return m_form->editedSshSecret();
}

void ProfileEditor::save()
{
    validate();
    if (!problems().isEmpty())
        return;
    // One save at a time: a second one would carry a baseline the first is about to change.
    if (hasConflict() || m_submitted)
        return;
    m_submitted = editedProfile();
    m_submittedPassword = editedPassword();
    m_submittedSshSecret = editedSshSecret();
    Q_EMIT saveRequested(m_profile, *m_submitted, m_submittedPassword, m_overwrite);
}
