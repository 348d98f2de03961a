#include "Catalogue.h"

#include "PlainText.h"
#include "SavedFile.h"
#include "interop/ImportFile.h"
#include "interop/JsonLines.h"
#include "security/SecretScan.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace Catalogue {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Catalogue)
};

// What belongs to this machine and not to the team: the one list of it.
void copyLocalState(Profile &to, const Profile &from)
{
    to.passwordChangedAt = from.passwordChangedAt;
    to.fingerprint = from.fingerprint;
    to.sshSecret = from.sshSecret;
}

// Every member Profile::toJson() may write; a catalogue's others are a newer version's.
const QStringList &profileMembers()
{
    static const QStringList members{u"id"_s,
                                     u"name"_s,
                                     u"environment"_s,
                                     u"params"_s,
                                     u"pool"_s,
                                     u"required_extensions"_s,
                                     u"driver"_s,
                                     u"notes"_s,
                                     u"color"_s,
                                     u"password_changed_at"_s,
                                     u"fingerprint"_s,
                                     u"password_source"_s,
                                     u"password_command"_s,
                                     u"route"_s,
                                     u"ssh_secret"_s,
                                     u"pgbouncer"_s};
    return members;
}

const QStringList &catalogueMembers()
{
    static const QStringList members{u"schema"_s, u"profiles"_s};
    return members;
}

// The members of object that are not among known.
QJsonObject othersOf(const QJsonObject &object, const QStringList &known)
{
    QJsonObject others;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            others.insert(it.key(), it.value());
    }
    return others;
}

// A profile as the file holds it. The password's source is written even when it is the
// keychain: the file says how each password is obtained.
QJsonObject entryFor(const Profile &profile, const QJsonObject &others = {})
{
    QJsonObject entry = others;
    const QJsonObject known = shared(profile).toJson();
    for (auto it = known.constBegin(); it != known.constEnd(); ++it)
        entry.insert(it.key(), it.value());
    entry.insert(u"password_source"_s, PasswordSources::id(profile.passwordSource));
    return entry;
}

// Qt indents by four spaces; the file by two. JSON text holds no line break inside a string,
// so every line's leading spaces are indentation.
QByteArray withTwoSpaceIndent(const QByteArray &indented)
{
    QByteArray out;
    out.reserve(indented.size());
    for (const QByteArray &line : indented.split('\n')) {
        qsizetype spaces = 0;
        while (spaces < line.size() && line.at(spaces) == ' ')
            ++spaces;
        out += QByteArray(spaces / 2, ' ') + line.mid(spaces) + '\n';
    }
    while (out.endsWith("\n\n"))
        out.chop(1);
    return out;
}

// A secret-looking argument or an SSH password that only the parsed route shows.
QString secretInRoute(const Route &route)
{
    if (route.kind == Route::Kind::Command && route.redacted() != route.commandLine())
        return Text::tr("a secret-looking argument in the tunnel command");
    QList<SshHost> hosts = route.jumps;
    hosts << route.destination;
    const bool sshPassword = std::any_of(hosts.cbegin(), hosts.cend(), [](const SshHost &host) {
        return host.user.contains(u':');
    });
    if (route.kind == Route::Kind::Ssh && sshPassword)
        return Text::tr("a password in the SSH destination");
    return {};
}

struct Finding
{
    int line = 0;
    QString path;
    QString what;
};

// The first member name or string that looks like a secret.
std::optional<Finding> findSecret(const JsonLines &lines)
{
    for (const JsonLines::Text &text : lines.texts()) {
        const QString what = text.isName
                ? (SecretScan::isSecretName(text.text)
                           ? Text::tr("a member named \"%1\"")
                                     .arg(PlainText::terminalSafe(text.text))
                           : QString())
                : SecretScan::secretIn(text.text);
        if (!what.isEmpty())
            return Finding{text.line, text.path, what};
    }
    return std::nullopt;
}

QString noPasswordsHere()
{
    return Text::tr("a catalogue never holds a password: keep it in the keychain and let "
                    "password_source say where it comes from");
}

Result failure(int line, const QString &error)
{
    Result result;
    result.errorLine = line;
    result.error = line > 0 ? Text::tr("line %1: %2").arg(QString::number(line), error) : error;
    return result;
}

bool isProfileId(const QString &id)
{
    // Keychain entries are named after ids: only the form this program makes is accepted, so a
    // catalogue cannot name another profile's entry ("<id>/ssh").
    const QUuid uuid = QUuid::fromString(id);
    return !uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == id;
}

QStringList changedFields(const QJsonObject &before, const QJsonObject &after)
{
    QStringList keys = before.keys() + after.keys();
    keys.sort();
    keys.removeDuplicates();
    QStringList fields;
    for (const QString &key : std::as_const(keys)) {
        if (before.value(key) == after.value(key))
            continue;
        if (key != u"params"_s) {
            fields << key;
            continue;
        }
        const QJsonObject was = before.value(key).toObject();
        const QJsonObject is = after.value(key).toObject();
        QStringList keywords = was.keys() + is.keys();
        keywords.sort();
        keywords.removeDuplicates();
        for (const QString &keyword : std::as_const(keywords)) {
            if (was.value(keyword) != is.value(keyword))
                fields << u"params."_s + keyword;
        }
    }
    return fields;
}

} // namespace

