#pragma once

// What every fuzz target shares: a password planted in the input where a user would type one,
// and the way an oracle reports a broken promise (abort, so that libFuzzer keeps the input).

#include <QString>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

namespace FuzzOracle {

// An input split into a password and the text around it: the target places the password
// where a user would type one and the fuzzer decides everything else. The password is long
// enough that ConnectionUrl::scrub replaces it wherever it appears, and made only of letters
// and digits, so that the surrounding text decides the structure.
struct PlantedPassword
{
    QString secret;
    QString before;
    QString middle;
    QString after;

    PlantedPassword(const uint8_t *data, size_t size, size_t beforeLength, size_t middleLength)
    {
        static constexpr char alphabet[]
                = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        FuzzedDataProvider provider(data, size);
        const size_t length = provider.ConsumeIntegralInRange<size_t>(8, 24);
        for (size_t i = 0; i < length; ++i)
            secret += QChar::fromLatin1(
                    alphabet[provider.ConsumeIntegralInRange<size_t>(0, sizeof alphabet - 2)]);
        before = QString::fromStdString(provider.ConsumeRandomLengthString(beforeLength));
        middle = QString::fromStdString(provider.ConsumeRandomLengthString(middleLength));
        after = QString::fromStdString(provider.ConsumeRemainingBytesAsString());
        // Found only where it is planted: an error may quote the text around it, and that text
        // may happen to hold the same characters ("0000..."), which is no leak. The targets
        // join the pieces in these orders.
        const QString around
                = before + middle + after + u'\n' + after + before + u'\n' + middle + before;
        while (around.contains(secret))
            secret += QChar::fromLatin1(alphabet[size_t(secret.size()) % (sizeof alphabet - 1)]);
    }
};

[[noreturn]] inline void broken(const char *promise, const QString &detail)
{
    // Written whole: the detail may hold a NUL, where printf's %s would stop.
    const QByteArray bytes = detail.toUtf8();
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fputc('\n', stderr);
    std::abort();
}

// No error or warning a reader gives may carry the password it was handed.
inline void expectNoSecret(const QString &message, const QString &secret, const char *where)
{
    if (!secret.isEmpty() && message.contains(secret))
        broken(where,
               QStringLiteral("message: ") + message + QStringLiteral("\nsecret: ") + secret);
}

} // namespace FuzzOracle
