#include "MainWindow.h"

#include "ExportDialog.h"
#include "FirstFrame.h"
#include "FramedPage.h"
#include "HelpDialogs.h"
#include "MainMenus.h"
#include "Palette.h"
#include "ProfileBar.h"
#include "ProfileEditor.h"
#include "ProfileListController.h"
#include "ProfileListView.h"
#include "ProfilePages.h"
#include "RotatePasswordDialog.h"
#include "SecureClipboard.h"
#include "WindowSettings.h"
#include "history/HistoryChanges.h"
#include "history/HistoryReader.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "history/RecentTests.h"
#include "history/TestOutcome.h"
#include "profiles/FingerprintCheck.h"
#include "secrets/SecretStore.h"
#include "usecases/ProfileActions.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

MainWindow::MainWindow(const QString &configDirectory, QWidget *parent)
    : QMainWindow(parent)
    , m_repository(new ProfileRepository(configDirectory, this))
    , m_settings(std::make_unique<WindowSettings>(configDirectory))
    , m_secrets(new SecretStore(this))
    , m_actions(new ProfileActions(m_repository, m_secrets, this))
    , m_listController(new ProfileListController(
              m_repository, m_actions,
              [this](std::function<void()> retry) { return confirmLeavingEdits(std::move(retry)); },
              this))
    , m_configDirectory(configDirectory)
{
    // Another window or a command in a terminal may change the profiles at any time. The
    // worker reads them while the widgets are built; what it finds arrives as signals, after
    // the connections below.
    m_repository->watchFile();
    m_repository->load();
    m_recentTests = new RecentTests(historyReader(), this);
    buildUi();
    connect(m_recentTests, &RecentTests::changed, this, &MainWindow::showTestStatus);
    m_statusClock = new QTimer(this);
    m_statusClock->setInterval(60 * 1000);
    // Each minute: "2 min ago" moves on, and a test of another profile run in a terminal
    // shows in the sidebar (the profile on screen follows the file sooner, below).
    connect(m_statusClock, &QTimer::timeout, this, [this]() {
        for (const Profile &profile : m_repository->profiles()) {
            showListStatus(profile.id);
            m_recentTests->refresh(profile.id);
        }
    });
    m_statusClock->start();
    // A `check` of the profile on screen, run in a terminal beside the window, shows within a
    // second or two, without a click. Watched from the first frame on: nothing before it needs it.
    FirstFrame::then(this, [this]() {
        auto *changes = new HistoryChanges(HistoryStore::pathIn(m_configDirectory), this);
        connect(changes, &HistoryChanges::changed, this, [this]() {
            if (!m_currentId.isEmpty())
                m_recentTests->refresh(m_currentId);
        });
    });
    connect(m_repository, &ProfileRepository::problemReported, this,
            [this](const QString &message) { showMessage(message, true); });
    connect(m_repository, &ProfileRepository::profilesChanged, this, &MainWindow::reloadTree);
    connect(m_repository, &ProfileRepository::profileChanged, this, &MainWindow::onProfileChanged);
    connect(m_repository, &ProfileRepository::profileRemoved, this, &MainWindow::onProfileRemoved);
    connect(m_repository, &ProfileRepository::loaded, this, &MainWindow::onLoaded);
    reloadTree();
    Palette::whenSchemeChanges(this, [this]() { followTheScheme(); });
    restoreGeometry(m_settings->value(WindowSettings::geometry));
}

MainWindow::~MainWindow() = default;

void MainWindow::onLoaded()
{
    if (!m_pendingProfileName.isEmpty()) {
        const QString name = std::exchange(m_pendingProfileName, QString());
        if (selectProfileByName(name))
            return;
    }
    // Open on the profile that was open when the window last closed, else the first.
    const QString last = m_settings->value(WindowSettings::lastProfile);
    if (m_repository->findById(last))
        showProfile(last);
    else
        showFirstProfile();
}

void MainWindow::showFirstProfile()
{
    m_currentId.clear();
    if (!m_repository->profiles().isEmpty())
        showProfile(m_repository->profiles().first().id);
    else
        reloadTree();
}

