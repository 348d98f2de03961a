#pragma once

#include "connection/Diagnosis.h"
#include "connection/ErrorClassifier.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>

#include <functional>

/// The second look at a failed connection, after ErrorClassifier's evidence-only first: it
/// probes the network and the server (a TCP connect, PostgreSQL's SSL request, the same login
/// with TLS, the local server ports) to turn a vague libpq message into a precise diagnosis
/// with evidence. Runs on the attempt's worker thread; each probe blocks for at most probeMs.
class FailureRefiner final
{
    Q_DECLARE_TR_FUNCTIONS(FailureRefiner)

public:
    /// Would a connection with these parameters get past pg_hba.conf? The attempt answers by
    /// trying it.
    using HbaProbe = std::function<bool(const QMap<QString, QString> &params)>;

    static void refine(Diagnosis &diagnosis, const FailureEvidence &evidence,
                       const QMap<QString, QString> &params, int probeMs,
                       const HbaProbe &passesHba);
};
