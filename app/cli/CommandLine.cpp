#include "CommandLine.h"

#include "Logging.h"
#include "cli/ExitCode.h"
#include "connection/AttemptReport.h"
#include "connection/ConnectionAttempt.h"
#include "connection/ConnectionUrl.h"
#include "connection/ExtensionRequirements.h"
#include "connection/RequiredChecks.h"
#include "interop/PgPassFile.h"
#include "interop/ProfileExchange.h"
#include "pool/ActivitySampler.h"
#include "profiles/ProfileRepository.h"
#include "profiles/ProfileStore.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"
#include "usecases/ProfileActions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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

// Names and URLs may come from files others wrote: a terminal must not act on their control
// characters (escape sequences that rewrite the screen or the title).
QString terminalSafe(QString text)
{
    // Format characters too: a right-to-left override can make a name read as another.
    for (QChar &c : text) {
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            c = QChar::ReplacementCharacter;
    }
    return text;
}

// The name as a POSIX shell word, for a command line the user can paste.
QString shellQuoted(const QString &text)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_.,:/@%+=-]+$"_s);
    if (plain.match(text).hasMatch())
        return text;
    return u'\'' + terminalSafe(text).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

const QCommandLineOption &renameOption()
{
    static const QCommandLineOption option(
            u"rename"_s,
            QCoreApplication::translate("CommandLine",
                                        "When a name is taken, save as \"NAME 2\"."));
    return option;
}

const QCommandLineOption &replaceOption()
{
    static const QCommandLineOption option(
            u"replace"_s,
            QCoreApplication::translate("CommandLine",
                                        "When a name is taken, replace that profile."));
    return option;
}

void addClashOptions(QCommandLineParser &parser)
{
    parser.addOptions({renameOption(), replaceOption()});
}

// Refuse unless told otherwise; nullopt when both were given.
std::optional<NameClash> clashPolicy(const QCommandLineParser &parser)
{
    if (parser.isSet(renameOption()) && parser.isSet(replaceOption()))
        return std::nullopt;
    if (parser.isSet(renameOption()))
        return NameClash::Rename;
    return parser.isSet(replaceOption()) ? NameClash::Replace : NameClash::Refuse;
}

std::optional<ConnectionUrl> parseUrlOrReport(const QString &text)
{
    QString error;
    const auto url = ConnectionUrl::parse(text, &error);
    if (!url) {
        printErr(tr("invalid connection string: %1").arg(error));
        return std::nullopt;
    }
    if (const QStringList problems = url->validate(); !problems.isEmpty()) {
        printErr(tr("invalid connection string: %1")
                         .arg(ConnectionUrl::scrub(problems.join(u"; "_s), url->password())));
        return std::nullopt;
    }
    return url;
}

void printWarnings(const ProfileActionResult &result)
{
    for (const QString &warning : result.warnings)
        printErr(tr("warning: %1").arg(terminalSafe(warning)));
}

int exitCodeFor(const ProfileActionResult &result)
{
    switch (result.status) {
    case ProfileActionResult::Status::Ok:
        return ExitHealthy;
    case ProfileActionResult::Status::KeychainUnavailable:
        return ExitKeychainUnavailable;
    case ProfileActionResult::Status::Invalid:
    case ProfileActionResult::Status::NameTaken:
    case ProfileActionResult::Status::ConfirmationNeeded:
    case ProfileActionResult::Status::Conflict:
    case ProfileActionResult::Status::NotFound:
    case ProfileActionResult::Status::FileError:
        break;
    }
    return ExitUsage;
}

} // namespace