void MainWindow::onProfileChanged(const QString &profileId)
{
    if (profileId != m_currentId)
        return;
    const auto profile = m_repository->findById(profileId);
    if (!profile)
        return;
    if (ProfileEditor *editor = m_pages->editor())
        editor->showSavedVersion(*profile);
    showInViews(*profile);
}

void MainWindow::onProfileRemoved(const QString &profileId)
{
    if (profileId != m_currentId)
        return;
    if (m_pages->editor() && m_pages->editor()->isDirty()) {
        // The edits are the user's: they decide (Keep mine saves the profile again).
        m_pages->editor()->showRemovedElsewhere();
        return;
    }
    showFirstProfile();
}

void MainWindow::buildUi()
{
    setWindowTitle(tr("OrderFlow DB Admin"));
    resize(1100, 720);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);

    m_messageLabel = new QLabel(central);
    m_messageLabel->setObjectName(u"messageLabel"_s);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setVisible(false);
    layout->addWidget(m_messageLabel);

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    m_list = new ProfileListView(splitter);
    connect(m_list, &ProfileListView::profileActivated, this, [this](const QString &profileId) {
        // The user kept the unsaved edits: stay where we were.
        if (!showProfile(profileId))
            m_list->setCurrentProfile(m_currentId);
    });
    connect(m_list, &ProfileListView::addClicked, m_listController,
            &ProfileListController::addProfile);
    connect(m_list, &ProfileListView::duplicateClicked, this,
            [this]() { m_listController->duplicateProfile(m_currentId); });
    connect(m_list, &ProfileListView::deleteClicked, this,
            [this]() { m_listController->deleteProfile(m_currentId); });
    connect(m_list, &ProfileListView::importClicked, m_listController,
            &ProfileListController::importFile);
    connect(m_listController, &ProfileListController::messageReported, this,
            &MainWindow::showMessage);
    connect(m_listController, &ProfileListController::templatesAdded, this,
            &MainWindow::showFirstProfile);
    connect(m_listController, &ProfileListController::profileDuplicated, this,
            &MainWindow::showProfile);
    connect(m_listController, &ProfileListController::profileAdded, this,
            [this](const QString &profileId) {
                showProfile(profileId);
                m_pages->showPage(ProfilePages::EditorPage);
                m_pages->editor()->findChild<QLineEdit *>(u"nameLineEdit"_s)->setFocus();
            });

    m_stack = new QStackedWidget(splitter);
    m_emptyPage = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(m_emptyPage);
    emptyLayout->addStretch(1);
    m_emptyLabel = new QLabel(m_emptyPage);
    m_emptyLabel->setObjectName(u"emptyLabel"_s);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    emptyLayout->addWidget(m_emptyLabel);
    m_templatesButton = new QPushButton(
            tr("Add the Development, Staging, Production and Test profiles"), m_emptyPage);
    m_templatesButton->setObjectName(u"templatesButton"_s);
    connect(m_templatesButton, &QPushButton::clicked, m_listController,
            &ProfileListController::addTemplates);
    emptyLayout->addWidget(m_templatesButton, 0, Qt::AlignCenter);
    emptyLayout->addStretch(1);
    m_stack->addWidget(m_emptyPage);

    m_profilePage = new FramedPage(u"profileFrame"_s, m_stack);
    auto *frameLayout = new QVBoxLayout(m_profilePage->content());
    m_bar = new ProfileBar(m_profilePage->content());
    connect(m_bar, &ProfileBar::copyUrlClicked, this, [this]() { copyUrl(false); });
    connect(m_bar, &ProfileBar::copyUrlWithPasswordClicked, this, [this]() { copyUrl(true); });
    connect(m_bar, &ProfileBar::exportClicked, this, &MainWindow::exportProfile);
    frameLayout->addWidget(m_bar);

    m_pages = new ProfilePages(
            m_secrets, m_repository, m_recentTests, [this]() { return m_currentId; },
            m_profilePage->content());
    m_pages->setHistoryReader([this]() { return historyReader(); });
    frameLayout->addWidget(m_pages, 1);
    m_stack->addWidget(m_profilePage);

    connect(m_pages, &ProfilePages::saveRequested, this, &MainWindow::saveEdits);
    connect(m_pages, &ProfilePages::editorDirtyChanged, this, [this](bool dirty) {
        m_list->setUnsaved(dirty ? m_currentId : QString());
        // "Take theirs" on a profile deleted elsewhere: move on.
        if (!dirty && !m_currentId.isEmpty() && m_repository->isLoaded()
            && !m_repository->findById(m_currentId))
            showFirstProfile();
    });
    connect(m_pages, &ProfilePages::poolSettingsEdited, this, &MainWindow::savePoolSettings);
    connect(m_pages, &ProfilePages::attemptFinished, this,
            [this](const AttemptResult &result, const CheckVerdict &verdict) {
                if (result.cancelled)
                    return;
                rememberTest(result, verdict);
                if (result.ok && result.snapshot)
                    checkFingerprint(m_currentId, *result.snapshot);
            });
    connect(m_pages, &ProfilePages::poolSampled, this,
            [this](const QString &profileId, const ActivitySample &sample) {
                const auto profile = m_repository->findById(profileId);
                if (profile)
                    history()->record(
                            HistorySample::of(profileId, sample, profile->pool.capacity()));
            });
    connect(m_pages, &ProfilePages::serverRefreshed, this, [this](const ServerSnapshot &snapshot) {
        // The last test's required checks, against what the server has now: an extension
        // created on the Server page turns the light green without another test.
        // The test keeps its time: a refresh is not a test.
        const auto profile = m_repository->findById(m_currentId);
        if (profile && m_lastAttemptProfileId == m_currentId && m_lastAttempt.ok) {
            m_lastAttempt.snapshot = snapshot;
            const CheckVerdict verdict = CheckVerdict::of(m_lastAttempt, &*profile);
            m_bar->setStatusLight(ProfileBar::lightOf(verdict.health), verdict.summary);
        } else {
            m_bar->setStatusLight(ProfileBar::StatusLight::Ok, tr("Connected"));
        }
        checkFingerprint(m_currentId, snapshot);
    });
    connect(m_pages, &ProfilePages::serverRefreshFailed, this,
            [this](const AttemptResult &failure) {
                m_bar->setStatusLight(ProfileBar::StatusLight::Failed,
                                      failure.diagnosis.headline());
            });

    splitter->addWidget(m_list);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    // Dragged to its edge, a side stops at its minimum width instead of vanishing.
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({260, 840});
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    // Ctrl+1..9 switch to the n-th visible profile.
    for (int n = 1; n <= 9; ++n) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + n)), this);
        connect(shortcut, &QShortcut::activated, this, [this, n]() {
            const QString profileId = m_list->visibleProfileId(n - 1);
            if (!profileId.isEmpty())
                showProfile(profileId);
        });
    }
    buildMenus();
}

