#include "ProfileStore.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr auto OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

std::optional<QList<Profile>> ProfileStore::decode(const QByteArray &data, QString *problem)
{
    auto fail = [&](const QString &message) -> std::optional<QList<Profile>> {
        if (problem)
            *problem = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(
                QCoreApplication::translate("ProfileStore", "it is not valid JSON (%1 at byte %2)")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    if (!document.isObject())
        return fail(QCoreApplication::translate("ProfileStore", "it does not hold a JSON object"));
    const QJsonObject root = document.object();
    const int version = root.value(u"schema"_s).toInt(-1);
    if (version > SchemaVersion)
        return fail(QCoreApplication::translate("ProfileStore",
                                                "it was written by a newer version (schema %1)")
                            .arg(version));
    if (version != SchemaVersion)
        return fail(QCoreApplication::translate("ProfileStore",
                                                "its schema version is missing or unknown"));
    QList<Profile> profiles;
    const QJsonArray array = root.value(u"profiles"_s).toArray();
    for (const auto &value : array) {
        QString error;
        const auto profile = Profile::fromJson(value.toObject(), &error);
        if (!profile)
            return fail(error);
        profiles << *profile;
    }
    return profiles;
}

QByteArray ProfileStore::encode(const QList<Profile> &profiles)
{
    QJsonArray array;
    for (const Profile &profile : profiles)
        array.append(profile.toJson());
    const QJsonObject root{{u"schema"_s, SchemaVersion}, {u"profiles"_s, array}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString ProfileStore::defaultDirectory()
{
    QString overridden = qEnvironmentVariable("ORDERFLOW_DBADMIN_CONFIG_DIR");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

ProfileStore::ProfileStore(const QString &directory)
    : m_directory(directory)
{ }

QString ProfileStore::filePath() const
{
    return QDir(m_directory).filePath(u"profiles.json"_s);
}

QString ProfileStore::lockPath() const
{
    return QDir(m_directory).filePath(u"profiles.json.lock"_s);
}

ProfileStore::LoadResult ProfileStore::load(DamagedFile damaged)
{
    m_profiles.clear();
    m_writable = true;
    QFile file(filePath());
    if (!file.exists())
        return {LoadStatus::FirstRun, {}, {}};
    if (!file.open(QIODevice::ReadOnly)) {
        // Leave it alone: it may be fine and merely unreadable to us right now.
        m_writable = false;
        return {LoadStatus::Unreadable,
                QCoreApplication::translate("ProfileStore",
                                            "The profiles file %1 cannot be read (%2). It was "
                                            "left untouched and changes will not be saved.")
                        .arg(QDir::toNativeSeparators(filePath()), file.errorString()),
                {}};
    }
    const QByteArray data = file.readAll();
    file.close();

    QString problem;
    const std::optional<QList<Profile>> loaded = decode(data, &problem);
    if (loaded) {
        m_profiles = *loaded;
        return {LoadStatus::Loaded, {}, {}};
    }

    if (damaged == DamagedFile::LeaveInPlace) {
        m_writable = false;
        return {LoadStatus::Damaged,
                QCoreApplication::translate("ProfileStore",
                                            "The profiles file %1 changed on disk but cannot be "
                                            "read because %2.")
                        .arg(QDir::toNativeSeparators(filePath()), problem),
                {}};
    }
    const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
    QString aside = QDir(m_directory).filePath(u"profiles.json.unreadable-%1"_s.arg(stamp));
    for (int n = 2; QFile::exists(aside); ++n)
        aside = QDir(m_directory).filePath(u"profiles.json.unreadable-%1-%2"_s.arg(stamp).arg(n));
    if (!QFile::rename(filePath(), aside)) {
        m_writable = false;
        return {LoadStatus::Unreadable,
                QCoreApplication::translate("ProfileStore",
                                            "The profiles file %1 could not be read because %2, "
                                            "and it could not be moved aside. It was left "
                                            "untouched and changes will not be saved.")
                        .arg(QDir::toNativeSeparators(filePath()), problem),
                {}};
    }
    qCWarning(lcProfiles) << "profiles file set aside as" << aside << "because" << problem;
    return {LoadStatus::SetAside,
            QCoreApplication::translate("ProfileStore",
                                        "The profiles file could not be read because %1. It was "
                                        "kept as %2; no profile was loaded from it.")
                    .arg(problem, QDir::toNativeSeparators(aside)),
            aside};
}

bool ProfileStore::save(QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        qCWarning(lcProfiles) << "profiles not saved:" << message;
        return false;
    };
    if (!m_writable)
        return fail(QCoreApplication::translate(
                "ProfileStore",
                "the existing profiles file could not be read, so it is not "
                "overwritten"));
    if (!QDir().mkpath(m_directory))
        return fail(QCoreApplication::translate("ProfileStore", "cannot create the folder %1")
                            .arg(QDir::toNativeSeparators(m_directory)));
    QFile::setPermissions(m_directory, OwnerOnly | QFileDevice::ExeOwner);

    const QByteArray content = encode(m_profiles);
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    // The temporary file is created owner-only; keep it that way through the rename.
    file.setPermissions(OwnerOnly);
    file.write(content);
    if (!file.commit())
        return fail(file.errorString());
    QFile::setPermissions(filePath(), OwnerOnly);
    // Hold exactly what a reader of the file gets (dates to the second), so that the saved
    // profiles and the file never look different.
    if (auto written = decode(content, nullptr))
        m_profiles = std::move(*written);
    return true;
}

std::optional<Profile> ProfileStore::findByName(const QString &name) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.isNamed(name))
            return profile;
    }
    return std::nullopt;
}

std::optional<Profile> ProfileStore::findById(const QString &id) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.id == id)
            return profile;
    }
    return std::nullopt;
}

bool ProfileStore::add(const Profile &profile, QString *error)
{
    if (profile.name.trimmed().isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("ProfileStore", "a profile needs a name");
        return false;
    }
    if (findByName(profile.name)) {
        if (error)
            *error = QCoreApplication::translate("ProfileStore",
                                                 "a profile named \"%1\" already exists")
                             .arg(profile.name);
        return false;
    }
    m_profiles << profile;
    return true;
}

bool ProfileStore::update(const Profile &profile, QString *error)
{
    const auto clash = findByName(profile.name);
    if (clash && clash->id != profile.id) {
        if (error)
            *error = QCoreApplication::translate("ProfileStore",
                                                 "a profile named \"%1\" already exists")
                             .arg(profile.name);
        return false;
    }
    for (Profile &existing : m_profiles) {
        if (existing.id == profile.id) {
            existing = profile;
            return true;
        }
    }
    if (error)
        *error = QCoreApplication::translate("ProfileStore", "no such profile");
    return false;
}

bool ProfileStore::remove(const QString &id)
{
    return m_profiles.removeIf([&](const Profile &profile) { return profile.id == id; }) > 0;
}

QString ProfileStore::freeName(const QString &base) const
{
    QString name = base;
    for (int n = 2; findByName(name); ++n)
        name = base + u' ' + QString::number(n); // not .arg(): a name may hold "%1"
    return name;
}
