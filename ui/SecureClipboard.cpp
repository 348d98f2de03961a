#include "SecureClipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QPointer>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace SecureClipboard {

namespace {

QString &lastSecret()
{
    static QString secret;
    return secret;
}

} // namespace

void copyText(const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
}

void copySecret(const QString &text, int clearAfterMilliseconds)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    // Hints that keep the secret out of clipboard histories and sync.
    mime->setData(u"x-kde-passwordManagerHint"_s, QByteArrayLiteral("secret"));
    mime->setData(u"application/x-nspasteboard-concealed-type"_s, text.toUtf8());
    mime->setData(u"ExcludeClipboardContentFromMonitorProcessing"_s, QByteArrayLiteral("1"));
    QGuiApplication::clipboard()->setMimeData(mime);
    lastSecret() = text;
    QTimer::singleShot(clearAfterMilliseconds, qApp, []() { clearSecret(); });
    static bool hooked = false;
    if (!hooked) {
        hooked = true;
        QObject::connect(qApp, &QCoreApplication::aboutToQuit, qApp, []() { clearSecret(); });
    }
}

bool clearSecret()
{
    QString &secret = lastSecret();
    if (secret.isEmpty())
        return false;
    const bool stillThere = QGuiApplication::clipboard()->text() == secret;
    if (stillThere)
        QGuiApplication::clipboard()->clear();
    secret.fill(u'\0');
    secret.clear();
    return stillThere;
}

} // namespace SecureClipboard
