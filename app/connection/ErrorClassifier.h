#pragma once

#include "connection/Diagnosis.h"

#include <QString>

/// What a failed libpq attempt left behind, before any extra probing.
struct FailureEvidence
{
    /// libpq's error message (verbose: it carries the SQLSTATE), untouched.
    QString rawMessage;
    /// The furthest stage the attempt reached.
    ConnectionStage stage = ConnectionStage::Connect;
    /// The server sent AuthenticationOk before failing.
    bool authenticated = false;
    /// The TCP connection (or socket) was established.
    bool connected = false;
    /// The password, only to remove it from the message.
    QString password;
    /// Where the password came from, in words ("the keychain entry of this profile",
    /// "PGPASSWORD", a password file); empty when libpq had none.
    QString passwordOrigin;
    /// Where libpq really went and as whom, its defaults filled in.
    StepContext effective;
    /// A password file that libpq skipped because others may read it; empty otherwise.
    QString ignoredPasswordFile;

    bool passwordSupplied() const { return !passwordOrigin.isEmpty(); }
};

/// The first, evidence-only pass over a failure: SQLSTATE first, then the stage reached and
/// what libpq knew, and the message text last (it may be in another language). The attempt
/// refines some results with network probes (NetworkProbe) afterwards.
namespace ErrorClassifier {

/// The SQLSTATE in a verbose libpq message ("FATAL:  28P01: ..."), or empty.
QString sqlstate(const QString &rawMessage);
/// The message without SQLSTATE codes, LOCATION lines and the password.
QString cleanMessage(const QString &rawMessage, const QString &password);
Diagnosis classify(const FailureEvidence &evidence);
/// A statement failed on a connection that was open and authenticated (a kept session, a
/// monitor tick, the attempt's own checks); connectionLost: the connection itself broke, so
/// a message the table does not know means the server closed it.
Diagnosis classifyQueryFailure(const QString &rawMessage, bool connectionLost,
                               const QString &password);

} // namespace ErrorClassifier
