#include "SeedExamples.h"

using namespace Qt::Literals::StringLiterals;

namespace {

QMap<QString, QString> params(const QString &user, const QString &password, const QString &host,
                              const QString &port, const QString &dbname,
                              const QMap<QString, QString> &extra = {})
{
    QMap<QString, QString> map = extra;
    map.insert(u"user"_s, user);
    if (!password.isNull())
        map.insert(u"password"_s, password);
    map.insert(u"host"_s, host);
    map.insert(u"port"_s, port);
    map.insert(u"dbname"_s, dbname);
    return map;
}

} // namespace

QList<SeedExample> seedExamples()
{
    const QMap<QString, QString> require{{u"sslmode"_s, u"require"_s}};
    return {
            {"development",
             u"postgresql://orderflow:dev_password@localhost:5432/orderflow"_s,
             params(u"orderflow"_s, u"dev_password"_s, u"localhost"_s, u"5432"_s, u"orderflow"_s),
             {}},
            {"staging",
             u"postgresql://orderflow:staging_password@staging-db.internal:5432/orderflow"
             "?sslmode=require"_s,
             params(u"orderflow"_s, u"staging_password"_s, u"staging-db.internal"_s, u"5432"_s,
                    u"orderflow"_s, require),
             {}},
            {"production",
             u"postgresql://orderflow:prod_password@prod-db.internal:5432/orderflow"
             "?sslmode=require&connect_timeout=10"_s,
             params(u"orderflow"_s, u"prod_password"_s, u"prod-db.internal"_s, u"5432"_s,
                    u"orderflow"_s,
                    {{u"sslmode"_s, u"require"_s}, {u"connect_timeout"_s, u"10"_s}}),
             {}},
            {"system environment export",
             u"postgresql://orderflow:secure_password@db.internal:5432/orderflow"
             "?sslmode=require"_s,
             params(u"orderflow"_s, u"secure_password"_s, u"db.internal"_s, u"5432"_s,
                    u"orderflow"_s, require),
             {}},
            {"docker compose",
             u"postgresql://orderflow:${DB_PASSWORD}@postgres:5432/orderflow"_s,
             params(u"orderflow"_s, u"${DB_PASSWORD}"_s, u"postgres"_s, u"5432"_s, u"orderflow"_s),
             {}},
            {"test database",
             u"postgresql://orderflow:dev_password@localhost:5432/orderflow_test"_s,
             params(u"orderflow"_s, u"dev_password"_s, u"localhost"_s, u"5432"_s,
                    u"orderflow_test"_s),
             {}},
            {"ssl require",
             u"postgresql://user:pass@host:5432/db?sslmode=require"_s,
             params(u"user"_s, u"pass"_s, u"host"_s, u"5432"_s, u"db"_s, require),
             {}},
            {"ssl verify-full",
             u"postgresql://user:pass@host:5432/db?sslmode=verify-full"
             "&sslrootcert=/path/to/ca.crt"_s,
             params(u"user"_s, u"pass"_s, u"host"_s, u"5432"_s, u"db"_s,
                    {{u"sslmode"_s, u"verify-full"_s}, {u"sslrootcert"_s, u"/path/to/ca.crt"_s}}),
             {}},
            {"production verify-full",
             u"postgresql://orderflow:password@prod-db:5432/orderflow?sslmode=verify-full"
             "&sslrootcert=/etc/ssl/certs/ca.crt"_s,
             params(u"orderflow"_s, u"password"_s, u"prod-db"_s, u"5432"_s, u"orderflow"_s,
                    {{u"sslmode"_s, u"verify-full"_s},
                     {u"sslrootcert"_s, u"/etc/ssl/certs/ca.crt"_s}}),
             {}},
            {"rds iam (no password)",
             u"postgresql://orderflow@prod-db.rds.amazonaws.com:5432/orderflow"
             "?sslmode=verify-full&sslrootcert=/etc/ssl/certs/rds-ca-2019-root.pem"_s,
             params(u"orderflow"_s, QString(), u"prod-db.rds.amazonaws.com"_s, u"5432"_s,
                    u"orderflow"_s,
                    {{u"sslmode"_s, u"verify-full"_s},
                     {u"sslrootcert"_s, u"/etc/ssl/certs/rds-ca-2019-root.pem"_s}}),
             {}},
            {"pgbouncer",
             u"postgresql://orderflow:password@pgbouncer:6432/orderflow?sslmode=require"_s,
             params(u"orderflow"_s, u"password"_s, u"pgbouncer"_s, u"6432"_s, u"orderflow"_s,
                    require),
             {}},
            {"sqlalchemy psycopg2",
             u"postgresql+psycopg2://orderflow:dev_password@localhost:5432/orderflow"_s,
             params(u"orderflow"_s, u"dev_password"_s, u"localhost"_s, u"5432"_s, u"orderflow"_s),
             u"psycopg2"_s},
    };
}
