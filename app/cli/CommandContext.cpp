#include "CommandContext.h"

#include "cli/CommandSupport.h"
#include "cli/ExitCode.h"
#include "cli/Subcommand.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineParser>

using namespace Qt::Literals::StringLiterals;

using CommandSupport::printErr;
using CommandSupport::terminalSafe;

namespace {

void reportLoad(const ProfileStore::LoadResult &result)
{
    if (result.status == ProfileStore::LoadStatus::SetAside
        || result.status == ProfileStore::LoadStatus::Unreadable)
        printErr(CommandContext::tr("warning: %1").arg(result.message));
}

int exitCodeFor(const ProfileActionResult &result)
{
    switch (result.status) {
    case ProfileActionResult::Status::Ok:
        return ExitHealthy;
    case ProfileActionResult::Status::KeychainUnavailable:
        return ExitKeychainUnavailable;
    case ProfileActionResult::Status::ServerFailed:
        return ExitConnectionFailed;
    case ProfileActionResult::Status::Invalid:
    case ProfileActionResult::Status::NameTaken:
    case ProfileActionResult::Status::ConfirmationNeeded:
    case ProfileActionResult::Status::Conflict:
    case ProfileActionResult::Status::NotFound:
    case ProfileActionResult::Status::FileError:
        break;
    }
    return ExitUsage;
}

} // namespace

CommandContext::CommandContext(QObject *parent)
    : QObject(parent)
    , m_secrets(new SecretStore(this))
    , m_repository(new ProfileRepository(ProfileStore::defaultDirectory(), this))
    , m_actions(new ProfileActions(m_repository, m_secrets, this))
{ }

CommandContext::~CommandContext() = default;

void CommandContext::withProfiles(const std::function<void()> &next)
{
    connect(
            m_repository, &ProfileRepository::loaded, this,
            [next](const ProfileStore::LoadResult &result) {
                reportLoad(result);
                next();
            },
            Qt::SingleShotConnection);
    m_repository->load();
}

void CommandContext::withProfile(const QString &name,
                                 const std::function<void(const Profile &)> &next)
{
    withProfiles([this, name, next]() {
        if (const auto profile = profileNamed(name))
            next(*profile);
    });
}

std::optional<Profile> CommandContext::profileNamed(const QString &name)
{
    auto profile = m_repository->findByName(name);
    if (!profile) {
        printErr(tr("orderflow-dbadmin: no profile named \"%1\"").arg(terminalSafe(name)));
        finish(ExitUsage);
    }
    return profile;
}

void CommandContext::failWith(const ProfileActionResult &result)
{
    for (const QString &error : result.errors)
        printErr(u"orderflow-dbadmin: "_s + terminalSafe(error));
    if (result.status == ProfileActionResult::Status::NameTaken)
        printErr(tr("Add --rename to save under a free name (\"NAME 2\"), or "
                    "--replace to replace the saved profile."));
    finish(exitCodeFor(result));
}

bool CommandContext::parse(QCommandLineParser &parser, const Subcommand &subcommand,
                           const QStringList &arguments)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOptions(subcommand.options);
    // argv[0] stands for "orderflow-dbadmin <name>".
    if (!parser.parse(QStringList{u"orderflow-dbadmin "_s + subcommand.name} + arguments)) {
        usageError(parser.errorText());
        return false;
    }
    if (subcommand.positional == Subcommand::Positional::Refused
        && !parser.positionalArguments().isEmpty()) {
        usageError(tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
        return false;
    }
    return true;
}

void CommandContext::usageError(const QString &message)
{
    printErr(u"orderflow-dbadmin: "_s + message);
    printErr(tr("Run orderflow-dbadmin --help for usage."));
    finish(ExitUsage);
}

void CommandContext::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(exitCode);
}
