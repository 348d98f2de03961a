#pragma once

#include "interop/PgPassFile.h"
#include "usecases/ProfileActions.h"

#include <QObject>

#include <functional>

class ProfileRepository;
class QWidget;

/// What the profile list's buttons do: add (one profile or the standard ones), duplicate,
/// delete and import, through the same use cases the command line runs. It asks the user
/// where a decision is needed and reports the outcome; the window shows it.
class ProfileListController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListController)

public:
    /// Takes the user's leave of unsaved edits before an action (true: go ahead); when it
    /// saves them first, it runs the action again once they are saved.
    using LeaveEdits = std::function<bool(std::function<void()> retry)>;

    ProfileListController(ProfileRepository *repository, ProfileActions *actions,
                          LeaveEdits leaveEdits, QWidget *window);

    void addTemplates();
    void addProfile();
    void duplicateProfile(const QString &profileId);
    void deleteProfile(const QString &profileId);
    /// Asks for a file, then imports it.
    void importFile();
    /// Imports a .env, pg_service.conf or .pgpass file: read off the UI thread, then a
    /// question (opened, not run in a nested loop) when imported names are already taken.
    void importFrom(const QString &path);
    /// Asks for a team catalogue, then imports it.
    void importCatalogueFile();
    /// Reads and compares the catalogue off the UI thread, shows what importing it changes,
    /// and imports it once the user confirms (the dialog opened, not run in a nested loop).
    void importCatalogueFrom(const QString &path);
    /// Asks where, then exports every profile as a team catalogue.
    void exportCatalogueFile();
    /// Writes the team catalogue off the UI thread and reports how it went.
    void exportCatalogueTo(const QString &path);
    /// Reports a failed use case's errors (true), or a successful one's warnings (false).
    bool reportFailure(const ProfileActionResult &result, const QString &what);

Q_SIGNALS:
    void messageReported(const QString &text, bool warning);
    void templatesAdded();
    /// A new, empty profile: the window opens it for editing.
    void profileAdded(const QString &profileId);
    void profileDuplicated(const QString &profileId);

private:
    /// Deletes once the user confirmed (confirmation: the typed name, for production).
    void removeProfile(const QString &profileId, const QString &confirmation);
    void takePasswordsFrom(const QString &path, const PgPassFile::ParseResult &file);
    void importProfiles(const QString &path, const QList<NewProfile> &profiles);
    void addImported(const QString &path, const QList<NewProfile> &profiles, NameClash clash);

    ProfileRepository *m_repository;
    ProfileActions *m_actions;
    LeaveEdits m_leaveEdits;
    QWidget *m_window;
};
