#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QColor;
class QDateTime;
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
    /// Shows a profile's last test beside its name: the time it ran, coloured by its result
    /// (the time also under Qt::UserRole of the second column).
    void setTestStatus(const QString &profileId, const QColor &color, const QDateTime &finishedAt,
                       const QString &tooltip);
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
