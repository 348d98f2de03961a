#include "MainWindow.h"

#include "ConnectionTestView.h"
#include "ExportDialog.h"
#include "PoolMonitorView.h"
#include "ProfileEditor.h"
#include "SecureClipboard.h"
#include "SecurityAuditView.h"
#include "ServerPanel.h"
#include "interop/PgPassFile.h"
#include "interop/ProfileExchange.h"
#include "profiles/FingerprintCheck.h"
#include "profiles/ProfileTemplates.h"
#include "secrets/SecretStore.h"
#include "usecases/ProfileActions.h"

#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int ProfileIdRole = Qt::UserRole + 1;

QIcon colorIcon(const QColor &color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(2, 2, 12, 12));
    return QIcon(pixmap);
}

QLabel *plainLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

MainWindow::MainWindow(const QString &configDirectory, QWidget *parent)
    : QMainWindow(parent)
    , m_repository(new ProfileRepository(configDirectory, this))
    , m_settings(new QSettings(QDir(configDirectory).filePath(u"window.ini"_s),
                               QSettings::IniFormat, this))
    , m_secrets(new SecretStore(this))
    , m_actions(new ProfileActions(m_repository, m_secrets, this))
{
    buildUi();
    connect(m_repository, &ProfileRepository::problemReported, this,
            [this](const QString &message) { showMessage(message, true); });
    connect(m_repository, &ProfileRepository::profilesChanged, this, &MainWindow::reloadTree);
    connect(m_repository, &ProfileRepository::profileChanged, this, &MainWindow::onProfileChanged);
    connect(m_repository, &ProfileRepository::profileRemoved, this, &MainWindow::onProfileRemoved);
    connect(m_repository, &ProfileRepository::loaded, this, &MainWindow::onLoaded);
    // Another window or a command in a terminal may change the profiles at any time.
    m_repository->watchFile();
    m_repository->load();
    reloadTree();
    restoreGeometry(m_settings->value(u"window/geometry"_s).toByteArray());
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
    const QString last = m_settings->value(u"window/lastProfile"_s).toString();
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
    m_editor->showSavedVersion(*profile);
    showInViews(*profile);
}

