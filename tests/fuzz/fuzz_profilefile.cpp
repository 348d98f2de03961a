// profiles.json as it may be found on disk (edited by hand, truncated, from a newer version).
// Promises: decoding any bytes ends with profiles or a reason, and profiles that decode encode
// to a file that decodes to the same profiles, byte for byte the second time.

#include "FuzzOracle.h"
#include "profiles/ProfileStore.h"

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString problem;
    const auto profiles = ProfileStore::decode(
            QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)),
            &problem);
    if (!profiles) {
        if (problem.isEmpty())
            FuzzOracle::broken("a file that does not decode gives no reason", {});
        return 0;
    }
    const QByteArray written = ProfileStore::encode(*profiles);
    const auto reread = ProfileStore::decode(written, &problem);
    if (!reread)
        FuzzOracle::broken("encoded profiles do not decode", problem);
    if (*reread != *profiles)
        FuzzOracle::broken("profiles change on the way back", QString::fromUtf8(written));
    if (ProfileStore::encode(*reread) != written)
        FuzzOracle::broken("encoding is not stable", QString::fromUtf8(written));
    return 0;
}
