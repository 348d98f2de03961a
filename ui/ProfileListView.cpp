#include "ProfileListView.h"

#include "Palette.h"
#include "PlainText.h"
#include "connection/ConnectionUrl.h"
#include "profiles/Profile.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int ProfileIdRole = Qt::UserRole + 1;
/// What the filter matches besides the name: host, port and database.
constexpr int SearchTextRole = Qt::UserRole + 2;
/// The profile's colour and tooltip (plain text), kept to redraw the unsaved mark.
constexpr int ColorRole = Qt::UserRole + 3;
constexpr int TooltipRole = Qt::UserRole + 4;
/// A heading's environment.
constexpr int EnvironmentRole = Qt::UserRole + 5;

/// What a row stands for across a redraw: its profile, or its heading's environment.
QString rowKey(const QTreeWidgetItem *item)
{
    if (!item)
        return QString();
    if (item->data(0, ProfileIdRole).isValid())
        return item->data(0, ProfileIdRole).toString();
    return u"environment %1"_s.arg(item->data(0, EnvironmentRole).toInt());
}

} // namespace

ProfileListView::ProfileListView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_filterLineEdit = new QLineEdit(this);
    m_filterLineEdit->setObjectName(u"filterLineEdit"_s);
    m_filterLineEdit->setPlaceholderText(tr("Name, host or database (Ctrl+K)"));
    m_filterLineEdit->setAccessibleName(tr("Filter profiles"));
    // The clear button comes with the first text typed (an empty field shows none anyway):
    // finding its themed icon takes longer than building the rest of the sidebar.
    connect(m_filterLineEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!text.isEmpty())
            m_filterLineEdit->setClearButtonEnabled(true);
    });
    connect(m_filterLineEdit, &QLineEdit::textChanged, this, &ProfileListView::applyFilter);
    layout->addWidget(m_filterLineEdit);

    m_profileTree = new QTreeWidget(this);
    m_profileTree->setObjectName(u"profileTree"_s);
    m_profileTree->setHeaderHidden(true);
    m_profileTree->setRootIsDecorated(false);
    // The name, then the last test's status.
    m_profileTree->setColumnCount(2);
    m_profileTree->header()->setStretchLastSection(false);
    m_profileTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_profileTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_profileTree->setAccessibleName(tr("Profiles"));
    connect(m_profileTree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) {
                if (current && current->data(0, ProfileIdRole).isValid())
                    Q_EMIT profileActivated(current->data(0, ProfileIdRole).toString());
            });
    layout->addWidget(m_profileTree, 1);

    // Two rows of two: one row of four would hold the sidebar at about 340 px, and the page
    // beside it would lose that width on a small screen.
    auto *buttons = new QGridLayout;
    auto *addButton = new QPushButton(tr("Add"), this);
    addButton->setObjectName(u"addButton"_s);
    m_duplicateButton = new QPushButton(tr("Duplicate"), this);
    m_duplicateButton->setObjectName(u"duplicateButton"_s);
    m_deleteButton = new QPushButton(tr("Delete"), this);
    m_deleteButton->setObjectName(u"deleteButton"_s);
    auto *importButton = new QPushButton(tr("Import..."), this);
    importButton->setObjectName(u"importButton"_s);
    importButton->setToolTip(tr("A .env file, pg_service.conf or .pgpass"));
    const QList<QPushButton *> ordered{addButton, m_duplicateButton, m_deleteButton, importButton};
    for (int index = 0; index < ordered.size(); ++index)
        buttons->addWidget(ordered.at(index), index / 2, index % 2);
    layout->addLayout(buttons);
    connect(addButton, &QPushButton::clicked, this, &ProfileListView::addClicked);
    connect(m_duplicateButton, &QPushButton::clicked, this, &ProfileListView::duplicateClicked);
    connect(m_deleteButton, &QPushButton::clicked, this, &ProfileListView::deleteClicked);
    connect(importButton, &QPushButton::clicked, this, &ProfileListView::importClicked);
}

void ProfileListView::setTestStatus(const QString &profileId, const TestStatus &status)
{
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if ((*it)->data(0, ProfileIdRole).toString() != profileId)
            continue;
        (*it)->setText(1, status.text);
        (*it)->setData(1, Qt::UserRole, status.finishedAt);
        (*it)->setForeground(1, status.color);
        (*it)->setData(1, Qt::AccessibleTextRole, status.spoken);
        (*it)->setData(1, Qt::AccessibleDescriptionRole, status.tooltip);
        // Tooltips render rich text: the verdict may quote the server.
        (*it)->setToolTip(1,
                          status.tooltip.isEmpty() ? QString() : PlainText::html(status.tooltip));
    }
}

void ProfileListView::setUnsaved(const QString &profileId)
{
    m_unsavedId = profileId;
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if ((*it)->data(0, ProfileIdRole).isValid())
            showUnsavedMark(*it,
                            !profileId.isEmpty()
                                    && (*it)->data(0, ProfileIdRole).toString() == profileId);
    }
}

