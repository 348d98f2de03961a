#pragma once

#include <QObject>
#include <QStringList>

class CommandContext;

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
    QStringList m_arguments;
    CommandContext *m_context = nullptr;
};
