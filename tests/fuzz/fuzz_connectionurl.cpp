// Connection strings as people mistype them. Promises:
// - a password written as user:PASSWORD@ appears in no error, whatever surrounds it (a
//   mistyped scheme, no scheme, stray quotes);
// - a string that parses and validates writes back (toUrl) to a string that parses to the same
//   parameters.

#include "FuzzOracle.h"
#include "connection/ConnectionUrl.h"

#include <QMap>

using namespace Qt::Literals::StringLiterals;

namespace {

// libpq treats an empty value as no value, and toUrl() leaves empty ones out.
QMap<QString, QString> meaningful(const ConnectionUrl &url)
{
    QMap<QString, QString> params = url.params();
    params.removeIf([](const auto &item) { return item.value().isEmpty(); });
    return params;
}

void checkErrors(const QString &text, const QString &secret)
{
    QString error;
    if (!ConnectionUrl::parse(text, &error))
        FuzzOracle::expectNoSecret(error, secret, "parse() error carries the password");
    error.clear();
    if (!ConnectionUrl::parseValid(text, &error))
        FuzzOracle::expectNoSecret(error, secret, "parseValid() error carries the password");
}

void checkRoundTrip(const QString &text)
{
    QString error;
    const auto url = ConnectionUrl::parseValid(text, &error);
    if (!url)
        return;
    const QString written = url->toUrl();
    const auto reread = ConnectionUrl::parse(written, &error);
    if (!reread)
        FuzzOracle::broken("a valid URL's toUrl() does not parse",
                           text + u"\nwritten: "_s + written + u"\nerror: "_s + error);
    if (meaningful(*reread) != meaningful(*url) || reread->driver() != url->driver())
        FuzzOracle::broken("a valid URL does not round-trip", text + u"\nwritten: "_s + written);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const FuzzOracle::PlantedPassword input(data, size, 64, 16);
    const QString text = input.before + input.middle + u':' + input.secret + u'@' + input.after;
    checkErrors(text, input.secret);
    checkRoundTrip(text);
    checkRoundTrip(input.before + input.after);
    return 0;
}
