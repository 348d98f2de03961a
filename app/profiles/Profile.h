#pragma once

#include "connection/ConnectionUrl.h"
#include "connection/SessionPolicy.h"
#include "profiles/Environment.h"
#include "profiles/PoolSettings.h"
#include "profiles/Route.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <tuple>

/// Where the PgBouncer admin console of a profile's pooler answers (SHOW POOLS, SHOW STATS).
struct PgBouncerTarget
{
    bool enabled = false;
    QString host;
    int port = 6432;
    QString user;
    QString dbname = QStringLiteral("pgbouncer");

    friend bool operator==(const PgBouncerTarget &, const PgBouncerTarget &) = default;
};

/// The cluster a profile reached the first time it connected, to notice when it later reaches
/// another one (a staging profile landing on the production cluster).
struct ClusterFingerprint
{
    QString systemIdentifier;
    QString address;
    int port = 0;
    QString version;
    QDateTime firstSeen;

    bool isEmpty() const { return systemIdentifier.isEmpty(); }
    friend bool operator==(const ClusterFingerprint &, const ClusterFingerprint &) = default;
};

/// Where a profile's password comes from when it connects.
enum class PasswordSource {
    /// The keychain entry orderflow-dbadmin/<id> (the default).
    Keychain,
    /// Asked every time; kept in memory for the session only.
    SessionOnly,
    /// libpq's own: PGPASSWORD or .pgpass.
    Libpq,
    /// A command that prints a short-lived password (an IAM token, a secrets manager).
    Command,
};

namespace PasswordSources {
QString id(PasswordSource source);
std::optional<PasswordSource> fromId(const QString &id);
} // namespace PasswordSources

/// A saved connection: libpq parameters without the password (that lives in the keychain
/// under the profile's id), the pool settings of the application that uses it, the
/// extensions it needs, and notes.
struct Profile
{
    QString id;
    QString name;
    Environment environment = Environment::Other;
    /// libpq keywords and values; never "password".
    QMap<QString, QString> params;
    /// SQLAlchemy driver from a postgresql+driver:// URL, for snippets.
    QString driver;
    PoolSettings pool;
    /// One entry per requirement; "a|b" means either extension satisfies it.
    QStringList requiredExtensions;
    QString notes;
    /// A colour of the user's choosing (#rrggbb); empty for the environment's.
    QString color;
    /// When the keychain entry was last written; invalid when no password is stored.
    QDateTime passwordChangedAt;
    PgBouncerTarget pgbouncer;
    ClusterFingerprint fingerprint;
    PasswordSource passwordSource = PasswordSource::Keychain;
    /// For PasswordSource::Command: the program and its arguments, run without a shell.
    QStringList passwordCommand;
    /// How the server is reached: directly, through SSH or through a tunnel command.
    Route route;
    /// What the keychain holds for the SSH route (the entry SecretStore::sshSecretId(id)). Like
    /// the password's date, changed only together with that entry (ProfileActions), so it is not
    /// one of the editor's fields.
    SshSecret sshSecret = SshSecret::None;

    static QString defaultUser() { return QStringLiteral("orderflow"); }
    static QString defaultHost() { return QStringLiteral("localhost"); }
    static QString defaultPort() { return QStringLiteral("5432"); }
    static QString defaultDatabase() { return QStringLiteral("orderflow"); }
    static QStringList defaultRequiredExtensions();

    /// A new profile with a fresh id and the document's defaults.
    static Profile create(const QString &name, Environment environment);
    /// A new profile from a URL; the URL's password is NOT kept (the caller stores it in the
    /// keychain). Components the URL leaves out get the document's defaults.
    static Profile fromUrl(const QString &name, Environment environment, const ConnectionUrl &url);

    bool hasStoredPassword() const { return passwordChangedAt.isValid(); }
    /// Names are unique ignoring case and Unicode normalisation ("Café" typed or pasted is one
    /// name): two names are the same exactly when their keys are equal.
    static QString nameKey(const QString &name);
    /// Why a name cannot be a profile's, naming the character: a control or format character
    /// (a line break would forge lines in exports and terminals). Empty when it can.
    static QString nameProblem(const QString &name);
    bool isNamed(const QString &other) const { return nameKey(name) == nameKey(other); }
    /// Whether a session opened for other would be the same as one for this profile: same
    /// profile, parameters, route, password and environment (production sessions are read-only).
    /// Pages keep their open connection and results across other changes (notes, pool).
    bool connectsLike(const Profile &other) const;
    /// What the Connection page edits: all but the id, the pool settings, the PgBouncer
    /// target, the remembered cluster and the password's date. Other pages and processes
    /// change those, so an editor's save copies only these (a = b.editorFields()) and
    /// compares only these to notice a change made elsewhere.
    auto editorFields()
    {
        return std::tie(name, environment, params, driver, requiredExtensions, notes, color,
                        passwordSource, passwordCommand, route);
    }
    auto editorFields() const
    {
        return std::tie(name, environment, params, driver, requiredExtensions, notes, color,
                        passwordSource, passwordCommand, route);
    }
    /// What a three-way merge of the Connection page's fields came to.
    struct EditorMerge;
    /// Each editor field changed on one side only (since base) takes that side's value; a field
    /// both sides changed differently keeps mine and is named in conflicts. The other fields
    /// are theirs.
    static EditorMerge mergeEditorFields(const Profile &base, const Profile &mine,
                                         const Profile &theirs);
    /// The connection parameters as a URL object, without any password.
    ConnectionUrl connectionUrl() const;
    /// How the tool's sessions on this profile behave, decided here only: production profiles
    /// are read-only, the others are not.
    SessionPolicy sessionPolicy() const;
    /// For display: the URL with *** where a stored password goes.
    QString redactedUrl() const;
    /// The PgBouncer admin console (dbname pgbouncer, the profile's host and user unless the
    /// target names others), when the profile has one; same password as the profile.
    std::optional<ConnectionUrl> pgbouncerAdminUrl() const;
    /// Replaces the parameters (dropping any password) and the driver from a URL.
    void setConnection(const ConnectionUrl &url);

    QJsonObject toJson() const;
    static std::optional<Profile> fromJson(const QJsonObject &object, QString *error);

    friend bool operator==(const Profile &, const Profile &) = default;
};

struct Profile::EditorMerge
{
    Profile merged;
    /// The fields both sides changed, in words for the user.
    QStringList conflicts;
};

Q_DECLARE_METATYPE(Profile)
