#include "SecurityAudit.h"

#include "PlainText.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>

using namespace Qt::Literals::StringLiterals;

QString AuditItem::levelId(Level level)
{
    switch (level) {
    case Level::Pass:
        return u"pass"_s;
    case Level::Info:
        return u"info"_s;
    case Level::Warn:
        return u"warn"_s;
    case Level::Fail:
        break;
    }
    return u"fail"_s;
}

namespace SecurityAudit {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SecurityAudit)
};

// For a keychain password, one step sets a generated one on the server, in the keychain and
// in the profile; other passwords change where they live.
QString rotateFix(const Profile &profile)
{
    if (profile.passwordSource != PasswordSource::Keychain)
        return Text::tr("Change it on the server and where the password is kept.");
    return Text::tr("Rotate it to a generated password, on the server and here at once: "
                    "orderflow-dbadmin profiles rotate-password %1")
            .arg(PlainText::shellQuoted(profile.name));
}

AuditItem item(const QString &id, AuditItem::Level level, const QString &title, const QString &why,
               const QString &fix = {})
{
    return AuditItem{id, level, title, why, fix};
}

int characterClasses(const QString &password)
{
    bool lower = false, upper = false, digit = false, symbol = false;
    for (const QChar c : password) {
        if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            symbol = true;
    }
    return int(lower) + int(upper) + int(digit) + int(symbol);
}

AuditItem::Level levelOf(PoolerFinding::Severity severity)
{
    switch (severity) {
    case PoolerFinding::Severity::Info:
        return AuditItem::Level::Info;
    case PoolerFinding::Severity::Warning:
        return AuditItem::Level::Warn;
    case PoolerFinding::Severity::Error:
        break;
    }
    return AuditItem::Level::Fail;
}

const QStringList &knownDefaults()
{
    // The configuration document's examples and the usual suspects.
    static const QStringList passwords{
            u"dev_password"_s,    u"staging_password"_s, u"prod_password"_s,
            u"secure_password"_s, u"password"_s,         u"postgres"_s,
            u"orderflow"_s,       u"changeme"_s,         u"admin"_s};
    return passwords;
}

} // namespace

