#include "ProfilePages.h"

#include "AsyncTask.h"
#include "ConnectionTestView.h"
#include "FirstFrame.h"
#include "PoolMonitorView.h"
#include "ProfileEditor.h"
#include "SecurityAuditView.h"
#include "ServerPanel.h"
#include "connection/ConnectionUrl.h"
#include "profiles/ProfileRepository.h"

#include <QThreadPool>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::Literals::StringLiterals;

ProfilePages::ProfilePages(SecretStore *secrets, ProfileRepository *repository,
                           RecentTests *recentTests, std::function<QString()> currentProfileId,
                           QWidget *parent)
    : QTabWidget(parent)
    , m_secrets(secrets)
    , m_repository(repository)
    , m_recentTests(recentTests)
    , m_currentProfileId(std::move(currentProfileId))
{
    setObjectName(u"profileTabWidget"_s);
    for (const QString &title :
         {tr("Connection"), tr("Test"), tr("Server"), tr("Pool"), tr("Security")}) {
        auto *holder = new QWidget(this);
        auto *layout = new QVBoxLayout(holder);
        layout->setContentsMargins(0, 0, 0, 0);
        m_holders << holder;
        addTab(holder, title);
    }
    connect(this, &QTabWidget::currentChanged, this, &ProfilePages::ensurePage);
}

void ProfilePages::showEvent(QShowEvent *event)
{
    // The first time, the tabs are drawn before the page in front is made: the window appears
    // sooner, and the page follows once libpq is open. Asked for by name (showPage), a page is
    // made at once.
    if (std::exchange(m_shownBefore, true))
        ensurePage(currentIndex());
    else
        FirstFrame::then(this, [this]() { makeFirstPageWhenLibpqIsOpen(); });
    QTabWidget::showEvent(event);
}

void ProfilePages::makeFirstPageWhenLibpqIsOpen()
{
    // Each page reads libpq's keywords and defaults as it is made. On Linux the program opens
    // libpq on its first call (app/connection/LoadedOnFirstUse.cpp), with OpenSSL, GSSAPI and
    // LDAP behind it: about 10 ms of file reads and relocations, done here by a worker instead
    // of the UI thread. Elsewhere libpq is open from the start and the worker returns at once.
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(), [] { return ConnectionUrl::knownKeywords().size(); },
            this,
            [this](qsizetype) {
                // Hidden meanwhile, the pages make it when they show again (showEvent).
                if (isVisible())
                    ensurePage(currentIndex());
            });
}

void ProfilePages::showPage(Page page)
{
    ensurePage(page);
    setCurrentIndex(page);
}

void ProfilePages::startTest()
{
    showPage(TestPage);
    if (!m_testView->isTesting())
        m_testView->startTest();
}

void ProfilePages::ensurePage(int index)
{
    if (index < 0 || index >= m_holders.size())
        return;
    QWidget *holder = m_holders.at(index);
    if (holder->layout()->count() > 0)
        return;
    QWidget *page = makePage(Page(index), holder);
    holder->layout()->addWidget(page);
    // Made while its tab may already be on screen: show it now, not on the next event.
    page->setVisible(true);
    if (const auto profile = m_repository->findById(m_currentProfileId()))
        showProfileOn(Page(index), *profile);
}

QWidget *ProfilePages::makePage(Page page, QWidget *parent)
{
    switch (page) {
    case EditorPage:
        m_editor = new ProfileEditor(m_secrets, parent);
        m_editor->setObjectName(u"profileEditor"_s);
        connect(m_editor, &ProfileEditor::saveRequested, this, &ProfilePages::saveRequested);
        connect(m_editor, &ProfileEditor::dirtyChanged, this, &ProfilePages::editorDirtyChanged);
        return m_editor;
    case TestPage:
        m_testView = new ConnectionTestView(m_secrets, m_recentTests, parent);
        m_testView->setObjectName(u"connectionTestView"_s);
        connect(m_testView, &ConnectionTestView::attemptFinished, this,
                &ProfilePages::attemptFinished);
        return m_testView;
    case ServerPage:
        m_serverPanel = new ServerPanel(m_secrets, parent);
        m_serverPanel->setObjectName(u"serverPanel"_s);
        connect(m_serverPanel, &ServerPanel::refreshed, this, &ProfilePages::serverRefreshed);
        connect(m_serverPanel, &ServerPanel::refreshFailed, this,
                &ProfilePages::serverRefreshFailed);
        return m_serverPanel;
    case PoolPage:
        m_poolView = new PoolMonitorView(m_secrets, parent);
        m_poolView->setObjectName(u"poolMonitorView"_s);
        if (m_historyReader)
            m_poolView->setHistoryReader(m_historyReader());
        connect(m_poolView, &PoolMonitorView::poolSettingsEdited, this,
                &ProfilePages::poolSettingsEdited);
        // The page shows the current profile's samples: its sampler stops on a switch.
        connect(m_poolView, &PoolMonitorView::sampleShown, this,
                [this](const ActivitySample &sample) {
                    Q_EMIT poolSampled(m_currentProfileId(), sample);
                });
        return m_poolView;
    case SecurityPage:
        m_auditView = new SecurityAuditView(m_secrets, m_repository, parent);
        m_auditView->setObjectName(u"securityAuditView"_s);
        return m_auditView;
    }
    return nullptr;
}

void ProfilePages::showProfile(const Profile &profile)
{
    for (Page page : {TestPage, ServerPage, PoolPage, SecurityPage})
        showProfileOn(page, profile);
}

void ProfilePages::showProfileOn(Page page, const Profile &profile)
{
    switch (page) {
    case EditorPage:
        if (m_editor)
            m_editor->setProfile(profile);
        break;
    case TestPage:
        if (m_testView)
            m_testView->setProfile(profile);
        break;
    case ServerPage:
        if (m_serverPanel)
            m_serverPanel->setProfile(profile);
        break;
    case PoolPage:
        if (m_poolView)
            m_poolView->setProfile(profile, m_repository->profiles());
        break;
    case SecurityPage:
        if (m_auditView)
            m_auditView->setProfile(profile);
        break;
    }
}
