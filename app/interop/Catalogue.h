#pragma once

#include "profiles/Profile.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// The team catalogue: one JSON file of profiles that a team keeps in its repository. It holds
/// what a team shares (environment, connection parameters, route, pool settings, required
/// extensions, notes, and where each password comes from) and never a password, nor what
/// belongs to one machine (the password's date, the remembered cluster, what this keychain
/// holds for SSH). Its text is stable: sorted keys, two-space indentation, a final line break,
/// profiles by name, so that exporting an unchanged catalogue again gives the same bytes.
namespace Catalogue {

/// The major version: a file of a larger one is refused. Members this version does not know (a
/// newer version's) are not saved with the profiles, but an export over the catalogue keeps
/// them: those of the file and those of each profile, matched by id.
constexpr int SchemaVersion = 1;

/// The profile without what belongs to this machine: what the catalogue holds of it.
Profile shared(Profile profile);

/// A file's content, or why it cannot be one, with the line to look at (0: the whole file).
struct Result
{
    bool ok = false;
    QByteArray bytes;
    QList<Profile> profiles;
    int errorLine = 0;
    QString error;
    /// For a read file: the names of the members this version does not know, which only the
    /// file keeps.
    QStringList otherMembers;
};

/// The file for these profiles; refused, naming the profile, when one holds what looks like a
/// secret (a tunnel command's --token value, a password in its notes). previous: the catalogue
/// this one replaces, whose members unknown to this version are kept.
Result encode(const QList<Profile> &profiles, const QJsonObject &previous = {});
/// The profiles of a file; refused, with the line, when it holds a password anywhere, is of
/// a newer schema, or a profile in it is damaged.
Result decode(const QByteArray &bytes);
/// Reads and decodes a file (size-limited, as every import).
Result readFile(const QString &path);
/// Encodes and writes the file atomically, keeping what a catalogue already there holds that
/// this version does not know; bytes and profiles tell what was written.
Result writeFile(const QString &path, const QList<Profile> &profiles);

/// What importing a catalogue does to one profile.
struct Change
{
    enum class Kind { Added, Changed, Unchanged };
    Kind kind = Kind::Unchanged;
    /// The profile as it will be saved: the catalogue's, with this machine's own state kept.
    Profile profile;
    /// For Changed: the members that change ("notes", "route", "params.host"), as the file
    /// names them.
    QStringList fields;
    /// For Changed: the saved profile's name when it is a production profile and the
    /// catalogue's is not. That lifts the server-enforced read-only guard on this tool's
    /// sessions to it, so the user types the name to allow it, as for deleting one.
    QString leavesProduction;

    friend bool operator==(const Change &, const Change &) = default;
};

/// What importing a catalogue into the saved profiles does, matched by profile id. Profiles
/// that the catalogue does not hold stay as they are.
struct Plan
{
    QList<Profile> catalogue;
    QList<Change> changes;
    /// Why it cannot be imported as it is (a name another saved profile has), one line each.
    QStringList problems;

    int count(Change::Kind kind) const;
    /// The names of the production profiles it would turn into another environment that are
    /// not among confirmed (the names the user typed).
    QStringList unconfirmed(const QStringList &confirmed) const;
};

Plan plan(const QList<Profile> &catalogue, const QList<Profile> &saved);
/// Where the profile's password comes from, for the user: "password: not in this keychain yet".
QString passwordNote(const Profile &profile);
/// One line for the user: "2 added, 1 changed, 4 unchanged".
QString summary(const Plan &plan);

} // namespace Catalogue