void ProfileListView::showUnsavedMark(QTreeWidgetItem *item, bool unsaved)
{
    item->setIcon(0, Palette::swatchIcon(item->data(0, ColorRole).value<QColor>(), unsaved));
    QFont font = item->font(0);
    font.setItalic(unsaved);
    item->setFont(0, font);
    const QString tooltip = item->data(0, TooltipRole).toString();
    // Escaped as a whole: a tooltip that looks like HTML is shown as HTML, and one escaped only
    // in part shows its entities when Qt takes it for plain text.
    item->setToolTip(0,
                     PlainText::html(unsaved ? tooltip + u'\n' + tr("Unsaved changes") : tooltip));
    item->setData(0, Qt::AccessibleTextRole,
                  unsaved ? tr("%1, unsaved changes").arg(item->text(0)) : QVariant());
}

void ProfileListView::setContextActions(const QList<QAction *> &actions)
{
    m_profileTree->addActions(actions);
    m_profileTree->setContextMenuPolicy(Qt::ActionsContextMenu);
}

void ProfileListView::setProfiles(const QList<Profile> &profiles, const QString &currentId)
{
    const QSignalBlocker blocker(m_profileTree);
    // Redrawn whenever the profiles change, in this window or in another process, and when
    // the palette changes: the groups the user folded stay folded, and the row at the top
    // stays at the top.
    QSet<int> folded;
    for (int i = 0; i < m_profileTree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *group = m_profileTree->topLevelItem(i);
        if (!group->isExpanded())
            folded.insert(group->data(0, EnvironmentRole).toInt());
    }
    const QString topRow = rowKey(m_profileTree->itemAt(0, 0));
    m_profileTree->clear();
    QTreeWidgetItem *current = nullptr;
    for (Environment environment : Environments::all()) {
        QTreeWidgetItem *group = nullptr;
        for (const Profile &profile : profiles) {
            if (profile.environment != environment)
                continue;
            if (!group) {
                group = new QTreeWidgetItem(m_profileTree,
                                            {Environments::displayName(environment)});
                group->setFlags(Qt::ItemIsEnabled);
                group->setData(0, EnvironmentRole, int(environment));
                QFont font = group->font(0);
                font.setBold(true);
                group->setFont(0, font);
                group->setForeground(0, Palette::environmentTextColor(environment));
            }
            auto *item = new QTreeWidgetItem(group, {profile.name});
            item->setData(0, ProfileIdRole, profile.id);
            item->setData(0, ColorRole, Palette::profileColor(profile));
            const ConnectionUrl url = profile.connectionUrl();
            item->setData(
                    0, SearchTextRole,
                    QStringList{url.value(u"host"_s), url.value(u"port"_s), url.value(u"dbname"_s)}
                            .join(u' '));
            if (environment == Environment::Production || environment == Environment::Staging)
                item->setForeground(0, Palette::environmentTextColor(environment));
            QString tooltip = u"%1 (%2)\n%3"_s.arg(
                    profile.name, Environments::displayName(environment), profile.redactedUrl());
            if (!profile.route.isDirect()) {
                tooltip += u'\n' + profile.route.via();
                item->setData(0, Qt::AccessibleDescriptionRole, profile.route.via());
            }
            item->setData(0, TooltipRole, tooltip);
            showUnsavedMark(item, profile.id == m_unsavedId);
            if (profile.id == currentId)
                current = item;
        }
    }
    for (int i = 0; i < m_profileTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *group = m_profileTree->topLevelItem(i);
        group->setExpanded(!folded.contains(group->data(0, EnvironmentRole).toInt()));
    }
    // Selecting opens the selected profile's group: the profile on screen is never hidden.
    if (current)
        m_profileTree->setCurrentItem(current);
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if (!topRow.isEmpty() && rowKey(*it) == topRow) {
            m_profileTree->scrollToItem(*it, QAbstractItemView::PositionAtTop);
            break;
        }
    }
    m_duplicateButton->setEnabled(!profiles.isEmpty());
    m_deleteButton->setEnabled(!profiles.isEmpty());
    applyFilter(m_filterLineEdit->text());
}

void ProfileListView::setCurrentProfile(const QString &profileId)
{
    const QSignalBlocker blocker(m_profileTree);
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if ((*it)->data(0, ProfileIdRole).toString() == profileId)
            m_profileTree->setCurrentItem(*it);
    }
}

QString ProfileListView::visibleProfileId(int index) const
{
    int seen = 0;
    for (QTreeWidgetItemIterator it(m_profileTree); *it; ++it) {
        if (!(*it)->data(0, ProfileIdRole).isValid() || (*it)->isHidden()
            || ((*it)->parent() && (*it)->parent()->isHidden()))
            continue;
        if (seen++ == index)
            return (*it)->data(0, ProfileIdRole).toString();
    }
    return QString();
}

void ProfileListView::focusFilter()
{
    m_filterLineEdit->setFocus();
    m_filterLineEdit->selectAll();
}

void ProfileListView::applyFilter(const QString &text)
{
    const QString needle = text.trimmed();
    for (int i = 0; i < m_profileTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *group = m_profileTree->topLevelItem(i);
        int visible = 0;
        for (int j = 0; j < group->childCount(); ++j) {
            QTreeWidgetItem *item = group->child(j);
            const bool match = needle.isEmpty()
                    || item->text(0).contains(needle, Qt::CaseInsensitive)
                    || item->data(0, SearchTextRole)
                               .toString()
                               .contains(needle, Qt::CaseInsensitive)
                    || group->text(0).contains(needle, Qt::CaseInsensitive);
            item->setHidden(!match);
            visible += match ? 1 : 0;
        }
        group->setHidden(visible == 0);
    }
}
