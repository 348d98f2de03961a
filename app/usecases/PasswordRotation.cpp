#include "PasswordRotation.h"

#include "AsyncTask.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "connection/PgConnection.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QRandomGenerator>
#include <QThreadPool>
#include <QTimer>

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

using namespace Qt::Literals::StringLiterals;
using Status = ProfileActionResult::Status;

namespace {

struct FreeWithPq
{
    void operator()(char *text) const { PQfreemem(text); }
};
using PqText = std::unique_ptr<char, FreeWithPq>;

// What setting a role's password came to.
struct RoleChange
{
    /// Empty on success.
    QString error;
    /// COMMIT was sent and the connection broke before its answer: the server may have
    /// committed (a crash, a restart, a terminated backend waiting for a synchronous standby
    /// all end this way), so only a login can tell which password it holds now.
    bool commitUnconfirmed = false;
};

// Sets the role's password on an open connection, inside a read-write transaction (production
// sessions are read-only by default; this confirmed action is the exception). libpq computes
// the SCRAM-SHA-256 verifier here, so the statement carries no password. Runs on a worker
// thread.
RoleChange setRolePassword(const std::shared_ptr<PgConnection> &connection, const QString &password)
{
    PGconn *conn = connection->get();
    static const std::atomic<bool> neverStop{false};
    const char *user = PQuser(conn);
    const QByteArray plain = password.toUtf8();
    const PqText verifier(PQencryptPasswordConn(conn, plain.constData(), user, "scram-sha-256"));
    if (!verifier)
        return {QString::fromUtf8(PQerrorMessage(conn)).trimmed()};
    const PqText role(PQescapeIdentifier(conn, user, std::strlen(user)));
    const PqText literal(PQescapeLiteral(conn, verifier.get(), std::strlen(verifier.get())));
    if (!role || !literal)
        return {QString::fromUtf8(PQerrorMessage(conn)).trimmed()};
    const QByteArray alter = QByteArray("ALTER ROLE ") + role.get() + " PASSWORD " + literal.get();

    // A lock held elsewhere on the role, or a server gone quiet, ends in an error, not a wait
    // without end.
    const PgAsync::Outcome begun = PgAsync::run(
            conn,
            "BEGIN READ WRITE; SET LOCAL lock_timeout = '10s'; SET LOCAL statement_timeout = '30s'",
            neverStop);
    if (!begun.ok)
        return {begun.rawError};
    const PgAsync::Outcome altered = PgAsync::run(conn, alter, neverStop);
    if (!altered.ok) {
        PgAsync::run(conn, "ROLLBACK", neverStop);
        return {altered.rawError};
    }
    const PgAsync::Outcome committed = PgAsync::run(conn, "COMMIT", neverStop);
    if (committed.ok)
        return {};
    return {committed.rawError, committed.connectionLost};
}

} // namespace

QString PasswordRotation::generate(int length)
{
    static constexpr char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static constexpr char others[] = "0123456789-_.";
    static constexpr int letterCount = int(sizeof letters) - 1;
    static constexpr int allCount = letterCount + int(sizeof others) - 1;
    QRandomGenerator *random = QRandomGenerator::system();
    auto hasEveryClass = [](const QString &password) {
        auto any = [&password](auto test) {
            return std::any_of(password.cbegin(), password.cend(), test);
        };
        return any([](QChar c) { return c.isLower(); }) && any([](QChar c) { return c.isUpper(); })
                && any([](QChar c) { return c.isDigit(); })
                && any([](QChar c) { return !c.isLetterOrNumber(); });
    };
    QString password;
    // Drawn again until every class is in it (the Security page asks for three of the four):
    // rarely more than twice, and every such password stays equally likely.
    do {
        password.clear();
        for (int i = 0; i < length; ++i) {
            // A letter first: a leading "-" reads as an option, a leading "." as a hidden name.
            const int pick = int(random->bounded(i == 0 ? letterCount : allCount));
            password
                    += QLatin1Char(pick < letterCount ? letters[pick] : others[pick - letterCount]);
        }
    } while (!hasEveryClass(password));
    return password;
}

std::optional<QString> PasswordRotation::unsupportedReason(const Profile &profile)
{
    switch (profile.passwordSource) {
    case PasswordSource::Keychain:
        if (!profile.hasStoredPassword())
            return tr("\"%1\" has no saved password to rotate: save one first (the old password "
                      "is needed to log in, and to put it back should a step fail).")
                    .arg(profile.name);
        return std::nullopt;
    case PasswordSource::Command:
        return tr("\"%1\" gets its password from a command: rotate it in the secret manager "
                  "that command reads from, which then hands out the new one.")
                .arg(profile.name);
    case PasswordSource::Libpq:
        return tr("\"%1\" leaves its password to libpq (PGPASSWORD, .pgpass, the service "
                  "file): change it there, where every tool that reads it will find it.")
                .arg(profile.name);
    case PasswordSource::SessionOnly:
        return tr("\"%1\" asks for its password every time, so nothing here holds it: change "
                  "it where you keep it, then on the server.")
                .arg(profile.name);
    }
    return std::nullopt;
}

