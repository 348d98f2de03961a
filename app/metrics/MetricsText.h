#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

/// One value of a gauge family, with its labels in the order they are written.
struct MetricSample
{
    QList<std::pair<QString, QString>> labels;
    double value = 0;
};

/// A gauge family: its name, its HELP text and its samples (none is fine: HELP and TYPE alone).
struct MetricFamily
{
    QString name;
    QString help;
    QList<MetricSample> samples;
};

/// The two exposition formats that Prometheus scrapes: its own text format (version 0.0.4) and
/// OpenMetrics 1.0.0 text. Written by hand: Qt has no writer for either and both are a few
/// lines of escaping.
namespace MetricsText {

enum class Format { Prometheus, OpenMetrics };

/// The format an Accept header prefers: OpenMetrics when it names application/openmetrics-text
/// with a weight at least that of every other type it names; the Prometheus text format
/// otherwise (also for no header at all).
Format negotiate(QByteArrayView accept);
/// The Content-Type header's value for the format.
QByteArray contentType(Format format);
/// The families in the format; OpenMetrics ends with "# EOF".
QByteArray render(const QList<MetricFamily> &families, Format format);
/// A label value with backslash, double quote and line feed escaped as both formats require.
QString escapedLabelValue(const QString &value);

} // namespace MetricsText