void MainWindow::buildMenus()
{
    QStringList pageNames;
    for (int index = 0; index < m_pages->count(); ++index)
        pageNames << m_pages->tabText(index);
    m_menus = new MainMenus(this, pageNames);
    using Command = MainMenus::Command;
    auto on = [this](Command command, auto slot) {
        connect(m_menus->action(command), &QAction::triggered, this, slot);
    };
    on(Command::NewProfile, [this]() { m_listController->addProfile(); });
    on(Command::Import, [this]() { m_listController->importFile(); });
    on(Command::Export, &MainWindow::exportProfile);
    on(Command::ImportCatalogue, [this]() { m_listController->importCatalogueFile(); });
    on(Command::ExportCatalogue, [this]() { m_listController->exportCatalogueFile(); });
    on(Command::Quit, &QWidget::close);
    on(Command::Duplicate, [this]() { m_listController->duplicateProfile(m_currentId); });
    on(Command::Delete, [this]() { m_listController->deleteProfile(m_currentId); });
    on(Command::CopyUrl, [this]() { copyUrl(false); });
    on(Command::CopyUrlWithPassword, [this]() { copyUrl(true); });
    on(Command::Find, [this]() { m_list->focusFilter(); });
    on(Command::TestConnection, [this]() {
        if (!m_currentId.isEmpty())
            m_pages->startTest();
    });
    on(Command::RotatePassword, [this]() {
        if (const auto profile = m_repository->findById(m_currentId))
            RotatePasswordDialog::openFor(*profile, m_repository, m_secrets, this);
    });
    on(Command::ShowReadme, [this]() { HelpDialogs::showReadme(this); });
    on(Command::ShowAbout, [this]() { HelpDialogs::showAbout(this); });
    connect(m_menus, &MainMenus::pageChosen, this, [this](int index) {
        if (!m_currentId.isEmpty())
            m_pages->showPage(ProfilePages::Page(index));
    });
    m_list->setContextActions(m_menus->profileActions());
}

