#include "ProfileTemplates.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace ProfileTemplates {

namespace {

// The translation context of this file's messages; lupdate reads it from the macro, as
// QCoreApplication::translate() does at run time (a namespace cannot declare tr()).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(ProfileTemplates)
};

Profile fromSeed(const QString &name, Environment environment, const QString &url,
                 const QString &notes)
{
    const auto parsed = ConnectionUrl::parse(url);
    Q_ASSERT(parsed);
    Profile profile = Profile::fromUrl(name, environment, parsed.value_or(ConnectionUrl()));
    profile.notes = notes;
    return profile;
}

} // namespace

// The notes are written in the user's language when the templates are added; the names stay
// the document's, as scripts and --profile use them.
QList<Profile> all()
{
    return {
            fromSeed(u"Development"_s, Environment::Development,
                     u"postgresql://orderflow@localhost:5432/orderflow"_s,
                     Text::tr("Local database, as started by docker compose up -d postgres.")),
            fromSeed(u"Staging"_s, Environment::Staging,
                     u"postgresql://orderflow@staging-db.internal:5432/orderflow?sslmode=require"_s,
                     Text::tr("Staging server; SSL required.")),
            fromSeed(u"Production"_s, Environment::Production,
                     u"postgresql://orderflow@prod-db.internal:5432/orderflow"
                     "?sslmode=require&connect_timeout=10"_s,
                     Text::tr("Production. Prefer sslmode=verify-full with sslrootcert set.")),
            fromSeed(u"Test"_s, Environment::Test,
                     u"postgresql://orderflow@localhost:5432/orderflow_test"_s,
                     Text::tr("Separate test database (CREATE DATABASE orderflow_test; once).")),
    };
}

} // namespace ProfileTemplates
