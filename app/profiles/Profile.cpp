#include "Profile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUuid>

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace PasswordSources {

QString id(PasswordSource source)
{
    switch (source) {
    case PasswordSource::Keychain:
        return u"keychain"_s;
    case PasswordSource::SessionOnly:
        return u"session"_s;
    case PasswordSource::Libpq:
        return u"libpq"_s;
    case PasswordSource::Command:
        break;
    }
    return u"command"_s;
}

std::optional<PasswordSource> fromId(const QString &id)
{
    for (PasswordSource source : {PasswordSource::Keychain, PasswordSource::SessionOnly,
                                  PasswordSource::Libpq, PasswordSource::Command}) {
        if (PasswordSources::id(source) == id)
            return source;
    }
    return std::nullopt;
}

} // namespace PasswordSources

QStringList Profile::defaultRequiredExtensions()
{
    return {u"pg_trgm"_s, u"vector"_s, u"uuid-ossp|pgcrypto"_s};
}

Profile Profile::create(const QString &name, Environment environment)
{
    Profile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.name = name;
    profile.environment = environment;
    profile.params = {{u"host"_s, defaultHost()},
                      {u"port"_s, defaultPort()},
                      {u"dbname"_s, defaultDatabase()},
                      {u"user"_s, defaultUser()}};
    profile.requiredExtensions = defaultRequiredExtensions();
    return profile;
}

Profile Profile::fromUrl(const QString &name, Environment environment, const ConnectionUrl &url)
{
    Profile profile = create(name, environment);
    const QMap<QString, QString> defaults = profile.params;
    profile.setConnection(url);
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        // Only what the URL leaves out takes the document's default.
        if (!profile.params.contains(it.key()))
            profile.params.insert(it.key(), it.value());
    }
    return profile;
}

QString Profile::nameKey(const QString &name)
{
    return name.normalized(QString::NormalizationForm_C).toCaseFolded();
}

QString Profile::nameProblem(const QString &name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c.category() != QChar::Other_Control && c.category() != QChar::Other_Format)
            continue;
        const QString code = u"U+%1"_s.arg(c.unicode(), 4, 16, QChar(u'0')).toUpper();
        const QString what = c == u'\r' ? QCoreApplication::translate("Profile", "carriage return")
                : c == u'\n'            ? QCoreApplication::translate("Profile", "line break")
                : c == u'\t'            ? QCoreApplication::translate("Profile", "tab")
                : c == QChar(0x1b)      ? QCoreApplication::translate("Profile", "escape")
                : c.category() == QChar::Other_Control
                ? QCoreApplication::translate("Profile", "control character")
                : QCoreApplication::translate("Profile", "invisible format character");
        return QCoreApplication::translate("Profile",
                                           "the name holds a %1 (%2) at character %3; names "
                                           "are one line of visible text")
                .arg(what, code, QString::number(i + 1));
    }
    return {};
}

bool Profile::connectsLike(const Profile &other) const
{
    return id == other.id && params == other.params && environment == other.environment
            && passwordSource == other.passwordSource && passwordCommand == other.passwordCommand
            && passwordChangedAt == other.passwordChangedAt && route == other.route
            && sshSecret == other.sshSecret;
}

namespace {

// Named in the order of Profile::editorFields().
QStringList editorFieldNames()
{
    return {QCoreApplication::translate("Profile", "name"),
            QCoreApplication::translate("Profile", "environment"),
            QCoreApplication::translate("Profile", "connection settings"),
            QCoreApplication::translate("Profile", "SQLAlchemy driver"),
            QCoreApplication::translate("Profile", "required extensions"),
            QCoreApplication::translate("Profile", "notes"),
            QCoreApplication::translate("Profile", "colour"),
            QCoreApplication::translate("Profile", "password source"),
            QCoreApplication::translate("Profile", "password command"),
            QCoreApplication::translate("Profile", "route")};
}

template<typename Fields, typename Out, std::size_t... I>
QList<std::size_t> mergeFields(const Fields &base, const Fields &mine, const Fields &theirs,
                               Out out, std::index_sequence<I...>)
{
    QList<std::size_t> conflicts;
    auto one = [&](auto index) {
        constexpr std::size_t i = decltype(index)::value;
        if (std::get<i>(mine) == std::get<i>(base))
            return; // out already holds theirs
        if (!(std::get<i>(theirs) == std::get<i>(base))
            && !(std::get<i>(theirs) == std::get<i>(mine)))
            conflicts << i;
        std::get<i>(out) = std::get<i>(mine);
    };
    (one(std::integral_constant<std::size_t, I>()), ...);
    return conflicts;
}

} // namespace

