#include "HelpDialogs.h"

#include "ComponentVersions.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

// The dialogs' strings, under one translation context.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(HelpDialogs)
};

} // namespace

void HelpDialogs::showAbout(QWidget *parent)
{
    const ComponentVersions versions = ComponentVersions::running();
    auto *box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(u"aboutBox"_s);
    box->setWindowTitle(Text::tr("About OrderFlow DB Admin"));
    box->setIconPixmap(parent->windowIcon().pixmap(64, 64));
    box->setTextFormat(Qt::PlainText);
    box->setText(Text::tr("OrderFlow DB Admin %1").arg(versions.product));
    box->setInformativeText(
            Text::tr("Saved connection profiles whose passwords stay in the keychain, connection "
                     "tests that explain failures, and the server and its pools as OrderFlow "
                     "sees them.\n\nQt %1\nlibpq %2\n%3")
                    .arg(versions.qt, versions.libpq, versions.openssl));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    box->open();
}

void HelpDialogs::showReadme(QWidget *parent)
{
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(u"readmeDialog"_s);
    dialog->setWindowTitle(Text::tr("OrderFlow DB Admin: Read Me"));
    auto *layout = new QVBoxLayout(dialog);
    auto *browser = new QTextBrowser(dialog);
    browser->setObjectName(u"readmeBrowser"_s);
    browser->setAccessibleName(Text::tr("Read Me"));
    browser->setOpenExternalLinks(true);
    QFile readme(u":/doc/README.md"_s);
    // A resource: opening it reads memory, not the disk.
    if (readme.open(QIODevice::ReadOnly))
        browser->setMarkdown(QString::fromUtf8(readme.readAll()));
    layout->addWidget(browser);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(760, 600);
    dialog->open();
}
