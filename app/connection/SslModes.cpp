#include "SslModes.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace SslModes {

QStringList all()
{
    return {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
}

QString defaultMode()
{
    return u"prefer"_s;
}

QString meaning(const QString &mode)
{
    if (mode == u"disable"_s)
        return QCoreApplication::translate("SslModes", "No SSL (development only)");
    if (mode == u"allow"_s)
        return QCoreApplication::translate("SslModes", "Try SSL, fall back to plain");
    if (mode == u"prefer"_s)
        return QCoreApplication::translate("SslModes", "Try SSL first (default)");
    if (mode == u"require"_s)
        return QCoreApplication::translate("SslModes", "Require SSL, verify nothing");
    if (mode == u"verify-ca"_s)
        return QCoreApplication::translate("SslModes", "Require SSL, verify CA certificate");
    if (mode == u"verify-full"_s)
        return QCoreApplication::translate("SslModes", "Require SSL, verify CA and hostname");
    return {};
}

} // namespace SslModes