Profile::EditorMerge Profile::mergeEditorFields(const Profile &base, const Profile &mine,
                                                const Profile &theirs)
{
    EditorMerge result{theirs, {}};
    using Fields = decltype(base.editorFields());
    const QStringList names = editorFieldNames();
    const auto conflicts = mergeFields(base.editorFields(), mine.editorFields(),
                                       theirs.editorFields(), result.merged.editorFields(),
                                       std::make_index_sequence<std::tuple_size_v<Fields>>());
    for (const std::size_t index : conflicts)
        result.conflicts << names.value(qsizetype(index));
    return result;
}

SessionPolicy Profile::sessionPolicy() const
{
    SessionPolicy policy;
    policy.readOnly = environment == Environment::Production;
    policy.dataDisposable
            = environment == Environment::Development || environment == Environment::Test;
    return policy;
}

ConnectionUrl Profile::connectionUrl() const
{
    ConnectionUrl url;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        url.setValue(it.key(), it.value());
    url.setDriver(driver);
    return url;
}

QString Profile::redactedUrl() const
{
    ConnectionUrl url = connectionUrl();
    if (hasStoredPassword())
        url.setValue(u"password"_s, u"***"_s);
    return url.redacted();
}

std::optional<ConnectionUrl> Profile::pgbouncerAdminUrl() const
{
    if (!pgbouncer.enabled)
        return std::nullopt;
    ConnectionUrl admin;
    admin.setValue(u"host"_s,
                   pgbouncer.host.isEmpty() ? params.value(u"host"_s, defaultHost())
                                            : pgbouncer.host);
    admin.setValue(u"port"_s, QString::number(pgbouncer.port));
    admin.setValue(u"dbname"_s, pgbouncer.dbname);
    admin.setValue(u"user"_s,
                   pgbouncer.user.isEmpty() ? params.value(u"user"_s, defaultUser())
                                            : pgbouncer.user);
    return admin;
}

void Profile::setConnection(const ConnectionUrl &url)
{
    params = url.withoutPassword().params();
    driver = url.driver();
}

// A member added here is added to Catalogue.cpp's profileMembers() too: a catalogue keeps the
// members it does not know apart, as a newer version's.
QJsonObject Profile::toJson() const
{
    QJsonObject paramObject;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (it.key() != u"password"_s)
            paramObject.insert(it.key(), it.value());
    }
    QJsonObject object{
            {u"id"_s, id},
            {u"name"_s, name},
            {u"environment"_s, Environments::id(environment)},
            {u"params"_s, paramObject},
            {u"pool"_s, pool.toJson()},
            {u"required_extensions"_s, QJsonArray::fromStringList(requiredExtensions)},
    };
    if (!driver.isEmpty())
        object.insert(u"driver"_s, driver);
    if (!notes.isEmpty())
        object.insert(u"notes"_s, notes);
    if (!color.isEmpty())
        object.insert(u"color"_s, color);
    if (passwordChangedAt.isValid())
        object.insert(u"password_changed_at"_s, passwordChangedAt.toUTC().toString(Qt::ISODate));
    if (!fingerprint.isEmpty())
        object.insert(u"fingerprint"_s,
                      QJsonObject{{u"system_identifier"_s, fingerprint.systemIdentifier},
                                  {u"address"_s, fingerprint.address},
                                  {u"port"_s, fingerprint.port},
                                  {u"version"_s, fingerprint.version},
                                  {u"first_seen"_s,
                                   fingerprint.firstSeen.toUTC().toString(Qt::ISODate)}});
    if (passwordSource != PasswordSource::Keychain)
        object.insert(u"password_source"_s, PasswordSources::id(passwordSource));
    if (!passwordCommand.isEmpty())
        object.insert(u"password_command"_s, QJsonArray::fromStringList(passwordCommand));
    if (!route.isDirect())
        object.insert(u"route"_s, route.toJson());
    if (sshSecret != SshSecret::None)
        object.insert(u"ssh_secret"_s, SshSecrets::id(sshSecret));
    if (pgbouncer.enabled || !pgbouncer.host.isEmpty()) {
        object.insert(u"pgbouncer"_s,
                      QJsonObject{{u"enabled"_s, pgbouncer.enabled},
                                  {u"host"_s, pgbouncer.host},
                                  {u"port"_s, pgbouncer.port},
                                  {u"user"_s, pgbouncer.user},
                                  {u"dbname"_s, pgbouncer.dbname}});
    }
    return object;
}

