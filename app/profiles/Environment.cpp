#include "Environment.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace Environments {

QList<Environment> all()
{
    return {Environment::Development, Environment::Staging, Environment::Production,
            Environment::Test, Environment::Other};
}

QString id(Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return u"development"_s;
    case Environment::Staging:
        return u"staging"_s;
    case Environment::Production:
        return u"production"_s;
    case Environment::Test:
        return u"test"_s;
    case Environment::Other:
        break;
    }
    return u"other"_s;
}

std::optional<Environment> fromId(const QString &text)
{
    const QString wanted = text.trimmed().toLower();
    for (Environment environment : all()) {
        if (id(environment) == wanted)
            return environment;
    }
    // Common short forms people type on a command line.
    if (wanted == u"dev"_s)
        return Environment::Development;
    if (wanted == u"prod"_s)
        return Environment::Production;
    if (wanted == u"stage"_s)
        return Environment::Staging;
    return std::nullopt;
}

Environment guessFromName(const QString &name)
{
    static const QList<std::pair<QRegularExpression, Environment>> rules{
            {QRegularExpression(u"prod"_s, QRegularExpression::CaseInsensitiveOption),
             Environment::Production},
            {QRegularExpression(u"stag"_s, QRegularExpression::CaseInsensitiveOption),
             Environment::Staging},
            {QRegularExpression(u"test|\\bci\\b"_s, QRegularExpression::CaseInsensitiveOption),
             Environment::Test},
            {QRegularExpression(u"dev|local"_s, QRegularExpression::CaseInsensitiveOption),
             Environment::Development},
    };
    for (const auto &[pattern, environment] : rules) {
        if (pattern.match(name).hasMatch())
            return environment;
    }
    return Environment::Other;
}

QString displayName(Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return QCoreApplication::translate("Environment", "Development");
    case Environment::Staging:
        return QCoreApplication::translate("Environment", "Staging");
    case Environment::Production:
        return QCoreApplication::translate("Environment", "Production");
    case Environment::Test:
        return QCoreApplication::translate("Environment", "Test");
    case Environment::Other:
        break;
    }
    return QCoreApplication::translate("Environment", "Other");
}

QString nameInText(Environment environment)
{
    switch (environment) {
    case Environment::Development:
        return QCoreApplication::translate("Environment", "development", "inside a sentence");
    case Environment::Staging:
        return QCoreApplication::translate("Environment", "staging", "inside a sentence");
    case Environment::Production:
        return QCoreApplication::translate("Environment", "production", "inside a sentence");
    case Environment::Test:
        return QCoreApplication::translate("Environment", "test", "inside a sentence");
    case Environment::Other:
        break;
    }
    return QCoreApplication::translate("Environment", "other", "inside a sentence");
}

} // namespace Environments
