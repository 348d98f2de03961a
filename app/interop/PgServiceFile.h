#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

/// libpq's connection service file (pg_service.conf): [service] sections of keyword=value
/// lines with # comments. Every keyword must be one libpq knows, as libpq itself insists.
namespace PgServiceFile {

struct Service
{
    QString name;
    QMap<QString, QString> params;
    int line = 0;
};

struct ParseResult
{
    bool ok = false;
    QList<Service> services;
    int errorLine = 0;
    QString error;
};

ParseResult parse(const QByteArray &content);
/// A value libpq cannot read back as it is (line breaks, surrounding spaces) becomes a comment
/// naming its keyword.
QString write(const QList<Service> &services);

} // namespace PgServiceFile
