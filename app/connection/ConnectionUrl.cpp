#include "ConnectionUrl.h"

#include "SslModes.h"

#include <QRegularExpression>
#include <QUrl>

#include <libpq-fe.h>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

struct ConninfoOptionsDeleter
{
    void operator()(PQconninfoOption *options) const { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter>;

const QRegularExpression &sqlalchemyScheme()
{
    static const QRegularExpression re(u"^(postgres(?:ql)?)\\+([A-Za-z0-9_]+)://"_s);
    return re;
}

bool isUri(const QString &text)
{
    return text.startsWith(u"postgresql://"_s) || text.startsWith(u"postgres://"_s);
}

// The password a malformed string probably carries, so that libpq's error text (which quotes
// pieces of the input) can be scrubbed before anyone sees it. libpq cannot tell us, because
// it failed to parse; this is deliberately generous and reads the structure, not the scheme:
// "postgresql:/u:PW@h", "postgresql//u:PW@h" and "u:PW@h" carry a password as well.
QStringList likelySecrets(const QString &text)
{
    QStringList secrets;
    const qsizetype scheme = text.indexOf(u"://"_s);
    const qsizetype lastAt = text.lastIndexOf(u'@');
    if (scheme >= 0 && lastAt > scheme + 3) {
        // Everything up to the last "@": a password may hold "/" or "@" itself.
        const QString userInfo = text.mid(scheme + 3, lastAt - scheme - 3);
        const qsizetype colon = userInfo.indexOf(u':');
        if (colon >= 0)
            secrets << userInfo.mid(colon + 1);
    }
    // Each "@" ends a [scheme:/ or scheme//]user:password that begins after the nearest space,
    // quote or "=" to its left.
    static const QRegularExpression schemePrefix(u"^[A-Za-z][A-Za-z0-9+.-]*:?/+"_s);
    for (qsizetype at = text.indexOf(u'@'); at >= 0; at = text.indexOf(u'@', at + 1)) {
        qsizetype start = at;
        while (start > 0) {
            const QChar c = text.at(start - 1);
            if (c == u'=' || c == u'\'' || c == u'"' || c.isSpace())
                break;
            --start;
        }
        QString userInfo = text.mid(start, at - start);
        userInfo.remove(schemePrefix);
        // Which colon ends the user name depends on how the string was mistyped (a host or
        // port may come first): each could.
        for (qsizetype colon = userInfo.indexOf(u':'); colon >= 0;
             colon = userInfo.indexOf(u':', colon + 1))
            secrets << userInfo.mid(colon + 1);
    }
    // password=..., and also PGPASSWORD=... or DB_PASSWORD=... pasted along with a string.
    static const QRegularExpression kv(u"password\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'?|\\S+)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    auto it = kv.globalMatch(text);
    while (it.hasNext())
        secrets << it.next().captured(1);
    secrets.removeAll(QString());
    secrets.removeDuplicates();
    return secrets;
}

QString withoutSecrets(QString message, const QStringList &secrets)
{
    for (const QString &secret : secrets)
        message = ConnectionUrl::scrub(message, secret);
    return message;
}

QString encode(const QString &part)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(part));
}

// ASCII digits only: QString::toInt() (and libpq) let surrounding spaces or a pasted line
// break through, which a saved profile would then carry into every URL written from it.
bool isDigits(const QString &text)
{
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c >= u'0' && c <= u'9';
    });
}

// A name or an IPv4 address, or an IPv6 address. Character tests rather than regular
// expressions: the sidebar asks this of every profile before the window's first frame, and
// compiling an expression costs more than the whole list.
bool isPlainHost(const QString &host)
{
    const auto isNameCharacter = [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')
                || c == u'.' || c == u'_' || c == u'-';
    };
    const auto isIpv6Character = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'F') || (c >= u'a' && c <= u'f')
                || c == u':' || c == u'.';
    };
    return !host.isEmpty()
            && (std::all_of(host.cbegin(), host.cend(), isNameCharacter)
                || std::all_of(host.cbegin(), host.cend(), isIpv6Character));
}

} // namespace

