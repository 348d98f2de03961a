#include "SeedExamples.h"
#include "TestEnvironment.h"
#include "cli/CommandTable.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

using ParamMap = QMap<QString, QString>;

/// The command line as scripts use it: the real executable, run as a process.
class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void versionAndHelp();
    void eachSubcommandPrintsItsOwnHelp();
    void helpForAnUnknownSubcommandIsAUsageError();
    void theLanguageFollowsTheLocale();
    void unknownCommandIsAUsageError();
    void urlJsonReportsEverySeedExample_data();
    void urlJsonReportsEverySeedExample();
    void urlTextOutputHidesThePassword();
    void invalidUrlPrintsValidFalseAndExits2();
    void mistypedSchemesNeverPrintThePassword();
    void profilesAddStoresThePasswordInTheKeyringOnly();
    void profilesAddReadsThePasswordFromStdin();
    void profilesAddRejectsDuplicatesAndBadInput();
    void profilesRemoveDeletesTheKeyringEntry();
    void theSshSecretLivesInTheKeyringBesideThePassword();
    void profilesListReportsADamagedFile();
    void keychainUnavailableExitsWith4AndSavesNothing();
    void importEnvPutsPasswordsInTheKeyringOnly();
    void malformedImportsChangeNothing();
    void exportWritesEveryFormatAndPasswordsOnlyOnRequest();
    void exportedServiceFileConnectsThroughLibpq();
    void twentyParallelAddsKeepEveryProfileAndExactlyTheirKeychainEntries();
    void killedWritersNeverLeaveAHalfFileNorLoseAReportedChange();
    void importNameClashesAreRefusedRenamedOrReplaced();
    void duplicateAndBlankImportNamesAreEachReported();
    void stagingAndProductionAddsWarnAboutAuditFailures();
    void pgpassImportGivesMatchingProfilesTheirPassword();
    void replaceNeverRemovesAProductionProfile();
    void hostileNamesReachTheTerminalAsText();
    void namesDifferingOnlyInUnicodeFormAreOneName();

private:
    using Result = TestEnvironment::ProcessResult;
    Result run(const QStringList &arguments, const QByteArray &input = {},
               const std::optional<QProcessEnvironment> &environment = std::nullopt);
    QByteArray profilesFile() const;
    /// How many keychain entries of this service hold a secret that starts with prefix.
    int keychainSecretsStartingWith(const QString &prefix);
    QProcess *startCli(const QStringList &arguments, const QByteArray &input = {});
    QJsonArray listProfiles();

    std::unique_ptr<QTemporaryDir> m_config;
};

void TestCli::init()
{
    m_config = std::make_unique<QTemporaryDir>();
}

void TestCli::cleanup()
{
    m_config.reset();
}

TestCli::Result TestCli::run(const QStringList &arguments, const QByteArray &input,
                             const std::optional<QProcessEnvironment> &environment)
{
    return TestEnvironment::run(
            arguments, environment.value_or(TestEnvironment::processEnvironment(m_config->path())),
            input);
}

