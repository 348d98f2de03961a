#include "EngineSnippet.h"

#include "PlainText.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace EngineSnippet {

QString applicationName(const Profile &profile)
{
    // The URL's own comes first: libpq sends it whatever connect_args say.
    QString inUrl = profile.connectionUrl().value(u"application_name"_s);
    if (!inUrl.isEmpty())
        return inUrl;
    if (!profile.pool.applicationName.isEmpty())
        return profile.pool.applicationName;
    QString slug = profile.name.toLower();
    slug.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s);
    while (slug.startsWith(u'-'))
        slug.remove(0, 1);
    while (slug.endsWith(u'-'))
        slug.chop(1);
    return u"orderflow-"_s + (slug.isEmpty() ? u"app"_s : slug);
}

QString createEngine(const Profile &profile, const QString &defaultUrl)
{
    const PoolSettings &pool = profile.pool;
    const QString name = PlainText::pythonString(applicationName(profile));
    // A URL that names the application already sets it: a second name in connect_args would
    // replace the one the URL shows. asyncpg takes server settings; the libpq-based drivers
    // take application_name directly.
    const bool namedInUrl = !profile.connectionUrl().value(u"application_name"_s).isEmpty();
    const QString connectArgs = namedInUrl ? QString()
            : profile.driver == u"asyncpg"_s
            ? u"    connect_args={\"server_settings\": {\"application_name\": %1}},\n"_s.arg(name)
            : u"    connect_args={\"application_name\": %1},\n"_s.arg(name);
    QString out = u"import os\n\nfrom sqlalchemy import create_engine\n"_s;
    if (pool.poolClass == PoolSettings::PoolClass::NullPool)
        out += u"from sqlalchemy.pool import NullPool\n"_s;
    // The name may come from an imported file: in a comment, a "\r" or "\n" in it would end the
    // comment and turn the rest of the name into code.
    out += u"\n# %1 (%2): the URL, with the password, comes from the environment.\n"_s.arg(
            PlainText::terminalSafe(profile.name), Environments::id(profile.environment));
    out += defaultUrl.isEmpty() ? u"DATABASE_URL = os.environ[\"DATABASE_URL\"]\n"_s
                                : u"DATABASE_URL = os.environ.get(\"DATABASE_URL\", %1)\n"_s.arg(
                                        PlainText::pythonString(defaultUrl));
    out += u"\nengine = create_engine(\n    DATABASE_URL,\n"_s;
    if (pool.poolClass == PoolSettings::PoolClass::NullPool) {
        out += u"    poolclass=NullPool,  # no connection pooling\n"_s;
    } else {
        out += u"    pool_size=%1,\n    max_overflow=%2,\n    pool_timeout=%3,\n    pool_recycle=%4,\n"_s
                       .arg(pool.poolSize)
                       .arg(pool.maxOverflow)
                       .arg(pool.poolTimeoutSeconds)
                       .arg(pool.poolRecycleSeconds);
    }
    out += u"    pool_pre_ping=%1,\n    echo=%2,\n%3)\n"_s.arg(
            pool.prePing ? u"True"_s : u"False"_s, pool.echo ? u"True"_s : u"False"_s, connectArgs);
    return out;
}

} // namespace EngineSnippet