std::optional<ConnectionUrl> ConnectionUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    auto fail = [&](const QString &message) -> std::optional<ConnectionUrl> {
        if (error) {
            const QStringList secrets = likelySecrets(text);
            QString clean = withoutSecrets(message.trimmed(), secrets);
            // libpq quotes the fragment it stumbled on, which can be a piece of a password
            // that contains spaces or quotes; when a password is present, quote nothing.
            if (!secrets.isEmpty()) {
                static const QRegularExpression quoted(u"\"[^\"]*\""_s);
                clean.replace(quoted, u"\"***\""_s);
            }
            *error = clean;
        }
        return std::nullopt;
    };

    if (text.isEmpty())
        return fail(tr("the connection string is empty"));
    // libpq reads a C string: it would see only what comes before the NUL, and we all of it.
    if (text.contains(QChar(u'\0')))
        return fail(tr("the connection string contains a NUL character"));

    ConnectionUrl url;
    QString forLibpq = text;
    const auto driverMatch = sqlalchemyScheme().match(text);
    if (driverMatch.hasMatch()) {
        url.m_driver = driverMatch.captured(2);
        forLibpq = driverMatch.captured(1) + u"://"_s + text.mid(driverMatch.capturedLength(0));
    } else if (!isUri(text)) {
        static const QRegularExpression otherScheme(u"^([A-Za-z][A-Za-z0-9+.-]*)://"_s);
        const auto schemeMatch = otherScheme.match(text);
        if (schemeMatch.hasMatch())
            return fail(tr("unsupported scheme \"%1\": expected postgresql://, postgres://, "
                           "postgresql+driver:// or key=value pairs")
                                .arg(schemeMatch.captured(1)));
    }

    char *errmsg = nullptr;
    ConninfoOptions options(PQconninfoParse(forLibpq.toUtf8().constData(), &errmsg));
    if (!options) {
        QString message = errmsg ? QString::fromUtf8(errmsg) : tr("out of memory");
        PQfreemem(errmsg);
        return fail(message);
    }
    for (const PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (option->val)
            url.m_params.insert(QString::fromUtf8(option->keyword), QString::fromUtf8(option->val));
    }
    // For a URL with several hosts and no port, libpq fills in one empty port per host (",").
    static const QRegularExpression emptyPorts(u"^,*$"_s);
    if (emptyPorts.match(url.value(u"port"_s)).hasMatch())
        url.remove(u"port"_s);
    return url;
}

QStringList ConnectionUrl::knownKeywords()
{
    static const QStringList keywords = [] {
        QStringList list;
        ConninfoOptions options(PQconndefaults());
        for (const PQconninfoOption *option = options.get(); option && option->keyword; ++option)
            list << QString::fromUtf8(option->keyword);
        return list;
    }();
    return keywords;
}

bool ConnectionUrl::supportsSystemRootCertificates()
{
    return PQlibVersion() >= 160000;
}

QString ConnectionUrl::libpqVersion()
{
    const int version = PQlibVersion();
    return u"%1.%2"_s.arg(version / 10000).arg(version % 10000);
}

void ConnectionUrl::setValue(const QString &keyword, const QString &value)
{
    m_params.insert(keyword, value);
}

ConnectionUrl ConnectionUrl::withoutPassword() const
{
    ConnectionUrl copy = *this;
    copy.remove(u"password"_s);
    return copy;
}

QStringList ConnectionUrl::hosts() const
{
    if (!has(u"host"_s))
        return {};
    return value(u"host"_s).split(u',');
}

QString ConnectionUrl::toUrl(PasswordMode mode) const
{
    QString out = m_driver.isEmpty() ? u"postgresql://"_s : u"postgresql+%1://"_s.arg(m_driver);
    QMap<QString, QString> rest = m_params;

    const bool withPassword = hasPassword() && mode != PasswordMode::Omit;
    if (has(u"user"_s) || withPassword) {
        out += encode(rest.take(u"user"_s));
        if (withPassword)
            out += u':' + (mode == PasswordMode::Redact ? u"***"_s : encode(password()));
        out += u'@';
    }
    rest.remove(u"password"_s);

    // Hosts go into the authority when each is a plain name or address and each has at most
    // its own port; anything else (socket directories, zone ids, a single port shared by
    // several hosts) goes into the query, where libpq reads it back unchanged.
    const QStringList hostList = hosts();
    const QStringList portList = has(u"port"_s) ? value(u"port"_s).split(u',') : QStringList();
    const bool portsFit = portList.isEmpty() || portList.size() == hostList.size();
    const bool hostsPlain
            = !hostList.isEmpty() && std::all_of(hostList.cbegin(), hostList.cend(), isPlainHost);
    if (hostsPlain && portsFit) {
        QStringList specs;
        for (qsizetype i = 0; i < hostList.size(); ++i) {
            const QString &host = hostList.at(i);
            QString spec = host.contains(u':') ? u'[' + host + u']' : host;
            if (!portList.isEmpty() && !portList.at(i).isEmpty())
                spec += u':' + portList.at(i);
            specs << spec;
        }
        out += specs.join(u',');
        rest.remove(u"host"_s);
        rest.remove(u"port"_s);
    } else if (!has(u"host"_s) && portList.size() == 1) {
        out += u':' + rest.take(u"port"_s);
    }

    if (has(u"dbname"_s) && !value(u"dbname"_s).isEmpty())
        out += u'/' + encode(rest.take(u"dbname"_s));
    else
        rest.remove(u"dbname"_s);

    QStringList query;
    for (auto it = rest.cbegin(); it != rest.cend(); ++it)
        query << encode(it.key()) + u'=' + encode(it.value());
    if (!query.isEmpty())
        out += u'?' + query.join(u'&');
    return out;
}