QByteArray TestCli::profilesFile() const
{
    QFile file(QDir(m_config->path()).filePath(u"profiles.json"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

int TestCli::keychainSecretsStartingWith(const QString &prefix)
{
    QProcess tool;
    tool.start(u"secret-tool"_s,
               {u"search"_s, u"--all"_s, u"--unlock"_s, u"server"_s, SecretStore::serviceName()});
    tool.waitForFinished(10000);
    // Other tests use the same keyring at the same time: count only this test's secrets.
    int count = 0;
    for (const QString &line : QString::fromUtf8(tool.readAllStandardOutput()).split(u'\n'))
        count += line.startsWith(u"secret = "_s + prefix) ? 1 : 0;
    return count;
}

QProcess *TestCli::startCli(const QStringList &arguments, const QByteArray &input)
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(TestEnvironment::processEnvironment(m_config->path()));
    process->start(TestEnvironment::executable(), arguments);
    process->write(input);
    process->closeWriteChannel();
    return process;
}

QJsonArray TestCli::listProfiles()
{
    return QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
            .array();
}

void TestCli::versionAndHelp()
{
    const Result version = run({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(u"orderflow-dbadmin " ORDERFLOW_VERSION ""_s));
    QVERIFY2(version.out.contains(u", OpenSSL "_s), qPrintable(version.out));
    const Result help = run({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const QString &command : {u"url --url"_s, u"profiles list"_s, u"profiles add"_s,
                                   u"profiles remove"_s, u"Exit codes"_s})
        QVERIFY2(help.out.contains(command), qPrintable(command));
}

void TestCli::eachSubcommandPrintsItsOwnHelp()
{
    const Result general = run({u"--help"_s});
    // The rows of the table the program dispatches through; run without a translator, as the
    // program is under LANG=C.UTF-8.
    const QList<Subcommand> subcommands = CommandTable::standard().subcommands();
    for (const Subcommand &subcommand : subcommands) {
        const QStringList words = subcommand.name.split(u' ');
        for (const QString &help : {u"--help"_s, u"-h"_s}) {
            const Result result = run(QStringList(words) << help);
            const QString label = subcommand.name + u' ' + help;
            QVERIFY2(result.exitCode == 0, qPrintable(label + u": "_s + result.err));
            QVERIFY2(result.err.isEmpty(), qPrintable(label + u": "_s + result.err));
            QVERIFY2(result.out != general.out, qPrintable(label));
            const QString flat = result.out.simplified();
            QVERIFY2(flat.contains(u"orderflow-dbadmin "_s + subcommand.name + u' '
                                   + subcommand.usage),
                     qPrintable(result.out));
            for (const QCommandLineOption &option : subcommand.options) {
                const QString name = u"--"_s + option.names().constFirst();
                QVERIFY2(result.out.contains(name), qPrintable(label + u" lacks "_s + name));
                QVERIFY2(flat.contains(option.description().simplified()),
                         qPrintable(label + u" lacks "_s + option.description()));
            }
            for (const Subcommand &other : subcommands) {
                if (other.name != subcommand.name)
                    QVERIFY2(!result.out.contains(u"orderflow-dbadmin "_s + other.name + u' '),
                             qPrintable(label + u" also shows "_s + other.name));
            }
        }
    }
    // After arguments, even incomplete ones, --help still answers and changes nothing.
    const Result add = run(
            {u"profiles"_s, u"add"_s, u"x"_s, u"--url"_s, u"postgresql://h/db"_s, u"--help"_s});
    QCOMPARE(add.exitCode, 0);
    QVERIFY(add.out.contains(u"--environment ENV"_s));
    QVERIFY(profilesFile().isEmpty());
    // A group lists its actions.
    const Result group = run({u"profiles"_s, u"--help"_s});
    QCOMPARE(group.exitCode, 0);
    for (const QString &action : {u"list"_s, u"add"_s, u"remove"_s, u"rotate-password"_s})
        QVERIFY2(group.out.contains(u"orderflow-dbadmin profiles "_s + action + u' '),
                 qPrintable(group.out));
    QVERIFY(!group.out.contains(u"orderflow-dbadmin check"_s));
}

void TestCli::helpForAnUnknownSubcommandIsAUsageError()
{
    for (const QStringList &arguments :
         {QStringList{u"frobnicate"_s, u"--help"_s}, QStringList{u"--help"_s, u"frobnicate"_s},
          QStringList{u"profiles"_s, u"zap"_s, u"-h"_s}}) {
        const Result result = run(arguments);
        QVERIFY2(result.exitCode == 2, qPrintable(arguments.join(u' ')));
        QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
        QVERIFY2(result.err.contains(u"unknown"_s), qPrintable(result.err));
        QVERIFY2(result.err.contains(u"--help"_s), qPrintable(result.err));
    }
}

void TestCli::theLanguageFollowsTheLocale()
{
    const QProcessEnvironment english = TestEnvironment::processEnvironment(m_config->path());
    QProcessEnvironment german = english;
    german.insert(u"LANG"_s, u"de_DE.UTF-8"_s);

    const Result help = run({u"--help"_s}, {}, german);
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.startsWith(u"Aufruf:\n"_s), qPrintable(help.out));
    QVERIFY2(help.out.contains(u"Exit-Codes: 0 in Ordnung"_s), qPrintable(help.out));
    // The syntax is the same in every language.
    QVERIFY(help.out.contains(u"orderflow-dbadmin profiles add NAME --url URL"_s));
    const Result checkHelp = run({u"check"_s, u"--help"_s}, {}, german);
    QCOMPARE(checkHelp.exitCode, 0);
    QVERIFY2(checkHelp.out.contains(u"Optionen:\n"_s), qPrintable(checkHelp.out));
    QVERIFY2(checkHelp.out.contains(u"Ein gespeichertes Profil."_s), qPrintable(checkHelp.out));

    const Result unknown = run({u"frobnicate"_s}, {}, german);
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(u"unbekannter Befehl „frobnicate“"_s), qPrintable(unknown.err));
    QVERIFY2(unknown.err.contains(u"orderflow-dbadmin --help zeigt den Aufruf."_s),
             qPrintable(unknown.err));
    const Result missing = run({u"url"_s}, {}, german);
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(u"url braucht --url URL"_s), qPrintable(missing.err));

    // LANG=C, and LANGUAGE alone does not change that (as with gettext).
    QProcessEnvironment c = english;
    c.insert(u"LANG"_s, u"C"_s);
    const Result cHelp = run({u"--help"_s}, {}, c);
    QCOMPARE(cHelp.exitCode, 0);
    QVERIFY2(cHelp.out.startsWith(u"Usage:\n"_s), qPrintable(cHelp.out));
    c.insert(u"LANGUAGE"_s, u"de"_s);
    const Result cError = run({u"frobnicate"_s}, {}, c);
    QCOMPARE(cError.exitCode, 2);
    QVERIFY2(cError.err.contains(u"unknown command \"frobnicate\""_s), qPrintable(cError.err));
    // LC_ALL wins over LANG, as it does for every program.
    QProcessEnvironment overridden = german;
    overridden.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    QVERIFY(run({u"--help"_s}, {}, overridden).out.startsWith(u"Usage:\n"_s));

    // Qt's own messages (the parser's) come from Qt's German translation, when the system has it.
    ORDERFLOW_REQUIRE(
            QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_de.qm"_s),
            "no qtbase_de.qm: install qt6-translations-l10n "
            "(tests/scripts/install-deps.sh does)");
    const Result option = run({u"url"_s, u"--bogus"_s}, {}, german);
    QCOMPARE(option.exitCode, 2);
    QVERIFY2(option.err.contains(u"Unbekannte Option 'bogus'."_s), qPrintable(option.err));
}

void TestCli::unknownCommandIsAUsageError()
{
    const Result result = run({u"frobnicate"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(u"unknown command"_s));
    QCOMPARE(run({u"url"_s}).exitCode, 2);
    QCOMPARE(run({u"url"_s, u"--url"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"list"_s, u"--bogus"_s}).exitCode, 2);
}

void TestCli::urlJsonReportsEverySeedExample_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ParamMap>("expected");
    QTest::addColumn<QString>("driver");
    for (const SeedExample &example : seedExamples())
        QTest::newRow(example.tag) << example.url << example.params << example.driver;
}

void TestCli::urlJsonReportsEverySeedExample()
{
    QFETCH(QString, url);
    QFETCH(ParamMap, expected);
    QFETCH(QString, driver);
    const Result result = run({u"url"_s, u"--url"_s, url, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(object.value(u"valid"_s).toBool(), true);
    if (driver.isEmpty())
        QVERIFY(object.value(u"driver"_s).isNull());
    else
        QCOMPARE(object.value(u"driver"_s).toString(), driver);

    const QJsonObject params = object.value(u"params"_s).toObject();
    QCOMPARE(params.keys(), expected.keys());
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const QString want = it.key() == u"password"_s ? u"***"_s : it.value();
        QCOMPARE(params.value(it.key()).toString(), want);
    }
    const QString redacted = object.value(u"redacted"_s).toString();
    if (expected.contains(u"password"_s)) {
        QVERIFY(redacted.contains(u":***@"_s));
        // The keyword itself may spell the password ("pass", "password"): look past it.
        const QString withoutKeyword = QString(result.out).remove(u"\"password\""_s);
        QVERIFY(!withoutKeyword.contains(expected.value(u"password"_s)));
    }
}

void TestCli::urlTextOutputHidesThePassword()
{
    const Result result = run(
            {u"url"_s, u"--url"_s, u"postgresql://orderflow:t0ps3cret@localhost/orderflow"_s});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains(u"postgresql://orderflow:***@localhost/orderflow"_s));
    QVERIFY(!result.out.contains(u"t0ps3cret"_s));
    QVERIFY(!result.err.contains(u"t0ps3cret"_s));
}

void TestCli::invalidUrlPrintsValidFalseAndExits2()
{
    for (const QString &bad : {u"postgresql://u:t0ps3cret@host/db?nonsense=1"_s,
                               u"postgresql://u:t0ps3cret@host:notaport/db"_s,
                               u"mysql://u:t0ps3cret@host/db"_s, u""_s}) {
        const Result result = run({u"url"_s, u"--url"_s, bad, u"--json"_s});
        QCOMPARE(result.exitCode, 2);
        const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(object.value(u"valid"_s).toBool(true), false);
        QVERIFY(!object.value(u"error"_s).toString().isEmpty());
        QVERIFY2(!result.out.contains(u"t0ps3cret"_s), qPrintable(result.out));
    }
}

void TestCli::mistypedSchemesNeverPrintThePassword()
{
    // The password is read by the string's shape, whatever the scheme looks like; a
    // password typed into the command line is also warned about.
    for (const QString &bad :
         {u"postgresql:/user:Sentinel-pw9@host/db"_s, u"postgresql//user:Sentinel-pw9@host/db"_s,
          u"user:Sentinel-pw9@host/db"_s}) {
        for (const QStringList &arguments :
             {QStringList{u"url"_s, u"--url"_s, bad},
              {u"url"_s, u"--url"_s, bad, u"--json"_s},
              {u"check"_s, u"--url"_s, bad},
              {u"check"_s, u"--url"_s, bad, u"--json"_s},
              {u"check"_s, u"--url"_s, bad, u"--report"_s},
              {u"profiles"_s, u"add"_s, u"typo"_s, u"--url"_s, bad},
              {u"monitor"_s, u"--url"_s, bad, u"--samples"_s, u"1"_s}}) {
            const Result result = run(arguments);
            QVERIFY2(result.exitCode == 2, qPrintable(arguments.join(u' ') + result.err));
            const QString printed = result.out + result.err;
            QVERIFY2(!printed.contains(u"Sentinel"_s),
                     qPrintable(arguments.join(u' ') + u"\n"_s + result.out + result.err));
        }
    }
    // An .env line that is only a URL is not a variable, and its error does not quote it.
    const QString envPath = QDir(m_config->path()).filePath(u"url-only.env"_s);
    QFile env(envPath);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("postgresql://u:Sentinel-pw9@h/db?sslmode=require\n");
    env.close();
    const Result imported = run({u"import"_s, u"--env"_s, envPath});
    QCOMPARE(imported.exitCode, 2);
    QVERIFY2(imported.err.contains(u"line 1"_s), qPrintable(imported.err));
    QVERIFY2(!imported.err.contains(u"Sentinel"_s), qPrintable(imported.err));
    QVERIFY(profilesFile().isEmpty());
}

void TestCli::profilesAddStoresThePasswordInTheKeyringOnly()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString url
            = u"postgresql://orderflow:s3cret@staging-db.internal:5432/orderflow?sslmode=require"_s;
    const Result added = run({u"profiles"_s, u"add"_s, u"staging"_s, u"--url"_s, url,
                              u"--environment"_s, u"staging"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(!added.out.contains(u"s3cret"_s));

    const QByteArray file = profilesFile();
    QVERIFY(file.contains("staging-db.internal"));
    QVERIFY(!file.contains("s3cret"));
    struct stat info
    {
    };
    QCOMPARE(::stat(QFile::encodeName(QDir(m_config->path()).filePath(u"profiles.json"_s))
                            .constData(),
                    &info),
             0);
    QCOMPARE(info.st_mode & 0777, mode_t(0600));

    const Result listed = run({u"profiles"_s, u"list"_s, u"--json"_s});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(listed.out.toUtf8()).array();
    QCOMPARE(array.size(), 1);
    const QJsonObject profile = array.first().toObject();
    QCOMPARE(profile.value(u"name"_s).toString(), u"staging"_s);
    QCOMPARE(profile.value(u"environment"_s).toString(), u"staging"_s);
    QCOMPARE(profile.value(u"url"_s).toString(),
             u"postgresql://orderflow:***@staging-db.internal:5432/orderflow?sslmode=require"_s);
    QVERIFY(!listed.out.contains(u"s3cret"_s));

    const QString id = profile.value(u"id"_s).toString();
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"s3cret"_s);

    const Result text = run({u"profiles"_s, u"list"_s});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(u"staging"_s));
    QVERIFY(!text.out.contains(u"s3cret"_s));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"staging"_s}).exitCode, 0);
}

