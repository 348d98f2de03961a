#include "PasswordResolver.h"

#include "secrets/SecretStore.h"

#include <QPointer>
#include <QProcess>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

PasswordResolver::PasswordResolver(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
{ }

PasswordResolver::Supplier PasswordResolver::supplierFor(const Profile &profile,
                                                         SecretStore *secrets)
{
    if (profile.passwordSource != PasswordSource::Command)
        return {};
    return [profile, secrets](QObject *context, const Callback &callback) {
        auto *resolver = new PasswordResolver(secrets, context);
        resolver->resolve(profile, context, [resolver, callback](const PasswordOutcome &outcome) {
            resolver->deleteLater();
            callback(outcome);
        });
    };
}

void PasswordResolver::resolve(const Profile &profile, QObject *context, Callback callback)
{
    if (m_secrets->hasSessionPassword(profile.id)) {
        PasswordOutcome outcome;
        outcome.password = m_secrets->sessionPassword(profile.id);
        outcome.origin = u"session"_s;
        // Delivered like the asynchronous sources, never inside the caller's call.
        QTimer::singleShot(0, context, [callback, outcome]() { callback(outcome); });
        return;
    }
    switch (profile.passwordSource) {
    case PasswordSource::Command:
        runCommand(profile, context, std::move(callback));
        return;
    case PasswordSource::Keychain:
        if (profile.hasStoredPassword())
            break;
        // Nothing was saved there: libpq's own sources (PGPASSWORD, .pgpass) must work where
        // no keychain can be reached at all, so the keychain is not asked.
        [[fallthrough]];
    case PasswordSource::Libpq:
    case PasswordSource::SessionOnly: {
        PasswordOutcome outcome;
        outcome.origin = u"libpq"_s;
        QTimer::singleShot(0, context, [callback, outcome]() { callback(outcome); });
        return;
    }
    }

    m_secrets->readPassword(profile.id, context, [callback](const SecretResult &r) {
        PasswordOutcome outcome;
        outcome.origin = u"keychain"_s;
        if (r.ok()) {
            outcome.password = r.password;
        } else {
            // SecretStore reports a locked keychain as such, so "not found" here means that
            // the entry was removed from an unlocked keychain.
            outcome.ok = false;
            outcome.failure = DiagnosisTable::make(
                    DiagnosisCategory::KeychainUnavailable, ConnectionStage::Parse,
                    r.status == SecretResult::Status::NotFound
                            ? tr("A password was saved for this profile, but the keychain has "
                                 "no entry for it now: it was removed outside this program. "
                                 "Save the password again, or type it for this session only.")
                            : r.message);
        }
        callback(outcome);
    });
}

void PasswordResolver::runCommand(const Profile &profile, QObject *context, Callback callback)
{
    auto fail = [callback](const QString &message) {
        PasswordOutcome outcome;
        outcome.ok = false;
        outcome.origin = u"command"_s;
        outcome.failure
                = DiagnosisTable::make(DiagnosisCategory::Unknown, ConnectionStage::Parse, message);
        // The server was never asked: the steps are about the command alone.
        outcome.failure.categorySteps = false;
        outcome.failure.extraSteps
                = {tr("Run the password command yourself in a terminal to see what it says"),
                   tr("Check that its credentials (AWS profile, Vault token) are still valid")};
        callback(outcome);
    };
    if (profile.passwordCommand.isEmpty()) {
        QTimer::singleShot(0, context, [fail]() {
            fail(tr("The profile gets its password from a command, but no command is set."));
        });
        return;
    }

    auto *process = new QProcess(this);
    process->setProgram(profile.passwordCommand.first());
    process->setArguments(profile.passwordCommand.mid(1));
    // The token reaches us through a pipe; what the command says on stderr stays out of sight.
    process->setStandardErrorFile(QProcess::nullDevice());
    auto *deadline = new QTimer(process);
    deadline->setSingleShot(true);
    const QString program = profile.passwordCommand.first();
    const int timeoutSeconds = m_commandTimeoutMs / 1000;
    QPointer<QObject> guard(context);
    auto answered = std::make_shared<bool>(false);
    // Reports once: the first of "finished", "failed to start" and the deadline wins.
    auto report = [answered, guard](const std::function<void()> &how) {
        if (*answered)
            return;
        *answered = true;
        if (guard)
            how();
    };
    connect(process, &QProcess::finished, this,
            [process, report, callback, fail, program](int exitCode, QProcess::ExitStatus status) {
                const QByteArray output = process->readAllStandardOutput();
                process->deleteLater();
                report([&]() {
                    if (status != QProcess::NormalExit || exitCode != 0)
                        return fail(tr("The password command %1 failed (exit code %2).")
                                            .arg(program)
                                            .arg(exitCode));
                    const QString password
                            = QString::fromUtf8(output.split('\n').value(0)).trimmed();
                    if (password.isEmpty())
                        return fail(tr("The password command %1 printed nothing.").arg(program));
                    PasswordOutcome outcome;
                    outcome.password = password;
                    outcome.origin = u"command"_s;
                    callback(outcome);
                });
            });
    connect(process, &QProcess::errorOccurred, this,
            [process, report, fail, program](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                process->deleteLater();
                report([&]() {
                    fail(tr("The password command %1 could not be started.").arg(program));
                });
            });
    connect(deadline, &QTimer::timeout, this, [process, report, fail, program, timeoutSeconds]() {
        // The process is killed; its "finished" then deletes it, and reports nothing more.
        process->kill();
        report([&]() {
            fail(tr("The password command %1 did not finish within %2 s.")
                         .arg(program)
                         .arg(timeoutSeconds));
        });
    });
    deadline->start(m_commandTimeoutMs);
    process->start(QIODevice::ReadOnly);
}
