#pragma once

#include <QObject>
#include <QStringList>

#include <functional>

class ConnectionAttempt;
class ProfileActions;
class ProfileRepository;
class SecretStore;
struct Profile;
struct ProfileActionResult;

/// The headless half of orderflow-dbadmin: parses a subcommand, runs it on the event loop
/// and reports its exit code through finished(). The GUI half starts when handles() says no.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    /// arguments as in QCoreApplication::arguments(), program name first.
    explicit CommandLine(const QStringList &arguments, QObject *parent = nullptr);
    ~CommandLine() override;

    /// True when the arguments ask for a subcommand, --help or --version (no window).
    static bool handles(const QStringList &arguments);
    static QString helpText();
    static QString versionText();

    /// Runs the command; finished() follows, possibly before this returns.
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void runUrl(const QStringList &arguments);
    void runCheck(const QStringList &arguments);
    void runMonitor(const QStringList &arguments);
    void runImport(const QStringList &arguments);
    void runExport(const QStringList &arguments);
    void runProfiles(const QStringList &arguments);
    void profilesList(const QStringList &arguments);
    void profilesAdd(const QStringList &arguments);
    void profilesRemove(const QStringList &arguments);
    /// Loads the profiles (reporting a damaged file), then runs next.
    void withProfiles(const std::function<void()> &next);
    /// Loads the profiles and runs next on the one named; exit 2 when there is none.
    void withProfile(const QString &name, const std::function<void(const Profile &)> &next);
    /// Prints a use case's errors and ends with its exit code.
    void failWith(const ProfileActionResult &result);
    void finish(int exitCode);
    void usageError(const QString &message);

    QStringList m_arguments;
    SecretStore *m_secrets = nullptr;
    ProfileRepository *m_repository = nullptr;
    ProfileActions *m_actions = nullptr;
    bool m_finished = false;
};