void TestCli::profilesAddReadsThePasswordFromStdin()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const Result added
            = run({u"profiles"_s, u"add"_s, u"Production EU"_s, u"--url"_s,
                   u"postgresql://orderflow@127.0.0.1:5432/orderflow?sslmode=verify-full"_s,
                   u"--password-stdin"_s},
                  "fr0m-stdin ü\n");
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(added.out.contains(u"(production)"_s)); // guessed from the name
    const QJsonArray array
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    const QString id = array.first().toObject().value(u"id"_s).toString();
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"fr0m-stdin ü"_s);
    QVERIFY(!profilesFile().contains("fr0m-stdin"));
    // A production profile goes only with its name typed again.
    const Result unconfirmed = run({u"profiles"_s, u"remove"_s, u"production eu"_s});
    QCOMPARE(unconfirmed.exitCode, 2);
    QVERIFY2(unconfirmed.err.contains(u"--confirm 'Production EU'"_s), qPrintable(unconfirmed.err));
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"production eu"_s, u"--confirm"_s,
                  u"production eu"_s})
                     .exitCode,
             2);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"fr0m-stdin ü"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"production eu"_s, u"--confirm"_s,
                  u"Production EU"_s})
                     .exitCode,
             0);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), QString());

    const Result empty = run({u"profiles"_s, u"add"_s, u"x"_s, u"--url"_s, u"postgresql://h/db"_s,
                              u"--password-stdin"_s},
                             "");
    QCOMPARE(empty.exitCode, 2);
}

