#include "ConnectionsPanel.h"

#include "CapacityBar.h"
#include "Palette.h"
#include "ReadOnlyTable.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QTableWidget *countTable(QWidget *parent, const QString &objectName, const QString &heading,
                         const QString &accessibleName)
{
    QTableWidget *table = readOnlyTable(objectName, accessibleName,
                                        {heading, ConnectionsPanel::tr("Sessions")}, parent);
    // The name takes the room; the count needs little.
    table->horizontalHeader()->setStretchLastSection(false);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->setMinimumHeight(110);
    return table;
}

void fill(QTableWidget *table, const QMap<QString, int> &counts)
{
    table->setRowCount(0);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const int row = table->rowCount();
        table->insertRow(row);
        auto *key = new QTableWidgetItem(it.key());
        auto *value = new QTableWidgetItem(QString::number(it.value()));
        value->setData(Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        table->setItem(row, 0, key);
        table->setItem(row, 1, value);
    }
}

} // namespace

ConnectionsPanel::ConnectionsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_capacityLabel = new QLabel(this);
    m_capacityLabel->setObjectName(u"capacityLabel"_s);
    m_capacityLabel->setTextFormat(Qt::PlainText);
    m_capacityLabel->setWordWrap(true);
    layout->addWidget(m_capacityLabel);
    m_bar = new CapacityBar(this);
    m_bar->setObjectName(u"capacityBar"_s);
    layout->addWidget(m_bar);
    m_warningsLabel = new QLabel(this);
    m_warningsLabel->setObjectName(u"connectionWarningsLabel"_s);
    m_warningsLabel->setTextFormat(Qt::PlainText);
    m_warningsLabel->setWordWrap(true);
    Palette::keepStyleSheet(m_warningsLabel, &Palette::cautionTextStyle);
    layout->addWidget(m_warningsLabel);
    m_migrationsLabel = new QLabel(this);
    m_migrationsLabel->setObjectName(u"migrationsLabel"_s);
    m_migrationsLabel->setTextFormat(Qt::PlainText);
    m_migrationsLabel->setWordWrap(true);
    m_migrationsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_migrationsLabel);

    m_scopeComboBox = new QComboBox(this);
    m_scopeComboBox->setObjectName(u"scopeComboBox"_s);
    m_scopeComboBox->addItems({tr("This database"), tr("Whole server")});
    connect(m_scopeComboBox, &QComboBox::currentIndexChanged, this, &ConnectionsPanel::fillTables);
    // A visible label: a screen reader names a combo box by its label.
    auto *scopeRow = new QHBoxLayout;
    auto *scopeLabel = new QLabel(tr("Sessions &in"), this);
    scopeLabel->setBuddy(m_scopeComboBox);
    scopeRow->addWidget(scopeLabel);
    scopeRow->addWidget(m_scopeComboBox);
    m_toolSessionsLabel = new QLabel(this);
    m_toolSessionsLabel->setObjectName(u"toolSessionsLabel"_s);
    m_toolSessionsLabel->setTextFormat(Qt::PlainText);
    scopeRow->addWidget(m_toolSessionsLabel);
    scopeRow->addStretch(1);
    layout->addLayout(scopeRow);

    auto *grid = new QGridLayout;
    m_stateTable = countTable(this, u"stateTable"_s, tr("State"), tr("Sessions by state"));
    m_applicationTable = countTable(this, u"applicationTable"_s, tr("Application"),
                                    tr("Sessions by application"));
    m_clientTable = countTable(this, u"clientTable"_s, tr("Client address"),
                               tr("Sessions by client address"));
    m_userTable = countTable(this, u"userTable"_s, tr("User"), tr("Sessions by user"));
    grid->addWidget(m_stateTable, 0, 0);
    grid->addWidget(m_applicationTable, 0, 1);
    grid->addWidget(m_clientTable, 1, 0);
    grid->addWidget(m_userTable, 1, 1);
    layout->addLayout(grid, 1);
}

