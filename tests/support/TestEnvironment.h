#pragma once

#include <QProcessEnvironment>
#include <QString>

/// What the test scripts (tests/scripts/run-tests.sh) started for this run, read from the
/// environment. Without ORDERFLOW_TEST_STRICT a missing service skips the test; with it (as in
/// CI) a missing service is a failure, so CI can never pass by skipping.
namespace TestEnvironment {

struct PostgresServer
{
    QString host;
    int port = 0;
    QString superuser;
    QString superuserPassword;
    /// For a cluster started with --ssl: its CA, and an unrelated CA.
    QString caFile;
    QString otherCaFile;
    QString socketDirectory;
    /// key=value conninfo of the superuser on the maintenance database.
    QString superuserConninfo() const;
    /// Runs SQL as the superuser in a database; the first value of the first row, if any.
    QString superuserQuery(const QString &sql,
                           const QString &database = QStringLiteral("postgres")) const;
    /// Whether role logs in with password on the maintenance database (without TLS).
    bool canLogIn(const QString &role, const QString &password) const;
};

bool strict();
/// A throwaway PostgreSQL cluster from tests/scripts/run-tests.sh, or nullopt when none was
/// started: ORDERFLOW_TEST_PG (plain), ORDERFLOW_TEST_SSLPG (TLS, hostssl only) or
/// ORDERFLOW_TEST_TINYPG (max_connections 6).
std::optional<PostgresServer> postgres(const QString &prefix = QStringLiteral("ORDERFLOW_TEST_PG"));
/// True inside tests/scripts/with-keyring.sh: a private D-Bus session with an unlocked
/// gnome-keyring.
bool keyringAvailable();
/// True inside `tests/scripts/with-keyring.sh --exclusive`: the keyring serves this process
/// alone, which may lock it and unlock it again with ORDERFLOW_KEYRING_PASSWORD.
bool exclusiveKeyring();
/// True when a program is on the PATH.
bool programAvailable(const QString &name);
/// True when python3 can import the module.
bool pythonModuleAvailable(const QString &module);
/// `git init` in a folder; false when git is missing or fails.
bool initGitRepository(const QString &directory);
/// What the keyring holds for this program under key (SecretStore::keyFor), as secret-tool
/// reads it: empty when nothing.
QString keychainLookup(const QString &key);
/// The orderflow-dbadmin executable under test.
QString executable();
/// A process environment for the executable with its own config folder, in English (LANG=C.UTF-8).
QProcessEnvironment processEnvironment(const QString &configDirectory);

/// What a run of a program came to.
struct ProcessResult
{
    /// -1: it did not start or did not finish in time (then killed); -2: it crashed.
    int exitCode = -1;
    QString out;
    QString err;
};
/// Runs program (the executable under test when empty) with arguments and environment, input
/// on its standard input, as a script would; waits up to timeoutMs.
ProcessResult run(const QStringList &arguments, const QProcessEnvironment &environment,
                  const QByteArray &input = {}, const QString &program = {}, int timeoutMs = 60000);

} // namespace TestEnvironment

/// Unless available: a failure with ORDERFLOW_TEST_STRICT (as in CI, where the services and
/// tools are there), a skip without, which ctest reports as skipped.
#define ORDERFLOW_REQUIRE(available, reason) \
    do { \
        if (!(available)) { \
            if (TestEnvironment::strict()) \
                QFAIL(reason); \
            QSKIP(reason); \
        } \
    } while (false)

#define ORDERFLOW_REQUIRE_KEYRING() \
    ORDERFLOW_REQUIRE(TestEnvironment::keyringAvailable(), \
                      "no unlocked keyring: run through tests/scripts/with-keyring.sh")

#define ORDERFLOW_REQUIRE_EXCLUSIVE_KEYRING() \
    ORDERFLOW_REQUIRE(TestEnvironment::exclusiveKeyring(), \
                      "no keyring of its own: run through tests/scripts/with-keyring.sh " \
                      "--exclusive (ctest does)")

#define ORDERFLOW_REQUIRE_POSTGRES(server) \
    ORDERFLOW_REQUIRE_POSTGRES_AT(server, "ORDERFLOW_TEST_PG")

#define ORDERFLOW_REQUIRE_POSTGRES_AT(server, prefix) \
    const auto server = TestEnvironment::postgres(QStringLiteral(prefix)); \
    ORDERFLOW_REQUIRE(server, \
                      "no test PostgreSQL (" prefix "): run through tests/scripts/run-tests.sh")