void MainWindow::reloadTree()
{
    m_list->setProfiles(m_repository->profiles(), m_currentId);
    // The list is drawn anew: each profile's last test again, read once from the file (a
    // profile added in a terminal may have been tested there).
    for (const Profile &profile : m_repository->profiles()) {
        showListStatus(profile.id);
        m_recentTests->readOnce(profile.id);
    }
    const bool empty = m_repository->profiles().isEmpty();
    m_templatesButton->setVisible(empty);
    m_emptyLabel->setText(empty ? tr("No profiles yet. Start from the standard OrderFlow "
                                     "environments (no passwords are stored until you add them).")
                                : tr("Select a profile."));
    // A profile deleted elsewhere stays on screen while its unsaved edits wait for a decision.
    const bool shown = !m_currentId.isEmpty()
            && (m_repository->findById(m_currentId)
                || (m_pages->editor() && m_pages->editor()->hasConflict()));
    if (!shown) {
        m_stack->setCurrentWidget(m_emptyPage);
        if (m_menus)
            m_menus->setProfile(nullptr);
    }
}

bool MainWindow::confirmLeavingEdits(std::function<void()> proceed)
{
    ProfileEditor *editor = m_pages->editor();
    // What a save under way carries is not lost by leaving: it is being saved.
    if (!editor || !editor->hasUnsavedEdits())
        return true;
    // One question at a time; the user answers the one already open.
    if (m_leaveEditsBox)
        return false;
    // Also reached from callbacks (an action retried after a save): open(), never a nested
    // event loop.
    m_leaveEditsBox = new QMessageBox(
            QMessageBox::Question, tr("Unsaved changes"),
            tr("The profile \"%1\" has unsaved changes.").arg(editor->editedProfile().name),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    m_leaveEditsBox->setObjectName(u"unsavedChangesBox"_s);
    m_leaveEditsBox->setTextFormat(Qt::PlainText);
    m_leaveEditsBox->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_leaveEditsBox, &QMessageBox::buttonClicked, this,
            [this, proceed = std::move(proceed)](QAbstractButton *button) {
                const QMessageBox::StandardButton answer = m_leaveEditsBox->standardButton(button);
                // Answered: the next question may open while this box is being deleted.
                m_leaveEditsBox = nullptr;
                ProfileEditor *edited = m_pages->editor();
                switch (answer) {
                case QMessageBox::Save:
                    if (!edited->problems().isEmpty() || edited->hasConflict())
                        return;
                    // The save finishes in the background; what the user asked for follows it.
                    m_afterSave = proceed;
                    edited->save();
                    return;
                case QMessageBox::Discard:
                    edited->revert();
                    proceed();
                    return;
                default:
                    return;
                }
            });
    m_leaveEditsBox->open();
    return false;
}

