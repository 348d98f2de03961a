#include "ParameterSources.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <libpq-fe.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace ParameterSources {

namespace {

struct OptionsDeleter
{
    void operator()(PQconninfoOption *options) const { PQconninfoFree(options); }
};
using Options = std::unique_ptr<PQconninfoOption, OptionsDeleter>;

// The parameters worth listing even when they hold libpq's default.
const QStringList &alwaysShown()
{
    static const QStringList keywords{u"host"_s,
                                      u"port"_s,
                                      u"dbname"_s,
                                      u"user"_s,
                                      u"password"_s,
                                      u"sslmode"_s,
                                      u"sslrootcert"_s,
                                      u"connect_timeout"_s,
                                      u"application_name"_s};
    return keywords;
}

} // namespace

QList<ParameterSource> describe(const ConnectionUrl &url, bool passwordGivenSeparately,
                                PGconn *conn)
{
    QList<ParameterSource> sources;
    Options effective(PQconninfo(conn));
    Options defaults(PQconndefaults());
    QHash<QString, QString> envVars, compiled;
    for (const PQconninfoOption *option = defaults.get(); option && option->keyword; ++option) {
        const QString keyword = QString::fromUtf8(option->keyword);
        if (option->envvar)
            envVars.insert(keyword, QString::fromUtf8(option->envvar));
        if (option->compiled)
            compiled.insert(keyword, QString::fromUtf8(option->compiled));
    }
    const bool usesService = url.has(u"service"_s) || qEnvironmentVariableIsSet("PGSERVICE");
    QString passfile;
    for (const PQconninfoOption *option = effective.get(); option && option->keyword; ++option) {
        if (qstrcmp(option->keyword, "passfile") == 0 && option->val)
            passfile = QString::fromUtf8(option->val);
    }

    for (const PQconninfoOption *option = effective.get(); option && option->keyword; ++option) {
        const QString keyword = QString::fromUtf8(option->keyword);
        const QString value = QString::fromUtf8(option->val ? option->val : "");
        if (keyword == u"hostaddr"_s || keyword == u"fallback_application_name"_s)
            continue;
        if (value.isEmpty() && keyword != u"password"_s)
            continue;
        ParameterSource source;
        source.keyword = keyword;
        source.value = keyword == u"password"_s ? u"***"_s : value;
        const QString envVar = envVars.value(keyword);
        if (keyword == u"password"_s) {
            if (passwordGivenSeparately || url.hasPassword()) {
                source.origin = ParameterSource::Origin::Profile;
            } else if (qEnvironmentVariableIsSet("PGPASSWORD")) {
                source.origin = ParameterSource::Origin::Environment;
                source.detail = u"PGPASSWORD"_s;
            } else if (PQconnectionUsedPassword(conn)) {
                source.origin = ParameterSource::Origin::PasswordFile;
                source.detail = passfile.isEmpty() ? u"~/.pgpass"_s : passfile;
            } else {
                continue; // no password was used at all
            }
        } else if (url.has(keyword)) {
            source.origin = ParameterSource::Origin::Profile;
        } else if (!envVar.isEmpty() && qEnvironmentVariableIsSet(envVar.toUtf8().constData())) {
            source.origin = ParameterSource::Origin::Environment;
            source.detail = envVar;
        } else if (usesService && value != compiled.value(keyword)) {
            source.origin = ParameterSource::Origin::Service;
        } else {
            source.origin = ParameterSource::Origin::Default;
            if (!alwaysShown().contains(keyword))
                continue;
        }
        sources << source;
    }
    return sources;
}

bool passwordFileTooOpen(const QString &path)
{
#ifdef Q_OS_WIN
    Q_UNUSED(path);
    return false;
#else
    const QFileInfo info(path);
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeGroup | QFileDevice::ExeOther;
    return info.exists() && (info.permissions() & others);
#endif
}

QStringList strayEnvironment(const ConnectionUrl &url, bool passwordGivenSeparately)
{
    QStringList warnings;
    Options defaults(PQconndefaults());
    for (const PQconninfoOption *option = defaults.get(); option && option->keyword; ++option) {
        if (!option->envvar || !qEnvironmentVariableIsSet(option->envvar))
            continue;
        const QString keyword = QString::fromUtf8(option->keyword);
        const QString envVar = QString::fromUtf8(option->envvar);
        if (url.has(keyword))
            continue;
        if (keyword == u"password"_s) {
            if (passwordGivenSeparately)
                continue;
            warnings << QCoreApplication::translate(
                    "ParameterSources",
                    "PGPASSWORD is set in the environment and supplies the password "
                    "for this connection");
            continue;
        }
        warnings << QCoreApplication::translate(
                            "ParameterSources",
                            "%1=%2 in the environment sets %3 for this connection, which does "
                            "not set it itself")
                            .arg(envVar, qEnvironmentVariable(option->envvar), keyword);
    }
    return warnings;
}

} // namespace ParameterSources
