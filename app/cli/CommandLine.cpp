#include "CommandLine.h"

#include "Logging.h"
#include "cli/ExitCode.h"
#include "connection/AttemptReport.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "connection/ExtensionRequirements.h"
#include "connection/RequiredChecks.h"
#include "interop/ProfileExchange.h"
#include "pool/ActivitySampler.h"
#include "profiles/ProfileStore.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <libpq-fe.h>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void printOut(const QString &text)
{
    writeTo(stdout, text.endsWith(u'\n') ? text : text + u'\n');
}

void printErr(const QString &text)
{
    writeTo(stderr, text.endsWith(u'\n') ? text : text + u'\n');
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document
            = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

// A parser for one subcommand: argv[0] stands for "orderflow-dbadmin <words>".
bool parseSubcommand(QCommandLineParser &parser, const QString &words, const QStringList &rest,
                     QString *error)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    if (!parser.parse(QStringList{u"orderflow-dbadmin "_s + words} + rest)) {
        *error = parser.errorText();
        return false;
    }
    return true;
}

QString readPasswordFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(in.readAll());
    if (text.endsWith(u'\n'))
        text.chop(1);
    if (text.endsWith(u'\r'))
        text.chop(1);
    return text;
}

void reportLoad(const ProfileStore::LoadResult &result)
{
    if (result.status == ProfileStore::LoadStatus::SetAside
        || result.status == ProfileStore::LoadStatus::Unreadable)
        printErr(tr("warning: %1").arg(result.message));
}

} // namespace

CommandLine::CommandLine(const QStringList &arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(arguments)
    , m_secrets(new SecretStore(this))
{ }

CommandLine::~CommandLine() = default;

bool CommandLine::handles(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--help"_s || argument == u"-h"_s || argument == u"--version"_s
            || argument == u"-v"_s)
            return true;
        if (argument == u"--profile"_s) {
            ++i; // its value is a profile name, not a subcommand
            continue;
        }
        // Any word is a subcommand; an unknown one gets a usage error, not a window.
        if (!argument.startsWith(u'-'))
            return true;
    }
    return false;
}

QString CommandLine::versionText()
{
    const int libpq = PQlibVersion();
    return u"orderflow-dbadmin %1 (Qt %2, libpq %3.%4)"_s
            .arg(QStringLiteral(ORDERFLOW_VERSION), QString::fromLatin1(qVersion()))
            .arg(libpq / 10000)
            .arg(libpq % 10000);
}

QString CommandLine::helpText()
{
    return tr(
            "Usage:\n"
            "  orderflow-dbadmin [--profile NAME]           open the window, optionally on a "
            "profile\n"
            "  orderflow-dbadmin --version | --help\n"
            "  orderflow-dbadmin check (--profile NAME | --url URL) [--json] [--timeout SECONDS]\n"
            "                                               test a connection and diagnose "
            "failures\n"
            "  orderflow-dbadmin url --url URL [--json]       parse and validate a connection "
            "string\n"
            "  orderflow-dbadmin profiles list [--json]\n"
            "  orderflow-dbadmin profiles add NAME --url URL [--environment ENV] "
            "[--password-stdin]\n"
            "  orderflow-dbadmin profiles remove NAME\n"
            "\n"
            "URL is a postgresql:// or postgres:// URL, a SQLAlchemy postgresql+driver:// URL, "
            "or libpq key=value pairs.\n"
            "ENV is development, staging, production, test or other.\n"
            "Passwords are kept in the system keychain (service orderflow-dbadmin), never in "
            "the profiles file;\n"
            "--password-stdin reads the password from standard input instead of the URL.\n"
            "\n"
            "Exit codes: 0 healthy, 1 could not connect, 2 usage error or invalid input,\n"
            "3 a required check failed, 4 keychain unavailable.\n"
            "\n"
            "Environment: ORDERFLOW_DBADMIN_CONFIG_DIR overrides the folder of profiles.json.\n");
}