QList<Profile> PasswordRotation::sharingRole(const QList<Profile> &profiles, const Profile &profile)
{
    const ConnectionUrl url = profile.connectionUrl();
    QList<Profile> sharing;
    for (const Profile &other : profiles) {
        if (other.id == profile.id || other.passwordSource != PasswordSource::Keychain
            || !other.hasStoredPassword())
            continue;
        const ConnectionUrl otherUrl = other.connectionUrl();
        if (otherUrl.value(u"user"_s) != url.value(u"user"_s))
            continue;
        // A copy of a cluster (pg_basebackup) keeps its system identifier but not its roles'
        // passwords: the same identifier counts only within one environment.
        const bool sameServer = !profile.fingerprint.isEmpty() && !other.fingerprint.isEmpty()
                ? other.fingerprint.systemIdentifier == profile.fingerprint.systemIdentifier
                        && other.environment == profile.environment
                : otherUrl.value(u"host"_s) == url.value(u"host"_s)
                        && otherUrl.value(u"port"_s) == url.value(u"port"_s);
        if (sameServer)
            sharing << other;
    }
    return sharing;
}

PasswordRotation::PasswordRotation(ProfileRepository *repository, SecretStore *secrets,
                                   QObject *parent)
    : QObject(parent)
    , m_repository(repository)
    , m_secrets(secrets)
{ }

PasswordRotation::~PasswordRotation() = default;

void PasswordRotation::start(const QString &profileId, const QString &confirmation, int length,
                             const QStringList &alsoUpdate, Done done)
{
    if (m_done) {
        // One rotation at a time: a second would overwrite the passwords the first relies on.
        QTimer::singleShot(0, this, [done = std::move(done)]() {
            done({ProfileActionResult::failure(Status::Invalid,
                                               {tr("A rotation is already under way.")}),
                  {}});
        });
        return;
    }
    m_done = std::move(done);
    const auto profile = m_repository->findById(profileId);
    if (!profile)
        return finish({ProfileActionResult::failure(Status::NotFound,
                                                    {tr("The profile no longer exists.")}),
                       {}});
    m_profile = *profile;
    if (const auto reason = unsupportedReason(m_profile))
        return finish({ProfileActionResult::failure(Status::Invalid, {*reason}), {}});
    if (m_profile.environment == Environment::Production && confirmation != m_profile.name)
        return finish({ProfileActionResult::failure(
                               Status::ConfirmationNeeded,
                               {tr("\"%1\" is a production profile: rotating its password needs "
                                   "its name typed to confirm")
                                        .arg(m_profile.name)}),
                       {}});
    if (length < MinimumLength || length > MaximumLength)
        return finish(
                {ProfileActionResult::failure(Status::Invalid,
                                              {tr("a password length from %1 to %2 characters")
                                                       .arg(MinimumLength)
                                                       .arg(MaximumLength)}),
                 {}});
    m_targets = QStringList{m_profile.id} + alsoUpdate;
    m_targets.removeDuplicates();
    m_newPassword = generate(length);

    m_secrets->readPassword(m_profile.id, this, [this](const SecretResult &read) {
        if (!read.ok())
            return finish({ProfileActionResult::failure(
                                   read.keychainUnavailable() ? Status::KeychainUnavailable
                                                              : Status::Invalid,
                                   {tr("The current password could not be read from the "
                                       "keychain: %1")
                                            .arg(read.message)}),
                           {}});
        m_oldPassword = read.password;
        connectWith(m_oldPassword, true, [this](const AttemptResult &result) {
            if (!result.ok || !result.connection)
                return finish({ProfileActionResult::failure(
                                       Status::ServerFailed,
                                       QStringList{tr("Could not log in with the current "
                                                      "password, so nothing was changed: %1")
                                                           .arg(result.diagnosis.headline())}
                                               + result.diagnosis.hints()),
                               {}});
            m_connection = result.connection;
            Q_EMIT stepPassed(Step::Connected);
            changeOnServer();
        });
    });
}

