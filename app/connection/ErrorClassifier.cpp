#include "ErrorClassifier.h"

#include "connection/ConnectionUrl.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace ErrorClassifier {

namespace {

// "FATAL:  28P01: password ..." — the severity word is translated by the server, the code is
// not; a code has at least one digit, which keeps ordinary words out.
const QRegularExpression &sqlstatePattern()
{
    static const QRegularExpression re(u"\\w+:\\s+((?=[0-9A-Z]*[0-9])[0-9A-Z]{5}):\\s"_s);
    return re;
}

bool mentions(const QString &message, std::initializer_list<const char16_t *> needles)
{
    for (const char16_t *needle : needles) {
        if (message.contains(QStringView(needle), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

QString sqlstate(const QString &rawMessage)
{
    // With several hosts libpq reports each; the last one is the one that ended the attempt.
    QString last;
    auto it = sqlstatePattern().globalMatch(rawMessage);
    while (it.hasNext())
        last = it.next().captured(1);
    return last;
}

QString cleanMessage(const QString &rawMessage, const QString &password)
{
    QStringList lines;
    const QStringList raw = rawMessage.split(u'\n');
    for (const QString &line : raw) {
        if (line.trimmed().isEmpty() || line.startsWith(u"LOCATION:"_s))
            continue;
        lines << line.trimmed();
    }
    QString message = lines.join(u'\n');
    static const QRegularExpression code(u"(\\w+:\\s+)(?=[0-9A-Z]*[0-9])[0-9A-Z]{5}:\\s"_s);
    message.replace(code, u"\\1"_s);
    return ConnectionUrl::scrub(message, password);
}

Diagnosis classify(const FailureEvidence &evidence)
{
    const QString state = sqlstate(evidence.rawMessage);
    const QString message = cleanMessage(evidence.rawMessage, evidence.password);
    auto make = [&](DiagnosisCategory category) {
        return DiagnosisTable::make(category, evidence.stage, message, state);
    };

    // 1. What the server said, by code: the same in every language.
    if (state == u"28P01"_s)
        return make(DiagnosisCategory::AuthFailed);
    if (state == u"3D000"_s) {
        // The server looks the database up after authentication, often in the same packet
        // burst as AuthenticationOk, so libpq's state may never show the step.
        Diagnosis diagnosis = make(DiagnosisCategory::DatabaseNotFound);
        diagnosis.stage = ConnectionStage::Database;
        return diagnosis;
    }
    if (state == u"53300"_s)
        return make(DiagnosisCategory::TooManyConnections);
    if (state == u"57P01"_s || state == u"57P02"_s || state == u"57P03"_s
        || state.startsWith(u"08"_s))
        return make(DiagnosisCategory::ServerClosed);
    if (state == u"28000"_s) {
        // Before authentication it is pg_hba.conf speaking (the attempt then checks whether
        // SSL would have been let in); after it, the role is missing or may not log in.
        if (evidence.authenticated || mentions(message, {u"role \"", u"does not exist"}))
            return make(DiagnosisCategory::RoleNotFound);
        return make(DiagnosisCategory::HbaRejected);
    }
    if (!state.isEmpty())
        return make(DiagnosisCategory::Unknown);

    // 2. No code: libpq's own failure. The stage reached says most of it.
    if (evidence.stage == ConnectionStage::Auth && !evidence.passwordSupplied())
        return make(DiagnosisCategory::AuthFailed);

    // 3. The message text, last (libpq's client messages are English unless translated).
    if (mentions(message, {u"timeout expired"}))
        return make(DiagnosisCategory::Timeout);
    if (mentions(message,
                 {u"could not translate host name", u"Name or service not known",
                  u"nodename nor servname", u"Temporary failure in name resolution"}))
        return make(DiagnosisCategory::HostNotFound);
    if (mentions(message, {u"does not support SSL"}))
        return make(DiagnosisCategory::SslUnavailable);
    if (mentions(message, {u"certificate", u"SSL error"}))
        return make(DiagnosisCategory::SslVerifyFailed);
    if (mentions(message, {u"SSL connection is required", u"no encryption"}))
        return make(DiagnosisCategory::SslRequired);
    if (mentions(message,
                 {u"server closed the connection", u"terminating connection", u"Connection reset",
                  u"EOF"}))
        return make(DiagnosisCategory::ServerClosed);
    if (!evidence.connected
        && mentions(message, {u"Connection refused", u"No such file or directory"}))
        return make(DiagnosisCategory::ConnectionRefused);
    if (mentions(message, {u"no password supplied", u"password authentication failed"}))
        return make(DiagnosisCategory::AuthFailed);
    if (evidence.stage == ConnectionStage::Connect && !evidence.connected)
        return make(DiagnosisCategory::ConnectionRefused);
    return make(DiagnosisCategory::Unknown);
}

Diagnosis classifyQueryFailure(const QString &rawMessage, bool connectionLost,
                               const QString &password)
{
    FailureEvidence evidence;
    evidence.rawMessage = rawMessage;
    evidence.stage = ConnectionStage::Checks;
    evidence.connected = evidence.authenticated = true;
    evidence.passwordOrigin = QCoreApplication::translate("ErrorClassifier", "the open session");
    evidence.password = password;
    Diagnosis diagnosis = classify(evidence);
    if (connectionLost && diagnosis.category == DiagnosisCategory::Unknown)
        diagnosis = DiagnosisTable::make(DiagnosisCategory::ServerClosed, ConnectionStage::Checks,
                                         diagnosis.message, diagnosis.sqlstate);
    return diagnosis;
}

} // namespace ErrorClassifier
