#include "ComponentVersions.h"

#include <libpq-fe.h>
#include <openssl/crypto.h>

using namespace Qt::Literals::StringLiterals;

ComponentVersions ComponentVersions::running()
{
    // libpq reports 150018 for 15.18 (and 90624 for 9.6.24, whose minor number the same
    // arithmetic misreads; no supported libpq is that old).
    const int libpq = PQlibVersion();
    // "OpenSSL 3.0.17 1 Jul 2025": the name and the number, not the date.
    const QString openssl
            = QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION)).section(u' ', 0, 1);
    return {QStringLiteral(ORDERFLOW_VERSION), QString::fromLatin1(qVersion()),
            u"%1.%2"_s.arg(libpq / 10000).arg(libpq % 10000), openssl};
}

QString ComponentVersions::line() const
{
    return u"orderflow-dbadmin %1 (Qt %2, libpq %3, %4)"_s.arg(product, qt, libpq, openssl);
}