std::optional<Profile> Profile::fromJson(const QJsonObject &object, QString *error)
{
    auto fail = [&](const QString &message) -> std::optional<Profile> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    Profile profile;
    profile.id = object.value(u"id"_s).toString();
    profile.name = object.value(u"name"_s).toString();
    if (profile.id.isEmpty() || profile.name.isEmpty())
        return fail(QCoreApplication::translate("Profile", "a profile without id or name"));
    const auto environment = Environments::fromId(object.value(u"environment"_s).toString());
    if (!environment)
        return fail(QCoreApplication::translate("Profile",
                                                "profile \"%1\" has an unknown environment \"%2\"")
                            .arg(profile.name, object.value(u"environment"_s).toString()));
    profile.environment = *environment;

    const QJsonObject paramObject = object.value(u"params"_s).toObject();
    for (auto it = paramObject.constBegin(); it != paramObject.constEnd(); ++it) {
        if (!it.value().isString())
            return fail(QCoreApplication::translate("Profile",
                                                    "profile \"%1\": parameter \"%2\" is not a "
                                                    "string")
                                .arg(profile.name, it.key()));
        // A password must never come back from the file, even if someone put one there.
        if (it.key() != u"password"_s)
            profile.params.insert(it.key(), it.value().toString());
    }
    profile.driver = object.value(u"driver"_s).toString();
    profile.pool = PoolSettings::fromJson(object.value(u"pool"_s).toObject());
    if (object.contains(u"required_extensions"_s)) {
        const QJsonArray extensions = object.value(u"required_extensions"_s).toArray();
        for (const auto &extension : extensions)
            profile.requiredExtensions << extension.toString();
        profile.requiredExtensions.removeAll(QString());
    } else {
        profile.requiredExtensions = defaultRequiredExtensions();
    }
    profile.notes = object.value(u"notes"_s).toString();
    profile.color = object.value(u"color"_s).toString();
    if (object.contains(u"password_changed_at"_s))
        profile.passwordChangedAt = QDateTime::fromString(
                object.value(u"password_changed_at"_s).toString(), Qt::ISODate);
    const QJsonObject fingerprint = object.value(u"fingerprint"_s).toObject();
    if (!fingerprint.isEmpty()) {
        profile.fingerprint.systemIdentifier = fingerprint.value(u"system_identifier"_s).toString();
        profile.fingerprint.address = fingerprint.value(u"address"_s).toString();
        profile.fingerprint.port = fingerprint.value(u"port"_s).toInt();
        profile.fingerprint.version = fingerprint.value(u"version"_s).toString();
        profile.fingerprint.firstSeen
                = QDateTime::fromString(fingerprint.value(u"first_seen"_s).toString(), Qt::ISODate);
    }
    if (object.contains(u"password_source"_s)) {
        const auto source = PasswordSources::fromId(object.value(u"password_source"_s).toString());
        if (!source)
            return fail(u"profile \"%1\" has an unknown password source"_s.arg(profile.name));
        profile.passwordSource = *source;
    }
    const QJsonArray command = object.value(u"password_command"_s).toArray();
    for (const auto &part : command)
        profile.passwordCommand << part.toString();
    QString routeError;
    const auto route = Route::fromJson(object.value(u"route"_s).toObject(), &routeError);
    if (!route)
        return fail(QCoreApplication::translate("Profile", "profile \"%1\": its route: %2")
                            .arg(profile.name, routeError));
    profile.route = *route;
    const auto sshSecret = SshSecrets::fromId(object.value(u"ssh_secret"_s).toString());
    if (!sshSecret)
        return fail(QCoreApplication::translate("Profile",
                                                "profile \"%1\" has an unknown SSH secret \"%2\"")
                            .arg(profile.name, object.value(u"ssh_secret"_s).toString()));
    profile.sshSecret = *sshSecret;
    const QJsonObject bouncer = object.value(u"pgbouncer"_s).toObject();
    if (!bouncer.isEmpty()) {
        profile.pgbouncer.enabled = bouncer.value(u"enabled"_s).toBool();
        profile.pgbouncer.host = bouncer.value(u"host"_s).toString();
        profile.pgbouncer.port = bouncer.value(u"port"_s).toInt(6432);
        profile.pgbouncer.user = bouncer.value(u"user"_s).toString();
        profile.pgbouncer.dbname = bouncer.value(u"dbname"_s).toString(u"pgbouncer"_s);
    }
    return profile;
}
