#pragma once

#include <QColor>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QWidget>

class QAction;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
struct Profile;

/// The saved profiles grouped by environment, with a filter above them and the Add,
/// Duplicate, Delete and Import buttons below. It shows and reports what the user picked or
/// clicked; the window decides what happens.
class ProfileListView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListView)

public:
    explicit ProfileListView(QWidget *parent = nullptr);

    /// Redraws the list from the owner's profiles, currentId selected.
    void setProfiles(const QList<Profile> &profiles, const QString &currentId);
    /// Selects a profile without reporting it; an unknown id leaves the selection alone.
    void setCurrentProfile(const QString &profileId);
    /// The id of the n-th profile (from 0) the filter leaves in sight; empty when none.
    QString visibleProfileId(int index) const;
    void focusFilter();
    /// A profile's last test as the list shows it beside its name.
    struct TestStatus
    {
        QColor color;
        /// Also under Qt::UserRole of the second column.
        QDateTime finishedAt;
        /// When it ran, with a mark of its result; empty for a profile not tested.
        QString text;
        /// The result and when, in words, for screen readers.
        QString spoken;
        /// The same with the exact time and the summary; also the accessible description.
        QString tooltip;
    };
    void setTestStatus(const QString &profileId, const TestStatus &status);
    /// Marks the profile whose edits are not saved yet (none when empty): its name in italics,
    /// a dot on its colour, and "unsaved changes" for screen readers and in its tooltip.
    void setUnsaved(const QString &profileId);
    /// What a right-click on a profile offers (the window's profile commands).
    void setContextActions(const QList<QAction *> &actions);

Q_SIGNALS:
    /// The user picked a profile; the window may refuse and call setCurrentProfile back.
    void profileActivated(const QString &profileId);
    void addClicked();
    void duplicateClicked();
    void deleteClicked();
    void importClicked();

private:
    void applyFilter(const QString &text);
    void showUnsavedMark(QTreeWidgetItem *item, bool unsaved);

    QLineEdit *m_filterLineEdit = nullptr;
    QTreeWidget *m_profileTree = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QString m_unsavedId;
};