void TestCli::profilesAddRejectsDuplicatesAndBadInput()
{
    const QStringList add{u"profiles"_s, u"add"_s, u"dev"_s, u"--url"_s,
                          u"postgresql://orderflow@localhost/orderflow"_s};
    QCOMPARE(run(add).exitCode, 0);
    const Result duplicate = run(add);
    QCOMPARE(duplicate.exitCode, 2);
    QVERIFY(duplicate.err.contains(u"already exists"_s));

    const Result badUrl = run({u"profiles"_s, u"add"_s, u"bad"_s, u"--url"_s,
                               u"postgresql://orderflow:pw123456@h/db?sslmode=sometimes"_s});
    QCOMPARE(badUrl.exitCode, 2);
    QVERIFY(!badUrl.err.contains(u"pw123456"_s));
    const Result badEnvironment = run({u"profiles"_s, u"add"_s, u"bad"_s, u"--url"_s,
                                       u"postgresql://h/db"_s, u"--environment"_s, u"moon"_s});
    QCOMPARE(badEnvironment.exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"--url"_s, u"postgresql://h/db"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"nobody"_s}).exitCode, 2);

    const QJsonArray array
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(array.size(), 1);
    QCOMPARE(array.first().toObject().value(u"environment"_s).toString(), u"development"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"DEV"_s}).exitCode, 0);
    QCOMPARE(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.trimmed(), u"[]"_s);
}

void TestCli::profilesRemoveDeletesTheKeyringEntry()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"temp"_s, u"--url"_s,
                  u"postgresql://orderflow:remove-me@localhost/orderflow"_s})
                     .exitCode,
             0);
    const QString id
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array()
                      .first()
                      .toObject()
                      .value(u"id"_s)
                      .toString();
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"remove-me"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"temp"_s}).exitCode, 0);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), QString());
    QVERIFY(!profilesFile().contains("temp"));
}

void TestCli::theSshSecretLivesInTheKeyringBesideThePassword()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QStringList add{u"profiles"_s,
                          u"add"_s,
                          u"bastioned"_s,
                          u"--url"_s,
                          u"postgresql://orderflow@db.internal/orderflow"_s,
                          u"--password-stdin"_s,
                          u"--ssh"_s,
                          u"deploy@bastion-eu"_s};
    // Refused before anything is stored: no route for it, both kinds, no line for it.
    const Result noRoute = run({u"profiles"_s, u"add"_s, u"x"_s, u"--url"_s, u"postgresql://h/db"_s,
                                u"--ssh-passphrase-stdin"_s},
                               "pass\n");
    QCOMPARE(noRoute.exitCode, 2);
    QVERIFY2(noRoute.err.contains(u"--ssh-passphrase-stdin needs --ssh"_s),
             qPrintable(noRoute.err));
    QCOMPARE(run(add + QStringList{u"--ssh-passphrase-stdin"_s, u"--ssh-password-stdin"_s},
                 "sshtest-db\nsshtest-key\n")
                     .exitCode,
             2);
    const Result noLine = run(add + QStringList{u"--ssh-passphrase-stdin"_s}, "sshtest-db-only\n");
    QCOMPARE(noLine.exitCode, 2);
    QVERIFY2(noLine.err.contains(u"no second line"_s), qPrintable(noLine.err));
    QVERIFY(!profilesFile().contains("bastioned"));
    QCOMPARE(keychainSecretsStartingWith(u"sshtest-"_s), 0);

    const Result added
            = run(add + QStringList{u"--ssh-passphrase-stdin"_s}, "db-pw\nkey phrase ü\n");
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const QJsonObject listed = listProfiles().first().toObject();
    const QString id = listed.value(u"id"_s).toString();
    QCOMPARE(listed.value(u"route"_s).toObject().value(u"ssh_secret"_s).toString(),
             u"passphrase"_s);
    QVERIFY2(added.out.contains(SecretStore::keyFor(SecretStore::sshSecretId(id))),
             qPrintable(added.out));
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"db-pw"_s);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(SecretStore::sshSecretId(id))),
             u"key phrase ü"_s);
    // The file says which kind is saved, never the secret.
    QVERIFY(profilesFile().contains("\"ssh_secret\": \"passphrase\""));
    QVERIFY(!profilesFile().contains("key phrase"));

    // Replacing the profile replaces its SSH secret: the old entry goes, the new kind is kept.
    const Result replaced
            = run(add + QStringList{u"--ssh-password-stdin"_s, u"--replace"_s}, "db-2\nssh-pw\n");
    QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.err));
    const QJsonObject second = listProfiles().first().toObject();
    const QString secondId = second.value(u"id"_s).toString();
    QCOMPARE(second.value(u"route"_s).toObject().value(u"ssh_secret"_s).toString(), u"password"_s);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(SecretStore::sshSecretId(id))),
             QString());
    QCOMPARE(TestEnvironment::keychainLookup(
                     SecretStore::keyFor(SecretStore::sshSecretId(secondId))),
             u"ssh-pw"_s);

    // Removing the profile removes both of its entries.
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"bastioned"_s}).exitCode, 0);
    QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(secondId)), QString());
    QCOMPARE(TestEnvironment::keychainLookup(
                     SecretStore::keyFor(SecretStore::sshSecretId(secondId))),
             QString());
}