void PasswordRotation::connectWith(const QString &password, bool keep,
                                   const std::function<void(const AttemptResult &)> &next)
{
    // The caller may be inside the previous attempt's finished(): that one goes once its
    // signal has returned.
    if (m_attempt)
        m_attempt->deleteLater();
    m_attempt = new ConnectionAttempt(this);
    connect(m_attempt, &ConnectionAttempt::finished, this, next);
    ConnectionRequest request;
    request.url = m_profile.connectionUrl();
    request.password = password;
    request.passwordOrigin = u"keychain"_s;
    request.policy = m_profile.sessionPolicy();
    request.keepConnection = keep;
    m_attempt->start(request);
}

void PasswordRotation::changeOnServer()
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [connection = m_connection, password = m_newPassword] {
                return setRolePassword(connection, password);
            },
            this,
            [this](const RoleChange &change) {
                if (change.commitUnconfirmed)
                    return learnWhichPasswordHolds(QDeadlineTimer(CommitCheckMs));
                if (!change.error.isEmpty())
                    return finish({ProfileActionResult::failure(
                                           Status::ServerFailed,
                                           {tr("The server refused the new password, so "
                                               "nothing was changed: %1")
                                                    .arg(ConnectionUrl::scrub(change.error,
                                                                              m_newPassword))}),
                                   {}});
                Q_EMIT stepPassed(Step::ServerChanged);
                prove();
            });
}

void PasswordRotation::learnWhichPasswordHolds(QDeadlineTimer deadline)
{
    connectWith(m_newPassword, false, [this, deadline](const AttemptResult &withNew) {
        if (withNew.ok) {
            // Committed after all: the login was the proof.
            Q_EMIT stepPassed(Step::ServerChanged);
            Q_EMIT stepPassed(Step::Proven);
            return saveToKeychain(0);
        }
        connectWith(m_oldPassword, false, [this, deadline](const AttemptResult &withOld) {
            if (withOld.ok)
                return finish({ProfileActionResult::failure(
                                       Status::ServerFailed,
                                       {tr("The connection broke as the new password was "
                                           "committed; the old password still logs in, so "
                                           "nothing was changed.")}),
                               {}});
            // Neither logs in: the server is most likely restarting. Ask again until the
            // deadline rather than guess.
            if (!deadline.hasExpired())
                return QTimer::singleShot(CommitCheckIntervalMs, this,
                                          [this, deadline] { learnWhichPasswordHolds(deadline); });
            finish({ProfileActionResult::failure(
                            Status::ServerFailed,
                            {tr("The connection broke as the new password was committed, and "
                                "the server has not let either password log in since: %1")
                                     .arg(withOld.diagnosis.headline()),
                             tr("The server holds either the old password, which the keychain "
                                "keeps, or the new one, shown once below. When the server "
                                "answers again, run a connection test; if the password is "
                                "refused, save this one in the profile.")}),
                    m_newPassword});
        });
    });
}

void PasswordRotation::prove()
{
    connectWith(m_newPassword, false, [this](const AttemptResult &result) {
        if (!result.ok)
            return restoreThenReport(ProfileActionResult::failure(
                    Status::ServerFailed,
                    {tr("The server took the new password but a fresh login with it failed: %1")
                             .arg(result.diagnosis.headline())}));
        Q_EMIT stepPassed(Step::Proven);
        saveToKeychain(0);
    });
}

bool PasswordRotation::targetsUnchanged()
{
    // Another process may have removed or re-pointed a profile since the rotation began: the
    // new password goes only to entries that still belong to this role on this server.
    const auto current = m_repository->findById(m_profile.id);
    if (!current || current->connectionUrl() != m_profile.connectionUrl()
        || current->passwordSource != PasswordSource::Keychain)
        return false;
    m_targets.removeIf([this](const QString &id) {
        if (id == m_profile.id)
            return false;
        const auto other = m_repository->findById(id);
        return !other || sharingRole({*other}, m_profile).isEmpty();
    });
    return true;
}

void PasswordRotation::saveToKeychain(qsizetype index)
{
    if (index == 0 && !targetsUnchanged())
        return restoreThenReport(ProfileActionResult::failure(
                Status::Conflict,
                {tr("\"%1\" was removed or changed elsewhere during the rotation, so its "
                    "keychain entry was left alone.")
                         .arg(m_profile.name)}));
    if (index == m_targets.size()) {
        Q_EMIT stepPassed(Step::KeychainWritten);
        return recordDate();
    }
    const QString id = m_targets.at(index);
    m_secrets->writePassword(id, m_newPassword, this, [this, id, index](const SecretResult &write) {
        if (write.ok()) {
            m_written << id;
            return saveToKeychain(index + 1);
        }
        if (write.status == SecretResult::Status::TimedOut) {
            // The keychain may still save it (an unlock prompt answered late): putting the old
            // password back on the server could then part them. The server keeps the new one,
            // and the user gets it.
            ProfileActionResult result = ProfileActionResult::failure(
                    Status::KeychainUnavailable,
                    {tr("The keychain did not answer in time, and may still save the new "
                        "password: %1")
                             .arg(write.message),
                     tr("The server keeps the new password, shown once below. Check the "
                        "profile with a connection test; if it fails, save this password in "
                        "it.")});
            return finish({result, m_newPassword});
        }
        const ProfileActionResult failure = ProfileActionResult::failure(
                Status::KeychainUnavailable,
                {tr("The new password could not be saved in the keychain: %1").arg(write.message)});
        revertKeychain(failure, m_written, {});
    });
}