void CommandLine::start()
{
    QStringList rest = m_arguments.mid(1);
    if (rest.contains(u"--version"_s) || rest.contains(u"-v"_s)) {
        printOut(versionText());
        return finish(ExitHealthy);
    }
    if (rest.isEmpty() || rest.contains(u"--help"_s) || rest.contains(u"-h"_s)) {
        printOut(helpText());
        return finish(ExitHealthy);
    }
    const QString command = rest.takeFirst();
    if (command == u"url"_s)
        return runUrl(rest);
    if (command == u"check"_s)
        return runCheck(rest);
    if (command == u"monitor"_s)
        return runMonitor(rest);
    if (command == u"import"_s)
        return runImport(rest);
    if (command == u"export"_s)
        return runExport(rest);
    if (command == u"profiles"_s)
        return runProfiles(rest);
    usageError(tr("unknown command \"%1\"").arg(command));
}

void CommandLine::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(exitCode);
}

void CommandLine::usageError(const QString &message)
{
    printErr(u"orderflow-dbadmin: "_s + message);
    printErr(tr("Run orderflow-dbadmin --help for usage."));
    finish(ExitUsage);
}

void CommandLine::runUrl(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption urlOption(u"url"_s, tr("The connection string."), u"URL"_s);
    const QCommandLineOption jsonOption(u"json"_s, tr("Print JSON."));
    parser.addOptions({urlOption, jsonOption});
    QString error;
    if (!parseSubcommand(parser, u"url"_s, arguments, &error))
        return usageError(error);
    if (!parser.positionalArguments().isEmpty())
        return usageError(
                tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    if (!parser.isSet(urlOption))
        return usageError(tr("url needs --url URL"));
    const bool json = parser.isSet(jsonOption);

    const QString text = parser.value(urlOption);
    auto url = ConnectionUrl::parse(text, &error);
    if (url) {
        const QStringList problems = url->validate();
        if (!problems.isEmpty()) {
            error = ConnectionUrl::scrub(problems.join(u"; "_s), url->password());
            url.reset();
        }
    }
    if (!url) {
        if (json)
            printJson(QJsonObject{{u"valid"_s, false}, {u"error"_s, error}});
        else
            printErr(tr("invalid connection string: %1").arg(error));
        return finish(ExitUsage);
    }

    if (json) {
        QJsonObject params;
        for (auto it = url->params().cbegin(); it != url->params().cend(); ++it)
            params.insert(it.key(), it.key() == u"password"_s ? u"***"_s : it.value());
        printJson(QJsonObject{
                {u"valid"_s, true},
                {u"redacted"_s, url->redacted()},
                {u"driver"_s, url->driver().isEmpty() ? QJsonValue() : QJsonValue(url->driver())},
                {u"params"_s, params},
        });
    } else {
        QString out = tr("valid: %1\n").arg(url->redacted());
        if (!url->driver().isEmpty())
            out += tr("driver: %1\n").arg(url->driver());
        for (auto it = url->params().cbegin(); it != url->params().cend(); ++it)
            out += u"  %1 %2\n"_s.arg(it.key(), -18)
                           .arg(it.key() == u"password"_s ? u"***"_s : it.value());
        printOut(out);
    }
    finish(ExitHealthy);
}

void CommandLine::runProfiles(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return usageError(tr("profiles needs list, add or remove"));
    const QString action = arguments.first();
    const QStringList rest = arguments.mid(1);
    if (action == u"list"_s)
        return profilesList(rest);
    if (action == u"add"_s)
        return profilesAdd(rest);
    if (action == u"remove"_s)
        return profilesRemove(rest);
    usageError(tr("unknown profiles action \"%1\" (list, add, remove)").arg(action));
}

void CommandLine::profilesList(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(u"json"_s, tr("Print JSON."));
    parser.addOption(jsonOption);
    QString error;
    if (!parseSubcommand(parser, u"profiles list"_s, arguments, &error))
        return usageError(error);
    if (!parser.positionalArguments().isEmpty())
        return usageError(
                tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    ProfileStore store;
    const auto loaded = store.load();
    reportLoad(loaded);
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (const Profile &profile : store.profiles()) {
            array.append(QJsonObject{
                    {u"id"_s, profile.id},
                    {u"name"_s, profile.name},
                    {u"environment"_s, Environments::id(profile.environment)},
                    {u"url"_s, profile.redactedUrl()},
                    {u"password_stored"_s, profile.hasStoredPassword()},
            });
        }
        printJson(array);
    } else if (store.profiles().isEmpty()) {
        printErr(
                tr("No profiles yet. Add one with: orderflow-dbadmin profiles add NAME --url URL"));
    } else {
        QString out;
        for (const Profile &profile : store.profiles())
            out += u"%1 %2 %3\n"_s.arg(profile.name, -20)
                           .arg(Environments::id(profile.environment), -12)
                           .arg(profile.redactedUrl());
        printOut(out);
    }
    finish(ExitHealthy);
}

void CommandLine::profilesAdd(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption urlOption(u"url"_s, tr("The connection string."), u"URL"_s);
    const QCommandLineOption environmentOption(u"environment"_s, tr("The environment."), u"ENV"_s);
    const QCommandLineOption stdinOption(u"password-stdin"_s,
                                         tr("Read the password from standard input."));
    parser.addOptions({urlOption, environmentOption, stdinOption});
    QString error;
    if (!parseSubcommand(parser, u"profiles add"_s, arguments, &error))
        return usageError(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(tr("profiles add needs exactly one NAME"));
    if (!parser.isSet(urlOption))
        return usageError(tr("profiles add needs --url URL"));
    const QString name = positional.first().trimmed();
    if (name.isEmpty())
        return usageError(tr("the profile name is empty"));

    Environment environment = Environments::guessFromName(name);
    if (parser.isSet(environmentOption)) {
        const auto chosen = Environments::fromId(parser.value(environmentOption));
        if (!chosen)
            return usageError(tr("unknown environment \"%1\" (development, staging, production, "
                                 "test, other)")
                                      .arg(parser.value(environmentOption)));
        environment = *chosen;
    }

    const auto url = ConnectionUrl::parse(parser.value(urlOption), &error);
    if (!url) {
        printErr(tr("invalid connection string: %1").arg(error));
        return finish(ExitUsage);
    }
    if (const QStringList problems = url->validate(); !problems.isEmpty()) {
        printErr(tr("invalid connection string: %1")
                         .arg(ConnectionUrl::scrub(problems.join(u"; "_s), url->password())));
        return finish(ExitUsage);
    }

    QString password = url->password();
    if (parser.isSet(stdinOption)) {
        password = readPasswordFromStdin();
        if (password.isEmpty()) {
            printErr(tr("--password-stdin was given but standard input held no password"));
            return finish(ExitUsage);
        }
    } else if (url->hasPassword()) {
        printErr(tr("note: the password was given on the command line, where shell history and "
                    "process lists can see it; --password-stdin avoids that."));
    }

    auto store = std::make_shared<ProfileStore>();
    const auto loaded = store->load();
    reportLoad(loaded);
    Profile profile = Profile::fromUrl(name, environment, *url);
    if (store->findByName(name)) {
        printErr(tr("a profile named \"%1\" already exists; remove it first or pick another name")
                         .arg(name));
        return finish(ExitUsage);
    }

    auto saveProfile = [this, store](Profile toSave) {
        QString saveError;
        if (!store->add(toSave, &saveError) || !store->save(&saveError)) {
            printErr(tr("the profile was not saved: %1").arg(saveError));
            if (!toSave.hasStoredPassword())
                return finish(ExitUsage);
            // Do not leave an orphaned password behind.
            m_secrets->deletePassword(toSave.id, this,
                                      [this](const SecretResult &) { finish(ExitUsage); });
            return;
        }
        printOut(tr("Saved profile \"%1\" (%2): %3")
                         .arg(toSave.name, Environments::id(toSave.environment),
                              toSave.redactedUrl()));
        if (toSave.hasStoredPassword())
            printOut(tr("The password is in the system keychain as %1 / %2.")
                             .arg(SecretStore::serviceName(), SecretStore::keyFor(toSave.id)));
        finish(ExitHealthy);
    };

    if (password.isEmpty())
        return saveProfile(profile);

    m_secrets->writePassword(
            profile.id, password, this, [this, profile, saveProfile](const SecretResult &result) {
                if (!result.ok()) {
                    printErr(tr("The password could not be stored in the keychain: %1")
                                     .arg(result.message));
                    printErr(tr("The profile was not saved."));
                    return finish(ExitKeychainUnavailable);
                }
                Profile withPassword = profile;
                withPassword.passwordChangedAt = QDateTime::currentDateTimeUtc();
                saveProfile(withPassword);
            });
}

void CommandLine::profilesRemove(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString error;
    if (!parseSubcommand(parser, u"profiles remove"_s, arguments, &error))
        return usageError(error);
    if (parser.positionalArguments().size() != 1)
        return usageError(tr("profiles remove needs exactly one NAME"));
    const QString name = parser.positionalArguments().first();

    auto store = std::make_shared<ProfileStore>();
    const auto loaded = store->load();
    reportLoad(loaded);
    const auto profile = store->findByName(name);
    if (!profile) {
        printErr(tr("no profile named \"%1\"").arg(name));
        return finish(ExitUsage);
    }

    auto removeProfile = [this, store, profile]() {
        QString saveError;
        store->remove(profile->id);
        if (!store->save(&saveError)) {
            printErr(tr("the profile was not removed: %1").arg(saveError));
            return finish(ExitUsage);
        }
        printOut(tr("Removed profile \"%1\".").arg(profile->name));
        finish(ExitHealthy);
    };
    if (!profile->hasStoredPassword())
        return removeProfile();
    m_secrets->deletePassword(profile->id, this, [this, removeProfile](const SecretResult &result) {
        if (!result.ok()) {
            printErr(tr("The password could not be deleted from the "
                        "keychain: %1")
                             .arg(result.message));
            printErr(tr("The profile was kept so that its password "
                        "can be deleted later."));
            return finish(ExitKeychainUnavailable);
        }
        removeProfile();
    });
}

void CommandLine::runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption profileOption(u"profile"_s, tr("A saved profile."), u"NAME"_s);
    const QCommandLineOption urlOption(u"url"_s, tr("A connection string."), u"URL"_s);
    const QCommandLineOption jsonOption(u"json"_s, tr("Print JSON."));
    const QCommandLineOption timeoutOption(u"timeout"_s, tr("Seconds for the whole attempt."),
                                           u"SECONDS"_s);
    parser.addOptions({profileOption, urlOption, jsonOption, timeoutOption});
    QString error;
    if (!parseSubcommand(parser, u"check"_s, arguments, &error))
        return usageError(error);
    if (!parser.positionalArguments().isEmpty())
        return usageError(
                tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    if (parser.isSet(profileOption) == parser.isSet(urlOption))
        return usageError(tr("check needs either --profile NAME or --url URL"));
    int timeout = 0;
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        timeout = parser.value(timeoutOption).toInt(&ok);
        if (!ok || timeout < 1 || timeout > 3600)
            return usageError(tr("--timeout takes a number of seconds from 1 to 3600"));
    }
    const bool json = parser.isSet(jsonOption);

    auto *attempt = new ConnectionAttempt(this);
    auto profile = std::make_shared<std::optional<Profile>>();
    connect(attempt, &ConnectionAttempt::finished, this,
            [this, json, attempt, profile](const AttemptResult &result) {
                attempt->deleteLater();
                int code = ExitHealthy;
                const QStringList required = *profile ? (*profile)->requiredExtensions
                                                      : Profile::defaultRequiredExtensions();
                QJsonObject object = AttemptReport::toJson(result, required);
                QString failedChecks;
                if (result.ok) {
                    QList<RequiredCheck> checks;
                    if (*profile)
                        checks = RequiredChecks::evaluate(**profile, result);
                    if (result.snapshot)
                        checks << RequiredChecks::extensionChecks(required, *result.snapshot);
                    object.insert(u"checks"_s, RequiredChecks::toJson(checks));
                    if (!RequiredChecks::allMet(checks)) {
                        // Connected, but a required check failed: "ok" is false, the
                        // category stays "ok", and the exit code is 3.
                        code = ExitCheckFailed;
                        object.insert(u"ok"_s, false);
                        for (const RequiredCheck &check : std::as_const(checks)) {
                            if (!check.met)
                                failedChecks
                                        += tr("Required check failed: %1\n").arg(check.message);
                        }
                    }
                }
                if (!result.ok) {
                    switch (result.diagnosis.category) {
                    case DiagnosisCategory::InvalidUrl:
                        code = ExitUsage;
                        break;
                    case DiagnosisCategory::KeychainUnavailable:
                        code = ExitKeychainUnavailable;
                        break;
                    default:
                        code = ExitConnectionFailed;
                    }
                }
                if (json)
                    printJson(object);
                else
                    printOut(AttemptReport::toText(result) + failedChecks);
                finish(code);
            });

    auto report = [this, json](const Diagnosis &diagnosis, const QString &target, int code) {
        AttemptResult result;
        result.diagnosis = diagnosis;
        result.target = target;
        if (json)
            printJson(AttemptReport::toJson(result));
        else
            printOut(AttemptReport::toText(result));
        finish(code);
    };

    if (parser.isSet(urlOption)) {
        ConnectionRequest request;
        request.text = parser.value(urlOption);
        request.timeoutSeconds = timeout;
        return attempt->start(request);
    }

    ProfileStore store;
    reportLoad(store.load());
    *profile = store.findByName(parser.value(profileOption));
    if (!*profile) {
        printErr(tr("no profile named \"%1\"").arg(parser.value(profileOption)));
        return finish(ExitUsage);
    }
    auto *resolver = new PasswordResolver(m_secrets, this);
    const Profile chosen = **profile;
    resolver->resolve(chosen, this,
                      [attempt, resolver, chosen, timeout, report](const PasswordOutcome &outcome) {
                          resolver->deleteLater();
                          if (!outcome.ok) {
                              attempt->deleteLater();
                              const bool keychain = outcome.failure.category
                                      == DiagnosisCategory::KeychainUnavailable;
                              return report(outcome.failure, chosen.redactedUrl(),
                                            keychain ? ExitKeychainUnavailable
                                                     : ExitConnectionFailed);
                          }
                          ConnectionRequest request;
                          request.url = chosen.connectionUrl();
                          request.password = outcome.password;
                          request.timeoutSeconds = timeout;
                          attempt->start(request);
                      });
}

void CommandLine::runMonitor(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption profileOption(u"profile"_s, tr("A saved profile."), u"NAME"_s);
    const QCommandLineOption urlOption(u"url"_s, tr("A connection string."), u"URL"_s);
    const QCommandLineOption intervalOption(u"interval"_s, tr("Milliseconds between samples."),
                                            u"MS"_s, u"1000"_s);
    const QCommandLineOption samplesOption(u"samples"_s, tr("Stop after N samples."), u"N"_s);
    const QCommandLineOption jsonOption(u"json"_s, tr("One JSON object per line."));
    parser.addOptions({profileOption, urlOption, intervalOption, samplesOption, jsonOption});
    QString error;
    if (!parseSubcommand(parser, u"monitor"_s, arguments, &error))
        return usageError(error);
    if (!parser.positionalArguments().isEmpty())
        return usageError(
                tr("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    if (parser.isSet(profileOption) == parser.isSet(urlOption))
        return usageError(tr("monitor needs either --profile NAME or --url URL"));
    bool ok = false;
    const int interval = parser.value(intervalOption).toInt(&ok);
    if (!ok || interval < 100 || interval > 3600000)
        return usageError(tr("--interval takes milliseconds from 100 to 3600000"));
    int samples = -1;
    if (parser.isSet(samplesOption)) {
        samples = parser.value(samplesOption).toInt(&ok);
        if (!ok || samples < 1)
            return usageError(tr("--samples takes a positive number"));
    }
    const bool json = parser.isSet(jsonOption);

    auto *sampler = new ActivitySampler(this);
    sampler->setInterval(interval);
    auto pool = std::make_shared<PoolSettings>();
    auto remaining = std::make_shared<int>(samples);
    if (!json)
        printOut(tr("time      ok  in_db  active  idle  idle_tx  total/usable  pool"));
    connect(sampler, &ActivitySampler::sampleReceived, this,
            [this, sampler, json, pool, remaining](const ActivitySample &sample) {
                if (json) {
                    printJson(sample.toJson(*pool));
                } else if (sample.ok) {
                    printOut(u"%1  ok  %2  %3  %4  %5  %6  %7"_s
                                     .arg(sample.t.toLocalTime().toString(u"HH:mm:ss"_s))
                                     .arg(sample.inDatabase, 5)
                                     .arg(sample.byState.value(u"active"_s), 6)
                                     .arg(sample.byState.value(u"idle"_s), 4)
                                     .arg(sample.byState.value(u"idle in transaction"_s), 7)
                                     .arg(u"%1/%2"_s.arg(sample.total).arg(sample.serverCapacity()),
                                          12)
                                     .arg(pool->capacity()));
                } else {
                    printOut(u"%1  --  %2: %3"_s.arg(sample.t.toLocalTime().toString(u"HH:mm:ss"_s),
                                                     sample.category,
                                                     QString(sample.message).replace(u'\n', u' ')));
                }
                if (*remaining > 0 && --*remaining == 0) {
                    sampler->stop();
                    finish(ExitHealthy);
                }
            });

    if (parser.isSet(urlOption)) {
        QString parseError;
        const auto url = ConnectionUrl::parse(parser.value(urlOption), &parseError);
        if (!url) {
            printErr(tr("invalid connection string: %1").arg(parseError));
            return finish(ExitUsage);
        }
        sampler->setTarget(*url, std::nullopt);
        return sampler->start();
    }

    ProfileStore store;
    reportLoad(store.load());
    const auto profile = store.findByName(parser.value(profileOption));
    if (!profile) {
        printErr(tr("no profile named \"%1\"").arg(parser.value(profileOption)));
        return finish(ExitUsage);
    }
    *pool = profile->pool;
    auto *resolver = new PasswordResolver(m_secrets, this);
    const Profile chosen = *profile;
    resolver->resolve(
            chosen, this, [this, resolver, sampler, chosen](const PasswordOutcome &outcome) {
                resolver->deleteLater();
                if (!outcome.ok) {
                    printErr(outcome.failure.headline() + u' ' + outcome.failure.message);
                    return finish(outcome.failure.category == DiagnosisCategory::KeychainUnavailable
                                          ? ExitKeychainUnavailable
                                          : ExitConnectionFailed);
                }
                sampler->setTarget(chosen.connectionUrl(), outcome.password);
                if (const auto admin = chosen.pgbouncerAdminUrl())
                    sampler->setPgBouncer(admin, outcome.password);
                sampler->start();
            });
}

void CommandLine::runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption envOption(u"env"_s, tr("A .env file."), u"FILE"_s);
    const QCommandLineOption serviceOption(u"pg-service"_s, tr("A pg_service.conf file."),
                                           u"FILE"_s);
    parser.addOptions({envOption, serviceOption});
    QString error;
    if (!parseSubcommand(parser, u"import"_s, arguments, &error))
        return usageError(error);
    if (parser.isSet(envOption) == parser.isSet(serviceOption)
        || !parser.positionalArguments().isEmpty())
        return usageError(tr("import needs either --env FILE or --pg-service FILE"));
    const QString path = parser.value(parser.isSet(envOption) ? envOption : serviceOption);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printErr(tr("cannot read %1: %2").arg(path, file.errorString()));
        return finish(ExitUsage);
    }
    const QByteArray content = file.readAll();
    const ProfileExchange::ImportResult imported = parser.isSet(envOption)
            ? ProfileExchange::fromEnv(content)
            : ProfileExchange::fromPgService(content);
    if (!imported.ok) {
        printErr(tr("%1: %2 (nothing was imported)").arg(path, imported.error));
        return finish(ExitUsage);
    }

    auto store = std::make_shared<ProfileStore>();
    reportLoad(store->load());
    for (const auto &entry : imported.profiles) {
        if (store->findByName(entry.profile.name)) {
            printErr(tr("a profile named \"%1\" (from %2) already exists; nothing was imported")
                             .arg(entry.profile.name, entry.origin));
            return finish(ExitUsage);
        }
    }

    // Passwords first, into the keychain; only when all are stored do the profiles follow.
    auto pending = std::make_shared<QList<ProfileExchange::Imported>>(imported.profiles);
    auto stored = std::make_shared<QList<Profile>>();
    auto step = std::make_shared<std::function<void()>>();
    // The step holds itself weakly; each pending keychain callback holds it strongly.
    const std::weak_ptr<std::function<void()>> weakStep = step;
    *step = [this, pending, stored, store, weakStep]() {
        const auto self = weakStep.lock();
        if (!self)
            return;
        if (pending->isEmpty()) {
            QString saveError;
            for (const Profile &profile : std::as_const(*stored))
                store->add(profile);
            if (!store->save(&saveError)) {
                printErr(tr("the profiles were not saved: %1").arg(saveError));
                return finish(ExitUsage);
            }
            for (const Profile &profile : std::as_const(*stored))
                printOut(tr("Imported \"%1\" (%2): %3%4")
                                 .arg(profile.name, Environments::id(profile.environment),
                                      profile.redactedUrl(),
                                      profile.hasStoredPassword() ? tr(", password in the keychain")
                                                                  : QString()));
            return finish(ExitHealthy);
        }
        ProfileExchange::Imported next = pending->takeFirst();
        if (!next.password) {
            stored->append(next.profile);
            return (*self)();
        }
        m_secrets->writePassword(
                next.profile.id, *next.password, this,
                [this, next, stored, self](const SecretResult &result) {
                    if (!result.ok()) {
                        printErr(tr("The password of %1 could not be stored in the "
                                    "keychain: %2")
                                         .arg(next.origin, result.message));
                        printErr(tr("Nothing was imported."));
                        for (const Profile &done : std::as_const(*stored)) {
                            if (done.hasStoredPassword())
                                m_secrets->deletePassword(done.id, this,
                                                          [](const SecretResult &) {});
                        }
                        return finish(ExitKeychainUnavailable);
                    }
                    Profile profile = next.profile;
                    profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
                    stored->append(profile);
                    (*self)();
                });
    };
    (*step)();
}

void CommandLine::runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption formatOption(u"format"_s, tr("The format."), u"FORMAT"_s);
    const QCommandLineOption passwordOption(u"with-password"_s,
                                            tr("Include the password from the keychain."));
    parser.addOptions({formatOption, passwordOption});
    QString error;
    if (!parseSubcommand(parser, u"export"_s, arguments, &error))
        return usageError(error);
    if (parser.positionalArguments().size() != 1)
        return usageError(tr("export needs exactly one profile NAME"));
    const auto format = ProfileExchange::formatFromId(parser.value(formatOption));
    if (!format)
        return usageError(
                tr("export needs --format %1").arg(ProfileExchange::formatIds().join(u'|')));
    ProfileStore store;
    reportLoad(store.load());
    const auto profile = store.findByName(parser.positionalArguments().first());
    if (!profile) {
        printErr(tr("no profile named \"%1\"").arg(parser.positionalArguments().first()));
        return finish(ExitUsage);
    }
    if (!parser.isSet(passwordOption)) {
        printOut(ProfileExchange::write(*profile, *format));
        return finish(ExitHealthy);
    }
    const Profile chosen = *profile;
    const ProfileExchange::Format chosenFormat = *format;
    m_secrets->readPassword(
            chosen.id, this, [this, chosen, chosenFormat](const SecretResult &result) {
                if (!result.ok()) {
                    printErr(tr("The password could not be read from the keychain: %1")
                                     .arg(result.message));
                    return finish(result.keychainUnavailable() ? ExitKeychainUnavailable
                                                               : ExitUsage);
                }
                printErr(tr("warning: the output contains the password of %1; keep it out of "
                            "version "
                            "control.")
                                 .arg(chosen.name));
                printOut(ProfileExchange::write(chosen, chosenFormat, result.password));
                finish(ExitHealthy);
            });
}
