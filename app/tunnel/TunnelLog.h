#pragma once

#include "connection/Diagnosis.h"
#include "tunnel/TunnelSpec.h"

#include <QStringList>

#include <optional>

/// Reads what a tunnel printed (ssh's own lines, -v included, or a tunnel command's output)
/// into a diagnosis: the category, ssh's verbatim line as the message, and evidence and steps
/// for the hop, the key and the known_hosts line involved.
namespace TunnelLog {

/// Why an SSH tunnel did not open, or ended; ending says how ("ssh exited with status 255").
Diagnosis explainSsh(const TunnelSpec &spec, const QStringList &lines, const QString &ending);
/// Why a tunnel command did not open its port, or ended.
Diagnosis explainCommand(const TunnelSpec &spec, const QStringList &lines, const QString &ending);
/// explainSsh or explainCommand, as the route's kind says.
Diagnosis explain(const TunnelSpec &spec, const QStringList &lines, const QString &ending);
/// A forward the last hop could not open ("channel 3: open failed: connect failed: Connection
/// refused") among lines printed while a connection went through an open tunnel.
std::optional<Diagnosis> forwardFailure(const TunnelSpec &spec, const QStringList &lines);
/// The port ssh could not listen on, when the local port was taken meanwhile (then a new port
/// is tried).
bool localPortTaken(const QStringList &lines);
/// What a tunnel printed that a person reads: without ssh's debug lines, made safe for a
/// terminal, at most the last count.
QStringList readableLines(const QStringList &lines, qsizetype count = 8);

} // namespace TunnelLog
