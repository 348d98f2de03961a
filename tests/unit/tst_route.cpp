// A profile's route: the SSH hosts and tunnel commands people type, read the way ssh and a
// shell read them, refused with a reason when ssh would read them as something else, kept
// without secrets in the profile file and shown without secrets; libpq pointed at a tunnel, and
// PgBouncer's admin console reached over the profile's route.
#include "pool/PgBouncerRoute.h"
#include "profiles/Profile.h"
#include "profiles/Route.h"
#include "tunnel/TunnelRegistry.h"
#include "tunnel/TunnelSpec.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class RouteTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sshHostsAreReadAsProxyJumpWritesThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("alias") << u"bastion-eu"_s << QString() << u"bastion-eu"_s << 0;
        QTest::newRow("user and port") << u"deploy@bastion.example.com:2222"_s << u"deploy"_s
                                       << u"bastion.example.com"_s << 2222;
        QTest::newRow("an @ in the user")
                << u"me@corp@bastion"_s << u"me@corp"_s << u"bastion"_s << 0;
        QTest::newRow("IPv6 with port") << u"ops@[::1]:22"_s << u"ops"_s << u"::1"_s << 22;
        QTest::newRow("bare IPv6") << u"fe80::1"_s << QString() << u"fe80::1"_s << 0;
    }
    void sshHostsAreReadAsProxyJumpWritesThem()
    {
        QFETCH(QString, text);
        QString error;
        const auto parsed = SshHost::parse(text, &error);
        QVERIFY2(parsed, qPrintable(error));
        QFETCH(QString, user);
        QFETCH(QString, host);
        QFETCH(int, port);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        // And written back so that it reads the same.
        QCOMPARE(SshHost::parse(parsed->toString(), nullptr), parsed);
    }

    void whatSshWouldReadAsSomethingElseIsRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("option with a space")
                << u"-oProxyCommand=touch /tmp/x"_s << u"character 21"_s;
        QTest::newRow("option without spaces") << u"-oProxyCommand=id"_s << u"starts with '-'"_s;
        QTest::newRow("host that is an option") << u"me@-F/tmp/evil"_s << u"starts with '-'"_s;
        QTest::newRow("line break") << u"bastion\nProxyCommand id"_s << u"character 8"_s;
        QTest::newRow("port") << u"bastion:ssh"_s << u"\"ssh\" is not a number"_s;
        QTest::newRow("port too big") << u"bastion:70000"_s << u"from 1 to 65535"_s;
        QTest::newRow("empty user") << u"@bastion"_s << u"user before '@' is empty"_s;
        QTest::newRow("empty") << QString() << u"empty"_s;
        // ssh hands the host to a ProxyCommand's shell.
        QTest::newRow("shell syntax") << u"a$(touch${IFS}/tmp/x)"_s << u"only letters"_s;
        QTest::newRow("quote") << u"bastion'"_s << u"only letters"_s;
    }
    void whatSshWouldReadAsSomethingElseIsRefused()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!SshHost::parse(text, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void aJumpListIsCheckedHostByHost()
    {
        QString error;
        const auto route
                = Route::ssh(u"db-admin@10.0.0.5"_s, u"jump-1, ops@jump-2:2200"_s, {}, &error);
        QVERIFY2(route, qPrintable(error));
        QCOMPARE(route->jumps.size(), 2);
        QCOMPARE(route->jumpsText(), u"jump-1,ops@jump-2:2200"_s);
        QCOMPARE(route->via(), u"via jump-1, then 10.0.0.5"_s);
        QVERIFY(!Route::ssh(u"db"_s, u"jump-1,,jump-2"_s, {}, &error));
        QVERIFY2(error.contains(u"empty"_s), qPrintable(error));
        QVERIFY(!Route::ssh(u"db"_s, u"jump-1,-oProxyCommand=id"_s, {}, &error));
    }

    void aTunnelCommandNeedsItsPort()
    {
        QString error;
        QVERIFY(!Route::tunnelCommand(u"kubectl port-forward svc/postgres 5432:5432"_s, &error));
        QVERIFY2(error.contains(u"{port}"_s), qPrintable(error));
        QVERIFY(!Route::tunnelCommand(u"  "_s, &error));
        // The program itself is not where the port goes.
        QVERIFY(!Route::tunnelCommand(u"{port}"_s, &error));
        const auto route = Route::tunnelCommand(
                u"kubectl --context \"prod eu\" port-forward svc/postgres {port}:5432"_s, &error);
        QVERIFY2(route, qPrintable(error));
        QCOMPARE(route->command,
                 QStringList({u"kubectl"_s, u"--context"_s, u"prod eu"_s, u"port-forward"_s,
                              u"svc/postgres"_s, u"{port}:5432"_s}));
        QCOMPARE(route->via(), u"via kubectl"_s);
        // The line the form shows reads back as the same arguments, quotes and all.
        Route quoted = *route;
        quoted.command << u"say \"hi\""_s;
        QCOMPARE(Route::tunnelCommand(quoted.commandLine(), nullptr)->command, quoted.command);
    }

    void secretsInATunnelCommandAreNotShown()
    {
        const auto route = Route::tunnelCommand(
                u"/opt/proxy --token s3cr3t --port {port} --user me DB_PASSWORD=hunter2 "
                "--auth=Bearer-xyz"_s,
                nullptr);
        QVERIFY(route);
        const QString shown = route->redacted();
        QVERIFY2(!shown.contains(u"s3cr3t"_s) && !shown.contains(u"hunter2"_s)
                         && !shown.contains(u"Bearer-xyz"_s),
                 qPrintable(shown));
        QCOMPARE(shown,
                 u"/opt/proxy --token *** --port {port} --user me DB_PASSWORD=*** --auth=***"_s);
        // A URL's password, a header's value, a bearer flag.
        const auto more = Route::tunnelCommand(
                u"proxy --dsn postgresql://u:SECRET1@h/db -H \"Authorization: Bearer SECRET2\" "
                "--bearer SECRET3 {port}"_s,
                nullptr);
        const QString moreShown = more->redacted();
        for (const QString &secret : {u"SECRET1"_s, u"SECRET2"_s, u"SECRET3"_s})
            QVERIFY2(!moreShown.contains(secret), qPrintable(moreShown));
        QCOMPARE(route->via(), u"via proxy"_s);
    }

    void theRouteLivesInTheProfileFile()
    {
        Profile profile = Profile::create(u"Staging"_s, Environment::Staging);
        profile.route = *Route::ssh(u"deploy@bastion-eu:2222"_s, u"jump-1"_s,
                                    u"~/.ssh/id_ed25519"_s, nullptr);
        const QJsonObject json = profile.toJson();
        QCOMPARE(json.value(u"route"_s).toObject().value(u"destination"_s).toString(),
                 u"deploy@bastion-eu:2222"_s);
        QString error;
        const auto back = Profile::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->route, profile.route);
        QVERIFY(!back->connectsLike(Profile::create(u"Staging"_s, Environment::Staging)));

        // A direct route writes nothing.
        profile.route = Route();
        QVERIFY(!profile.toJson().contains(u"route"_s));

        // A route damaged in the file is named, not silently made direct.
        QJsonObject damaged = json;
        damaged.insert(u"route"_s,
                       QJsonObject{{u"kind"_s, u"ssh"_s}, {u"destination"_s, u"-oX=y"_s}});
        QVERIFY(!Profile::fromJson(damaged, &error));
        QVERIFY2(error.contains(u"route"_s), qPrintable(error));
        damaged.insert(u"route"_s, QJsonObject{{u"kind"_s, u"teleport"_s}});
        QVERIFY(!Profile::fromJson(damaged, &error));
        QVERIFY2(error.contains(u"teleport"_s), qPrintable(error));
    }

    void aRouteEditedInTwoPlacesIsAConflict()
    {
        Profile base = Profile::create(u"Prod"_s, Environment::Production);
        Profile mine = base;
        mine.route = *Route::ssh(u"bastion-a"_s, {}, {}, nullptr);
        Profile theirs = base;
        theirs.route = *Route::ssh(u"bastion-b"_s, {}, {}, nullptr);
        const auto merge = Profile::mergeEditorFields(base, mine, theirs);
        QCOMPARE(merge.conflicts, QStringList{u"route"_s});
        QCOMPARE(merge.merged.route, mine.route);
        // Changed on one side only: that side's.
        QCOMPARE(Profile::mergeEditorFields(base, base, theirs).merged.route, theirs.route);
    }

    void libpqDialsTheTunnelAndKeepsTheHostForVerifyFull()
    {
        const Route route = *Route::ssh(u"bastion-eu"_s, {}, {}, nullptr);
        const auto url = ConnectionUrl::parse(
                u"postgresql://app@db-a.internal:5432,db-b.internal:5433/orders"
                "?sslmode=verify-full"_s);
        QVERIFY(url);
        const TunnelSpec spec = TunnelSpec::forUrl(route, *url);
        QCOMPARE(spec.forwardTarget(), u"db-a.internal:5432"_s);
        const ConnectionUrl dialled = spec.throughTunnel(*url, 40123);
        QCOMPARE(dialled.value(u"host"_s), u"db-a.internal"_s);
        QCOMPARE(dialled.value(u"hostaddr"_s), u"127.0.0.1"_s);
        QCOMPARE(dialled.value(u"port"_s), u"40123"_s);
        QCOMPARE(dialled.value(u"sslmode"_s), u"verify-full"_s);

        // A socket directory as the last hop sees it: libpq dials the port over TCP.
        ConnectionUrl socket;
        socket.setValue(u"host"_s, u"/var/run/postgresql"_s);
        socket.setValue(u"port"_s, u"5432"_s);
        const TunnelSpec socketSpec = TunnelSpec::forUrl(route, socket);
        QVERIFY(socketSpec.forwardsToSocket());
        const ConnectionUrl socketDialled = socketSpec.throughTunnel(socket, 40124);
        QCOMPARE(socketDialled.value(u"host"_s), u"127.0.0.1"_s);
        QVERIFY(!socketDialled.has(u"hostaddr"_s));
        QCOMPARE(socketDialled.value(u"port"_s), u"40124"_s);
    }

    void pgbouncerIsReachedOverTheProfilesRoute()
    {
        Profile profile = Profile::fromUrl(
                u"Staging"_s, Environment::Staging,
                *ConnectionUrl::parse(u"postgresql://app@db.internal:5432/orders"_s));
        QVERIFY(!PgBouncerRoute::forProfile(profile).isSet());
        profile.pgbouncer.enabled = true;
        profile.pgbouncer.host = u"pooler.internal"_s;

        // Directly: dialled as it is.
        const PgBouncerRoute direct = PgBouncerRoute::forProfile(profile);
        QVERIFY(direct.isReachable());
        QVERIFY(!direct.tunnel);
        QCOMPARE(direct.address(), u"pooler.internal:6432"_s);

        // Through SSH: a tunnel of its own, to PgBouncer as the last hop sees it, not the
        // database's.
        profile.route = *Route::ssh(u"deploy@bastion-eu"_s, u"jump-1"_s, {}, nullptr);
        const PgBouncerRoute ssh = PgBouncerRoute::forProfile(profile);
        QVERIFY(ssh.isReachable());
        QVERIFY(ssh.tunnel);
        QCOMPARE(ssh.tunnel->spec().forwardTarget(), u"pooler.internal:6432"_s);
        QCOMPARE(ssh.tunnel->spec().route, profile.route);
        QVERIFY(ssh.tunnel->spec().key() != TunnelSpec::forProfile(profile).key());
        // Unset: the profile's host.
        profile.pgbouncer.host.clear();
        QCOMPARE(PgBouncerRoute::forProfile(profile).tunnel->spec().forwardTarget(),
                 u"db.internal:6432"_s);

        // A tunnel command forwards the database's port only: not dialled, and said so.
        profile.route = *Route::tunnelCommand(u"kubectl port-forward svc/postgres {port}:5432"_s,
                                              nullptr);
        const PgBouncerRoute command = PgBouncerRoute::forProfile(profile);
        QVERIFY(command.isSet());
        QVERIFY(!command.isReachable());
        QVERIFY(!command.tunnel);
        QVERIFY2(command.unreachable.contains(u"db.internal:6432"_s)
                         && command.unreachable.contains(u"tunnel command"_s),
                 qPrintable(command.unreachable));
    }
};

QTEST_GUILESS_MAIN(RouteTest)
#include "tst_route.moc"