bool MainWindow::showProfile(const QString &profileId)
{
    const auto profile = m_repository->findById(profileId);
    if (!profile)
        return false;
    if (profileId != m_currentId
        && !confirmLeavingEdits([this, profileId]() { showProfile(profileId); }))
        return false;
    const bool changed = profileId != m_currentId;
    // A message about the previous profile does not stay under another's name.
    if (changed)
        showMessage(QString(), false);
    m_currentId = profileId;
    m_settings->setValue(WindowSettings::lastProfile, profileId);
    ProfileEditor *editor = m_pages->editor();
    if (editor && (changed || !editor->isDirty()))
        editor->setProfile(*profile);
    showInViews(*profile);
    m_stack->setCurrentWidget(m_profilePage);
    if (changed) {
        showTestStatus(profileId);
        // It may have been tested in a terminal since it was read.
        m_recentTests->refresh(profileId);
    }
    m_list->setCurrentProfile(profileId);

    // The first time a production profile opens on this machine, say so.
    if (profile->environment == Environment::Production) {
        const Setting<bool> seen = WindowSettings::seenProduction(profile->id);
        if (!m_settings->value(seen)) {
            m_settings->setValue(seen, true);
            showMessage(tr("You are opening the production profile \"%1\" on this machine for the "
                           "first time. It reaches the live database: changes to the server ask "
                           "you to type the profile's name.")
                                .arg(profile->name),
                        true);
        }
    }
    Q_EMIT profileSelected(profileId);
    return true;
}

void MainWindow::showInViews(const Profile &profile)
{
    m_pages->showProfile(profile);
    updateHeader(profile);
    m_menus->setProfile(&profile);
}

void MainWindow::updateHeader(const Profile &profile)
{
    m_bar->setProfile(profile);
    const bool production = profile.environment == Environment::Production;
    styleFrame(profile);
    setWindowTitle(production ? tr("PRODUCTION - %1 - OrderFlow DB Admin").arg(profile.name)
                              : tr("%1 (%2) - OrderFlow DB Admin")
                                        .arg(profile.name,
                                             Environments::displayName(profile.environment)));
}

bool MainWindow::selectProfileByName(const QString &name)
{
    if (!m_repository->isLoaded()) {
        m_pendingProfileName = name;
        return true;
    }
    const auto profile = m_repository->findByName(name);
    if (!profile) {
        showMessage(tr("There is no profile named \"%1\".").arg(name), true);
        return false;
    }
    return showProfile(profile->id);
}

void MainWindow::importFrom(const QString &path)
{
    m_listController->importFrom(path);
}

void MainWindow::copyUrl(bool withPassword)
{
    const auto profile = m_repository->findById(m_currentId);
    if (!withPassword) {
        if (profile)
            SecureClipboard::copyText(
                    profile->connectionUrl().toUrl(ConnectionUrl::PasswordMode::Omit));
        return;
    }
    if (!profile || !profile->hasStoredPassword())
        return showMessage(tr("No password is stored for this profile."), true);
    const Profile &chosen = *profile;
    m_secrets->readPassword(chosen.id, this, [this, chosen](const SecretResult &result) {
        if (!result.ok())
            return showMessage(result.message, true);
        ConnectionUrl url = chosen.connectionUrl();
        url.setValue(u"password"_s, result.password);
        SecureClipboard::copySecret(url.toUrl());
        showMessage(tr("The URL with its password is on the clipboard for 30 seconds."), false);
    });
}

