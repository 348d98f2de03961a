#include "SecurityAuditView.h"

#include "Palette.h"
#include "RotatePasswordDialog.h"
#include "connection/ServerFactsCache.h"
#include "connection/SlotCounts.h"
#include "interop/EnvFile.h"
#include "pool/PoolerReader.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::Literals::StringLiterals;

namespace {

// Rows as tall as their wrapped text at the column's width: a tree sizes rows for one line,
// which cut the fix text short.
class WrappingDelegate final : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeView *view)
        : QStyledItemDelegate(view)
        , m_view(view)
    { }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem item = option;
        initStyleOption(&item, index);
        const QSize single = QStyledItemDelegate::sizeHint(option, index);
        // The style's padding around the text, as it draws it.
        const int padding = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1);
        const int width = std::max(40, m_view->header()->sectionSize(index.column()) - padding);
        const QRect text = item.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20),
                                                         Qt::TextWordWrap, item.text);
        return {single.width(), std::max(single.height(), text.height() + padding)};
    }

private:
    QTreeView *m_view;
};

QString symbol(AuditItem::Level level)
{
    switch (level) {
    case AuditItem::Level::Pass:
        return u"\u2713"_s;
    case AuditItem::Level::Info:
        return u"i"_s;
    case AuditItem::Level::Warn:
        return u"!"_s;
    case AuditItem::Level::Fail:
        break;
    }
    return u"\u2717"_s;
}

QColor color(AuditItem::Level level)
{
    switch (level) {
    case AuditItem::Level::Pass:
        return Palette::okColor();
    case AuditItem::Level::Info:
        return Palette::infoColor();
    case AuditItem::Level::Warn:
        return Palette::cautionColor();
    case AuditItem::Level::Fail:
        break;
    }
    return Palette::failColor();
}

// The server's slots for ordinary roles, when this process has connected to it; -1 otherwise.
int knownServerCapacity(const Profile &profile)
{
    const auto facts = ServerFactsCache::find(
            profile.params.value(u"host"_s, Profile::defaultHost()).section(u',', 0, 0),
            profile.params.value(u"port"_s, Profile::defaultPort()).section(u',', 0, 0));
    if (!facts || facts->maxConnections < 0)
        return -1;
    SlotCounts counts;
    counts.maxConnections = facts->maxConnections;
    counts.superuserReserved = qMax(0, facts->superuserReservedConnections);
    counts.reserved = qMax(0, facts->reservedConnections);
    return counts.usable();
}

} // namespace

SecurityAuditView::SecurityAuditView(SecretStore *secrets, ProfileRepository *repository,
                                     QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_repository(repository)
    , m_resolver(new PasswordResolver(secrets, this))
    , m_poolerReader(new PoolerReader(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_summaryLabel = new QLabel(this);
    m_summaryLabel->setObjectName(u"auditSummaryLabel"_s);
    m_summaryLabel->setTextFormat(Qt::PlainText);
    auto *envButton = new QPushButton(tr("Check a .env file..."), this);
    envButton->setObjectName(u"checkEnvButton"_s);
    connect(envButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Check a .env file"));
        if (!path.isEmpty())
            checkEnvFile(path);
    });
    m_rotateButton = new QPushButton(tr("Rotate password..."), this);
    m_rotateButton->setObjectName(u"rotatePasswordButton"_s);
    connect(m_rotateButton, &QPushButton::clicked, this, [this]() {
        RotatePasswordDialog::openFor(m_input.profile, m_repository, m_secrets, this);
    });
    top->addWidget(m_summaryLabel, 1);
    top->addWidget(m_rotateButton);
    top->addWidget(envButton);
    setTabOrder(m_rotateButton, envButton);
    layout->addLayout(top);
    m_itemsTree = new QTreeWidget(this);
    m_itemsTree->setObjectName(u"auditTree"_s);
    // The rows' colours, picked again for another palette (one row per item, in order).
    Palette::whenSchemeChanges(m_itemsTree, [this]() {
        for (int row = 0; row < m_itemsTree->topLevelItemCount() && row < m_items.size(); ++row)
            m_itemsTree->topLevelItem(row)->setForeground(0, color(m_items.at(row).level));
    });
    m_itemsTree->setAccessibleName(tr("Security checks"));
    m_itemsTree->setColumnCount(2);
    m_itemsTree->setHeaderLabels({tr("Check"), tr("Why, and what to do")});
    m_itemsTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_itemsTree->setWordWrap(true);
    m_itemsTree->setRootIsDecorated(false);
    m_itemsTree->setItemDelegate(new WrappingDelegate(m_itemsTree));
    // A wider or narrower column wraps differently: the rows are measured again.
    connect(m_itemsTree->header(), &QHeaderView::sectionResized, m_itemsTree,
            &QTreeView::doItemsLayout);
    layout->addWidget(m_itemsTree, 1);
}

void SecurityAuditView::setProfile(const Profile &profile)
{
    // Another console, or another way to reach it: read again. Pool settings alone only change
    // what its settings are checked against.
    if (!profile.connectsLike(m_input.profile) || profile.pgbouncer != m_input.profile.pgbouncer) {
        m_poolerReader->cancel();
        m_poolerSettings.reset();
        m_poolerWanted = profile.pgbouncer.enabled;
    }
    m_input = SecurityAudit::Input();
    m_input.profile = profile;
    // Offered only where this tool holds the password; elsewhere the reason says where to go.
    const auto unsupported = PasswordRotation::unsupportedReason(profile);
    m_rotateButton->setEnabled(!unsupported);
    m_rotateButton->setToolTip(unsupported.value_or(
            tr("A generated password, set on the server and saved here in one step")));
    run();
}

void SecurityAuditView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_poolerWanted)
        readPooler();
}

