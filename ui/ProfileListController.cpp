#include "ProfileListController.h"

#include "AsyncTask.h"
#include "CatalogueImportDialog.h"

#include "interop/Catalogue.h"
#include "interop/ImportFile.h"
#include "interop/PgPassFile.h"
#include "interop/ProfileExchange.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileTemplates.h"
#include "usecases/ProfileActions.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

ProfileListController::ProfileListController(ProfileRepository *repository, ProfileActions *actions,
                                             LeaveEdits leaveEdits, QWidget *window)
    : QObject(window)
    , m_repository(repository)
    , m_actions(actions)
    , m_leaveEdits(std::move(leaveEdits))
    , m_window(window)
{ }

bool ProfileListController::reportFailure(const ProfileActionResult &result, const QString &what)
{
    if (result.ok()) {
        if (!result.warnings.isEmpty())
            Q_EMIT messageReported(result.warnings.join(u'\n'), true);
        return false;
    }
    Q_EMIT messageReported(tr("%1: %2").arg(what, (result.errors + result.warnings).join(u'\n')),
                           true);
    return true;
}

void ProfileListController::addTemplates()
{
    QList<NewProfile> missing;
    for (const Profile &profile : ProfileTemplates::all()) {
        if (!m_repository->findByName(profile.name))
            missing << NewProfile{profile, std::nullopt, std::nullopt, QString()};
    }
    m_actions->add(missing, NameClash::Rename, this, [this](const ProfileActionResult &result) {
        if (reportFailure(result, tr("The profiles could not be added")))
            return;
        Q_EMIT templatesAdded();
    });
}

void ProfileListController::addProfile()
{
    if (!m_leaveEdits([this]() { addProfile(); }))
        return;
    const Profile profile = Profile::create(tr("New profile"), Environment::Development);
    m_actions->add({NewProfile{profile, std::nullopt, std::nullopt, QString()}}, NameClash::Rename,
                   this, [this](const ProfileActionResult &result) {
                       if (reportFailure(result, tr("The profile could not be added")))
                           return;
                       Q_EMIT profileAdded(result.profiles.constFirst().id);
                   });
}

void ProfileListController::duplicateProfile(const QString &profileId)
{
    const auto original = m_repository->findById(profileId);
    if (!original || !m_leaveEdits([this, profileId]() { duplicateProfile(profileId); }))
        return;
    m_actions->duplicate(original->id, tr("%1 copy").arg(original->name), this,
                         [this](const ProfileActionResult &result) {
                             if (reportFailure(result, tr("The copy could not be made")))
                                 return;
                             Q_EMIT profileDuplicated(result.profiles.constFirst().id);
                         });
}

void ProfileListController::deleteProfile(const QString &profileId)
{
    const auto profile = m_repository->findById(profileId);
    if (!profile || !m_leaveEdits([this, profileId]() { deleteProfile(profileId); }))
        return;
    // Also reached from a callback (retried after the edits were saved): the questions open
    // with open(), never a nested event loop.
    const QString id = profile->id;
    const QString name = profile->name;
    if (profile->environment == Environment::Production) {
        auto *dialog = new QInputDialog(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Delete production profile"));
        dialog->setLabelText(tr("This deletes the production profile and its stored password. "
                                "Type its name, %1, to confirm.")
                                     .arg(name));
        connect(dialog, &QInputDialog::textValueSelected, this,
                [this, id, name](const QString &typed) {
                    if (typed == name)
                        return removeProfile(id, typed);
                    Q_EMIT messageReported(tr("\"%1\" was not deleted: the name typed did not "
                                              "match it.")
                                                   .arg(name),
                                           true);
                });
        dialog->open();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete profile"),
                                tr("Delete the profile \"%1\" and its stored password?").arg(name),
                                QMessageBox::Yes | QMessageBox::No, m_window);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, id](QAbstractButton *button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            removeProfile(id, QString());
    });
    box->open();
}

