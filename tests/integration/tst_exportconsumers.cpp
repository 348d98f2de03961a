#include "TestEnvironment.h"

#include "connection/ConnectionUrl.h"
#include "interop/EnvFile.h"
#include "interop/PgServiceFile.h"
#include "interop/ProfileExchange.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <libpq-fe.h>

using namespace Qt::Literals::StringLiterals;

using Params = QMap<QString, QString>;

/// Every export read back by the program that consumes it: Python for the SQLAlchemy snippet,
/// PyYAML for compose, libpq for pg_service.conf and psql's connection string, bash and
/// EnvFile::parse for .env; for plain and SQLAlchemy URLs, ordinary and hostile names and
/// passwords.
class TestExportConsumers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snippetIsPythonWithNoInjectedStatements_data() { addProfiles(); }
    void snippetIsPythonWithNoInjectedStatements();
    void composeIsYamlWithThePasswordAsItIs_data() { addProfiles(); }
    void composeIsYamlWithThePasswordAsItIs();
    void serviceFileIsReadByLibpq_data() { addProfiles(); }
    void serviceFileIsReadByLibpq();
    void envFileReadsTheSameInBashAndInTheParser_data() { addProfiles(); }
    void envFileReadsTheSameInBashAndInTheParser();
    void psqlCommandParsesInBashAndLibpq_data() { addProfiles(); }
    void psqlCommandParsesInBashAndLibpq();

private:
    static void addProfiles();
    static Profile profile();
    /// The parameters the export must carry: the profile's, and the password.
    static Params expected();
    static TestEnvironment::ProcessResult python(const QString &script, const QString &input);
    static bool save(const QString &path, const QString &text);
    /// The options libpq set, by keyword; frees them.
    static Params values(PQconninfoOption *options);
};

void TestExportConsumers::addProfiles()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("password");
    const QString plainUrl = u"postgresql://orderflow@db.internal:5432/orderflow"_s;
    const QString driverUrl = u"postgresql+psycopg2://u@h:5432/db?sslmode=disable"
                              "&application_name=x&connect_timeout=5"_s;
    // Each line break would start a line of code, a section or a setting if it got through.
    const QString hostileName = u"Evil\r__import__('os').system('echo pwned') # \"q\" $HOME\n"
                                "[evil]\nDATABASE_URL=evil\u2028x = 1"_s;
    const QString hostilePassword = u"p$HOME $$ ${X}: \" #'q' \\ back\\\\slash: end #"_s;
    QTest::newRow("plain URL") << plainUrl << u"Prod EU"_s << u"s3cret"_s;
    QTest::newRow("driver URL") << driverUrl << u"Prod EU"_s << u"s3cret"_s;
    QTest::newRow("plain URL, hostile") << plainUrl << hostileName << hostilePassword;
    QTest::newRow("driver URL, hostile") << driverUrl << hostileName << hostilePassword;
}

Profile TestExportConsumers::profile()
{
    QFETCH(QString, url);
    QFETCH(QString, name);
    const auto parsed = ConnectionUrl::parse(url);
    Profile profile = Profile::fromUrl(name, Environment::Production, *parsed);
    profile.pool.applicationName = name;
    return profile;
}

Params TestExportConsumers::expected()
{
    QFETCH(QString, password);
    Params params = profile().params;
    params.insert(u"password"_s, password);
    return params;
}

TestEnvironment::ProcessResult TestExportConsumers::python(const QString &script,
                                                           const QString &input)
{
    return TestEnvironment::run({u"-c"_s, script}, QProcessEnvironment::systemEnvironment(),
                                input.toUtf8(), u"python3"_s);
}

bool TestExportConsumers::save(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0;
}

Params TestExportConsumers::values(PQconninfoOption *options)
{
    Params read;
    for (PQconninfoOption *option = options; option && option->keyword; ++option) {
        if (option->val)
            read.insert(QString::fromUtf8(option->keyword), QString::fromUtf8(option->val));
    }
    PQconninfoFree(options);
    return read;
}