void SecurityAuditView::readPooler()
{
    m_poolerWanted = false;
    const Profile profile = m_input.profile;
    m_resolver->resolve(profile, this, [this, profile](const PasswordOutcome &outcome) {
        if (profile.id != m_input.profile.id || !profile.connectsLike(m_input.profile))
            return;
        m_poolerReader->read(profile, outcome.password, 5, [this](const PoolerSettings &settings) {
            m_poolerSettings = settings;
            m_input.pooler = PoolerReport::of(settings, m_input.profile,
                                              knownServerCapacity(m_input.profile));
            showItems(SecurityAudit::audit(m_input));
        });
    });
}

void SecurityAuditView::run()
{
    m_generation.advance();
    const quint64 generation = m_generation.value();
    const Profile profile = m_input.profile;
    if (m_poolerSettings)
        m_input.pooler = PoolerReport::of(*m_poolerSettings, profile, knownServerCapacity(profile));
    showItems(SecurityAudit::audit(m_input));
    // Selecting a profile opens no connection; showing this page does.
    if (m_poolerWanted && isVisible())
        readPooler();
    if (!profile.hasStoredPassword() || profile.passwordSource != PasswordSource::Keychain)
        return;
    // Measure the stored password (never shown) once the keychain answers.
    m_secrets->readPassword(profile.id, this, [this, generation](const SecretResult &result) {
        if (generation != m_generation.value() || !result.ok())
            return;
        m_input.password = result.password;
        showItems(SecurityAudit::audit(m_input));
    });
}

void SecurityAuditView::checkEnvFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const EnvFile::ParseResult env = EnvFile::parse(file.readAll());
    bool holdsPassword = false;
    for (const EnvFile::Entry &entry : env.entries) {
        if (m_input.password && !m_input.password->isEmpty()
            && (entry.value == *m_input.password
                || entry.value.contains(u':' + *m_input.password + u'@')))
            holdsPassword = true;
    }
    m_input.envFile = path;
    if (!holdsPassword) {
        m_input.envFileCommittable = false;
        showItems(SecurityAudit::audit(m_input));
        return;
    }
    // git runs on the pool, not on the UI thread.
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path]() { return SecurityAudit::committableByGit(path); }, this, m_generation,
            [this](const std::optional<bool> &committable) {
                m_input.envFileCommittable = committable;
                showItems(SecurityAudit::audit(m_input));
            });
}

void SecurityAuditView::showItems(const QList<AuditItem> &items)
{
    m_items = items;
    m_itemsTree->clear();
    int counts[4] = {0, 0, 0, 0};
    for (const AuditItem &item : items) {
        ++counts[int(item.level)];
        auto *row = new QTreeWidgetItem(m_itemsTree);
        row->setText(0, symbol(item.level) + u"  "_s + item.title);
        row->setForeground(0, color(item.level));
        row->setData(0, Qt::UserRole, AuditItem::levelId(item.level));
        row->setText(1, item.fix.isEmpty() ? item.why : item.why + u"\n\u2192 "_s + item.fix);
    }
    m_summaryLabel->setText(tr("Passed: %1   To note: %2   Warnings: %3   Failed: %4")
                                    .arg(counts[0])
                                    .arg(counts[1])
                                    .arg(counts[2])
                                    .arg(counts[3]));
    Q_EMIT audited(items);
}
