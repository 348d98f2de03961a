#include "MainMenus.h"

#include "usecases/PasswordRotation.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

using namespace Qt::Literals::StringLiterals;

MainMenus::MainMenus(QMainWindow *window, const QStringList &pageNames)
    : QObject(window)
{
    QMenuBar *bar = window->menuBar();
    QMenu *file = bar->addMenu(tr("&File"));
    file->addAction(add(Command::NewProfile, tr("&New Profile"), {QKeySequence::New}));
    file->addAction(add(Command::Import, tr("&Import..."), {QKeySequence::Open}));
    file->addAction(add(Command::Export, tr("&Export..."), {QKeySequence(Qt::CTRL | Qt::Key_E)}));
    file->addSeparator();
    file->addAction(add(Command::ImportCatalogue, tr("Import Team &Catalogue..."), {}));
    file->addAction(add(Command::ExportCatalogue, tr("Export Team Catalo&gue..."), {}));
    file->addSeparator();
    // Spelled out: QKeySequence::Quit has no key on Windows.
    file->addAction(add(Command::Quit, tr("&Quit"), {QKeySequence(Qt::CTRL | Qt::Key_Q)}));

    QMenu *edit = bar->addMenu(tr("&Edit"));
    edit->addAction(add(Command::Duplicate, tr("D&uplicate Profile"),
                        {QKeySequence(Qt::CTRL | Qt::Key_D)}));
    edit->addAction(add(Command::Delete, tr("&Delete Profile..."), {QKeySequence::Delete}));
    edit->addSeparator();
    edit->addAction(add(Command::CopyUrl, tr("&Copy URL"),
                        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)}));
    // No shortcut: a password reaches the clipboard only by a deliberate choice.
    edit->addAction(add(Command::CopyUrlWithPassword, tr("Copy URL with &Password"), {}));
    edit->addSeparator();
    edit->addAction(add(Command::Find, tr("&Find Profile"),
                        {QKeySequence::Find, QKeySequence(Qt::CTRL | Qt::Key_K)}));

    QMenu *view = bar->addMenu(tr("&View"));
    for (int index = 0; index < pageNames.size(); ++index) {
        // Ctrl+1..9 pick profiles; Alt+1.. pick pages.
        QAction *page = view->addAction(pageNames.at(index));
        if (index < 9)
            page->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + index)));
        connect(page, &QAction::triggered, this, [this, index]() { Q_EMIT pageChosen(index); });
    }

    QMenu *profile = bar->addMenu(tr("&Profile"));
    profile->addAction(add(Command::TestConnection, tr("&Test Connection"),
                           {QKeySequence(Qt::CTRL | Qt::Key_T)}));
    profile->addAction(add(Command::RotatePassword, tr("&Rotate Password..."), {}));

    QMenu *help = bar->addMenu(tr("&Help"));
    help->addAction(add(Command::ShowReadme, tr("&Read Me"), {QKeySequence::HelpContents}));
    help->addAction(add(Command::ShowAbout, tr("&About OrderFlow DB Admin"), {}));
    action(Command::ShowAbout)->setMenuRole(QAction::AboutRole);
    action(Command::Quit)->setMenuRole(QAction::QuitRole);
    setProfile(nullptr);
}

QAction *MainMenus::add(Command command, const QString &text, const QList<QKeySequence> &shortcuts)
{
    auto *action = new QAction(text, this);
    action->setShortcuts(shortcuts);
    if (command == Command::Delete) {
        // Delete acts on the sidebar only: elsewhere the key belongs to the text being edited.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    }
    m_actions.insert(command, action);
    return action;
}

QAction *MainMenus::action(Command command) const
{
    return m_actions.value(command);
}

QList<QAction *> MainMenus::profileActions() const
{
    return {action(Command::TestConnection), action(Command::RotatePassword),
            action(Command::CopyUrl),        action(Command::Duplicate),
            action(Command::Export),         action(Command::Delete)};
}

void MainMenus::setProfile(const Profile *profile)
{
    for (QAction *each : {action(Command::Export), action(Command::Duplicate),
                          action(Command::Delete), action(Command::CopyUrl),
                          action(Command::CopyUrlWithPassword), action(Command::TestConnection)})
        each->setEnabled(profile != nullptr);
    QAction *rotate = action(Command::RotatePassword);
    const auto unsupported = profile ? PasswordRotation::unsupportedReason(*profile)
                                     : std::optional<QString>(tr("No profile is selected."));
    rotate->setEnabled(!unsupported);
    rotate->setToolTip(unsupported.value_or(
            tr("A generated password, set on the server and saved here in one step")));
    rotate->setStatusTip(rotate->toolTip());
}
