#include "FailureRefiner.h"

#include "connection/SslModes.h"

#include "PlainText.h"
#include "connection/NetworkProbe.h"
#include "connection/ServerFactsCache.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

QString FailureRefiner::closestName(const QString &name, const QStringList &candidates)
{
    auto distance = [](const QString &a, const QString &b) {
        QList<qsizetype> previous(b.size() + 1), current(b.size() + 1);
        for (qsizetype j = 0; j <= b.size(); ++j)
            previous[j] = j;
        for (qsizetype i = 1; i <= a.size(); ++i) {
            current[0] = i;
            for (qsizetype j = 1; j <= b.size(); ++j)
                current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                                       previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            std::swap(previous, current);
        }
        return previous[b.size()];
    };
    QString best;
    qsizetype bestDistance = 0;
    for (const QString &candidate : candidates) {
        const qsizetype d = distance(name.toLower(), candidate.toLower());
        if (best.isEmpty() || d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    // Close means a typo (a third of the name at most: orderflow_tset is orderflow_test), or
    // one name extending the other (orderflow_nope and orderflow), never a different word.
    if (best.isEmpty() || bestDistance >= name.size())
        return {};
    const bool typo = bestDistance <= std::max<qsizetype>(1, name.size() / 3);
    const QString shorter = best.size() < name.size() ? best : name;
    const QString longer = best.size() < name.size() ? name : best;
    const bool extension = shorter.size() >= 3 && longer.startsWith(shorter, Qt::CaseInsensitive);
    return typo || extension ? best : QString();
}

void FailureRefiner::refine(Diagnosis &diagnosis, const FailureEvidence &evidence,
                            const QMap<QString, QString> &params, int probeMs, const Probes &probes)
{
    const QStringList hosts = params.value(u"host"_s).split(u',');
    const QStringList addrs = params.value(u"hostaddr"_s).split(u',');
    const QStringList ports = params.value(u"port"_s).split(u',');
    const QString host = hosts.value(0);
    const QString address = addrs.value(0).isEmpty() ? host : addrs.value(0);
    const quint16 port = quint16(ports.value(0).isEmpty() ? 5432 : ports.value(0).toUInt());
    const QString sslmode = params.value(u"sslmode"_s, SslModes::defaultMode());

    switch (diagnosis.category) {
    case DiagnosisCategory::ConnectionRefused: {
        if (NetworkProbe::isSocketDirectory(host)) {
            const QString path = NetworkProbe::socketPath(host, port);
            diagnosis.evidence << (QFileInfo::exists(path)
                                           ? tr("The socket file %1 exists, but no server "
                                                "accepts connections on it (a stale file from a "
                                                "stopped server?)")
                                                     .arg(path)
                                           : tr("There is no socket file %1: no server runs "
                                                "with that socket folder and port")
                                                     .arg(path));
        } else {
            const auto outcome = NetworkProbe::tcpConnect(address, port, probeMs);
            if (outcome == NetworkProbe::ConnectOutcome::TimedOut
                || outcome == NetworkProbe::ConnectOutcome::Unreachable) {
                diagnosis.category = DiagnosisCategory::Timeout;
                diagnosis.evidence << (outcome == NetworkProbe::ConnectOutcome::TimedOut
                                               ? tr("%1 port %2 does not answer: packets seem "
                                                    "to be dropped")
                                               : tr("There is no network route to %1"))
                                              .arg(address)
                                              .arg(port);
                break;
            }
            diagnosis.evidence << tr("Nothing listens on %1 port %2 (the connection was "
                                     "refused)")
                                          .arg(address)
                                          .arg(port);
        }
        if (NetworkProbe::isLoopback(host) || NetworkProbe::isLoopback(address)) {
            QList<quint16> local = NetworkProbe::localServerPorts(
                    NetworkProbe::isSocketDirectory(host) ? host : QString());
            local.removeAll(port);
            if (local.isEmpty()) {
                diagnosis.extraSteps.append(tr("No PostgreSQL server answers on this machine's "
                                               "loopback ports or usual socket folders: start it "
                                               "(docker compose up -d postgres, or your system's "
                                               "service manager)"));
            } else {
                QStringList list;
                for (quint16 p : std::as_const(local))
                    list << QString::number(p);
                diagnosis.evidence << tr("A PostgreSQL server answers on this machine on port(s) "
                                         "%1")
                                              .arg(list.join(u", "_s));
                diagnosis.leadingSteps.append(tr("Did you mean port %1? Change the port in the "
                                                 "connection string (now %2)")
                                                      .arg(local.first())
                                                      .arg(port));
            }
        }
        break;
    }
    case DiagnosisCategory::HbaRejected: {
        if (sslmode == u"disable"_s || sslmode == u"allow"_s || sslmode == u"prefer"_s) {
            // Would the same connection be let in over SSL? Then a hostssl line demands it.
            QMap<QString, QString> withSsl = params;
            withSsl.insert(u"sslmode"_s, u"require"_s);
            if (probes.passesHba(withSsl)) {
                diagnosis.category = DiagnosisCategory::SslRequired;
                diagnosis.evidence << tr("The connection was not encrypted (sslmode=%1), and the "
                                         "same connection with sslmode=require gets past "
                                         "pg_hba.conf: the matching line is of type hostssl")
                                              .arg(sslmode);
                break;
            }
        }
        diagnosis.evidence << tr("pg_hba.conf has no line that accepts this user, database and "
                                 "address (or a reject line matches first)");
        break;
    }
    case DiagnosisCategory::Unknown:
    case DiagnosisCategory::SslUnavailable:
    case DiagnosisCategory::SslVerifyFailed:
    case DiagnosisCategory::ServerClosed: {
        if (!diagnosis.sqlstate.isEmpty() || diagnosis.stage > ConnectionStage::Tls)
            break;
        // Ask the server ourselves whether it offers TLS: its one-byte answer does not
        // depend on anybody's language.
        const auto answer = NetworkProbe::sslRequest(
                NetworkProbe::isSocketDirectory(host) ? host : address, port, probeMs);
        DiagnosisCategory category = diagnosis.category;
        QString seen;
        switch (answer) {
        case NetworkProbe::SslAnswer::Offered:
            if (diagnosis.stage == ConnectionStage::Tls && sslmode.startsWith(u"verify"_s))
                category = DiagnosisCategory::SslVerifyFailed;
            seen = tr("The server offers TLS (it answered the SSL request with 'S')");
            break;
        case NetworkProbe::SslAnswer::NotOffered:
            if (sslmode == u"require"_s || sslmode.startsWith(u"verify"_s))
                category = DiagnosisCategory::SslUnavailable;
            seen = tr("The server does not offer TLS (it answered the SSL request with 'N')");
            break;
        case NetworkProbe::SslAnswer::Closed:
            category = DiagnosisCategory::ServerClosed;
            seen = tr("Something accepts connections on %1 port %2 but closes them at once "
                      "without a word: it does not behave like PostgreSQL")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::NoAnswer:
            category = DiagnosisCategory::Timeout;
            seen = tr("Something accepts connections on %1 port %2 but never answers")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::Other:
            seen = tr("The program on %1 port %2 does not speak PostgreSQL's protocol")
                           .arg(address)
                           .arg(port);
            break;
        case NetworkProbe::SslAnswer::Unreachable:
            break;
        }
        diagnosis.category = category;
        if (!seen.isEmpty())
            diagnosis.evidence << seen;
        break;
    }
    case DiagnosisCategory::TooManyConnections: {
        const auto known = ServerFactsCache::find(host, QString::number(port));
        if (known && known->maxConnections > 0) {
            const int reserved
                    = known->superuserReservedConnections + std::max(0, known->reservedConnections);
            diagnosis.evidence << tr("When last seen, the server allowed max_connections = %1, "
                                     "of which %2 are reserved (superuser_reserved_connections "
                                     "%3, reserved_connections %4): %5 for ordinary users")
                                          .arg(known->maxConnections)
                                          .arg(reserved)
                                          .arg(known->superuserReservedConnections)
                                          .arg(std::max(0, known->reservedConnections))
                                          .arg(known->maxConnections - reserved);
        } else {
            diagnosis.evidence << tr("The server's max_connections is not visible from a refused "
                                     "connection: a superuser can still connect to the "
                                     "reserved slots and run SHOW max_connections");
        }
        break;
    }
    case DiagnosisCategory::AuthFailed:
    case DiagnosisCategory::RoleNotFound: {
        const QString user = PlainText::terminalSafe(evidence.effective.user);
        if (!evidence.passwordOrigin.isEmpty()) {
            diagnosis.evidence << tr("The user tried was %1, with the password from %2")
                                          .arg(user, evidence.passwordOrigin);
        } else if (!evidence.ignoredPasswordFile.isEmpty()) {
            const QString file = PlainText::terminalSafe(evidence.ignoredPasswordFile);
            diagnosis.evidence << tr("The user tried was %1, with no password: the password "
                                     "file %2 was ignored, because other users may read it "
                                     "(libpq only uses one with mode 0600 or stricter)")
                                          .arg(user, file);
            diagnosis.leadingSteps
                    << tr("Make the password file private: chmod 0600 %1")
                               .arg(PlainText::shellQuoted(evidence.ignoredPasswordFile));
        } else if (diagnosis.category == DiagnosisCategory::AuthFailed) {
            diagnosis.evidence << tr("The user tried was %1. No password was supplied: none is "
                                     "stored for this profile, and neither PGPASSWORD nor "
                                     ".pgpass provided one")
                                          .arg(user);
        } else {
            diagnosis.evidence << tr("The user tried was %1").arg(user);
        }
        break;
    }
    case DiagnosisCategory::DatabaseNotFound: {
        const QString wanted = evidence.effective.dbname;
        const std::optional<QStringList> databases = probes.databases(params);
        if (!databases) {
            diagnosis.evidence << tr("The maintenance databases (postgres, template1) did not "
                                     "open with the same credentials either, so the databases "
                                     "on this server could not be listed");
            break;
        }
        if (databases->isEmpty()) {
            diagnosis.evidence << tr("%1 may not open any database on this server")
                                          .arg(PlainText::terminalSafe(evidence.effective.user));
            break;
        }
        constexpr qsizetype shown = 20;
        // Names come from the server: one line each, whatever they hold.
        QStringList names;
        for (const QString &name : databases->mid(0, shown))
            names << PlainText::terminalSafe(name);
        QString list = names.join(u", "_s);
        if (databases->size() > shown)
            list += tr(" and %1 more").arg(databases->size() - shown);
        diagnosis.evidence << tr("The databases %1 may open on this server: %2")
                                      .arg(PlainText::terminalSafe(evidence.effective.user), list);
        const QString closest = closestName(wanted, *databases);
        if (!closest.isEmpty())
            diagnosis.leadingSteps.append(tr("Did you mean %1? Change the database in the "
                                             "connection string (now %2)")
                                                  .arg(PlainText::terminalSafe(closest),
                                                       PlainText::terminalSafe(wanted)));
        break;
    }
    default:
        break;
    }
}