Profile shared(Profile profile)
{
    copyLocalState(profile, Profile());
    return profile;
}

Result encode(const QList<Profile> &profiles, const QJsonObject &previous)
{
    // Only a catalogue this version reads hands on its unknown members.
    const bool keep = previous.value(u"schema"_s).toInt(-1) == SchemaVersion;
    QHash<QString, QJsonObject> othersById;
    const QJsonArray previousProfiles = previous.value(u"profiles"_s).toArray();
    for (qsizetype i = 0; keep && i < previousProfiles.size(); ++i) {
        const QJsonObject entry = previousProfiles.at(i).toObject();
        othersById.insert(entry.value(u"id"_s).toString(), othersOf(entry, profileMembers()));
    }
    QList<Profile> sorted = profiles;
    std::sort(sorted.begin(), sorted.end(), [](const Profile &a, const Profile &b) {
        const QString keyA = Profile::nameKey(a.name);
        const QString keyB = Profile::nameKey(b.name);
        return keyA != keyB ? keyA < keyB : a.id < b.id;
    });
    QJsonArray array;
    for (const Profile &profile : std::as_const(sorted))
        array.append(entryFor(profile, othersById.value(profile.id)));
    QJsonObject root = keep ? othersOf(previous, catalogueMembers()) : QJsonObject();
    root.insert(u"schema"_s, SchemaVersion);
    root.insert(u"profiles"_s, array);
    const QByteArray bytes
            = withTwoSpaceIndent(QJsonDocument(root).toJson(QJsonDocument::Indented));

    // The same refusal as an import's: a file written here is one that can be read back.
    const JsonLines lines = JsonLines::scan(bytes);
    auto refuse = [&](qsizetype index, const QString &what) {
        const int line = lines.lineOf(u"profiles/%1"_s.arg(index));
        return failure(0,
                       Text::tr("the profile \"%1\" holds %2, which the catalogue would show "
                                "(line %3); %4")
                               .arg(PlainText::terminalSafe(sorted.at(index).name), what,
                                    QString::number(line), noPasswordsHere()));
    };
    if (const auto found = findSecret(lines)) {
        if (found->path.startsWith(u"profiles/"_s))
            return refuse(found->path.section(u'/', 1, 1).toInt(), found->what);
        // A member that only the catalogue being replaced held.
        return failure(found->line, Text::tr("%1; %2").arg(found->what, noPasswordsHere()));
    }
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        if (const QString what = secretInRoute(sorted.at(i).route); !what.isEmpty())
            return refuse(i, what);
    }
    Result result;
    result.ok = true;
    result.bytes = bytes;
    for (const Profile &profile : std::as_const(sorted))
        result.profiles << shared(profile);
    return result;
}

Result decode(const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(JsonLines::lineAt(bytes, parseError.offset),
                       Text::tr("it is not valid JSON (%1)").arg(parseError.errorString()));
    const JsonLines lines = JsonLines::scan(bytes);
    // Before anything else: a password is refused whatever else is wrong with the file.
    if (const auto found = findSecret(lines))
        return failure(found->line, Text::tr("%1; %2").arg(found->what, noPasswordsHere()));
    if (!document.isObject())
        return failure(0, Text::tr("it is not a profile catalogue (no JSON object)"));
    const QJsonObject root = document.object();
    const QJsonValue schema = root.value(u"schema"_s);
    const int version = schema.toInt(-1);
    if (version > SchemaVersion)
        return failure(lines.lineOf(u"schema"_s),
                       Text::tr("the catalogue is of schema %1, which a newer version of "
                                "orderflow-dbadmin writes; this one reads schema %2. Update "
                                "orderflow-dbadmin to import it.")
                               .arg(QString::number(version), QString::number(SchemaVersion)));
    if (version != SchemaVersion)
        return failure(lines.lineOf(u"schema"_s),
                       Text::tr("it is not a profile catalogue (\"schema\": %1 is missing or "
                                "unknown)")
                               .arg(QString::number(SchemaVersion)));
    if (!root.value(u"profiles"_s).isArray())
        return failure(lines.lineOf(u"profiles"_s),
                       Text::tr("it is not a profile catalogue (\"profiles\" is not a list)"));

    Result result;
    QSet<QString> ids;
    QSet<QString> names;
    const QJsonArray array = root.value(u"profiles"_s).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const int line = lines.lineOf(u"profiles/%1"_s.arg(i));
        if (!array.at(i).isObject())
            return failure(line, Text::tr("a profile is not a JSON object"));
        QString error;
        const auto profile = Profile::fromJson(array.at(i).toObject(), &error);
        if (!profile)
            return failure(line, error);
        const QString name = PlainText::terminalSafe(profile->name);
        if (!isProfileId(profile->id))
            return failure(lines.lineOf(u"profiles/%1/id"_s.arg(i)),
                           Text::tr("the profile \"%1\" has an id that is not one this program "
                                    "makes (a UUID such as %2)")
                                   .arg(name, QUuid::createUuid().toString(QUuid::WithoutBraces)));
        if (const QString problem = Profile::nameProblem(profile->name); !problem.isEmpty())
            return failure(lines.lineOf(u"profiles/%1/name"_s.arg(i)), problem);
        if (ids.contains(profile->id))
            return failure(line, Text::tr("the id of \"%1\" is another profile's too").arg(name));
        if (names.contains(Profile::nameKey(profile->name)))
            return failure(line,
                           Text::tr("two profiles are named \"%1\" (names ignore case)").arg(name));
        if (const QString what = secretInRoute(profile->route); !what.isEmpty())
            return failure(lines.lineOf(u"profiles/%1/route"_s.arg(i)),
                           Text::tr("%1; %2").arg(what, noPasswordsHere()));
        ids.insert(profile->id);
        names.insert(Profile::nameKey(profile->name));
        result.otherMembers += othersOf(array.at(i).toObject(), profileMembers()).keys();
        result.profiles << shared(*profile);
    }
    result.otherMembers += othersOf(root, catalogueMembers()).keys();
    result.otherMembers.sort();
    result.otherMembers.removeDuplicates();
    result.ok = true;
    result.bytes = bytes;
    return result;
}