void TestCli::profilesListReportsADamagedFile()
{
    QFile file(QDir(m_config->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ this is not json");
    file.close();
    const Result result = run({u"profiles"_s, u"list"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out.trimmed(), u"[]"_s);
    QVERIFY(result.err.contains(u"kept as"_s));
    const QStringList aside
            = QDir(m_config->path()).entryList({u"profiles.json.unreadable-*"_s}, QDir::Files);
    QCOMPARE(aside.size(), 1);
}

void TestCli::keychainUnavailableExitsWith4AndSavesNothing()
{
    // No session bus and no display: QtKeychain cannot reach any Secret Service.
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    environment.remove(u"DISPLAY"_s);
    environment.remove(u"WAYLAND_DISPLAY"_s);
    environment.insert(u"XDG_RUNTIME_DIR"_s, m_config->path());
    const Result result = run({u"profiles"_s, u"add"_s, u"staging"_s, u"--url"_s,
                               u"postgresql://orderflow:n0bus-secret@localhost/orderflow"_s},
                              {}, environment);
    QCOMPARE(result.exitCode, 4);
    QVERIFY2(result.err.contains(u"keychain"_s), qPrintable(result.err));
    QVERIFY(result.err.contains(u"not saved"_s));
    QVERIFY(!result.err.contains(u"n0bus-secret"_s));
    QVERIFY(!profilesFile().contains("staging"));

    // A profile without a password needs no keychain.
    const Result plain = run({u"profiles"_s, u"add"_s, u"plain"_s, u"--url"_s,
                              u"postgresql://orderflow@localhost/orderflow"_s},
                             {}, environment);
    QCOMPARE(plain.exitCode, 0);

    // A headless server: a bus address where nothing listens. The reason is said once, as
    // the missing session bus it is.
    environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s,
                       u"unix:path="_s + QDir(m_config->path()).filePath(u"no-bus"_s));
    const Result nothingListens
            = run({u"profiles"_s, u"add"_s, u"staging"_s, u"--url"_s,
                   u"postgresql://orderflow:n0bus-secret@localhost/orderflow"_s},
                  {}, environment);
    QCOMPARE(nothingListens.exitCode, 4);
    QVERIFY2(nothingListens.err.contains(u"no desktop session bus"_s),
             qPrintable(nothingListens.err));
    QCOMPARE(nothingListens.err.count(u"Could not connect"_s), 1);
    QVERIFY(!profilesFile().contains("staging"));
}

void TestCli::importEnvPutsPasswordsInTheKeyringOnly()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString path = QDir(m_config->path()).filePath(u"app.env"_s);
    QFile env(path);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("# OrderFlow\r\nexport DB_PASSWORD=\"SENTINEL-@:/pw\"\r\n"
              "DATABASE_URL=postgresql://orderflow:${DB_PASSWORD}@localhost:5432/orderflow\r\n"
              "TEST_DATABASE_URL='postgresql://orderflow@localhost:5432/orderflow_test'\r\n");
    env.close();
    const Result imported = run({u"import"_s, u"--env"_s, path});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains(u"Development"_s) && imported.out.contains(u"Test"_s));
    QVERIFY(!imported.out.contains(u"SENTINEL"_s));
    QVERIFY(!profilesFile().contains("SENTINEL"));
    const QJsonArray list
            = QJsonDocument::fromJson(run({u"profiles"_s, u"list"_s, u"--json"_s}).out.toUtf8())
                      .array();
    QCOMPARE(list.size(), 2);
    for (const QJsonValue &value : list)
        QCOMPARE(TestEnvironment::keychainLookup(
                         SecretStore::keyFor(value.toObject().value(u"id"_s).toString())),
                 u"SENTINEL-@:/pw"_s);
    // Importing the same file again would duplicate names: refused, nothing changes.
    const QByteArray before = profilesFile();
    const Result again = run({u"import"_s, u"--env"_s, path});
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains(u"already exists"_s));
    QCOMPARE(profilesFile(), before);
    for (const QString &name : {u"Development"_s, u"Test"_s})
        QCOMPARE(run({u"profiles"_s, u"remove"_s, name}).exitCode, 0);
}

void TestCli::malformedImportsChangeNothing()
{
    const QString envPath = QDir(m_config->path()).filePath(u"bad.env"_s);
    QFile env(envPath);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("DATABASE_URL=postgresql://orderflow@localhost/"
              "orderflow\nTEST_DATABASE_URL=\"postgresql://x:SENTINEL@h/db\n");
    env.close();
    const Result result = run({u"import"_s, u"--env"_s, envPath});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains(u"line 2"_s));
    QVERIFY(result.err.contains(u"nothing was imported"_s));
    QVERIFY(!result.err.contains(u"SENTINEL"_s));
    QVERIFY(profilesFile().isEmpty());

    const QString servicePath = QDir(m_config->path()).filePath(u"pg_service.conf"_s);
    QFile service(servicePath);
    QVERIFY(service.open(QIODevice::WriteOnly));
    service.write("[good]\nhost=localhost\n[bad]\nhots=typo\n");
    service.close();
    const Result bad = run({u"import"_s, u"--pg-service"_s, servicePath});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains(u"line 4"_s));
    QVERIFY(profilesFile().isEmpty());
    QCOMPARE(run({u"import"_s, u"--pg-service"_s, u"/nonexistent/file"_s}).exitCode, 2);
    QCOMPARE(run({u"import"_s}).exitCode, 2);
}

