#include "SecretScan.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SecretScan)
};

// Stands for a password without being one.
bool isReference(QString value)
{
    if (value.size() >= 2 && (value.startsWith(u'\'') || value.startsWith(u'"'))
        && value.back() == value.front())
        value = value.mid(1, value.size() - 2);
    static const QRegularExpression variable(
            u"^\\$(\\{[A-Za-z_][A-Za-z0-9_]*\\}|[A-Za-z_][A-Za-z0-9_]*)$"_s);
    return value.isEmpty() || value == u"***"_s || variable.match(value).hasMatch();
}

} // namespace

namespace SecretScan {

bool isSecretName(const QString &name)
{
    QString key = name.toLower();
    key.remove(u'_').remove(u'-');
    return key.endsWith(u"password"_s) || key.endsWith(u"passwd"_s)
            || key.endsWith(u"passphrase"_s);
}

QString secretIn(const QString &text)
{
    // scheme://user:password@host
    static const QRegularExpression urlPassword(
            u"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\\s]*:([^/?#@\\s]+)@"_s);
    // password=..., PGPASSWORD=..., db_password = '...'
    static const QRegularExpression setting(
            u"(?:^|[^A-Za-z0-9_])[A-Za-z0-9_]*(?:password|passwd|passphrase)\\s*=\\s*"
            u"('[^']*'|\"[^\"]*\"|[^\\s&;'\"]+)"_s,
            QRegularExpression::CaseInsensitiveOption);
    for (auto it = urlPassword.globalMatch(text); it.hasNext();) {
        if (!isReference(it.next().captured(1)))
            return Text::tr("a URL with a password");
    }
    for (auto it = setting.globalMatch(text); it.hasNext();) {
        if (!isReference(it.next().captured(1)))
            return Text::tr("a password= setting");
    }
    if (text.contains(u"PRIVATE KEY-----"_s))
        return Text::tr("a private key");
    return {};
}

} // namespace SecretScan
