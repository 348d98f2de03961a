#include "ExtensionsPanel.h"

#include "ReadOnlyTable.h"
#include "connection/ExtensionRequirements.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QTableWidgetItem *item(const QString &text)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return cell;
}

} // namespace

ExtensionsPanel::ExtensionsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Required extensions"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    layout->addWidget(title);

    m_requiredTable = readOnlyTable(
            u"requiredExtensionsTable"_s, tr("Required extensions"),
            {tr("Requirement"), tr("Extension"), tr("Status"), tr("Installed"), tr("Available")},
            this);
    layout->addWidget(m_requiredTable);
    // The Create actions sit under the table, not in its cells: a screen reader does not see
    // widgets in a table's cells, and Tab moves between the cells rather than into them.
    m_createButtons = new QWidget(this);
    auto *createLayout = new QHBoxLayout(m_createButtons);
    createLayout->setContentsMargins(0, 0, 0, 0);
    createLayout->addStretch(1);
    m_createButtons->hide();
    layout->addWidget(m_createButtons);

    m_hintsLabel = new QLabel(this);
    m_hintsLabel->setObjectName(u"extensionHintsLabel"_s);
    m_hintsLabel->setTextFormat(Qt::PlainText);
    m_hintsLabel->setWordWrap(true);
    m_hintsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_hintsLabel);

    auto *otherTitle = new QLabel(tr("Installed in this database (\\dx)"), this);
    otherTitle->setFont(bold);
    layout->addWidget(otherTitle);
    m_otherTable = readOnlyTable(u"installedExtensionsTable"_s,
                                 tr("Extensions installed in this database"),
                                 {tr("Name"), tr("Version"), tr("Description")}, this);
    layout->addWidget(m_otherTable);
}

void ExtensionsPanel::showCreateButtons(const QStringList &names)
{
    // The same buttons stay through a refresh (every few seconds), and with them the keyboard
    // focus of someone about to press one.
    if (names == m_createNames)
        return;
    m_createNames = names;
    qDeleteAll(m_createButtons->findChildren<QPushButton *>(Qt::FindDirectChildrenOnly));
    auto *createLayout = static_cast<QHBoxLayout *>(m_createButtons->layout());
    QWidget *previousStop = m_requiredTable;
    for (const QString &name : names) {
        auto *button = new QPushButton(tr("Create %1...").arg(name), m_createButtons);
        button->setObjectName(u"createButton_"_s + name);
        connect(button, &QPushButton::clicked, this,
                [this, name]() { Q_EMIT createRequested(name); });
        createLayout->insertWidget(createLayout->count() - 1, button);
        // Tab reaches a new button where it stands, after the table above it, not after
        // everything made before it.
        setTabOrder(previousStop, button);
        previousStop = button;
    }
    m_createButtons->setVisible(!names.isEmpty());
}

void ExtensionsPanel::setData(const Profile &profile, const ServerSnapshot &snapshot)
{
    const QList<RequirementStatus> statuses
            = ExtensionRequirements::evaluate(profile.requiredExtensions, snapshot);
    m_requiredTable->setRowCount(0);
    QStringList creatable;
    QStringList hints;
    for (const RequirementStatus &status : statuses) {
        for (const ExtensionInfo &info : status.candidates) {
            const int row = m_requiredTable->rowCount();
            m_requiredTable->insertRow(row);
            const QString requirement = QString(status.requirement).replace(u'|', tr(" or "));
            m_requiredTable->setItem(
                    row, 0, item(requirement + (status.met ? u" \u2713"_s : u" \u2717"_s)));
            m_requiredTable->setItem(row, 1, item(info.name));
            QString state;
            switch (info.status) {
            case ExtensionInfo::Status::Installed:
                state = info.updateAvailable()
                        ? tr("installed, update available (ALTER EXTENSION \"%1\" UPDATE)")
                                  .arg(info.name)
                        : tr("installed");
                break;
            case ExtensionInfo::Status::Available:
                state = tr("available on the server, not created here");
                break;
            case ExtensionInfo::Status::Missing:
                state = tr("missing from the server");
                break;
            }
            m_requiredTable->setItem(row, 2, item(state));
            m_requiredTable->setItem(row, 3, item(info.installedVersion));
            m_requiredTable->setItem(row, 4, item(info.defaultVersion));
            if (info.status == ExtensionInfo::Status::Available)
                creatable << info.name;
            if (info.status == ExtensionInfo::Status::Missing && !status.met) {
                hints << tr("To get %1:").arg(info.name);
                for (const QString &hint :
                     ExtensionRequirements::installHints(info.name, snapshot.versionNum))
                    hints << u"  \u2022 "_s + hint;
            }
        }
        if (!status.note.isEmpty())
            hints << status.note;
    }
    showCreateButtons(creatable);
    m_hintsLabel->setText(hints.join(u'\n'));
    m_hintsLabel->setVisible(!hints.isEmpty());

    m_otherTable->setRowCount(0);
    for (const ExtensionInfo &info : snapshot.extensions) {
        if (info.status != ExtensionInfo::Status::Installed)
            continue;
        const int row = m_otherTable->rowCount();
        m_otherTable->insertRow(row);
        m_otherTable->setItem(row, 0, item(info.name));
        m_otherTable->setItem(row, 1, item(info.installedVersion));
        m_otherTable->setItem(row, 2, item(info.comment));
    }
}
