#include "ConfirmStatementDialog.h"

#include "Palette.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

ConfirmStatementDialog::ConfirmStatementDialog(const QString &title, const QString &sql,
                                               const QString &permission,
                                               const QString &requiredName, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("This statement will run on the server:"), this);
    layout->addWidget(intro);
    auto *sqlEdit = new QPlainTextEdit(sql, this);
    sqlEdit->setObjectName(u"sqlTextEdit"_s);
    sqlEdit->setAccessibleName(tr("Statement"));
    sqlEdit->setReadOnly(true);
    sqlEdit->setFont(QFont(u"monospace"_s));
    sqlEdit->setMaximumHeight(80);
    layout->addWidget(sqlEdit);
    auto *permissionLabel = new QLabel(permission, this);
    permissionLabel->setObjectName(u"permissionLabel"_s);
    permissionLabel->setTextFormat(Qt::PlainText);
    permissionLabel->setWordWrap(true);
    layout->addWidget(permissionLabel);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(u"runButton"_s);
    if (!requiredName.isEmpty()) {
        auto *warning
                = new QLabel(tr("This is a production profile. Type its name, %1, to confirm.")
                                     .arg(requiredName),
                             this);
        warning->setTextFormat(Qt::PlainText);
        warning->setWordWrap(true);
        Palette::keepStyleSheet(warning, &Palette::strongErrorTextStyle);
        layout->addWidget(warning);
        m_nameLineEdit = new QLineEdit(this);
        m_nameLineEdit->setObjectName(u"confirmNameLineEdit"_s);
        m_nameLineEdit->setAccessibleName(tr("Profile name to confirm"));
        layout->addWidget(m_nameLineEdit);
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        connect(m_nameLineEdit, &QLineEdit::textChanged, this,
                [this, requiredName](const QString &text) {
                    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(text == requiredName);
                });
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
}
