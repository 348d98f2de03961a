// .pgpass files. Promises: reading any bytes ends, and a line's password field appears in no
// error. The reader's errors name only a line number today, so the second promise guards
// against a change that would start quoting lines; crashes and hangs are what this finds.

#include "FuzzOracle.h"
#include "interop/PgPassFile.h"

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const FuzzOracle::PlantedPassword input(data, size, 256, 64);
    const PgPassFile::ParseResult result = PgPassFile::parse(
            (input.before + u'\n' + input.middle + u':' + input.secret + u'\n' + input.after)
                    .toUtf8());
    FuzzOracle::expectNoSecret(result.error, input.secret, ".pgpass error carries the password");
    return 0;
}
