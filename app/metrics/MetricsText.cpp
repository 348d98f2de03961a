#include "MetricsText.h"

#include <QLocale>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray openMetricsType = "application/openmetrics-text";

// The weight of one media range of an Accept header ("type;version=1.0.0;q=0.5"): q, or 1.
double weightOf(const QList<QByteArray> &parameters)
{
    for (const QByteArray &parameter : parameters) {
        const QByteArray trimmed = parameter.trimmed();
        if (trimmed.startsWith("q=")) {
            bool ok = false;
            const double q = trimmed.mid(2).toDouble(&ok);
            return ok ? q : 0;
        }
    }
    return 1;
}

// Backslash and line feed escaped, and double quote too when asked: label values need all
// three in both formats, HELP text the quote only in OpenMetrics.
QString escaped(const QString &text, bool quote)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else if (c == u'"' && quote)
            out += u"\\\""_s;
        else
            out += c;
    }
    return out;
}

QString valueText(double value)
{
    if (qIsNaN(value))
        return u"NaN"_s;
    if (qIsInf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    // Whole numbers (counts, Unix seconds) as integers: "1700000000", not "1.7e+09".
    constexpr double exactIntegers = 9007199254740992.0; // 2^53
    if (value == std::trunc(value) && std::abs(value) < exactIntegers)
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

namespace MetricsText {

Format negotiate(QByteArrayView accept)
{
    double openMetrics = 0;
    double other = 0;
    for (const QByteArray &range : accept.toByteArray().split(',')) {
        QList<QByteArray> parts = range.split(';');
        const QByteArray type = parts.takeFirst().trimmed().toLower();
        const double weight = weightOf(parts);
        if (type == openMetricsType)
            openMetrics = qMax(openMetrics, weight);
        else if (!type.isEmpty())
            other = qMax(other, weight);
    }
    return openMetrics > 0 && openMetrics >= other ? Format::OpenMetrics : Format::Prometheus;
}

QByteArray contentType(Format format)
{
    if (format == Format::OpenMetrics)
        return openMetricsType + "; version=1.0.0; charset=utf-8";
    return "text/plain; version=0.0.4; charset=utf-8";
}

QString escapedLabelValue(const QString &value)
{
    return escaped(value, true);
}

QByteArray render(const QList<MetricFamily> &families, Format format)
{
    QString text;
    for (const MetricFamily &family : families) {
        text += u"# HELP "_s + family.name + u' '
                + escaped(family.help, format == Format::OpenMetrics) + u'\n';
        text += u"# TYPE "_s + family.name + u" gauge\n"_s;
        for (const MetricSample &sample : family.samples) {
            text += family.name;
            if (!sample.labels.isEmpty()) {
                QStringList pairs;
                for (const auto &[name, value] : sample.labels)
                    pairs << name + u"=\""_s + escapedLabelValue(value) + u'"';
                text += u'{' + pairs.join(u',') + u'}';
            }
            text += u' ' + valueText(sample.value) + u'\n';
        }
    }
    if (format == Format::OpenMetrics)
        text += u"# EOF\n"_s;
    return text.toUtf8();
}

} // namespace MetricsText
