#pragma once

#include "connection/Diagnosis.h"
#include "connection/ErrorClassifier.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

/// The second look at a failed connection, after ErrorClassifier's evidence-only first: it
/// probes the network and the server (a TCP connect, PostgreSQL's SSL request, the same login
/// with TLS, the maintenance database, the local server ports) to turn a vague libpq message into a
/// precise diagnosis with evidence. Runs on the attempt's worker thread; each probe blocks for at
/// most probeMs.
class FailureRefiner final
{
    Q_DECLARE_TR_FUNCTIONS(FailureRefiner)

public:
    /// What the attempt answers by trying it.
    struct Probes
    {
        /// Would a connection with these parameters get past pg_hba.conf?
        std::function<bool(const QMap<QString, QString> &params)> passesHba;
        /// The databases these credentials may open, read from a maintenance database
        /// (postgres, then template1); nullopt when none of those opens either.
        std::function<std::optional<QStringList>(const QMap<QString, QString> &params)> databases;
    };

    static void refine(Diagnosis &diagnosis, const FailureEvidence &evidence,
                       const QMap<QString, QString> &params, int probeMs, const Probes &probes);
    /// The candidate most like name (edit distance), or empty when none is close.
    static QString closestName(const QString &name, const QStringList &candidates);
};
