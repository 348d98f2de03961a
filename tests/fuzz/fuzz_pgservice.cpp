// pg_service.conf files. Promises: reading any bytes ends, a password line's value appears in
// no error of the import, and the named services a file holds write back (PgServiceFile::write)
// to a file that reads back to the same services, except values write() turns into comments.

#include "FuzzOracle.h"
#include "interop/PgServiceFile.h"
#include "interop/ProfileExchange.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

void checkRoundTrip(const QByteArray &content)
{
    const PgServiceFile::ParseResult read = PgServiceFile::parse(content);
    // A blank section name reads, so that the import can report it along with every other
    // name problem, but no profile can carry one, so none is ever written.
    if (!read.ok
        || std::any_of(
                read.services.cbegin(), read.services.cend(),
                [](const PgServiceFile::Service &service) { return service.name.isEmpty(); }))
        return;
    const QString written = PgServiceFile::write(read.services);
    const PgServiceFile::ParseResult reread = PgServiceFile::parse(written.toUtf8());
    if (!reread.ok || reread.services.size() != read.services.size())
        FuzzOracle::broken("written services do not read back", written + u'\n' + reread.error);
    for (qsizetype i = 0; i < read.services.size(); ++i) {
        const PgServiceFile::Service &before = read.services.at(i);
        const PgServiceFile::Service &after = reread.services.at(i);
        if (after.name != before.name)
            FuzzOracle::broken("a service name changes on the way back", written);
        for (auto it = after.params.cbegin(); it != after.params.cend(); ++it) {
            if (before.params.value(it.key()) != it.value())
                FuzzOracle::broken("a service value changes on the way back", written);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    checkRoundTrip(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));

    const FuzzOracle::PlantedPassword input(data, size, 256, 32);
    const ProfileExchange::ImportResult result = ProfileExchange::fromPgService(
            (input.before + u"\npassword="_s + input.secret + u'\n' + input.middle + input.after)
                    .toUtf8());
    FuzzOracle::expectNoSecret(result.error, input.secret,
                               "pg_service import error carries the password");
    return 0;
}