void TestCli::exportWritesEveryFormatAndPasswordsOnlyOnRequest()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"Staging"_s, u"--url"_s,
                  u"postgresql://orderflow@staging-db.internal:5432/orderflow?sslmode=require"_s,
                  u"--password-stdin"_s},
                 "SENTINEL-export\n")
                     .exitCode,
             0);
    for (const QString &format :
         {u"env"_s, u"pg-service"_s, u"compose"_s, u"sqlalchemy"_s, u"psql"_s}) {
        const Result plain = run({u"export"_s, u"Staging"_s, u"--format"_s, format});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY(plain.out.contains(u"staging-db.internal"_s));
        QVERIFY2(!plain.out.contains(u"SENTINEL"_s), qPrintable(format));
        const Result secret
                = run({u"export"_s, u"Staging"_s, u"--format"_s, format, u"--with-password"_s});
        QCOMPARE(secret.exitCode, 0);
        QVERIFY2(secret.out.contains(u"SENTINEL-export"_s), qPrintable(format));
        QVERIFY(secret.err.contains(u"contains the password"_s));
    }
    QCOMPARE(run({u"export"_s, u"Staging"_s, u"--format"_s, u"yaml"_s}).exitCode, 2);
    QCOMPARE(run({u"export"_s, u"Nobody"_s, u"--format"_s, u"env"_s}).exitCode, 2);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"Staging"_s}).exitCode, 0);
}

void TestCli::exportedServiceFileConnectsThroughLibpq()
{
    ORDERFLOW_REQUIRE_KEYRING();
    ORDERFLOW_REQUIRE_POSTGRES(server);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"Local Dev"_s, u"--url"_s,
                  u"postgresql://orderflow@127.0.0.1:%1/orderflow?application_name=from-service"_s
                          .arg(server->port),
                  u"--password-stdin"_s},
                 "dev_password\n")
                     .exitCode,
             0);
    const Result exported = run(
            {u"export"_s, u"Local Dev"_s, u"--format"_s, u"pg-service"_s, u"--with-password"_s});
    QCOMPARE(exported.exitCode, 0);
    const QString path = QDir(m_config->path()).filePath(u"exported_service.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(exported.out.toUtf8());
    file.close();
    // libpq reads the file itself: the service name alone reaches the server.
    QProcessEnvironment environment = TestEnvironment::processEnvironment(m_config->path());
    environment.insert(u"PGSERVICEFILE"_s, path);
    environment.remove(u"PGPASSWORD"_s);
    const Result check
            = run({u"check"_s, u"--url"_s, u"service=local-dev"_s, u"--json"_s}, {}, environment);
    const QJsonObject object = QJsonDocument::fromJson(check.out.toUtf8()).object();
    QCOMPARE(object.value(u"category"_s).toString(), u"ok"_s);
    bool fromService = false;
    for (const QJsonValue &value : object.value(u"parameters"_s).toArray()) {
        const QJsonObject parameter = value.toObject();
        if (parameter.value(u"keyword"_s).toString() == u"application_name"_s) {
            QCOMPARE(parameter.value(u"value"_s).toString(), u"from-service"_s);
            fromService = parameter.value(u"source"_s).toString() == u"service"_s;
        }
    }
    QVERIFY(fromService);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"Local Dev"_s}).exitCode, 0);
}

void TestCli::twentyParallelAddsKeepEveryProfileAndExactlyTheirKeychainEntries()
{
    ORDERFLOW_REQUIRE_KEYRING();
    // A prefix of this run's own, to tell its keychain entries from other tests'.
    const QString prefix = u"parallel-%1-"_s.arg(QDateTime::currentMSecsSinceEpoch());
    QList<QProcess *> processes;
    for (int n = 1; n <= 20; ++n)
        processes << startCli({u"profiles"_s, u"add"_s, u"parallel %1"_s.arg(n), u"--url"_s,
                               u"postgresql://orderflow@localhost/orderflow"_s,
                               u"--password-stdin"_s},
                              (prefix + QString::number(n) + u'\n').toUtf8());
    for (QProcess *process : std::as_const(processes)) {
        QVERIFY(process->waitForFinished(60000));
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        QVERIFY(process->readAllStandardOutput().contains("Saved profile"));
    }
    const QJsonArray list = listProfiles();
    QCOMPARE(list.size(), 20);
    // Each profile finds its own password, and no other entry holds one: exactly one keychain
    // entry per saved profile, none lost, none orphaned.
    QSet<QString> passwords;
    for (const QJsonValue &value : list) {
        const QString password = TestEnvironment::keychainLookup(
                SecretStore::keyFor(value.toObject().value(u"id"_s).toString()));
        QVERIFY2(password.startsWith(prefix), qPrintable(password));
        passwords.insert(password);
    }
    QCOMPARE(passwords.size(), 20);
    QCOMPARE(keychainSecretsStartingWith(prefix), 20);
    for (int n = 1; n <= 20; ++n)
        QCOMPARE(run({u"profiles"_s, u"remove"_s, u"parallel %1"_s.arg(n)}).exitCode, 0);
    QCOMPARE(keychainSecretsStartingWith(prefix), 0);
}