void TestExportConsumers::snippetIsPythonWithNoInjectedStatements()
{
    ORDERFLOW_REQUIRE(TestEnvironment::programAvailable(u"python3"_s), "python3 is missing");
    QFETCH(QString, name);
    QFETCH(QString, password);
    const QString text
            = ProfileExchange::write(profile(), ProfileExchange::Format::SqlAlchemy, password);
    const auto result = python(uR"(import ast, json, sys
tree = ast.parse(sys.stdin.read())
calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
def call(name):
    return next(node for node in calls if ast.unparse(node.func) == name)
print(json.dumps({
    "statements": [ast.unparse(statement).split("(")[0] for statement in tree.body],
    "calls": sorted(ast.unparse(node.func) for node in calls),
    "default": ast.literal_eval(call("os.environ.get").args[1]),
    "connect_args": next((ast.literal_eval(keyword.value)
                          for keyword in call("create_engine").keywords
                          if keyword.arg == "connect_args"), None),
}))
)"_s,
                               text);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err + u'\n' + text));
    const QJsonObject read = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(read.value(u"statements"_s).toVariant().toStringList(),
             QStringList({u"import os"_s, u"from sqlalchemy import create_engine"_s,
                          u"DATABASE_URL = os.environ.get"_s, u"engine = create_engine"_s}));
    QCOMPARE(read.value(u"calls"_s).toVariant().toStringList(),
             QStringList({u"create_engine"_s, u"os.environ.get"_s}));
    const auto url = ConnectionUrl::parse(read.value(u"default"_s).toString());
    QVERIFY(url);
    // The application's name once: from the URL when it has one, else from connect_args.
    if (url->value(u"application_name"_s).isEmpty())
        QCOMPARE(read.value(u"connect_args"_s).toObject().value(u"application_name"_s).toString(),
                 name);
    else
        QVERIFY(read.value(u"connect_args"_s).isNull());
    QCOMPARE(url->params(), expected());
    QCOMPARE(url->driver(), profile().driver);
}

void TestExportConsumers::composeIsYamlWithThePasswordAsItIs()
{
    ORDERFLOW_REQUIRE(TestEnvironment::pythonModuleAvailable(u"yaml"_s),
                      "python3 with PyYAML (python3-yaml) is missing: "
                      "tests/scripts/install-deps.sh installs it");
    QFETCH(QString, password);
    const QString text
            = ProfileExchange::write(profile(), ProfileExchange::Format::Compose, password);
    const auto result = python(
            u"import yaml, sys, json; print(json.dumps(yaml.safe_load(sys.stdin)))"_s, text);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err + u'\n' + text));
    const QStringList environment = QJsonDocument::fromJson(result.out.toUtf8())
                                            .object()
                                            .value(u"environment"_s)
                                            .toVariant()
                                            .toStringList();
    QCOMPARE(environment.size(), 2);

    // What compose makes of it: $$ is a "$", ${DB_PASSWORD} comes from its environment or
    // .env, where the URL needs the password percent-encoded.
    auto interpolated = [&](const QString &value) -> QString {
        static const QRegularExpression reference(u"\\$\\$|\\$\\{DB_PASSWORD\\}"_s);
        QString out;
        qsizetype last = 0;
        for (const auto &match : reference.globalMatch(value)) {
            out += value.mid(last, match.capturedStart() - last);
            out += match.captured() == u"$$"_s
                    ? u"$"_s
                    : QString::fromLatin1(QUrl::toPercentEncoding(password));
            last = match.capturedEnd();
        }
        return out + value.mid(last);
    };
    QVERIFY(environment.at(0).startsWith(u"DATABASE_URL="_s));
    QVERIFY(environment.at(0).contains(u"${DB_PASSWORD}"_s));
    const auto url = ConnectionUrl::parse(
            interpolated(environment.at(0).mid(QStringView(u"DATABASE_URL=").size())));
    QVERIFY(url);
    QCOMPARE(url->params(), expected());
    QCOMPARE(interpolated(environment.at(1)), u"DB_PASSWORD="_s + password);
}

