#include "TestEnvironment.h"
#include "security/SecurityAudit.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The security audit against the configuration document's Security Best Practices.
class TestSecurityAudit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productionWithoutVerifiedTlsFails();
    void passwordsAreMeasured_data();
    void passwordsAreMeasured();
    void oldPasswordsAreFlagged();
    void poolerAndReportingRole();
    void envFileThatGitWouldCommitFails();

private:
    static std::optional<AuditItem> find(const QList<AuditItem> &items, const QString &id);
};

std::optional<AuditItem> TestSecurityAudit::find(const QList<AuditItem> &items, const QString &id)
{
    for (const AuditItem &item : items) {
        if (item.id == id)
            return item;
    }
    return std::nullopt;
}

void TestSecurityAudit::productionWithoutVerifiedTlsFails()
{
    SecurityAudit::Input input;
    input.profile = Profile::fromUrl(
            u"prod"_s, Environment::Production,
            *ConnectionUrl::parse(
                    u"postgresql://orderflow@prod-db.internal/orderflow?sslmode=require"_s));
    QCOMPARE(find(SecurityAudit::audit(input), u"tls"_s)->level, AuditItem::Level::Fail);
    QVERIFY(find(SecurityAudit::audit(input), u"tls"_s)->fix.contains(u"verify-full"_s));
    input.profile.params.insert(u"sslmode"_s, u"verify-ca"_s);
    QCOMPARE(find(SecurityAudit::audit(input), u"tls"_s)->level, AuditItem::Level::Warn);
    input.profile.params.insert(u"sslmode"_s, u"verify-full"_s);
    QCOMPARE(find(SecurityAudit::audit(input), u"tls"_s)->level, AuditItem::Level::Pass);
    input.profile.environment = Environment::Staging;
    input.profile.params.remove(u"sslmode"_s);
    QCOMPARE(find(SecurityAudit::audit(input), u"tls"_s)->level, AuditItem::Level::Warn);
    input.profile.environment = Environment::Development;
    QCOMPARE(find(SecurityAudit::audit(input), u"tls"_s)->level, AuditItem::Level::Info);
}

void TestSecurityAudit::passwordsAreMeasured_data()
{
    QTest::addColumn<int>("environment");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("strength");
    QTest::addColumn<bool>("defaultFlagged");
    QTest::newRow("strong") << int(Environment::Production) << u"Vq7#mL2!xR9$kT4@wZ"_s << u"pass"_s
                            << false;
    QTest::newRow("short in production")
            << int(Environment::Production) << u"Ab1!"_s << u"fail"_s << false;
    QTest::newRow("long but one class")
            << int(Environment::Staging) << u"aaaaaaaaaaaaaaaaaaaa"_s << u"warn"_s << false;
    QTest::newRow("seed staging password")
            << int(Environment::Staging) << u"staging_password"_s << u"warn"_s << true;
    QTest::newRow("dev default in development")
            << int(Environment::Development) << u"dev_password"_s << u"warn"_s << false;
    QTest::newRow("dev default in production")
            << int(Environment::Production) << u"dev_password"_s << u"fail"_s << true;
}

void TestSecurityAudit::passwordsAreMeasured()
{
    QFETCH(int, environment);
    QFETCH(QString, password);
    QFETCH(QString, strength);
    QFETCH(bool, defaultFlagged);
    SecurityAudit::Input input;
    input.profile = Profile::create(u"p"_s, Environment(environment));
    input.profile.passwordChangedAt = input.now.addDays(-3);
    input.password = password;
    const auto items = SecurityAudit::audit(input);
    QCOMPARE(AuditItem::levelId(find(items, u"password-strength"_s)->level), strength);
    QCOMPARE(find(items, u"default-password"_s).has_value(), defaultFlagged);
    for (const AuditItem &item : items)
        QVERIFY2(!QString(item.title + item.why + item.fix).contains(password),
                 qPrintable(item.id));
}

void TestSecurityAudit::oldPasswordsAreFlagged()
{
    SecurityAudit::Input input;
    input.profile = Profile::create(u"p"_s, Environment::Production);
    input.profile.passwordChangedAt = input.now.addDays(-120);
    const auto old = find(SecurityAudit::audit(input), u"password-age"_s);
    QCOMPARE(old->level, AuditItem::Level::Fail);
    QVERIFY(old->title.contains(u"120"_s));
    input.profile.passwordChangedAt = input.now.addDays(-10);
    QCOMPARE(find(SecurityAudit::audit(input), u"password-age"_s)->level, AuditItem::Level::Pass);
    input.profile.passwordSource = PasswordSource::Command;
    QCOMPARE(find(SecurityAudit::audit(input), u"password"_s)->level, AuditItem::Level::Pass);
}

void TestSecurityAudit::poolerAndReportingRole()
{
    SecurityAudit::Input input;
    input.profile = Profile::fromUrl(
            u"Reporting"_s, Environment::Production,
            *ConnectionUrl::parse(u"postgresql://orderflow@pgbouncer:6432/orderflow"_s));
    auto items = SecurityAudit::audit(input);
    QCOMPARE(find(items, u"pooler"_s)->level, AuditItem::Level::Pass);
    QCOMPARE(find(items, u"read-only"_s)->level, AuditItem::Level::Warn);
    input.profile.params.insert(u"user"_s, u"reporter"_s);
    input.profile.params.insert(u"port"_s, u"5432"_s);
    input.profile.pool.workers = 10;
    items = SecurityAudit::audit(input);
    QCOMPARE(find(items, u"read-only"_s)->level, AuditItem::Level::Pass);
    QCOMPARE(find(items, u"pooler"_s)->level, AuditItem::Level::Warn); // 150 direct connections
    QCOMPARE(SecurityAudit::worst(items), AuditItem::Level::Fail);
}

void TestSecurityAudit::envFileThatGitWouldCommitFails()
{
    QTemporaryDir repo;
    ORDERFLOW_REQUIRE(TestEnvironment::initGitRepository(repo.path()), "git is not installed");
    const QString env = QDir(repo.path()).filePath(u".env"_s);
    QFile file(env);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("DB_PASSWORD=x\n");
    file.close();
    QCOMPARE(SecurityAudit::committableByGit(env), std::optional<bool>(true));
    QFile ignore(QDir(repo.path()).filePath(u".gitignore"_s));
    QVERIFY(ignore.open(QIODevice::WriteOnly));
    ignore.write(".env\n");
    ignore.close();
    QCOMPARE(SecurityAudit::committableByGit(env), std::optional<bool>(false));
    QTemporaryDir outside;
    QCOMPARE(SecurityAudit::committableByGit(QDir(outside.path()).filePath(u".env"_s)),
             std::nullopt);

    SecurityAudit::Input input;
    input.profile = Profile::create(u"p"_s, Environment::Development);
    input.envFile = env;
    input.envFileCommittable = true;
    QCOMPARE(find(SecurityAudit::audit(input), u"env-file"_s)->level, AuditItem::Level::Fail);
}

QTEST_GUILESS_MAIN(TestSecurityAudit)
#include "tst_securityaudit.moc"
