#include "ImportFile.h"

#include <QCoreApplication>
#include <QFile>

namespace ImportFile {

Content read(const QString &path)
{
    Content content;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        content.error = file.errorString();
        return content;
    }
    // Read one byte past the limit rather than trust size(): a pipe or /dev/zero has none.
    content.bytes = file.read(sizeLimit + 1);
    if (content.bytes.size() > sizeLimit) {
        content.bytes.clear();
        content.error = QCoreApplication::translate("ImportFile",
                                                    "the file is larger than %1 MiB, which no "
                                                    ".env, pg_service.conf, .pgpass or team "
                                                    "catalogue file is")
                                .arg(sizeLimitMiB);
        return content;
    }
    content.ok = true;
    return content;
}

} // namespace ImportFile