void ProfileListController::removeProfile(const QString &profileId, const QString &confirmation)
{
    m_actions->remove(profileId, confirmation, this, [this](const ProfileActionResult &result) {
        if (reportFailure(result, tr("The profile was not deleted")))
            return;
        Q_EMIT messageReported(
                tr("Deleted the profile \"%1\".").arg(result.profiles.constFirst().name), false);
    });
}

void ProfileListController::importFile()
{
    auto *dialog = new QFileDialog(m_window, tr("Import profiles"), QDir::homePath(),
                                   tr("Connection files (*.env .env* pg_service.conf "
                                      "*.conf .pgpass pgpass*);;All files (*)"));
    dialog->setObjectName(u"importFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    // .env and .pgpass are dot-files, which a file dialog hides unless told otherwise.
    dialog->setFilter(dialog->filter() | QDir::Hidden);
    connect(dialog, &QFileDialog::fileSelected, this, &ProfileListController::importFrom);
    dialog->open();
}

namespace {

// What an import file held, read and parsed on the pool: files may sit on a slow mount.
struct ImportedFile
{
    bool pgpass = false;
    PgPassFile::ParseResult passwords;
    ProfileExchange::ImportResult profiles;
    /// The file could not be read or parsed; nothing is imported.
    QString error;
};

ImportedFile readImportFile(const QString &path)
{
    ImportedFile read;
    const QString name = QFileInfo(path).fileName();
    if (name.contains(u"pgpass"_s)) {
        read.pgpass = true;
        read.passwords = PgPassFile::read(path);
        if (!read.passwords.ok)
            read.error = read.passwords.error;
        return read;
    }
    const ImportFile::Content file = ImportFile::read(path);
    if (!file.ok) {
        read.error = file.error;
        return read;
    }
    const QByteArray &content = file.bytes;
    const bool service = name.contains(u"service"_s) || content.trimmed().startsWith('[');
    read.profiles
            = service ? ProfileExchange::fromPgService(content) : ProfileExchange::fromEnv(content);
    if (!read.profiles.ok)
        read.error = read.profiles.error;
    return read;
}

} // namespace

void ProfileListController::importFrom(const QString &path)
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(), [path]() { return readImportFile(path); }, this,
            [this, path](const ImportedFile &read) {
                if (!read.error.isEmpty())
                    return Q_EMIT messageReported(
                            tr("%1: %2 (nothing was imported)").arg(path, read.error), true);
                if (read.pgpass)
                    return takePasswordsFrom(path, read.passwords);
                importProfiles(path, read.profiles.profiles);
            });
}

void ProfileListController::takePasswordsFrom(const QString &path,
                                              const PgPassFile::ParseResult &file)
{
    m_actions->takePasswords(
            [file](const Profile &profile) { return file.passwordFor(profile); }, this,
            [this, path](const ProfileActionResult &result) {
                if (reportFailure(result, tr("Passwords from %1").arg(path)))
                    return;
                QStringList names;
                for (const Profile &profile : result.profiles)
                    names << profile.name;
                Q_EMIT messageReported(
                        names.isEmpty() ? tr("No entry of %1 matches a profile's host, port, "
                                             "database and user; nothing was imported.")
                                                  .arg(path)
                                        : tr("%1 took their password from %2 into the keychain.")
                                                  .arg(names.join(u", "_s), path),
                        false);
            });
}

void ProfileListController::importProfiles(const QString &path, const QList<NewProfile> &profiles)
{
    QStringList taken;
    for (const auto &entry : profiles) {
        if (m_repository->findByName(entry.profile.name.trimmed()))
            taken << entry.profile.name.trimmed();
    }
    if (taken.isEmpty())
        return addImported(path, profiles, NameClash::Refuse);
    // The same choice the command line offers with --rename and --replace.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Profiles already exist"),
                                tr("Profiles named %1 are already saved.").arg(taken.join(u", "_s)),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(u"importClashBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(tr("Keep both (the imported ones get a number), replace the saved "
                               "ones, or import nothing?"));
    QPushButton *rename = box->addButton(tr("Keep both"), QMessageBox::AcceptRole);
    rename->setObjectName(u"keepBothButton"_s);
    QPushButton *replace = box->addButton(tr("Replace"), QMessageBox::DestructiveRole);
    replace->setObjectName(u"replaceButton"_s);
    connect(box, &QMessageBox::finished, this, [this, box, rename, replace, path, profiles]() {
        if (box->clickedButton() == rename)
            addImported(path, profiles, NameClash::Rename);
        else if (box->clickedButton() == replace)
            addImported(path, profiles, NameClash::Replace);
    });
    box->open();
}

