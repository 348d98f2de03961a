#include "ConnectionStage.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace ConnectionStages {

QList<ConnectionStage> all()
{
    return {ConnectionStage::Parse,    ConnectionStage::Tunnel, ConnectionStage::Resolve,
            ConnectionStage::Connect,  ConnectionStage::Tls,    ConnectionStage::Auth,
            ConnectionStage::Database, ConnectionStage::Checks};
}

QString id(ConnectionStage stage)
{
    switch (stage) {
    case ConnectionStage::Parse:
        return u"parse"_s;
    case ConnectionStage::Tunnel:
        return u"tunnel"_s;
    case ConnectionStage::Resolve:
        return u"resolve"_s;
    case ConnectionStage::Connect:
        return u"connect"_s;
    case ConnectionStage::Tls:
        return u"tls"_s;
    case ConnectionStage::Auth:
        return u"auth"_s;
    case ConnectionStage::Database:
        return u"database"_s;
    case ConnectionStage::Checks:
        break;
    }
    return u"checks"_s;
}

QString displayName(ConnectionStage stage)
{
    switch (stage) {
    case ConnectionStage::Parse:
        return QCoreApplication::translate("ConnectionStage", "Read the connection settings");
    case ConnectionStage::Tunnel:
        return QCoreApplication::translate("ConnectionStage", "Open the tunnel");
    case ConnectionStage::Resolve:
        return QCoreApplication::translate("ConnectionStage", "Find the server's address");
    case ConnectionStage::Connect:
        return QCoreApplication::translate("ConnectionStage", "Reach the server");
    case ConnectionStage::Tls:
        return QCoreApplication::translate("ConnectionStage", "Set up encryption (TLS)");
    case ConnectionStage::Auth:
        return QCoreApplication::translate("ConnectionStage", "Log in");
    case ConnectionStage::Database:
        return QCoreApplication::translate("ConnectionStage", "Open the database");
    case ConnectionStage::Checks:
        break;
    }
    return QCoreApplication::translate("ConnectionStage", "Check the server");
}

} // namespace ConnectionStages
