#pragma once

#include <QList>
#include <QMap>
#include <QObject>

class QAction;
class QMainWindow;
struct Profile;

/// The window's menu bar, File, Edit, View, Profile and Help: every command of the window
/// once, with its standard shortcut, where people look for it and where a screen reader
/// finds it. The window connects each command; the sidebar's context menu reuses the
/// profile's commands from here.
class MainMenus final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainMenus)

public:
    enum class Command {
        NewProfile,
        Import,
        Export,
        ImportCatalogue,
        ExportCatalogue,
        Quit,
        Duplicate,
        Delete,
        CopyUrl,
        CopyUrlWithPassword,
        Find,
        TestConnection,
        RotatePassword,
        ShowReadme,
        ShowAbout,
    };

    /// pageNames: the window's pages in order; View lists them with Alt+1, Alt+2, ...
    MainMenus(QMainWindow *window, const QStringList &pageNames);

    QAction *action(Command command) const;
    /// The commands about one profile, for the sidebar's context menu.
    QList<QAction *> profileActions() const;
    /// Enables what applies to this profile (nothing, without one). A command it does not
    /// support says why in its tooltip.
    void setProfile(const Profile *profile);

Q_SIGNALS:
    void pageChosen(int index);

private:
    QAction *add(Command command, const QString &text, const QList<QKeySequence> &shortcuts);

    QMap<Command, QAction *> m_actions;
};