void ProfileListController::addImported(const QString &path, const QList<NewProfile> &profiles,
                                        NameClash clash)
{
    m_actions->add(profiles, clash, this, [this, path](const ProfileActionResult &result) {
        if (reportFailure(result, tr("Nothing was imported from %1").arg(path)))
            return;
        QStringList names;
        for (const Profile &profile : result.profiles)
            names << profile.name;
        QString text = tr("Imported %1 from %2.").arg(names.join(u", "_s), path);
        if (!result.warnings.isEmpty())
            text += u'\n' + result.warnings.join(u'\n');
        Q_EMIT messageReported(text, !result.warnings.isEmpty());
    });
}

void ProfileListController::importCatalogueFile()
{
    auto *dialog = new QFileDialog(m_window, tr("Import team catalogue"), QDir::homePath(),
                                   tr("Team catalogues (*.json);;All files (*)"));
    dialog->setObjectName(u"catalogueImportFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &ProfileListController::importCatalogueFrom);
    dialog->open();
}

void ProfileListController::importCatalogueFrom(const QString &path)
{
    struct Compared
    {
        Catalogue::Result read;
        Catalogue::Plan plan;
    };
    // Compared with the profiles as they are now; the import compares again, under the
    // file's lock, and refuses when they changed meanwhile.
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path, saved = m_repository->profiles()]() {
                Compared compared{Catalogue::readFile(path), {}};
                if (compared.read.ok)
                    compared.plan = Catalogue::plan(compared.read.profiles, saved);
                return compared;
            },
            this,
            [this, path](const Compared &compared) {
                if (!compared.read.ok)
                    return Q_EMIT messageReported(
                            tr("%1: %2 (nothing was imported)").arg(path, compared.read.error),
                            true);
                auto *dialog = new CatalogueImportDialog(compared.plan, path,
                                                         compared.read.otherMembers, m_window);
                dialog->setObjectName(u"catalogueImportDialog"_s);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &QDialog::accepted, this, [this, path, plan = compared.plan]() {
                    m_actions->importCatalogue(
                            plan, this, [this, path, plan](const ProfileActionResult &result) {
                                if (reportFailure(result,
                                                  tr("Nothing was imported from %1").arg(path)))
                                    return;
                                Q_EMIT messageReported(
                                        tr("Imported %1: %2.").arg(path, Catalogue::summary(plan)),
                                        false);
                            });
                });
                dialog->open();
            });
}

void ProfileListController::exportCatalogueFile()
{
    auto *dialog = new QFileDialog(m_window, tr("Export team catalogue"), QDir::homePath(),
                                   tr("Team catalogues (*.json);;All files (*)"));
    dialog->setObjectName(u"catalogueExportFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"json"_s);
    dialog->selectFile(u"orderflow-profiles.json"_s);
    connect(dialog, &QFileDialog::fileSelected, this, &ProfileListController::exportCatalogueTo);
    dialog->open();
}

void ProfileListController::exportCatalogueTo(const QString &path)
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path, profiles = m_repository->profiles()]() {
                return Catalogue::writeFile(path, profiles);
            },
            this,
            [this, path](const Catalogue::Result &written) {
                if (!written.ok)
                    return Q_EMIT messageReported(
                            tr("%1: %2 (nothing was written)").arg(path, written.error), true);
                Q_EMIT messageReported(tr("Wrote %1 without passwords; profiles in it: %2.")
                                               .arg(path, QString::number(written.profiles.size())),
                                       false);
            });
}