void ConnectionsPanel::setData(const Profile &profile, const ServerSnapshot &snapshot)
{
    m_snapshot = snapshot;
    const SlotCounts counts = snapshot.slotCounts();
    m_bar->setCounts(counts);

    QString reserveText = tr("superuser_reserved_connections %1").arg(snapshot.superuserReserved);
    if (snapshot.versionNum >= 160000)
        reserveText += tr(", reserved_connections %1").arg(snapshot.reserved);
    m_capacityLabel->setText(
            tr("%1 max_connections %2, %3.")
                    .arg(counts.summary(), QString::number(snapshot.maxConnections), reserveText));
    // The tables below leave the tool's sessions out too; say so, or empty tables look broken.
    m_toolSessionsLabel->setText(
            tr("This tool's own sessions (%1) are left out.").arg(counts.toolSessions));

    m_warnings.clear();
    if (counts.freeShare() < 0.2)
        m_warnings << tr("Headroom is low: %1 of %2 slots free (under 20%). A deploy that opens "
                         "more connections may hit \"too many clients\".")
                              .arg(counts.available())
                              .arg(counts.usable());
    const int recycle = profile.pool.poolRecycleSeconds;
    for (const SessionInfo &session : snapshot.sessions) {
        if (session.tool())
            continue;
        const QString who
                = tr("pid %1 (%2, %3)")
                          .arg(session.pid)
                          .arg(session.user.isEmpty() ? tr("unknown user") : session.user,
                               session.applicationName.isEmpty() ? tr("no application_name")
                                                                 : session.applicationName);
        if (session.state.startsWith(u"idle in transaction"_s)
            && session.stateSeconds > m_idleThreshold)
            m_warnings << tr("%1 has been idle in transaction for %2 s: it holds locks and a "
                             "slot; check for a missing commit or rollback.")
                                  .arg(who)
                                  .arg(qRound(session.stateSeconds));
        const bool application = profile.pool.applicationName.isEmpty()
                ? session.database == snapshot.database
                : session.applicationName == profile.pool.applicationName;
        if (recycle > 0 && application && session.state == u"idle"_s
            && session.stateSeconds > recycle)
            m_warnings << tr("%1 has been idle for %2 s, longer than pool_recycle (%3 s): a "
                             "possible leak (a missing session.close()).")
                                  .arg(who)
                                  .arg(qRound(session.stateSeconds))
                                  .arg(recycle);
    }
    if (!snapshot.readAllStats)
        m_warnings << tr("The numbers are partial: %1 is not a superuser or member of "
                         "pg_read_all_stats, so other roles' sessions show no state, client or "
                         "query.")
                              .arg(snapshot.user);
    m_warningsLabel->setText(m_warnings.join(u'\n'));
    m_warningsLabel->setVisible(!m_warnings.isEmpty());

    if (snapshot.alembicRevision && !snapshot.alembicReadable)
        m_migrationsLabel->setText(tr("Migrations: an alembic_version table exists, but %1 may "
                                      "not read it.")
                                           .arg(snapshot.user));
    else if (snapshot.alembicRevision)
        m_migrationsLabel->setText(
                snapshot.alembicRevision->isEmpty()
                        ? tr("Migrations: the alembic_version table exists but is empty. Run: cd "
                             "backend && alembic upgrade head")
                        : tr("Migrations: at revision %1 (alembic_version).")
                                  .arg(*snapshot.alembicRevision));
    else
        m_migrationsLabel->setText(tr("Migrations have not run here (no alembic_version table). "
                                      "Run: cd backend && alembic upgrade head"));
    fillTables();
}

void ConnectionsPanel::fillTables()
{
    if (!m_snapshot)
        return;
    const ConnectionCounts counts = m_scopeComboBox->currentIndex() == 0
            ? m_snapshot->databaseCounts()
            : m_snapshot->serverCounts();
    fill(m_stateTable, counts.byState);
    fill(m_applicationTable, counts.byApplication);
    fill(m_clientTable, counts.byClient);
    fill(m_userTable, counts.byUser);
}
