#pragma once

#include "SavedFile.h"
#include "profiles/Profile.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class SecretStore;

/// Exports a profile as a .env file, a pg_service.conf section, a docker compose environment
/// block, a create_engine snippet or a psql command line: shown first, then copied or saved.
/// The password is included only when the user ticks the box, and saving it into a file that
/// git would commit asks first.
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    ExportDialog(const Profile &profile, SecretStore *secrets, QWidget *parent = nullptr);

    /// The text as it would be saved or copied now.
    QString text() const;
    /// Why saving this text to path is risky (a password git would commit), or empty.
    /// Runs git: not for the UI thread.
    static QString gitWarning(const QString &path, bool withPassword);
    /// Saves to path once git has been asked, first asking the user when gitWarning() has
    /// something to say. The file is written on a pool thread; saved() tells the outcome, and a
    /// failure is also shown in a message box.
    void saveAfterGitCheck(const QString &path);

Q_SIGNALS:
    void textChanged();
    /// The text was written to path (error empty), or was not (error says why).
    void saved(const QString &path, const QString &error);

private:
    void refresh();
    void saveAs();
    /// Writes on the pool; owner (the window that opened the dialog) says when it failed.
    static void saveReportingFailure(QWidget *owner, const QPointer<ExportDialog> &dialog,
                                     const QString &path, const QByteArray &bytes,
                                     SavedFile::Access access);

    Profile m_profile;
    SecretStore *m_secrets;
    std::optional<QString> m_password;
    QComboBox *m_formatComboBox = nullptr;
    QCheckBox *m_passwordCheckBox = nullptr;
    QLabel *m_warningLabel = nullptr;
    QPlainTextEdit *m_previewTextEdit = nullptr;
};