void PasswordRotation::revertKeychain(ProfileActionResult failure, QStringList pending,
                                      QStringList leftBehind)
{
    if (pending.isEmpty()) {
        for (const QString &profileId : std::as_const(leftBehind)) {
            const auto profile = m_repository->findById(profileId);
            failure.errors << tr("The keychain entry of \"%1\" kept the new password.")
                                      .arg(profile ? profile->name : profileId);
        }
        return restoreThenReport(failure);
    }
    const QString profileId = pending.takeFirst();
    m_secrets->writePassword(
            profileId, m_oldPassword, this,
            [this, failure, pending, leftBehind, profileId](const SecretResult &write) mutable {
                if (!write.ok())
                    leftBehind << profileId;
                revertKeychain(failure, pending, leftBehind);
            });
}

void PasswordRotation::recordDate()
{
    const QStringList written = m_written;
    auto saved = std::make_shared<QList<Profile>>();
    m_repository->change(
            [written, saved](ProfileStore &store) {
                const QDateTime now = QDateTime::currentDateTimeUtc();
                for (const QString &id : written) {
                    if (auto profile = store.findById(id)) {
                        profile->passwordChangedAt = now;
                        store.update(*profile);
                        *saved << *profile;
                    }
                }
                return ProfileChangeResult();
            },
            this,
            [this, saved](const ProfileChangeResult &change) {
                // The server and the keychain agree on the new password: a date that could not
                // be written is worth a word, not a rollback.
                ProfileActionResult result;
                result.profiles = *saved;
                if (!change.ok())
                    result.warnings
                            << tr("The password was rotated, but its date could not be "
                                  "saved: %1")
                                       .arg(ProfileActionResult::fromChange(change).errorText());
                finish({result, {}});
            });
}

void PasswordRotation::restoreThenReport(const ProfileActionResult &failure)
{
    if (m_connection && m_connection->isOk())
        return putOldPasswordBack(failure);
    // The session that made the change is gone (the server restarted, or it was confirmed
    // with fresh logins): a new one, with the password the server now holds, puts it back.
    connectWith(m_newPassword, true, [this, failure](const AttemptResult &result) {
        m_connection = result.connection;
        if (!result.ok || !m_connection) {
            ProfileActionResult lost = failure;
            lost.errors << tr("The old password could not be put back on the server either: %1")
                                   .arg(result.diagnosis.headline());
            lost.errors << newPasswordAdvice();
            return finish({lost, m_newPassword});
        }
        putOldPasswordBack(failure);
    });
}

QString PasswordRotation::newPasswordAdvice()
{
    return tr("The server now expects the new password, shown once below. Keep it: save it in "
              "the profile, or set a password of your choice with ALTER ROLE.");
}

void PasswordRotation::putOldPasswordBack(ProfileActionResult failure)
{
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [connection = m_connection, password = m_oldPassword] {
                return setRolePassword(connection, password);
            },
            this,
            [this, failure](const RoleChange &change) mutable {
                if (change.error.isEmpty()) {
                    failure.errors << tr("The old password was put back on the server; the "
                                         "keychain and the profile still hold it.");
                    return finish({failure, {}});
                }
                failure.errors << tr("The old password could not be put back on the server "
                                     "either: %1")
                                          .arg(ConnectionUrl::scrub(
                                                  ConnectionUrl::scrub(change.error, m_oldPassword),
                                                  m_newPassword));
                failure.errors << newPasswordAdvice();
                finish({failure, m_newPassword});
            });
}

void PasswordRotation::finish(Outcome outcome)
{
    m_connection.reset();
    m_oldPassword.clear();
    m_newPassword.clear();
    // Always from the event loop, as the callers expect of an asynchronous use case.
    QTimer::singleShot(0, this, [this, outcome = std::move(outcome)]() {
        if (m_done)
            std::exchange(m_done, nullptr)(outcome);
    });
}
