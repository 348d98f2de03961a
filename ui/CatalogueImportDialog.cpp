#include "CatalogueImportDialog.h"

#include "Palette.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

CatalogueImportDialog::CatalogueImportDialog(const Catalogue::Plan &plan, const QString &path,
                                             const QStringList &otherMembers, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import team catalogue"));
    resize(720, 420);
    auto *layout = new QVBoxLayout(this);
    auto *summaryLabel = new QLabel(
            tr("%1: %2. The keychain is not touched: a password this machine does not have "
               "yet is added on the profile's Connection page.")
                    .arg(path, Catalogue::summary(plan)),
            this);
    if (!otherMembers.isEmpty())
        summaryLabel->setText(summaryLabel->text() + u'\n'
                              + tr("This version does not know %1; only the file keeps them, and "
                                   "an export over it keeps them there.")
                                        .arg(otherMembers.join(u", "_s)));
    summaryLabel->setObjectName(u"catalogueSummaryLabel"_s);
    summaryLabel->setTextFormat(Qt::PlainText);
    summaryLabel->setWordWrap(true);
    layout->addWidget(summaryLabel);

    auto *changesTree = new QTreeWidget(this);
    changesTree->setObjectName(u"catalogueChangesTree"_s);
    changesTree->setAccessibleName(tr("Changes"));
    changesTree->setRootIsDecorated(false);
    changesTree->setHeaderLabels({tr("Change"), tr("Profile"), tr("Details")});
    changesTree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (const Catalogue::Change &change : plan.changes) {
        QString kind;
        QString details;
        switch (change.kind) {
        case Catalogue::Change::Kind::Added:
            kind = tr("Added");
            details = Catalogue::passwordNote(change.profile);
            break;
        case Catalogue::Change::Kind::Changed:
            kind = tr("Changed");
            details = change.fields.join(u", "_s);
            break;
        case Catalogue::Change::Kind::Unchanged:
            kind = tr("Unchanged");
            break;
        }
        // Item text is plain text: a name from the file shows as it is.
        new QTreeWidgetItem(
                changesTree,
                {kind,
                 tr("%1 (%2)").arg(change.profile.name,
                                   Environments::displayName(change.profile.environment)),
                 details});
    }
    layout->addWidget(changesTree, 1);

    const bool nothingToDo = plan.count(Catalogue::Change::Kind::Added) == 0
            && plan.count(Catalogue::Change::Kind::Changed) == 0;
    auto *problemLabel = new QLabel(this);
    problemLabel->setObjectName(u"catalogueProblemLabel"_s);
    problemLabel->setTextFormat(Qt::PlainText);
    problemLabel->setWordWrap(true);
    Palette::keepStyleSheet(problemLabel, &Palette::errorTextStyle);
    problemLabel->setText(!plan.problems.isEmpty()
                                  ? plan.problems.join(u'\n')
                                  : (nothingToDo ? tr("Nothing to import: every profile of the "
                                                      "catalogue is saved as it is.")
                                                 : QString()));
    problemLabel->setVisible(!problemLabel->text().isEmpty());
    layout->addWidget(problemLabel);

    // A production profile moved to another environment loses the read-only guard on this
    // tool's sessions: its name is typed, as for deleting one.
    QList<QLineEdit *> confirmations;
    for (const QString &name : plan.unconfirmed({})) {
        auto *label = new QLabel(tr("\"%1\" is a production profile here; the catalogue moves it "
                                    "to another environment, which lifts the read-only guard on "
                                    "this tool's sessions to it. Type its name to allow it:")
                                         .arg(name),
                                 this);
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        Palette::keepStyleSheet(label, &Palette::cautionTextStyle);
        auto *edit = new QLineEdit(this);
        edit->setObjectName(u"confirmProductionLineEdit"_s);
        edit->setAccessibleName(tr("Name of the production profile %1").arg(name));
        edit->setPlaceholderText(name);
        label->setBuddy(edit);
        layout->addWidget(label);
        layout->addWidget(edit);
        confirmations << edit;
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto *importButton = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    importButton->setObjectName(u"importCatalogueButton"_s);
    const bool importable = plan.problems.isEmpty() && !nothingToDo;
    auto updateImport = [plan, confirmations, importButton, importable]() {
        QStringList typed;
        for (const QLineEdit *edit : confirmations)
            typed << edit->text();
        importButton->setEnabled(importable && plan.unconfirmed(typed).isEmpty());
    };
    for (QLineEdit *edit : confirmations)
        connect(edit, &QLineEdit::textChanged, this, updateImport);
    updateImport();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}