CommandLine::CommandLine(const QStringList &arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(arguments)
    , m_secrets(new SecretStore(this))
    , m_repository(new ProfileRepository(ProfileStore::defaultDirectory(), this))
    , m_actions(new ProfileActions(m_repository, m_secrets, this))
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
            "  orderflow-dbadmin monitor (--profile NAME | --url URL) [--interval MS] "
            "[--samples N] [--json]\n"
            "  orderflow-dbadmin profiles list [--json]\n"
            "  orderflow-dbadmin profiles add NAME --url URL [--environment ENV] "
            "[--password-stdin]\n"
            "                    [--rename | --replace]\n"
            "  orderflow-dbadmin profiles remove NAME [--confirm NAME]   (production needs "
            "--confirm)\n"
            "  orderflow-dbadmin import (--env FILE | --pg-service FILE | --pgpass FILE) "
            "[--rename | --replace]\n"
            "  orderflow-dbadmin export NAME --format env|pg-service|compose|sqlalchemy|psql "
            "[--with-password]\n"
            "\n"
            "URL is a postgresql:// or postgres:// URL, a SQLAlchemy postgresql+driver:// URL, "
            "or libpq key=value pairs.\n"
            "ENV is development, staging, production, test or other.\n"
            "Passwords are kept in the system keychain (service orderflow-dbadmin), never in "
            "the profiles file;\n"
            "--password-stdin reads the password from standard input instead of the URL.\n"
            "A name already saved is refused unless --rename or --replace says what to do.\n"
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

void CommandLine::withProfiles(const std::function<void()> &next)
{
    connect(
            m_repository, &ProfileRepository::loaded, this,
            [next](const ProfileStore::LoadResult &result) {
                reportLoad(result);
                next();
            },
            Qt::SingleShotConnection);
    m_repository->load();
}

void CommandLine::withProfile(const QString &name, const std::function<void(const Profile &)> &next)
{
    withProfiles([this, name, next]() {
        const auto profile = m_repository->findByName(name);
        if (!profile) {
            printErr(tr("orderflow-dbadmin: no profile named \"%1\"").arg(terminalSafe(name)));
            return finish(ExitUsage);
        }
        next(*profile);
    });
}

void CommandLine::failWith(const ProfileActionResult &result)
{
    for (const QString &error : result.errors)
        printErr(u"orderflow-dbadmin: "_s + terminalSafe(error));
    if (result.status == ProfileActionResult::Status::NameTaken)
        printErr(tr("Add --rename to save under a free name (\"NAME 2\"), or --replace to "
                    "replace the saved profile."));
    finish(exitCodeFor(result));
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

    const bool json = parser.isSet(jsonOption);
    withProfiles([this, json]() {
        const QList<Profile> &profiles = m_repository->profiles();
        if (json) {
            QJsonArray array;
            for (const Profile &profile : profiles) {
                array.append(QJsonObject{
                        {u"id"_s, profile.id},
                        {u"name"_s, profile.name},
                        {u"environment"_s, Environments::id(profile.environment)},
                        {u"url"_s, profile.redactedUrl()},
                        {u"password_stored"_s, profile.hasStoredPassword()},
                });
            }
            printJson(array);
        } else if (profiles.isEmpty()) {
            printErr(tr("No profiles yet. Add one with: orderflow-dbadmin profiles add NAME --url "
                        "URL"));
        } else {
            QString out;
            for (const Profile &profile : profiles)
                // One .arg() call: a "%2" inside a name must stay text.
                out += u"%1 %2 %3\n"_s.arg(terminalSafe(profile.name).leftJustified(20),
                                           Environments::id(profile.environment).leftJustified(12),
                                           terminalSafe(profile.redactedUrl()));
            printOut(out);
        }
        finish(ExitHealthy);
    });
}

void CommandLine::profilesAdd(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption urlOption(u"url"_s, tr("The connection string."), u"URL"_s);
    const QCommandLineOption environmentOption(u"environment"_s, tr("The environment."), u"ENV"_s);
    const QCommandLineOption stdinOption(u"password-stdin"_s,
                                         tr("Read the password from standard input."));
    parser.addOptions({urlOption, environmentOption, stdinOption});
    addClashOptions(parser);
    QString error;
    if (!parseSubcommand(parser, u"profiles add"_s, arguments, &error))
        return usageError(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(tr("profiles add needs exactly one NAME"));
    if (!parser.isSet(urlOption))
        return usageError(tr("profiles add needs --url URL"));
    const auto clash = clashPolicy(parser);
    if (!clash)
        return usageError(tr("--rename and --replace exclude each other"));
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

    const auto url = parseUrlOrReport(parser.value(urlOption));
    if (!url)
        return finish(ExitUsage);

    NewProfile entry;
    entry.profile = Profile::fromUrl(name, environment, *url);
    if (parser.isSet(stdinOption)) {
        entry.password = readPasswordFromStdin();
        if (entry.password->isEmpty()) {
            printErr(tr("--password-stdin was given but standard input held no password"));
            return finish(ExitUsage);
        }
    } else if (url->hasPassword()) {
        entry.password = url->password();
        printErr(tr("note: the password was given on the command line, where shell history and "
                    "process lists can see it; --password-stdin avoids that."));
    }

    withProfiles([this, entry, clash]() {
        m_actions->add({entry}, *clash, this, [this](const ProfileActionResult &result) {
            printWarnings(result);
            if (!result.ok())
                return failWith(result);
            const Profile &saved = result.profiles.constFirst();
            printOut(tr("Saved profile \"%1\" (%2): %3")
                             .arg(terminalSafe(saved.name), Environments::id(saved.environment),
                                  terminalSafe(saved.redactedUrl())));
            if (saved.hasStoredPassword())
                printOut(tr("The password is in the system keychain as %1 / %2.")
                                 .arg(SecretStore::serviceName(), SecretStore::keyFor(saved.id)));
            finish(ExitHealthy);
        });
    });
}

void CommandLine::profilesRemove(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption confirmOption(
            u"confirm"_s, tr("The profile's name again; a production profile needs it."),
            u"NAME"_s);
    parser.addOption(confirmOption);
    QString error;
    if (!parseSubcommand(parser, u"profiles remove"_s, arguments, &error))
        return usageError(error);
    if (parser.positionalArguments().size() != 1)
        return usageError(tr("profiles remove needs exactly one NAME"));
    const QString name = parser.positionalArguments().first();
    const QString confirmation = parser.value(confirmOption);

    withProfiles([this, name, confirmation]() {
        const auto profile = m_repository->findByName(name);
        if (!profile) {
            printErr(tr("orderflow-dbadmin: no profile named \"%1\"").arg(terminalSafe(name)));
            return finish(ExitUsage);
        }
        m_actions->remove(
                profile->id, confirmation, this,
                [this, profile](const ProfileActionResult &result) {
                    if (result.status == ProfileActionResult::Status::ConfirmationNeeded) {
                        printErr(tr("orderflow-dbadmin: \"%1\" is a production profile; "
                                    "nothing was removed. To remove it, add --confirm %2")
                                         .arg(terminalSafe(profile->name),
                                              shellQuoted(profile->name)));
                        return finish(ExitUsage);
                    }
                    if (!result.ok())
                        return failWith(result);
                    printOut(tr("Removed profile \"%1\".").arg(terminalSafe(profile->name)));
                    finish(ExitHealthy);
                });
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

    withProfile(parser.value(profileOption),
                [this, profile, attempt, timeout, report](const Profile &chosen) {
                    *profile = chosen;
                    auto *resolver = new PasswordResolver(m_secrets, this);
                    resolver->resolve(chosen, this,
                                      [attempt, resolver, chosen, timeout,
                                       report](const PasswordOutcome &outcome) {
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
                                          request.policy = SessionPolicy::forProfile(chosen);
                                          request.timeoutSeconds = timeout;
                                          attempt->start(request);
                                      });
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

    withProfile(parser.value(profileOption), [this, pool, sampler](const Profile &chosen) {
        *pool = chosen.pool;
        auto *resolver = new PasswordResolver(m_secrets, this);
        resolver->resolve(
                chosen, this, [this, resolver, sampler, chosen](const PasswordOutcome &outcome) {
                    resolver->deleteLater();
                    if (!outcome.ok) {
                        printErr(outcome.failure.headline() + u' ' + outcome.failure.message);
                        return finish(outcome.failure.category
                                                      == DiagnosisCategory::KeychainUnavailable
                                              ? ExitKeychainUnavailable
                                              : ExitConnectionFailed);
                    }
                    sampler->setTarget(chosen.connectionUrl(), outcome.password,
                                       SessionPolicy::forProfile(chosen));
                    if (const auto admin = chosen.pgbouncerAdminUrl())
                        sampler->setPgBouncer(admin, outcome.password);
                    sampler->start();
                });
    });
}

void CommandLine::runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption envOption(u"env"_s, tr("A .env file."), u"FILE"_s);
    const QCommandLineOption serviceOption(u"pg-service"_s, tr("A pg_service.conf file."),
                                           u"FILE"_s);
    const QCommandLineOption pgpassOption(u"pgpass"_s, tr("A .pgpass file."), u"FILE"_s);
    parser.addOptions({envOption, serviceOption, pgpassOption});
    addClashOptions(parser);
    QString error;
    if (!parseSubcommand(parser, u"import"_s, arguments, &error))
        return usageError(error);
    const int sources = int(parser.isSet(envOption)) + int(parser.isSet(serviceOption))
            + int(parser.isSet(pgpassOption));
    if (sources != 1 || !parser.positionalArguments().isEmpty())
        return usageError(tr("import needs one of --env FILE, --pg-service FILE or --pgpass FILE"));
    const auto clash = clashPolicy(parser);
    if (!clash)
        return usageError(tr("--rename and --replace exclude each other"));

    if (parser.isSet(pgpassOption)) {
        const QString path = parser.value(pgpassOption);
        const PgPassFile::ParseResult file = PgPassFile::read(path);
        if (!file.ok) {
            printErr(tr("%1: %2 (nothing was imported)").arg(path, terminalSafe(file.error)));
            return finish(ExitUsage);
        }
        return withProfiles([this, path, file]() {
            m_actions->takePasswords(
                    [file](const Profile &profile) { return file.passwordFor(profile); }, this,
                    [this, path](const ProfileActionResult &result) {
                        for (const Profile &profile : result.profiles)
                            printOut(tr("\"%1\" took its password from %2 into the keychain.")
                                             .arg(terminalSafe(profile.name), path));
                        if (!result.ok())
                            return failWith(result);
                        if (result.profiles.isEmpty()) {
                            printErr(tr("%1: no entry matches a saved profile's host, port, "
                                        "database and user; nothing was imported")
                                             .arg(path));
                            return finish(ExitUsage);
                        }
                        finish(ExitHealthy);
                    });
        });
    }

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
        printErr(tr("%1: %2 (nothing was imported)").arg(path, terminalSafe(imported.error)));
        return finish(ExitUsage);
    }
    withProfiles([this, path, imported, clash]() {
        m_actions->add(imported.profiles, *clash, this,
                       [this, path](const ProfileActionResult &result) {
                           printWarnings(result);
                           if (!result.ok()) {
                               printErr(tr("%1: nothing was imported.").arg(path));
                               return failWith(result);
                           }
                           for (const Profile &profile : result.profiles)
                               printOut(tr("Imported \"%1\" (%2): %3%4")
                                                .arg(terminalSafe(profile.name),
                                                     Environments::id(profile.environment),
                                                     terminalSafe(profile.redactedUrl()),
                                                     profile.hasStoredPassword()
                                                             ? tr(", password in the keychain")
                                                             : QString()));
                           finish(ExitHealthy);
                       });
    });
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
    const bool withPassword = parser.isSet(passwordOption);
    const ProfileExchange::Format chosenFormat = *format;
    withProfile(
            parser.positionalArguments().first(),
            [this, withPassword, chosenFormat](const Profile &chosen) {
                if (!withPassword) {
                    printOut(ProfileExchange::write(chosen, chosenFormat));
                    return finish(ExitHealthy);
                }
                m_secrets->readPassword(
                        chosen.id, this, [this, chosen, chosenFormat](const SecretResult &result) {
                            if (!result.ok()) {
                                printErr(tr("The password could not be read from the keychain: %1")
                                                 .arg(result.message));
                                return finish(result.keychainUnavailable() ? ExitKeychainUnavailable
                                                                           : ExitUsage);
                            }
                            printErr(tr("warning: the output contains the password of %1; keep it "
                                        "out of "
                                        "version "
                                        "control.")
                                             .arg(terminalSafe(chosen.name)));
                            printOut(ProfileExchange::write(chosen, chosenFormat, result.password));
                            finish(ExitHealthy);
                        });
            });
}
