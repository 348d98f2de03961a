#include "ProfileTemplates.h"

using namespace Qt::Literals::StringLiterals;

namespace ProfileTemplates {

namespace {

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

QList<Profile> all()
{
    return {
            fromSeed(u"Development"_s, Environment::Development,
                     u"postgresql://orderflow@localhost:5432/orderflow"_s,
                     u"Local database, as started by docker compose up -d postgres."_s),
            fromSeed(u"Staging"_s, Environment::Staging,
                     u"postgresql://orderflow@staging-db.internal:5432/orderflow?sslmode=require"_s,
                     u"Staging server; SSL required."_s),
            fromSeed(u"Production"_s, Environment::Production,
                     u"postgresql://orderflow@prod-db.internal:5432/orderflow"
                     "?sslmode=require&connect_timeout=10"_s,
                     u"Production. Prefer sslmode=verify-full with sslrootcert set."_s),
            fromSeed(u"Test"_s, Environment::Test,
                     u"postgresql://orderflow@localhost:5432/orderflow_test"_s,
                     u"Separate test database (CREATE DATABASE orderflow_test; once)."_s),
    };
}

} // namespace ProfileTemplates