void MainWindow::exportProfile()
{
    if (const auto profile = m_repository->findById(m_currentId)) {
        auto *dialog = new ExportDialog(*profile, m_secrets, this);
        dialog->setObjectName(u"exportDialog"_s);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    }
}
void MainWindow::saveEdits(const Profile &baseline, const Profile &edited,
                           const std::optional<QString> &password, bool overwrite)
{
    // Taken now: the form is filled again once the fields are saved.
    const auto sshSecret = m_pages->editor()->editedSshSecret();
    m_actions->saveEdits(
            baseline, edited, password, overwrite, this,
            [this, sshSecret](const ProfileActionResult &result) {
                // The editor asked for this save, so it exists.
                ProfileEditor *editor = m_pages->editor();
                if (m_listController->reportFailure(result, tr("The profile was not saved"))) {
                    m_afterSave = {};
                    // A conflict also shows in the editor, with Keep mine / Take
                    // theirs.
                    editor->saveFailed();
                    return;
                }
                const Profile &saved = result.profiles.constFirst();
                if (!sshSecret)
                    return showSaved(saved);
                // The SSH secret next, as its own keychain entry and the kind in the file.
                m_actions->setSshSecret(
                        saved.id, sshSecret->kind, sshSecret->secret, this,
                        [this, saved](const ProfileActionResult &secretResult) {
                            ProfileEditor *shownEditor = m_pages->editor();
                            const bool shown = saved.id == m_currentId;
                            if (m_listController->reportFailure(
                                        secretResult,
                                        tr("The SSH passphrase or password was not saved"))) {
                                // What waited for the save (leaving, quitting) waits on: the
                                // typed secret stays in its field for another Save.
                                m_afterSave = {};
                                if (shown)
                                    shownEditor->saveFailed();
                                return;
                            }
                            if (shown)
                                shownEditor->sshSecretSaved();
                            showSaved(secretResult.profiles.constFirst());
                        });
            });
}

void MainWindow::showSaved(const Profile &saved)
{
    auto afterSave = std::exchange(m_afterSave, {});
    if (saved.id == m_currentId)
        m_pages->editor()->showSavedVersion(saved);
    if (afterSave)
        afterSave();
}

void MainWindow::savePoolSettings(const QString &profileId, const PoolSettings &pool,
                                  const PgBouncerTarget &pgbouncer)
{
    m_repository->edit(
            profileId,
            [pool, pgbouncer](Profile &profile) {
                profile.pool = pool;
                profile.pgbouncer = pgbouncer;
            },
            this,
            [this](const ProfileChangeResult &result) {
                if (!result.ok())
                    showMessage(tr("The pool settings were not saved: %1").arg(result.error), true);
            });
}

HistoryWriter *MainWindow::history()
{
    if (!m_history) {
        m_history = new HistoryWriter(HistoryStore::pathIn(m_configDirectory), {}, this);
        connect(m_history, &HistoryWriter::problemReported, this,
                [this](const QString &problem) { showMessage(problem, true); });
    }
    return m_history;
}

HistoryReader *MainWindow::historyReader()
{
    if (!m_historyReader)
        m_historyReader = new HistoryReader(HistoryStore::pathIn(m_configDirectory), this);
    return m_historyReader;
}

void MainWindow::rememberTest(const AttemptResult &result, const CheckVerdict &verdict)
{
    m_lastAttemptProfileId = m_currentId;
    m_lastAttempt = result;
    // Another test, another connection: its cluster is checked anew.
    m_clusterWarnings.remove(m_currentId);
    const HistoryTest test
            = HistoryTest::of(m_currentId, QDateTime::currentMSecsSinceEpoch(), result, verdict);
    history()->record(test);
    m_recentTests->add(test);
}

namespace {

// The light for a profile's last test, and what its tooltip says.
std::pair<ProfileBar::StatusLight, QString> lightOfLastTest(const std::optional<HistoryTest> &last,
                                                            const QString &clusterWarning)
{
    if (!last)
        return {ProfileBar::StatusLight::Unknown, MainWindow::tr("Not tested yet")};
    if (!clusterWarning.isEmpty())
        return {ProfileBar::StatusLight::Failed, clusterWarning};
    // A summary that looked like it held a secret was not kept.
    return {ProfileBar::lightOf(TestOutcome::health(*last)),
            last->summary.isEmpty() ? TestOutcome::result(*last) : last->summary};
}

} // namespace

void MainWindow::showTestStatus(const QString &profileId)
{
    if (profileId == m_currentId) {
        const QString clusterWarning = m_clusterWarnings.value(profileId);
        const auto [light, summary]
                = lightOfLastTest(m_recentTests->last(profileId), clusterWarning);
        m_bar->setStatusLight(light, summary);
        if (!clusterWarning.isEmpty())
            showMessage(clusterWarning, true);
    }
    showListStatus(profileId);
}