void MainWindow::onProfileRemoved(const QString &profileId)
{
    if (profileId != m_currentId)
        return;
    if (m_editor->isDirty()) {
        // The edits are the user's: they decide (Keep mine saves the profile again).
        m_editor->showRemovedElsewhere();
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

    m_messageLabel = plainLabel(central, u"messageLabel"_s);
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setVisible(false);
    layout->addWidget(m_messageLabel);

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    auto *sidebar = new QWidget(splitter);
    auto *sidebarLayout = new QVBoxLayout(sidebar);
    sidebarLayout->setContentsMargins(0, 0, 0, 0);
    m_filterLineEdit = new QLineEdit(sidebar);
    m_filterLineEdit->setObjectName(u"filterLineEdit"_s);
    m_filterLineEdit->setPlaceholderText(tr("Filter profiles (Ctrl+K)"));
    m_filterLineEdit->setClearButtonEnabled(true);
    m_filterLineEdit->setAccessibleName(tr("Filter profiles"));
    connect(m_filterLineEdit, &QLineEdit::textChanged, this, &MainWindow::applyFilter);
    sidebarLayout->addWidget(m_filterLineEdit);

    m_profileTree = new QTreeWidget(sidebar);
    m_profileTree->setObjectName(u"profileTree"_s);
    m_profileTree->setHeaderHidden(true);
    m_profileTree->setRootIsDecorated(false);
    m_profileTree->setColumnCount(1);
    m_profileTree->setAccessibleName(tr("Profiles"));
    connect(m_profileTree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current, QTreeWidgetItem *previous) {
                if (m_switching || !current || !current->data(0, ProfileIdRole).isValid())
                    return;
                if (!showProfile(current->data(0, ProfileIdRole).toString()) && previous) {
                    // The user kept the unsaved edits: stay where we were.
                    const QSignalBlocker blocker(m_profileTree);
                    m_profileTree->setCurrentItem(previous);
                }
            });
    sidebarLayout->addWidget(m_profileTree, 1);

    auto *buttons = new QHBoxLayout;
    m_addButton = new QPushButton(tr("Add"), sidebar);
    m_addButton->setObjectName(u"addButton"_s);
    m_duplicateButton = new QPushButton(tr("Duplicate"), sidebar);
    m_duplicateButton->setObjectName(u"duplicateButton"_s);
    m_deleteButton = new QPushButton(tr("Delete"), sidebar);
    m_deleteButton->setObjectName(u"deleteButton"_s);
    auto *importButton = new QPushButton(tr("Import..."), sidebar);
    importButton->setObjectName(u"importButton"_s);
    importButton->setToolTip(tr("A .env file, pg_service.conf or .pgpass"));
    for (QPushButton *button : {m_addButton, m_duplicateButton, m_deleteButton, importButton})
        buttons->addWidget(button);
    sidebarLayout->addLayout(buttons);
    connect(m_addButton, &QPushButton::clicked, this, &MainWindow::addProfile);
    connect(m_duplicateButton, &QPushButton::clicked, this, &MainWindow::duplicateProfile);
    connect(m_deleteButton, &QPushButton::clicked, this, &MainWindow::deleteProfile);
    connect(importButton, &QPushButton::clicked, this, &MainWindow::importFile);

    m_pages = new QStackedWidget(splitter);
    m_emptyPage = new QWidget(m_pages);
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
    connect(m_templatesButton, &QPushButton::clicked, this, &MainWindow::addTemplates);
    emptyLayout->addWidget(m_templatesButton, 0, Qt::AlignCenter);
    emptyLayout->addStretch(1);
    m_pages->addWidget(m_emptyPage);

    m_profileFrame = new QFrame(m_pages);
    m_profileFrame->setObjectName(u"profileFrame"_s);
    auto *frameLayout = new QVBoxLayout(m_profileFrame);
    auto *header = new QHBoxLayout;
    m_environmentLabel = plainLabel(m_profileFrame, u"environmentLabel"_s);
    m_environmentLabel->setContentsMargins(8, 2, 8, 2);
    m_nameLabel = plainLabel(m_profileFrame, u"nameLabel"_s);
    QFont nameFont = m_nameLabel->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_nameLabel->setFont(nameFont);
    m_statusLightLabel = plainLabel(m_profileFrame, u"statusLightLabel"_s);
    auto *copyUrl = new QPushButton(tr("Copy URL"), m_profileFrame);
    copyUrl->setObjectName(u"copyUrlButton"_s);
    copyUrl->setToolTip(tr("Copies the URL without the password"));
    auto *copySecretUrl = new QPushButton(tr("Copy with password"), m_profileFrame);
    copySecretUrl->setObjectName(u"copyUrlWithPasswordButton"_s);
    copySecretUrl->setToolTip(
            tr("Copies the URL with the password; cleared from the clipboard after "
               "30 seconds"));
    auto *exportButton = new QPushButton(tr("Export..."), m_profileFrame);
    exportButton->setObjectName(u"exportButton"_s);
    header->addWidget(m_environmentLabel);
    header->addWidget(m_nameLabel);
    header->addStretch(1);
    header->addWidget(copyUrl);
    header->addWidget(copySecretUrl);
    header->addWidget(exportButton);
    header->addWidget(m_statusLightLabel);
    connect(copyUrl, &QPushButton::clicked, this, [this]() {
        if (const auto profile = m_repository->findById(m_currentId))
            SecureClipboard::copyText(
                    profile->connectionUrl().toUrl(ConnectionUrl::PasswordMode::Omit));
    });
    connect(copySecretUrl, &QPushButton::clicked, this, [this]() {
        const auto profile = m_repository->findById(m_currentId);
        if (!profile || !profile->hasStoredPassword())
            return showMessage(tr("No password is stored for this profile."), true);
        const Profile chosen = *profile;
        m_secrets->readPassword(chosen.id, this, [this, chosen](const SecretResult &result) {
            if (!result.ok())
                return showMessage(result.message, true);
            ConnectionUrl url = chosen.connectionUrl();
            url.setValue(u"password"_s, result.password);
            SecureClipboard::copySecret(url.toUrl());
            showMessage(tr("The URL with its password is on the clipboard for 30 seconds."), false);
        });
    });
    connect(exportButton, &QPushButton::clicked, this, [this]() {
        if (const auto profile = m_repository->findById(m_currentId)) {
            ExportDialog dialog(*profile, m_secrets, this);
            dialog.setObjectName(u"exportDialog"_s);
            dialog.exec();
        }
    });
    frameLayout->addLayout(header);
    m_urlLabel = plainLabel(m_profileFrame, u"urlLabel"_s);
    m_urlLabel->setFont(QFont(u"monospace"_s));
    frameLayout->addWidget(m_urlLabel);

    m_profileTabs = new QTabWidget(m_profileFrame);
    m_profileTabs->setObjectName(u"profileTabWidget"_s);
    m_editor = new ProfileEditor(m_secrets, m_profileTabs);
    m_editor->setObjectName(u"profileEditor"_s);
    m_profileTabs->addTab(m_editor, tr("Connection"));
    m_testView = new ConnectionTestView(m_secrets, m_profileTabs);
    m_testView->setObjectName(u"connectionTestView"_s);
    m_profileTabs->addTab(m_testView, tr("Test"));
    m_serverPanel = new ServerPanel(m_secrets, m_profileTabs);
    m_serverPanel->setObjectName(u"serverPanel"_s);
    m_profileTabs->addTab(m_serverPanel, tr("Server"));
    m_poolView = new PoolMonitorView(m_secrets, m_profileTabs);
    m_poolView->setObjectName(u"poolMonitorView"_s);
    m_profileTabs->addTab(m_poolView, tr("Pool"));
    m_auditView = new SecurityAuditView(m_secrets, m_profileTabs);
    m_auditView->setObjectName(u"securityAuditView"_s);
    m_profileTabs->addTab(m_auditView, tr("Security"));
    frameLayout->addWidget(m_profileTabs, 1);
    m_pages->addWidget(m_profileFrame);

    connect(m_editor, &ProfileEditor::saveRequested, this, &MainWindow::saveEdits);
    connect(m_editor, &ProfileEditor::dirtyChanged, this, [this](bool dirty) {
        // "Take theirs" on a profile deleted elsewhere: move on.
        if (!dirty && !m_currentId.isEmpty() && m_repository->isLoaded()
            && !m_repository->findById(m_currentId))
            showFirstProfile();
    });
    connect(m_poolView, &PoolMonitorView::poolSettingsEdited, this, &MainWindow::savePoolSettings);
    connect(m_testView, &ConnectionTestView::attemptFinished, this,
            [this](const AttemptResult &result) {
                if (result.cancelled)
                    return;
                setStatusLight(result.ok ? u"ok"_s : u"failed"_s,
                               result.ok ? tr("Connected") : result.diagnosis.headline());
                if (result.ok && result.snapshot)
                    checkFingerprint(m_currentId, *result.snapshot);
            });
    connect(m_serverPanel, &ServerPanel::refreshed, this, [this](const ServerSnapshot &snapshot) {
        setStatusLight(u"ok"_s, tr("Connected"));
        checkFingerprint(m_currentId, snapshot);
    });
    connect(m_serverPanel, &ServerPanel::refreshFailed, this, [this](const AttemptResult &failure) {
        setStatusLight(u"failed"_s, failure.diagnosis.headline());
    });

    splitter->addWidget(sidebar);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 840});
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    // Ctrl+1..9 switch to the n-th visible profile; Ctrl+K searches.
    for (int n = 1; n <= 9; ++n) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + n)), this);
        connect(shortcut, &QShortcut::activated, this,
                [this, n]() { selectVisibleProfile(n - 1); });
    }
    auto *search = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this);
    connect(search, &QShortcut::activated, this, [this]() {
        m_filterLineEdit->setFocus();
        m_filterLineEdit->selectAll();
    });
}