QList<AuditItem> audit(const Input &input)
{
    QList<AuditItem> items;
    const Profile &profile = input.profile;
    const bool production = profile.environment == Environment::Production;
    const bool staging = profile.environment == Environment::Staging;
    const bool development = profile.environment == Environment::Development;
    const QString sslmode = profile.params.value(u"sslmode"_s, u"prefer"_s);

    // 1. TLS.
    if (production || staging) {
        if (sslmode == u"verify-full"_s)
            items << item(
                    u"tls"_s, AuditItem::Level::Pass, Text::tr("TLS verifies the server"),
                    Text::tr("sslmode=verify-full checks the certificate and the host name."));
        else if (sslmode == u"verify-ca"_s)
            items << item(
                    u"tls"_s, AuditItem::Level::Warn, Text::tr("TLS does not check the host name"),
                    Text::tr("sslmode=verify-ca trusts any server with a certificate from the CA; "
                             "keep it only with a reason (a load balancer name the certificate "
                             "cannot carry)."),
                    Text::tr(
                            "Use sslmode=verify-full with sslrootcert set to the CA certificate."));
        else
            items << item(
                    u"tls"_s, production ? AuditItem::Level::Fail : AuditItem::Level::Warn,
                    Text::tr("TLS is not verified (sslmode=%1)").arg(sslmode),
                    Text::tr("Without verification a machine in the middle can read the password "
                             "and the data. The document: Require SSL in production: "
                             "sslmode=verify-full."),
                    Text::tr(
                            "Set sslmode=verify-full and sslrootcert=/path/to/ca.crt (for AWS RDS, "
                            "the RDS CA bundle)."));
    } else {
        items << item(
                u"tls"_s, AuditItem::Level::Info, Text::tr("TLS: %1").arg(sslmode),
                Text::tr("A %1 profile; verified TLS matters most for staging and production.")
                        .arg(Environments::nameInText(profile.environment)));
    }

    // 2-4. The password.
    if (profile.passwordSource == PasswordSource::Command) {
        items << item(
                u"password"_s, AuditItem::Level::Pass,
                Text::tr("Short-lived password from a command"),
                Text::tr("A token printed on demand (IAM authentication, a secrets manager) is "
                         "never stored and expires by itself."));
    } else if (!input.password) {
        items << item(u"password"_s, AuditItem::Level::Info, Text::tr("Password not checked"),
                      profile.hasStoredPassword()
                              ? Text::tr("The keychain did not give the password to the audit.")
                              : Text::tr("No password is stored for this profile."));
    } else {
        const QString &password = *input.password;
        const int classes = characterClasses(password);
        if (password.size() >= 16 && classes >= 3)
            items << item(u"password-strength"_s, AuditItem::Level::Pass,
                          Text::tr("Strong password"),
                          Text::tr("%1 characters from %n character classes.", nullptr, classes)
                                  .arg(password.size()));
        else
            items << item(u"password-strength"_s,
                          production ? AuditItem::Level::Fail : AuditItem::Level::Warn,
                          Text::tr("Weak password"),
                          Text::tr("%1 characters from %n character classes; the document asks "
                                   "for 16 or more, letters and digits and symbols.",
                                   nullptr, classes)
                                  .arg(password.size()),
                          rotateFix(profile));
        if (!development && knownDefaults().contains(password, Qt::CaseInsensitive))
            items << item(
                    u"default-password"_s, AuditItem::Level::Fail,
                    Text::tr("A well-known default password"),
                    Text::tr(
                            "This password appears in documentation and examples; anyone can guess "
                            "it."),
                    Text::tr("Change it on the server and here, now."));
    }
    if (profile.hasStoredPassword()) {
        const qint64 days = profile.passwordChangedAt.daysTo(input.now);
        if (days > 90)
            items << item(
                    u"password-age"_s, production ? AuditItem::Level::Fail : AuditItem::Level::Warn,
                    Text::tr("Password is %n days old", nullptr, int(days)),
                    Text::tr(
                            "The document: rotate passwords regularly, especially for production."),
                    rotateFix(profile));
        else
            items << item(u"password-age"_s, AuditItem::Level::Pass,
                          Text::tr("Password changed %n days ago", nullptr, int(days)),
                          Text::tr("Within 90 days."));
    }

    // 5. A .env file git would commit.
    if (!input.envFile.isEmpty() && input.envFileCommittable) {
        if (*input.envFileCommittable)
            items << item(
                    u"env-file"_s, AuditItem::Level::Fail,
                    Text::tr("%1 holds the password and git would commit it").arg(input.envFile),
                    Text::tr("The document: never commit passwords; .env files belong in "
                             ".gitignore."),
                    Text::tr("Add .env to .gitignore (and remove it from history if it was "
                             "committed), "
                             "then rotate the password."));
        else
            items << item(u"env-file"_s, AuditItem::Level::Pass,
                          Text::tr("%1 is ignored by git").arg(input.envFile),
                          Text::tr("It will not be committed."));
    }

    // 6. A pooler.
    const bool pooled = profile.pgbouncer.enabled
            || profile.params.value(u"port"_s).split(u',').contains(u"6432"_s);
    if (pooled)
        items << item(
                u"pooler"_s, AuditItem::Level::Pass, Text::tr("A connection pooler is in use"),
                Text::tr("PgBouncer keeps the server's connection count independent of the number "
                         "of application workers."));
    else
        items << item(
                u"pooler"_s,
                production && profile.pool.capacity() > 100 ? AuditItem::Level::Warn
                                                            : AuditItem::Level::Info,
                Text::tr("No connection pooler"),
                Text::tr("Up to %n direct connections from this application's pools.", nullptr,
                         profile.pool.capacity()),
                Text::tr("With many workers, put PgBouncer in front (port 6432) and point the "
                         "profile at it."));
    if (input.pooler) {
        for (const PoolerFinding &finding : input.pooler->findings)
            items << item(finding.id, levelOf(finding.severity), finding.message, finding.evidence,
                          finding.fix);
        if (input.pooler->findings.isEmpty())
            items << item(u"pooler-settings"_s, AuditItem::Level::Pass,
                          Text::tr("PgBouncer's settings fit the pool settings"),
                          input.pooler->lines().join(u' '));
    }

    // 7. Reporting with a read-only role.
    const QString purpose = profile.name + u' ' + profile.notes;
    const bool reporting = purpose.contains(u"report"_s, Qt::CaseInsensitive)
            || purpose.contains(u"analytic"_s, Qt::CaseInsensitive);
    if (reporting) {
        const QString user = profile.params.value(u"user"_s, Profile::defaultUser());
        if (user == Profile::defaultUser())
            items << item(
                    u"read-only"_s, AuditItem::Level::Warn,
                    Text::tr("Reporting with the application's own role"),
                    Text::tr("The document: use read-only users for reporting and analytics "
                             "queries."),
                    Text::tr(
                            "CREATE ROLE reporting LOGIN PASSWORD '...'; GRANT pg_read_all_data TO "
                            "reporting; and use it in this profile."));
        else
            items << item(u"read-only"_s, AuditItem::Level::Pass,
                          Text::tr("Reporting with its own role (%1)").arg(user),
                          Text::tr("Make sure the role can only read."));
    }
    return items;
}

AuditItem::Level worst(const QList<AuditItem> &items)
{
    AuditItem::Level level = AuditItem::Level::Pass;
    for (const AuditItem &item : items)
        level = std::max(level, item.level);
    return level;
}

std::optional<bool> committableByGit(const QString &path)
{
    const QFileInfo info(path);
    QProcess git;
    git.setWorkingDirectory(info.absolutePath());
    git.start(u"git"_s, {u"rev-parse"_s, u"--is-inside-work-tree"_s});
    if (!git.waitForFinished(5000) || git.exitCode() != 0)
        return std::nullopt;
    // check-ignore exits 0 when the path is ignored, 1 when it is not.
    git.start(u"git"_s, {u"check-ignore"_s, u"-q"_s, u"--"_s, info.fileName()});
    if (!git.waitForFinished(5000) || git.exitCode() > 1)
        return std::nullopt;
    return git.exitCode() == 1;
}

QStringList savingWarnings(const Profile &profile, const std::optional<QString> &password)
{
    if (profile.environment != Environment::Staging
        && profile.environment != Environment::Production)
        return {};
    Input input;
    input.profile = profile;
    input.password = password;
    QStringList warnings;
    for (const AuditItem &item : audit(input)) {
        // A password saved just now is never old; every other failing item is worth a line.
        const bool failing
                = item.level == AuditItem::Level::Warn || item.level == AuditItem::Level::Fail;
        if (failing && item.id != u"password-age"_s)
            warnings << Text::tr("%1 profile \"%2\": %3. %4")
                                .arg(Environments::displayName(profile.environment), profile.name,
                                     item.title, item.fix)
                                .trimmed();
    }
    return warnings;
}

} // namespace SecurityAudit
