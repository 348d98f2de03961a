// .env files as people and tools write them. Promises: reading any bytes ends (linear: the
// runner's -timeout catches a slow input), and a password in a URL or on a DB_PASSWORD line
// appears in no error or warning of the import.

#include "FuzzOracle.h"
#include "interop/EnvFile.h"
#include "interop/ProfileExchange.h"

using namespace Qt::Literals::StringLiterals;

namespace {

void checkImport(const QString &content, const QString &secret)
{
    const ProfileExchange::ImportResult result = ProfileExchange::fromEnv(content.toUtf8());
    FuzzOracle::expectNoSecret(result.error, secret, ".env import error carries the password");
    for (const QString &warning : result.warnings)
        FuzzOracle::expectNoSecret(warning, secret, ".env import warning carries the password");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    EnvFile::parse(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));

    const FuzzOracle::PlantedPassword input(data, size, 256, 32);
    checkImport(input.before + input.middle + u"u:"_s + input.secret + u'@' + input.after,
                input.secret);
    checkImport(input.before + u"\nDB_PASSWORD="_s + input.secret + u'\n' + input.middle
                        + input.after,
                input.secret);
    return 0;
}