void MainWindow::reloadTree()
{
    const QSignalBlocker blocker(m_profileTree);
    m_profileTree->clear();
    for (Environment environment : Environments::all()) {
        QTreeWidgetItem *group = nullptr;
        for (const Profile &profile : m_repository->profiles()) {
            if (profile.environment != environment)
                continue;
            if (!group) {
                group = new QTreeWidgetItem(m_profileTree,
                                            {Environments::displayName(environment)});
                group->setFlags(Qt::ItemIsEnabled);
                QFont font = group->font(0);
                font.setBold(true);
                group->setFont(0, font);
                group->setForeground(0, Environments::color(environment));
            }
            auto *item = new QTreeWidgetItem(group, {profile.name});
            item->setIcon(0, colorIcon(profile.displayColor()));
            item->setData(0, ProfileIdRole, profile.id);
            if (environment == Environment::Production)
                item->setForeground(0, Environments::color(environment));
            // Tooltips render rich text: the name and URL are escaped.
            item->setToolTip(0,
                             u"%1 (%2)\n%3"_s.arg(profile.name.toHtmlEscaped(),
                                                  Environments::displayName(environment),
                                                  profile.redactedUrl().toHtmlEscaped()));
            if (profile.id == m_currentId)
                m_profileTree->setCurrentItem(item);
        }
    }
    m_profileTree->expandAll();

    const bool empty = m_repository->profiles().isEmpty();
    m_templatesButton->setVisible(empty);
    m_duplicateButton->setEnabled(!empty);
    m_deleteButton->setEnabled(!empty);
    m_emptyLabel->setText(empty ? tr("No profiles yet. Start from the standard OrderFlow "
                                     "environments (no passwords are stored until you add them).")
                                : tr("Select a profile."));
    // A profile deleted elsewhere stays on screen while its unsaved edits wait for a decision.
    const bool shown = !m_currentId.isEmpty()
            && (m_repository->findById(m_currentId) || m_editor->hasConflict());
    if (!shown)
        m_pages->setCurrentWidget(m_emptyPage);
    applyFilter(m_filterLineEdit->text());
}