Result readFile(const QString &path)
{
    const ImportFile::Content content = ImportFile::read(path);
    if (!content.ok)
        return failure(0, content.error);
    return decode(content.bytes);
}

Result writeFile(const QString &path, const QList<Profile> &profiles)
{
    // What is there now, if it is a catalogue at all; anything else is simply replaced.
    QJsonObject previous;
    if (QFile::exists(path)) {
        const ImportFile::Content content = ImportFile::read(path);
        previous = QJsonDocument::fromJson(content.bytes).object();
    }
    Result result = encode(profiles, previous);
    if (!result.ok)
        return result;
    if (const QString error = SavedFile::write(path, result.bytes); !error.isEmpty())
        return failure(0, error);
    return result;
}

int Plan::count(Change::Kind kind) const
{
    return int(std::count_if(changes.cbegin(), changes.cend(),
                             [kind](const Change &change) { return change.kind == kind; }));
}

Plan plan(const QList<Profile> &catalogue, const QList<Profile> &saved)
{
    Plan result;
    result.catalogue = catalogue;
    // Indexed once: a catalogue of thousands is compared in linear time.
    QHash<QString, const Profile *> byId;
    QHash<QString, const Profile *> byName;
    for (const Profile &profile : saved) {
        byId.insert(profile.id, &profile);
        byName.insert(Profile::nameKey(profile.name), &profile);
    }
    for (const Profile &entry : catalogue) {
        const Profile *existing = byId.value(entry.id);
        const Profile *namesake = byName.value(Profile::nameKey(entry.name));
        if (namesake && namesake->id != entry.id)
            result.problems << Text::tr("\"%1\" in the catalogue is another profile than the saved "
                                        "\"%2\" (their ids differ); rename or remove the saved "
                                        "one first")
                                       .arg(PlainText::terminalSafe(entry.name),
                                            PlainText::terminalSafe(namesake->name));
        Change change;
        change.profile = entry;
        if (!existing) {
            change.kind = Change::Kind::Added;
        } else {
            copyLocalState(change.profile, *existing);
            change.fields = changedFields(entryFor(*existing), entryFor(entry));
            change.kind = change.fields.isEmpty() ? Change::Kind::Unchanged : Change::Kind::Changed;
            if (existing->environment == Environment::Production
                && entry.environment != Environment::Production)
                change.leavesProduction = existing->name;
        }
        result.changes << change;
    }
    return result;
}

QStringList Plan::unconfirmed(const QStringList &confirmed) const
{
    QStringList names;
    for (const Change &change : changes) {
        if (!change.leavesProduction.isEmpty() && !confirmed.contains(change.leavesProduction))
            names << change.leavesProduction;
    }
    return names;
}

QString passwordNote(const Profile &profile)
{
    switch (profile.passwordSource) {
    case PasswordSource::Keychain:
        return profile.hasStoredPassword() ? Text::tr("password: in this keychain")
                                           : Text::tr("password: not in this keychain yet");
    case PasswordSource::SessionOnly:
        return Text::tr("password: asked for when connecting");
    case PasswordSource::Libpq:
        return Text::tr("password: from PGPASSWORD or .pgpass");
    case PasswordSource::Command:
        break;
    }
    return Text::tr("password: printed by its password command");
}

QString summary(const Plan &plan)
{
    return Text::tr("%1 added, %2 changed, %3 unchanged")
            .arg(QString::number(plan.count(Change::Kind::Added)),
                 QString::number(plan.count(Change::Kind::Changed)),
                 QString::number(plan.count(Change::Kind::Unchanged)));
}

} // namespace Catalogue