void TestCli::killedWritersNeverLeaveAHalfFileNorLoseAReportedChange()
{
    // Two writers at once, one of them (or both, or neither) killed at a random moment. What a
    // writer reported as done must be on disk; the file must always be whole.
    QSet<QString> mustExist;
    QSet<QString> mustBeGone;
    const QString url = u"postgresql://orderflow@localhost/orderflow"_s;
    int killed = 0;
    for (int round = 1; round <= 16; ++round) {
        const QString first = u"one-%1"_s.arg(round);
        QProcess *adder = startCli({u"profiles"_s, u"add"_s, first, u"--url"_s, url});
        const bool removing = round % 2 == 1 && round > 1;
        const QString second = removing ? u"two-%1"_s.arg(round - 1) : u"two-%1"_s.arg(round);
        QProcess *other = removing ? startCli({u"profiles"_s, u"remove"_s, second})
                                   : startCli({u"profiles"_s, u"add"_s, second, u"--url"_s, url});
        const quint32 dice = QRandomGenerator::global()->bounded(4u);
        QTest::qWait(int(QRandomGenerator::global()->bounded(80u)));
        if (dice & 1u)
            adder->kill();
        if (dice & 2u)
            other->kill();
        for (QProcess *process : {adder, other}) {
            // A process killed early may already be reaped: waitForFinished() is then false.
            if (process->state() != QProcess::NotRunning)
                QVERIFY(process->waitForFinished(30000));
        }
        auto succeeded = [](QProcess *process) {
            return process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
        };
        killed += int(!succeeded(adder)) + int(!succeeded(other));
        if (succeeded(adder))
            mustExist.insert(first);
        // A remover killed at the last moment may have removed its profile: from then on that
        // name is neither required nor forbidden.
        if (removing)
            mustExist.remove(second);
        if (succeeded(other))
            (removing ? mustBeGone : mustExist).insert(second);
        ProfileStore store(m_config->path());
        const auto loaded = store.load(ProfileStore::DamagedFile::LeaveInPlace);
        QVERIFY2(loaded.status == ProfileStore::LoadStatus::Loaded
                         || loaded.status == ProfileStore::LoadStatus::FirstRun,
                 qPrintable(loaded.message));
        for (const QString &name : std::as_const(mustExist))
            QVERIFY2(store.findByName(name), qPrintable(name));
        for (const QString &name : std::as_const(mustBeGone))
            QVERIFY2(!store.findByName(name), qPrintable(name));
    }
    qInfo("%d of 32 writers were killed", killed);
    // A lock left by a killed writer does not block the next one.
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"after"_s, u"--url"_s, url}).exitCode, 0);
}

void TestCli::importNameClashesAreRefusedRenamedOrReplaced()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString path = QDir(m_config->path()).filePath(u"app.env"_s);
    QFile env(path);
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("DATABASE_URL=postgresql://orderflow:clash-pw@localhost:5432/orderflow\n");
    env.close();
    QCOMPARE(run({u"import"_s, u"--env"_s, path}).exitCode, 0);
    const QString firstId = listProfiles().first().toObject().value(u"id"_s).toString();

    const Result refused = run({u"import"_s, u"--env"_s, path});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(refused.err.contains(u"--rename"_s) && refused.err.contains(u"--replace"_s));
    QCOMPARE(listProfiles().size(), 1);
    QCOMPARE(run({u"import"_s, u"--env"_s, path, u"--rename"_s, u"--replace"_s}).exitCode, 2);

    const Result renamed = run({u"import"_s, u"--env"_s, path, u"--rename"_s});
    QVERIFY2(renamed.exitCode == 0, qPrintable(renamed.err));
    QVERIFY(renamed.out.contains(u"\"Development 2\""_s));
    QCOMPARE(listProfiles().size(), 2);

    const Result replaced = run({u"import"_s, u"--env"_s, path, u"--replace"_s});
    QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.err));
    QVERIFY(replaced.err.contains(u"replaced"_s));
    const QJsonArray after = listProfiles();
    QCOMPARE(after.size(), 2);
    QStringList ids;
    for (const QJsonValue &value : after)
        ids << value.toObject().value(u"id"_s).toString();
    QVERIFY(!ids.contains(firstId));
    // The replaced profile's password went with it.
    QTRY_COMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(firstId)), QString());
    for (const QString &id : std::as_const(ids))
        QCOMPARE(TestEnvironment::keychainLookup(SecretStore::keyFor(id)), u"clash-pw"_s);
    for (const QString &name : {u"Development"_s, u"Development 2"_s})
        QCOMPARE(run({u"profiles"_s, u"remove"_s, name}).exitCode, 0);
}

void TestCli::duplicateAndBlankImportNamesAreEachReported()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const QString prefix = u"dupe-%1-"_s.arg(QDateTime::currentMSecsSinceEpoch());
    const QString path = QDir(m_config->path()).filePath(u"pg_service.conf"_s);
    QFile service(path);
    QVERIFY(service.open(QIODevice::WriteOnly));
    service.write(u"[Staging]\nhost=localhost\npassword=%1a\n"
                  "[staging]\nhost=127.0.0.1\npassword=%1b\n"
                  "[ ]\nhost=localhost\npassword=%1c\n"_s.arg(prefix)
                          .toUtf8());
    service.close();
    const Result result = run({u"import"_s, u"--pg-service"_s, path});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(u"[Staging] (line 1) and [staging] (line 4)"_s),
             qPrintable(result.err));
    QVERIFY2(result.err.contains(u"(line 7): the profile has no name"_s), qPrintable(result.err));
    QVERIFY(result.err.contains(u"nothing was imported"_s));
    QVERIFY(!result.err.contains(prefix));
    QVERIFY(profilesFile().isEmpty() || listProfiles().isEmpty());
    QCOMPARE(keychainSecretsStartingWith(prefix), 0);
}

void TestCli::stagingAndProductionAddsWarnAboutAuditFailures()
{
    ORDERFLOW_REQUIRE_KEYRING();
    const Result staging = run({u"profiles"_s, u"add"_s, u"Staging"_s, u"--url"_s,
                                u"postgresql://orderflow@localhost/orderflow?sslmode=require"_s,
                                u"--password-stdin"_s},
                               "staging_password\n");
    QVERIFY2(staging.exitCode == 0, qPrintable(staging.err));
    const QStringList warnings = staging.err.split(u'\n').filter(u"warning:"_s);
    QVERIFY2(warnings.filter(u"sslmode=require"_s).size() == 1, qPrintable(staging.err));
    QVERIFY2(warnings.filter(u"well-known default password"_s).size() == 1,
             qPrintable(staging.err));
    QVERIFY(!staging.err.contains(u"staging_password"_s));

    const Result development = run({u"profiles"_s, u"add"_s, u"Development"_s, u"--url"_s,
                                    u"postgresql://orderflow:dev_password@localhost/orderflow"_s});
    QCOMPARE(development.exitCode, 0);
    QVERIFY(!development.err.contains(u"warning:"_s));
    for (const QString &name : {u"Staging"_s, u"Development"_s})
        QCOMPARE(run({u"profiles"_s, u"remove"_s, name}).exitCode, 0);
}