void TestExportConsumers::serviceFileIsReadByLibpq()
{
    QFETCH(QString, password);
    const QString text
            = ProfileExchange::write(profile(), ProfileExchange::Format::PgService, password);
    // One section: a line break in the name must not have added one.
    const auto sections = PgServiceFile::parse(text.toUtf8());
    QVERIFY2(sections.ok, qPrintable(sections.error));
    QCOMPARE(sections.services.size(), 1);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"pg_service.conf"_s);
    QVERIFY(save(path, text));
    // PQconndefaults reads the service PGSERVICE names from PGSERVICEFILE, without connecting.
    qputenv("PGSERVICEFILE", path.toUtf8());
    qputenv("PGSERVICE", sections.services.first().name.toUtf8());
    const auto restore = qScopeGuard([] {
        qunsetenv("PGSERVICEFILE");
        qunsetenv("PGSERVICE");
    });
    const Params read = values(PQconndefaults());
    const Params wanted = expected();
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it)
        QCOMPARE(read.value(it.key()), it.value());
}

void TestExportConsumers::envFileReadsTheSameInBashAndInTheParser()
{
    ORDERFLOW_REQUIRE(TestEnvironment::programAvailable(u"bash"_s), "bash is missing");
    QFETCH(QString, password);
    const QString text = ProfileExchange::write(profile(), ProfileExchange::Format::Env, password);
    QTemporaryDir dir;
    const QString path = dir.filePath(u".env"_s);
    QVERIFY(save(path, text));

    const auto shell = TestEnvironment::run(
            {u"-c"_s, u"set -a; . \"$1\"; printf '%s\\0%s' \"$DATABASE_URL\" \"$DB_PASSWORD\""_s,
             u"bash"_s, path},
            QProcessEnvironment::systemEnvironment(), {}, u"bash"_s);
    QVERIFY2(shell.exitCode == 0 && shell.err.isEmpty(), qPrintable(shell.err + u'\n' + text));
    const QStringList fromShell = shell.out.split(QChar(0));
    QCOMPARE(fromShell.size(), 2);

    const EnvFile::ParseResult parsed = EnvFile::parse(text.toUtf8());
    QVERIFY2(parsed.ok, qPrintable(parsed.error));
    // Two settings: a line break in the name must not have added one.
    QCOMPARE(parsed.entries.size(), 2);
    QCOMPARE(fromShell.at(0), parsed.value(u"DATABASE_URL"_s));
    QCOMPARE(fromShell.at(1), parsed.value(u"DB_PASSWORD"_s));
    QCOMPARE(fromShell.at(1), password);
    ConnectionUrl url = profile().connectionUrl();
    url.setValue(u"password"_s, password);
    QCOMPARE(fromShell.at(0), url.toUrl());
}

void TestExportConsumers::psqlCommandParsesInBashAndLibpq()
{
    ORDERFLOW_REQUIRE(TestEnvironment::programAvailable(u"bash"_s), "bash is missing");
    QFETCH(QString, password);
    const QString text = ProfileExchange::write(profile(), ProfileExchange::Format::Psql, password);
    const auto syntax = TestEnvironment::run(
            {u"-n"_s, u"-c"_s, text}, QProcessEnvironment::systemEnvironment(), {}, u"bash"_s);
    QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.err + u'\n' + text));
    // A psql that prints what it was given, as the real one would receive it.
    const auto shell = TestEnvironment::run(
            {u"-c"_s,
             u"psql() { printf '%s\\0%s\\0%s' \"$PGPASSWORD\" \"$#\" \"$1\"; }\n"_s + text},
            QProcessEnvironment::systemEnvironment(), {}, u"bash"_s);
    QVERIFY2(shell.exitCode == 0, qPrintable(shell.err + u'\n' + text));
    const QStringList given = shell.out.split(QChar(0));
    QCOMPARE(given.size(), 3);
    QCOMPARE(given.at(0), password);
    QCOMPARE(given.at(1), u"1"_s);

    char *error = nullptr;
    PQconninfoOption *options = PQconninfoParse(given.at(2).toUtf8().constData(), &error);
    const QString problem = QString::fromUtf8(error);
    PQfreemem(error);
    QVERIFY2(options, qPrintable(problem + u'\n' + text));
    Params read = values(options);
    read.insert(u"password"_s, given.at(0));
    QCOMPARE(read, expected());
}

QTEST_GUILESS_MAIN(TestExportConsumers)
#include "tst_exportconsumers.moc"
