#pragma once

#include <QString>

/// The versions a bug report needs, read from the libraries this process actually loaded:
/// `--version` prints them and the window's About box shows them.
struct ComponentVersions
{
    QString product;
    QString qt;
    QString libpq;
    QString openssl;

    static ComponentVersions running();
    /// One line: "orderflow-dbadmin 1.2.0 (Qt 6.4.2, libpq 15.18, OpenSSL 3.0.17)".
    QString line() const;
};