void TestCli::pgpassImportGivesMatchingProfilesTheirPassword()
{
    ORDERFLOW_REQUIRE_KEYRING();
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"reports"_s, u"--url"_s,
                  u"postgresql://report@127.0.0.1:6543/analytics"_s})
                     .exitCode,
             0);
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"other"_s, u"--url"_s,
                  u"postgresql://orderflow@localhost/orderflow"_s})
                     .exitCode,
             0);
    const QString path = QDir(m_config->path()).filePath(u"pgpass"_s);
    QFile pgpass(path);
    QVERIFY(pgpass.open(QIODevice::WriteOnly));
    pgpass.write("127.0.0.1:6543:*:report:from-pgpass\n");
    pgpass.close();
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const Result imported = run({u"import"_s, u"--pgpass"_s, path});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains(u"\"reports\""_s));
    QVERIFY(!imported.out.contains(u"from-pgpass"_s));
    for (const QJsonValue &value : listProfiles()) {
        const QJsonObject profile = value.toObject();
        const bool reports = profile.value(u"name"_s).toString() == u"reports"_s;
        QCOMPARE(profile.value(u"password_stored"_s).toBool(), reports);
        if (reports)
            QCOMPARE(TestEnvironment::keychainLookup(
                             SecretStore::keyFor(profile.value(u"id"_s).toString())),
                     u"from-pgpass"_s);
    }
    // Nothing matches: said, and nothing changes.
    pgpass.open(QIODevice::WriteOnly | QIODevice::Truncate);
    pgpass.write("elsewhere:5432:*:*:x\n");
    pgpass.close();
    QCOMPARE(run({u"import"_s, u"--pgpass"_s, path}).exitCode, 2);
    for (const QString &name : {u"reports"_s, u"other"_s})
        QCOMPARE(run({u"profiles"_s, u"remove"_s, name}).exitCode, 0);
}

void TestCli::replaceNeverRemovesAProductionProfile()
{
    const QString url = u"postgresql://orderflow@localhost/orderflow?sslmode=verify-full"_s;
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"Production"_s, u"--url"_s, url}).exitCode, 0);
    const QString id = listProfiles().first().toObject().value(u"id"_s).toString();
    const Result replaced = run({u"profiles"_s, u"add"_s, u"production"_s, u"--url"_s,
                                 u"postgresql://orderflow@127.0.0.9/orderflow"_s, u"--replace"_s});
    QCOMPARE(replaced.exitCode, 2);
    QVERIFY2(replaced.err.contains(u"production profile"_s), qPrintable(replaced.err));
    QCOMPARE(listProfiles().size(), 1);
    QCOMPARE(listProfiles().first().toObject().value(u"id"_s).toString(), id);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, u"Production"_s, u"--confirm"_s, u"Production"_s})
                     .exitCode,
             0);
}

void TestCli::hostileNamesReachTheTerminalAsText()
{
    // An escape sequence that would retitle the terminal, a right-to-left override, and
    // placeholders that QString::arg would fill in.
    const QString hostile = u"evil\x1b]0;PWNED\x07 \u202Eoc %2 %1"_s;
    const QString url = u"postgresql://orderflow@localhost/orderflow"_s;
    // Refused, naming the character, and nothing saved.
    const Result refused = run({u"profiles"_s, u"add"_s, hostile, u"--url"_s, url});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"escape (U+001B) at character 5"_s), qPrintable(refused.err));
    QVERIFY(!refused.err.contains(QChar(0x1b)));
    QVERIFY(profilesFile().isEmpty());
    for (const QString &name : {u"two\nlines"_s, u"carriage\rreturn"_s, u"rtl \u202Eoc"_s}) {
        const Result again = run({u"profiles"_s, u"add"_s, name, u"--url"_s, url});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains(u"names are one line of visible text"_s),
                 qPrintable(again.err));
    }

    // Placeholders are text.
    QCOMPARE(run({u"profiles"_s, u"add"_s, u"oc %2 %1"_s, u"--url"_s, url}).exitCode, 0);
    QVERIFY(run({u"profiles"_s, u"list"_s}).out.contains(u"oc %2 %1"_s));
    const Result renamed
            = run({u"profiles"_s, u"add"_s, u"oc %2 %1"_s, u"--url"_s, url, u"--rename"_s});
    QCOMPARE(renamed.exitCode, 0);
    QVERIFY(renamed.out.contains(u"oc %2 %1 2"_s));

    // A name that reached the file some other way (edited by hand) is listed inert.
    {
        ProfileStore store(m_config->path());
        store.load();
        QVERIFY(store.add(Profile::create(hostile, Environment::Development)));
        QVERIFY(store.save());
    }
    const Result listed = run({u"profiles"_s, u"list"_s});
    QVERIFY(!listed.out.contains(QChar(0x1b)));
    QVERIFY(!listed.out.contains(QChar(0x202e)));
    // JSON keeps the name exact, escaped.
    bool found = false;
    for (const QJsonValue &value : listProfiles())
        found = found || value.toObject().value(u"name"_s).toString() == hostile;
    QVERIFY(found);
}

void TestCli::namesDifferingOnlyInUnicodeFormAreOneName()
{
    const QString composed = u"Caf\u00e9"_s;
    const QString decomposed = u"CAFE\u0301"_s;
    const QString url = u"postgresql://orderflow@localhost/orderflow"_s;
    QCOMPARE(run({u"profiles"_s, u"add"_s, decomposed, u"--url"_s, url}).exitCode, 0);
    const Result again = run({u"profiles"_s, u"add"_s, composed, u"--url"_s, url});
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains(u"already exists"_s));
    // Stored composed, found either way.
    QCOMPARE(listProfiles().first().toObject().value(u"name"_s).toString(), u"CAF\u00c9"_s);
    QCOMPARE(run({u"profiles"_s, u"remove"_s, composed}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