void MainWindow::showListStatus(const QString &profileId)
{
    const auto last = m_recentTests->last(profileId);
    if (!last) {
        m_list->setTestStatus(profileId, {});
        return;
    }
    const auto [light, summary] = lightOfLastTest(last, m_clusterWarnings.value(profileId));
    const ProfileBar::LightLook look = ProfileBar::look(light);
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime finishedAt = TestOutcome::timeOf(*last);
    const QString sentence = TestOutcome::sentence(*last, now);
    m_list->setTestStatus(
            profileId,
            {look.color, finishedAt,
             u"%1 %2"_s.arg(look.symbol, TestOutcome::when(finishedAt, now)), sentence,
             QStringList{sentence, TestOutcome::exactTime(finishedAt), summary}.join(u'\n')});
}

void MainWindow::checkFingerprint(const QString &profileId, const ServerSnapshot &snapshot)
{
    const auto profile = m_repository->findById(profileId);
    if (!profile)
        return;
    const FingerprintCheck::Verdict verdict
            = FingerprintCheck::check(*profile, snapshot, m_repository->profiles());
    if (verdict.remember) {
        m_repository->edit(
                profileId,
                [fingerprint = verdict.fingerprint](Profile &remembered) {
                    // First seen wins: another window may have remembered it meanwhile.
                    if (remembered.fingerprint.isEmpty())
                        remembered.fingerprint = fingerprint;
                },
                this, [](const ProfileChangeResult &) {});
    }
    if (verdict.warning.isEmpty())
        return;
    if (m_recentTests->last(profileId)) {
        m_clusterWarnings.insert(profileId, verdict.warning);
        showTestStatus(profileId);
    } else if (profileId == m_currentId) {
        // Connected by the Server page, not tested: the light and the banner say it for now.
        showMessage(verdict.warning, true);
        m_bar->setStatusLight(ProfileBar::StatusLight::Failed, verdict.warning);
    }
    // Once per profile and session: loud, then the banner keeps saying it.
    if (m_fingerprintWarned.contains(profileId))
        return;
    m_fingerprintWarned << profileId;
    // Reached from a connection's callback: open(), never a nested event loop.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unexpected cluster"), verdict.warning,
                                QMessageBox::Ok, this);
    box->setObjectName(u"fingerprintWarningBox"_s);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmLeavingEdits([this]() { close(); })) {
        event->ignore();
        return;
    }
    if (m_actions->isBusy()) {
        // Between the keychain and the file: closing now could leave them disagreeing.
        showMessage(tr("Saving a change to the profiles; the window closes when it is done."),
                    false);
        connect(m_actions, &ProfileActions::idle, this, &QWidget::close,
                Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
        event->ignore();
        return;
    }
    m_settings->setValue(WindowSettings::geometry, saveGeometry());
    m_settings->sync();
    event->accept();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // Back from a terminal: a check run there shows without waiting for another selection.
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && !m_currentId.isEmpty())
        m_recentTests->refresh(m_currentId);
}

void MainWindow::showMessage(const QString &text, bool warning)
{
    m_messageLabel->setText(text);
    m_messageIsWarning = warning;
    styleMessage();
    m_messageLabel->setVisible(!text.isEmpty());
}

void MainWindow::styleMessage()
{
    // A hidden banner needs no style: setting one parses it and polishes the label again, for
    // nothing, on each switch of profile.
    if (!m_messageLabel->text().isEmpty())
        m_messageLabel->setStyleSheet(m_messageIsWarning ? Palette::warningBannerStyle()
                                                         : Palette::plainBannerStyle());
}

void MainWindow::followTheScheme()
{
    // The sidebar's colours, the frame and the banner, picked again for another palette (the
    // profile bar and the pages pick their own).
    reloadTree();
    if (const auto profile = m_repository->findById(m_currentId))
        styleFrame(*profile);
    styleMessage();
}

void MainWindow::styleFrame(const Profile &profile)
{
    m_profilePage->setFrameStyleSheet(
            Palette::profileFrameStyle(profile, m_profilePage->frameName()));
}
