#pragma once

#include <QList>
#include <QMap>
#include <QString>

/// Every connection string in shared/seed/database-configuration.md, with the libpq
/// parameters each must parse to. Used by the parser tests and the command-line tests.
struct SeedExample
{
    const char *tag;
    QString url;
    QMap<QString, QString> params;
    QString driver;
};

QList<SeedExample> seedExamples();
