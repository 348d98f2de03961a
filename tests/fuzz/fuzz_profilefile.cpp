// profiles.json as it may be found on disk (edited by hand, truncated, from a newer version).
// Promises: decoding any bytes ends with profiles or a reason; profiles that decode encode to a
// file that decodes; and after that first pass (which drops what a profile cannot use, such as
// the port of a disabled PgBouncer, and fractions of seconds) the file round-trips exactly.

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
    const auto normalised = ProfileStore::decode(written, &problem);
    if (!normalised)
        FuzzOracle::broken("encoded profiles do not decode", problem);
    if (normalised->size() != profiles->size())
        FuzzOracle::broken("profiles are lost on the way back", QString::fromUtf8(written));
    const QByteArray rewritten = ProfileStore::encode(*normalised);
    const auto reread = ProfileStore::decode(rewritten, &problem);
    if (!reread || *reread != *normalised || ProfileStore::encode(*reread) != rewritten)
        FuzzOracle::broken("a saved profiles file does not round-trip",
                           QString::fromUtf8(rewritten));
    return 0;
}
