#include "SecurityAuditView.h"

#include "Palette.h"
#include "RotatePasswordDialog.h"
#include "interop/EnvFile.h"
#include "secrets/SecretStore.h"
#include "usecases/PasswordRotation.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::Literals::StringLiterals;

namespace {

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

} // namespace

SecurityAuditView::SecurityAuditView(SecretStore *secrets, ProfileRepository *repository,
                                     QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_repository(repository)
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
    layout->addLayout(top);
    m_itemsTree = new QTreeWidget(this);
    m_itemsTree->setObjectName(u"auditTree"_s);
    m_itemsTree->setColumnCount(2);
    m_itemsTree->setHeaderLabels({tr("Check"), tr("Why, and what to do")});
    m_itemsTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_itemsTree->setWordWrap(true);
    m_itemsTree->setRootIsDecorated(false);
    layout->addWidget(m_itemsTree, 1);
}

void SecurityAuditView::setProfile(const Profile &profile)
{
    m_input = SecurityAudit::Input();
    m_input.profile = profile;
    // Offered only where this tool holds the password; elsewhere the reason says where to go.
    const auto unsupported = PasswordRotation::unsupportedReason(profile);
    m_rotateButton->setEnabled(!unsupported);
    m_rotateButton->setToolTip(unsupported.value_or(
            tr("A generated password, set on the server and saved here in one step")));
    run();
}

void SecurityAuditView::run()
{
    m_generation.advance();
    const quint64 generation = m_generation.value();
    const Profile profile = m_input.profile;
    showItems(SecurityAudit::audit(m_input));
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
        row->setToolTip(1, row->text(1));
    }
    // One count a piece, so that each can take its own plural form.
    m_summaryLabel->setText(
            QStringList{tr("%n passed", nullptr, counts[0]), tr("%n to note", nullptr, counts[1]),
                        tr("%n warnings", nullptr, counts[2]), tr("%n failed", nullptr, counts[3])}
                    .join(u", "_s));
    Q_EMIT audited(items);
}
