#include "SavedFile.h"

#include <QSaveFile>

QString SavedFile::write(const QString &path, const QByteArray &bytes, Access access)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    // Before the first byte: the password never sits in a file that others may read.
    if (access == Access::OwnerOnly)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return file.errorString();
    return {};
}