std::optional<ConnectionUrl> ConnectionUrl::parseValid(const QString &text, QString *error)
{
    auto url = parse(text, error);
    if (url) {
        if (const QStringList problems = url->validate(); !problems.isEmpty()) {
            // A typo can move what was typed as a password into a field that validate()
            // quotes (a port, an sslmode): scrub by the string's shape as well.
            if (error)
                *error = withoutSecrets(problems.join(u"; "_s),
                                        likelySecrets(text.trimmed()) << url->password());
            url.reset();
        }
    }
    return url;
}

QStringList ConnectionUrl::validate() const
{
    QStringList texts;
    for (const Problem &problem : problems())
        texts << problem.text;
    return texts;
}

QList<ConnectionUrl::Problem> ConnectionUrl::problems() const
{
    QList<Problem> problems;
    const QStringList known = knownKeywords();
    for (auto it = m_params.cbegin(); it != m_params.cend(); ++it) {
        if (!known.contains(it.key()))
            problems << Problem{it.key(), tr("unknown connection parameter \"%1\"").arg(it.key())};
    }
    if (has(u"port"_s)) {
        const QStringList ports = value(u"port"_s).split(u',');
        for (const QString &port : ports) {
            bool ok = false;
            const int number = port.toInt(&ok);
            if (!port.isEmpty() && (!isDigits(port) || !ok || number < 1 || number > 65535))
                problems << Problem{u"port"_s,
                                    tr("port \"%1\" is not a number from 1 to 65535").arg(port)};
        }
        const qsizetype hostCount = qMax<qsizetype>(1, hosts().size());
        if (ports.size() > 1 && ports.size() != hostCount)
            problems << Problem{u"port"_s,
                                tr("%1 ports given for %2 hosts").arg(ports.size()).arg(hostCount)};
    }
    // An unencoded "@" in a password leaves the rest of the password in the host name, where
    // every message would show it: say so without quoting the host.
    const QStringList hostNames = hosts();
    if (std::any_of(hostNames.cbegin(), hostNames.cend(),
                    [](const QString &host) { return host.contains(u'@'); }))
        problems << Problem{u"host"_s,
                            tr("the host name contains \"@\": write an \"@\" in the "
                               "password as %40")};
    const QStringList sslModes = SslModes::all();
    if (has(u"sslmode"_s) && !sslModes.contains(value(u"sslmode"_s)))
        problems << Problem{u"sslmode"_s,
                            tr("sslmode \"%1\" is not one of %2")
                                    .arg(value(u"sslmode"_s), sslModes.join(u", "_s))};
    if (has(u"connect_timeout"_s)) {
        bool ok = false;
        const int seconds = value(u"connect_timeout"_s).toInt(&ok);
        if (!isDigits(value(u"connect_timeout"_s)) || !ok || seconds < 0)
            problems << Problem{u"connect_timeout"_s,
                                tr("connect_timeout \"%1\" is not a number of seconds")
                                        .arg(value(u"connect_timeout"_s))};
    }
    return problems;
}

namespace {

// Replaces secret in text. A long secret goes wherever it appears; a short one only where it
// stands alone, so that a password "p" leaves "port" alone.
void replaceSecret(QString &text, const QString &secret)
{
    constexpr qsizetype standsOutLength = 8;
    if (secret.isEmpty())
        return;
    if (secret.size() >= standsOutLength) {
        text.replace(secret, u"***"_s);
        return;
    }
    auto isWordChar = [](QChar c) {
        return c.isLetterOrNumber() || c == u'_';
    };
    QString out;
    qsizetype from = 0;
    for (qsizetype at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
        const qsizetype end = at + secret.size();
        const bool alone = (at == 0 || !isWordChar(text.at(at - 1)) || !isWordChar(secret.front()))
                && (end == text.size() || !isWordChar(text.at(end)) || !isWordChar(secret.back()));
        if (!alone || at < from)
            continue;
        out += text.mid(from, at - from) + u"***"_s;
        from = end;
    }
    text = out + text.mid(from);
}

} // namespace

QString ConnectionUrl::scrub(const QString &text, const QString &secret)
{
    QString out = text;
    replaceSecret(out, secret);
    const QString encoded = encode(secret);
    if (encoded != secret)
        replaceSecret(out, encoded);
    const QString decoded = QUrl::fromPercentEncoding(secret.toUtf8());
    if (decoded != secret)
        replaceSecret(out, decoded);
    return out;
}
