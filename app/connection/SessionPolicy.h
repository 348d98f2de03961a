#pragma once

#include <QMap>
#include <QString>

/// How the tool's own sessions with a server behave. On a production profile they are
/// read-only, enforced by the server: every session starts with default_transaction_read_only
/// on, so nothing the tool runs by itself can write there. Only a statement the user confirmed
/// by typing the profile's name runs on a session without it (ServerSession::executeConfirmed).
struct SessionPolicy
{
    /// Every transaction of the session is read-only.
    bool readOnly = false;
    /// The server's data may be thrown away (development, test): a diagnosis may suggest a step
    /// that destroys data, marked as such. Never for staging, production, other or a bare URL.
    bool dataDisposable = false;

    /// Puts the policy into libpq keyword/value parameters, the one place that does: for a
    /// read-only session, "-c default_transaction_read_only=on" after the options that the
    /// parameters (or PGOPTIONS) already give, so that it wins over a contrary one.
    void applyTo(QMap<QString, QString> &params) const;
};
