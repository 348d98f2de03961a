#include "CatalogueExamples.h"

using namespace Qt::Literals::StringLiterals;

namespace CatalogueExamples {

Profile everyMemberSet(const QString &name, Environment environment)
{
    Profile profile = Profile::fromUrl(
            name, environment,
            *ConnectionUrl::parse(u"postgresql+psycopg://app@db.internal:6543/orderflow"
                                  u"?sslmode=verify-full&application_name=api"_s));
    profile.pool.poolSize = 20;
    profile.pool.maxOverflow = 40;
    profile.pool.workers = 4;
    profile.pool.applicationName = u"orderflow-api"_s;
    profile.requiredExtensions = {u"pg_trgm"_s, u"uuid-ossp|pgcrypto"_s};
    profile.notes = u"Owned by the payments team.\nAsk in #db before changing the pool."_s;
    profile.color = u"#3366aa"_s;
    profile.pgbouncer = {true, u"pgbouncer.internal"_s, 6432, u"stats"_s, u"pgbouncer"_s};
    profile.passwordSource = PasswordSource::Command;
    profile.passwordCommand = {u"vault"_s, u"read"_s, u"-field=password"_s, u"secret/db"_s};
    profile.route = *Route::ssh(u"deploy@bastion.internal:2222"_s, u"jump.internal"_s,
                                u"~/.ssh/id_ed25519"_s, nullptr);
    // This machine's own: never in a catalogue.
    profile.passwordChangedAt = QDateTime::currentDateTimeUtc().addDays(-3);
    profile.fingerprint = {u"7301234567890123456"_s, u"10.0.0.5"_s, 6543, u"15.4"_s,
                           QDateTime::currentDateTimeUtc().addDays(-30)};
    profile.sshSecret = SshSecret::Passphrase;
    return profile;
}

} // namespace CatalogueExamples
