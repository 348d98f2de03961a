#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

/// A PostgreSQL connection string (postgresql:// URL, SQLAlchemy URL or key=value conninfo),
/// parsed by libpq itself and written back as a percent-encoded URL.
///
/// Parameters are kept under libpq's own keyword names. The password, when present, is one of
/// them; callers that persist a ConnectionUrl must take it out first (see withoutPassword()).
class ConnectionUrl final
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionUrl)

public:
    enum class PasswordMode { Include, Redact, Omit };

    /// A problem that validate() finds, and the libpq keyword it is about ("port", "sslmode";
    /// an unknown parameter's own name), so that an editor can show it beside that field.
    struct Problem
    {
        QString keyword;
        QString text;
    };

    ConnectionUrl() = default;

    /// Parses with PQconninfoParse. On failure returns nullopt and, if error is given, a
    /// password-free explanation.
    static std::optional<ConnectionUrl> parse(const QString &text, QString *error = nullptr);
    /// parse(), then validate(): unset, with the problems (scrubbed of the password) in error,
    /// unless the text is a usable connection string.
    static std::optional<ConnectionUrl> parseValid(const QString &text, QString *error);

    /// The keywords libpq knows (PQconndefaults), for validation and editors.
    static QStringList knownKeywords();
    /// sslrootcert=system (the operating system's trusted CAs) needs libpq 16 or later.
    static bool supportsSystemRootCertificates();
    /// libpq's version as "15.20".
    static QString libpqVersion();

    const QMap<QString, QString> &params() const { return m_params; }
    QString value(const QString &keyword) const { return m_params.value(keyword); }
    bool has(const QString &keyword) const { return m_params.contains(keyword); }
    void setValue(const QString &keyword, const QString &value);
    void remove(const QString &keyword) { m_params.remove(keyword); }

    bool hasPassword() const { return m_params.contains(QStringLiteral("password")); }
    QString password() const { return value(QStringLiteral("password")); }
    ConnectionUrl withoutPassword() const;

    /// SQLAlchemy's driver from postgresql+driver:// (psycopg2, asyncpg, ...), or empty.
    QString driver() const { return m_driver; }
    void setDriver(const QString &driver) { m_driver = driver; }

    QStringList hosts() const;

    /// A postgresql:// URL that libpq parses back to the same parameters.
    QString toUrl(PasswordMode mode = PasswordMode::Include) const;
    /// The URL with the password shown as ***.
    QString redacted() const { return toUrl(PasswordMode::Redact); }

    /// Problems libpq would only report at connect time (bad port, unknown sslmode, ...).
    QList<Problem> problems() const;
    /// The texts of problems().
    QStringList validate() const;

    /// Replaces every occurrence of the given secret (raw and percent-encoded) with ***.
    static QString scrub(const QString &text, const QString &secret);

    friend bool operator==(const ConnectionUrl &a, const ConnectionUrl &b)
    {
        return a.m_params == b.m_params && a.m_driver == b.m_driver;
    }

private:
    QMap<QString, QString> m_params;
    QString m_driver;
};
