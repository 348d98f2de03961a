#pragma once

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class ProfileActions;
class QCommandLineParser;
class ProfileRepository;
class SecretStore;
struct Profile;
struct ProfileActionResult;
struct Subcommand;

/// What every subcommand works with: the saved profiles, the keychain, the profile use cases,
/// and the one way to end the run. It outlives the callbacks that subcommands start, so they
/// use it as their context object.
class CommandContext final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandContext)

public:
    explicit CommandContext(QObject *parent = nullptr);
    ~CommandContext() override;

    SecretStore *secrets() const { return m_secrets; }
    ProfileRepository *repository() const { return m_repository; }
    ProfileActions *actions() const { return m_actions; }

    /// Loads the profiles (reporting a damaged file), then runs next.
    void withProfiles(const std::function<void()> &next);
    /// Loads the profiles and runs next on the one named; exit 2 when there is none.
    void withProfile(const QString &name, const std::function<void(const Profile &)> &next);
    /// The loaded profile of that name; nullopt after saying there is none and ending with exit 2.
    std::optional<Profile> profileNamed(const QString &name);
    /// Prints a use case's errors and ends with its exit code.
    void failWith(const ProfileActionResult &result);
    /// Parses the arguments after "orderflow-dbadmin <name>" with the subcommand's options. On
    /// a usage error (also a positional argument the subcommand refuses) it reports it, ends
    /// the run and returns false.
    bool parse(QCommandLineParser &parser, const Subcommand &subcommand,
               const QStringList &arguments);
    /// Prints the message and a pointer to --help, and ends with exit 2.
    void usageError(const QString &message);
    /// Ends the run; only the first call counts.
    void finish(int exitCode);

Q_SIGNALS:
    void finished(int exitCode);

private:
    SecretStore *m_secrets = nullptr;
    ProfileRepository *m_repository = nullptr;
    ProfileActions *m_actions = nullptr;
    bool m_finished = false;
};