bool MainWindow::confirmLeavingEdits(std::function<void()> afterSave)
{
    // What a save under way carries is not lost by leaving: it is being saved.
    if (!m_editor->hasUnsavedEdits())
        return true;
    QMessageBox box(
            QMessageBox::Question, tr("Unsaved changes"),
            tr("The profile \"%1\" has unsaved changes.").arg(m_editor->editedProfile().name),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(u"unsavedChangesBox"_s);
    box.setTextFormat(Qt::PlainText);
    switch (box.exec()) {
    case QMessageBox::Save:
        if (!m_editor->problems().isEmpty() || m_editor->hasConflict())
            return false;
        // The save finishes in the background; what the user asked for follows it.
        m_afterSave = std::move(afterSave);
        m_editor->save();
        return false;
    case QMessageBox::Discard:
        m_editor->revert();
        return true;
    default:
        return false;
    }
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
    m_settings->setValue(u"window/lastProfile"_s, profileId);
    if (changed || !m_editor->isDirty())
        m_editor->setProfile(*profile);
    showInViews(*profile);
    m_pages->setCurrentWidget(m_profileFrame);
    if (changed)
        setStatusLight(u"unknown"_s, tr("Not tested yet"));

    m_switching = true;
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if ((*it)->data(0, ProfileIdRole).toString() == profileId)
            m_profileTree->setCurrentItem(*it);
    }
    m_switching = false;

    // The first time a production profile opens on this machine, say so.
    if (profile->environment == Environment::Production) {
        const QString key = u"seenProduction/"_s + profile->id;
        if (!m_settings->value(key).toBool()) {
            m_settings->setValue(key, true);
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
    m_testView->setProfile(profile);
    m_serverPanel->setProfile(profile);
    m_poolView->setProfile(profile, m_repository->profiles());
    m_auditView->setProfile(profile);
    updateHeader(profile);
}

void MainWindow::updateHeader(const Profile &profile)
{
    const QColor color = profile.displayColor();
    m_environmentLabel->setText(Environments::displayName(profile.environment).toUpper());
    m_environmentLabel->setStyleSheet(
            u"QLabel { background: %1; color: white; border-radius: 4px; font-weight: bold; }"_s
                    .arg(color.name()));
    m_nameLabel->setText(profile.name);
    m_urlLabel->setText(profile.redactedUrl());
    const bool production = profile.environment == Environment::Production;
    m_profileFrame->setStyleSheet(
            production ? u"QFrame#profileFrame { border: 3px solid %1; }"_s.arg(color.name())
                       : QString());
    setWindowTitle(production ? tr("PRODUCTION - %1 - OrderFlow DB Admin").arg(profile.name)
                              : tr("%1 (%2) - OrderFlow DB Admin")
                                        .arg(profile.name,
                                             Environments::displayName(profile.environment)));
}

void MainWindow::setStatusLight(const QString &state, const QString &tooltip)
{
    const QString color = state == u"ok"_s ? u"#2e9d4f"_s
            : state == u"failed"_s         ? u"#d02f2f"_s
                                           : u"#8a8a8a"_s;
    m_statusLightLabel->setText(u"\u25CF "_s
                                + (state == u"ok"_s               ? tr("connected")
                                           : state == u"failed"_s ? tr("failing")
                                                                  : tr("not tested")));
    m_statusLightLabel->setStyleSheet(u"QLabel { color: %1; }"_s.arg(color));
    m_statusLightLabel->setToolTip(tooltip);
    m_statusLightLabel->setProperty("state", state);
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

void MainWindow::selectVisibleProfile(int index)
{
    int seen = 0;
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if (!(*it)->data(0, ProfileIdRole).isValid() || (*it)->isHidden()
            || ((*it)->parent() && (*it)->parent()->isHidden()))
            continue;
        if (seen++ == index) {
            showProfile((*it)->data(0, ProfileIdRole).toString());
            return;
        }
    }
}

bool MainWindow::reportFailure(const ProfileActionResult &result, const QString &what)
{
    if (result.ok()) {
        if (!result.warnings.isEmpty())
            showMessage(result.warnings.join(u'\n'), true);
        return false;
    }
    showMessage(tr("%1: %2").arg(what, (result.errors + result.warnings).join(u'\n')), true);
    return true;
}

void MainWindow::addTemplates()
{
    QList<NewProfile> missing;
    for (const Profile &profile : ProfileTemplates::all()) {
        if (!m_repository->findByName(profile.name))
            missing << NewProfile{profile, std::nullopt, QString()};
    }
    m_actions->add(missing, NameClash::Rename, this, [this](const ProfileActionResult &result) {
        if (reportFailure(result, tr("The profiles could not be added")))
            return;
        showFirstProfile();
    });
}

void MainWindow::addProfile()
{
    if (!confirmLeavingEdits([this]() { addProfile(); }))
        return;
    const Profile profile = Profile::create(tr("New profile"), Environment::Development);
    m_actions->add({NewProfile{profile, std::nullopt, QString()}}, NameClash::Rename, this,
                   [this](const ProfileActionResult &result) {
                       if (reportFailure(result, tr("The profile could not be added")))
                           return;
                       showProfile(result.profiles.constFirst().id);
                       m_profileTabs->setCurrentIndex(0);
                       m_editor->findChild<QLineEdit *>(u"nameLineEdit"_s)->setFocus();
                   });
}

void MainWindow::duplicateProfile()
{
    const auto original = m_repository->findById(m_currentId);
    if (!original || !confirmLeavingEdits([this]() { duplicateProfile(); }))
        return;
    m_actions->duplicate(original->id, tr("%1 copy").arg(original->name), this,
                         [this](const ProfileActionResult &result) {
                             if (reportFailure(result, tr("The copy could not be made")))
                                 return;
                             showProfile(result.profiles.constFirst().id);
                         });
}

void MainWindow::deleteProfile()
{
    const auto profile = m_repository->findById(m_currentId);
    if (!profile || !confirmLeavingEdits([this]() { deleteProfile(); }))
        return;
    QString confirmation;
    if (profile->environment == Environment::Production) {
        bool ok = false;
        confirmation = QInputDialog::getText(this, tr("Delete production profile"),
                                             tr("This deletes the production profile and its "
                                                "stored password. Type its name, %1, to confirm.")
                                                     .arg(profile->name),
                                             QLineEdit::Normal, QString(), &ok);
        if (!ok || confirmation != profile->name)
            return;
    } else if (QMessageBox::question(
                       this, tr("Delete profile"),
                       tr("Delete the profile \"%1\" and its stored password?").arg(profile->name))
               != QMessageBox::Yes) {
        return;
    }
    m_actions->remove(profile->id, confirmation, this, [this](const ProfileActionResult &result) {
        if (reportFailure(result, tr("The profile was not deleted")))
            return;
        showMessage(tr("Deleted the profile \"%1\".").arg(result.profiles.constFirst().name),
                    false);
    });
}

void MainWindow::importFile()
{
    const QString path
            = QFileDialog::getOpenFileName(this, tr("Import profiles"), QDir::homePath(),
                                           tr("Connection files (*.env .env* pg_service.conf "
                                              "*.conf .pgpass pgpass*);;All files (*)"));
    if (!path.isEmpty())
        importFrom(path);
}

void MainWindow::importFrom(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (name.contains(u"pgpass"_s)) {
        const PgPassFile::ParseResult file = PgPassFile::read(path);
        if (!file.ok)
            return showMessage(tr("%1: %2 (nothing was imported)").arg(path, file.error), true);
        m_actions->takePasswords(
                [file](const Profile &profile) { return file.passwordFor(profile); }, this,
                [this, path](const ProfileActionResult &result) {
                    if (reportFailure(result, tr("Passwords from %1").arg(path)))
                        return;
                    QStringList names;
                    for (const Profile &profile : result.profiles)
                        names << profile.name;
                    showMessage(names.isEmpty()
                                        ? tr("No entry of %1 matches a profile's host, port, "
                                             "database and user; nothing was imported.")
                                                  .arg(path)
                                        : tr("%1 took their password from %2 into the keychain.")
                                                  .arg(names.join(u", "_s), path),
                                false);
                });
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return showMessage(tr("%1: %2").arg(path, file.errorString()), true);
    const QByteArray content = file.readAll();
    const bool service = name.contains(u"service"_s) || content.trimmed().startsWith('[');
    const ProfileExchange::ImportResult parsed
            = service ? ProfileExchange::fromPgService(content) : ProfileExchange::fromEnv(content);
    if (!parsed.ok)
        return showMessage(tr("%1: %2 (nothing was imported)").arg(path, parsed.error), true);

    QStringList taken;
    for (const auto &entry : parsed.profiles) {
        if (m_repository->findByName(entry.profile.name.trimmed()))
            taken << entry.profile.name.trimmed();
    }
    NameClash clash = NameClash::Refuse;
    if (!taken.isEmpty()) {
        // The same choice the command line offers with --rename and --replace.
        QMessageBox box(QMessageBox::Question, tr("Profiles already exist"),
                        tr("Profiles named %1 are already saved.").arg(taken.join(u", "_s)),
                        QMessageBox::Cancel, this);
        box.setObjectName(u"importClashBox"_s);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(tr("Keep both (the imported ones get a number), replace the saved "
                                  "ones, or import nothing?"));
        QPushButton *rename = box.addButton(tr("Keep both"), QMessageBox::AcceptRole);
        rename->setObjectName(u"keepBothButton"_s);
        QPushButton *replace = box.addButton(tr("Replace"), QMessageBox::DestructiveRole);
        replace->setObjectName(u"replaceButton"_s);
        box.exec();
        if (box.clickedButton() == rename)
            clash = NameClash::Rename;
        else if (box.clickedButton() == replace)
            clash = NameClash::Replace;
        else
            return;
    }
    m_actions->add(parsed.profiles, clash, this, [this, path](const ProfileActionResult &result) {
        if (reportFailure(result, tr("Nothing was imported from %1").arg(path)))
            return;
        QStringList names;
        for (const Profile &profile : result.profiles)
            names << profile.name;
        QString text = tr("Imported %1 from %2.").arg(names.join(u", "_s), path);
        if (!result.warnings.isEmpty())
            text += u'\n' + result.warnings.join(u'\n');
        showMessage(text, !result.warnings.isEmpty());
    });
}

void MainWindow::saveEdits(const Profile &baseline, const Profile &edited,
                           const std::optional<QString> &password, bool overwrite)
{
    m_actions->saveEdits(baseline, edited, password, overwrite, this,
                         [this](const ProfileActionResult &result) {
                             auto afterSave = std::exchange(m_afterSave, {});
                             if (reportFailure(result, tr("The profile was not saved"))) {
                                 // A conflict also shows in the editor, with Keep mine / Take
                                 // theirs.
                                 m_editor->saveFailed();
                                 return;
                             }
                             const Profile &saved = result.profiles.constFirst();
                             if (saved.id == m_currentId)
                                 m_editor->showSavedVersion(saved);
                             if (afterSave)
                                 afterSave();
                         });
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
    showMessage(verdict.warning, true);
    setStatusLight(u"failed"_s, verdict.warning);
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
    m_settings->setValue(u"window/geometry"_s, saveGeometry());
    m_settings->sync();
    event->accept();
}

void MainWindow::showMessage(const QString &text, bool warning)
{
    m_messageLabel->setText(text);
    m_messageLabel->setStyleSheet(warning ? u"QLabel { background: #fff3cd; color: #664d03; "
                                            "border: 1px solid #ffe69c; padding: 6px; }"_s
                                          : u"QLabel { padding: 6px; }"_s);
    m_messageLabel->setVisible(!text.isEmpty());
}

void MainWindow::applyFilter(const QString &text)
{
    const QString needle = text.trimmed();
    for (int i = 0; i < m_profileTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *group = m_profileTree->topLevelItem(i);
        int visible = 0;
        for (int j = 0; j < group->childCount(); ++j) {
            QTreeWidgetItem *item = group->child(j);
            const bool match = needle.isEmpty()
                    || item->text(0).contains(needle, Qt::CaseInsensitive)
                    || group->text(0).contains(needle, Qt::CaseInsensitive);
            item->setHidden(!match);
            visible += match ? 1 : 0;
        }
        group->setHidden(visible == 0);
    }
}
