#include "MainWindow.h"

#include "ConnectionTestView.h"
#include "PoolMonitorView.h"
#include "ProfileDetailsView.h"
#include "ServerPanel.h"
#include "profiles/ProfileTemplates.h"
#include "secrets/SecretStore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int ProfileIdRole = Qt::UserRole + 1;

QIcon environmentIcon(Environment environment)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(Environments::color(environment));
    painter.drawEllipse(QRectF(2, 2, 12, 12));
    return QIcon(pixmap);
}

} // namespace

MainWindow::MainWindow(const QString &configDirectory, QWidget *parent)
    : QMainWindow(parent)
    , m_store(configDirectory)
    , m_secrets(new SecretStore(this))
{
    buildUi();
    const ProfileStore::LoadResult loaded = m_store.load();
    if (loaded.status == ProfileStore::LoadStatus::SetAside
        || loaded.status == ProfileStore::LoadStatus::Unreadable)
        showMessage(loaded.message, true);
    reloadTree();
    if (!m_store.profiles().isEmpty())
        showProfile(m_store.profiles().first().id);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    setWindowTitle(tr("OrderFlow DB Admin"));
    resize(1000, 640);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);

    m_messageLabel = new QLabel(central);
    m_messageLabel->setObjectName(u"messageLabel"_s);
    m_messageLabel->setTextFormat(Qt::PlainText);
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setVisible(false);
    layout->addWidget(m_messageLabel);

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    auto *sidebar = new QWidget(splitter);
    auto *sidebarLayout = new QVBoxLayout(sidebar);
    sidebarLayout->setContentsMargins(0, 0, 0, 0);
    m_filterLineEdit = new QLineEdit(sidebar);
    m_filterLineEdit->setObjectName(u"filterLineEdit"_s);
    m_filterLineEdit->setPlaceholderText(tr("Filter profiles"));
    m_filterLineEdit->setClearButtonEnabled(true);
    connect(m_filterLineEdit, &QLineEdit::textChanged, this, &MainWindow::applyFilter);
    sidebarLayout->addWidget(m_filterLineEdit);

    m_profileTree = new QTreeWidget(sidebar);
    m_profileTree->setObjectName(u"profileTree"_s);
    m_profileTree->setHeaderHidden(true);
    m_profileTree->setRootIsDecorated(false);
    m_profileTree->setColumnCount(1);
    connect(m_profileTree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) {
                if (current && current->data(0, ProfileIdRole).isValid())
                    showProfile(current->data(0, ProfileIdRole).toString());
            });
    sidebarLayout->addWidget(m_profileTree, 1);

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

    m_profileTabs = new QTabWidget(m_pages);
    m_profileTabs->setObjectName(u"profileTabWidget"_s);
    m_detailsView = new ProfileDetailsView(m_profileTabs);
    m_detailsView->setObjectName(u"profileDetailsView"_s);
    m_profileTabs->addTab(m_detailsView, tr("Profile"));
    m_testView = new ConnectionTestView(m_secrets, m_profileTabs);
    m_testView->setObjectName(u"connectionTestView"_s);
    m_profileTabs->addTab(m_testView, tr("Connection test"));
    m_serverPanel = new ServerPanel(m_secrets, m_profileTabs);
    m_serverPanel->setObjectName(u"serverPanel"_s);
    m_profileTabs->addTab(m_serverPanel, tr("Server"));
    m_poolView = new PoolMonitorView(m_secrets, m_profileTabs);
    m_poolView->setObjectName(u"poolMonitorView"_s);
    m_profileTabs->addTab(m_poolView, tr("Pool"));
    connect(m_poolView, &PoolMonitorView::profileEdited, this, &MainWindow::saveEditedProfile);
    m_pages->addWidget(m_profileTabs);

    splitter->addWidget(sidebar);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 740});
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
}

void MainWindow::reloadTree()
{
    const QSignalBlocker blocker(m_profileTree);
    m_profileTree->clear();
    for (Environment environment : Environments::all()) {
        QTreeWidgetItem *group = nullptr;
        for (const Profile &profile : m_store.profiles()) {
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
            item->setIcon(0, environmentIcon(environment));
            item->setData(0, ProfileIdRole, profile.id);
            item->setToolTip(0,
                             u"%1 (%2)\n%3"_s.arg(profile.name,
                                                  Environments::displayName(environment),
                                                  profile.redactedUrl()));
            if (profile.id == m_currentId)
                m_profileTree->setCurrentItem(item);
        }
    }
    m_profileTree->expandAll();

    const bool empty = m_store.profiles().isEmpty();
    m_templatesButton->setVisible(empty);
    m_emptyLabel->setText(empty ? tr("No profiles yet. Start from the standard OrderFlow "
                                     "environments (no passwords are stored until you add them).")
                                : tr("Select a profile."));
    if (empty || m_currentId.isEmpty())
        m_pages->setCurrentWidget(m_emptyPage);
    applyFilter(m_filterLineEdit->text());
}

void MainWindow::showProfile(const QString &profileId)
{
    const auto profile = m_store.findById(profileId);
    if (!profile)
        return;
    m_currentId = profileId;
    m_detailsView->setProfile(*profile);
    m_testView->setProfile(*profile);
    m_serverPanel->setProfile(*profile);
    m_poolView->setProfile(*profile, m_store.profiles());
    m_pages->setCurrentWidget(m_profileTabs);
    setWindowTitle(tr("%1 (%2) - OrderFlow DB Admin")
                           .arg(profile->name, Environments::displayName(profile->environment)));

    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if ((*it)->data(0, ProfileIdRole).toString() == profileId
            && m_profileTree->currentItem() != *it) {
            const QSignalBlocker blocker(m_profileTree);
            m_profileTree->setCurrentItem(*it);
        }
    }
    Q_EMIT profileSelected(profileId);
}

bool MainWindow::selectProfileByName(const QString &name)
{
    const auto profile = m_store.findByName(name);
    if (!profile) {
        showMessage(tr("There is no profile named \"%1\".").arg(name), true);
        return false;
    }
    showProfile(profile->id);
    return true;
}

void MainWindow::addTemplates()
{
    QString error;
    for (const Profile &profile : ProfileTemplates::all()) {
        if (!m_store.findByName(profile.name))
            m_store.add(profile);
    }
    if (!m_store.save(&error)) {
        showMessage(tr("The profiles could not be saved: %1").arg(error), true);
        m_store.load();
    }
    reloadTree();
    if (!m_store.profiles().isEmpty())
        showProfile(m_store.profiles().first().id);
}

void MainWindow::saveEditedProfile(const Profile &profile)
{
    QString error;
    if (!m_store.update(profile, &error) || !m_store.save(&error)) {
        showMessage(tr("The profile could not be saved: %1").arg(error), true);
        return;
    }
    if (profile.id == m_currentId)
        m_detailsView->setProfile(profile);
}

void MainWindow::showMessage(const QString &text, bool warning)
{
    m_messageLabel->setText(text);
    m_messageLabel->setStyleSheet(warning ? u"QLabel { background: #fff3cd; color: #664d03; "
                                            "border: 1px solid #ffe69c; padding: 6px; }"_s
                                          : QString());
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
