#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;

/// Shows the exact SQL a change will run, and whether the role may run it, before it runs.
/// For a production profile the user must type the profile's name to go ahead.
class ConfirmStatementDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfirmStatementDialog)

public:
    ConfirmStatementDialog(const QString &title, const QString &sql, const QString &permission,
                           const QString &requiredName, QWidget *parent = nullptr);

private:
    QLineEdit *m_nameLineEdit = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
