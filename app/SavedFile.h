#pragma once

#include <QByteArray>
#include <QString>

/// Writes a whole file in one piece, for what the user saves: an export, a chart, a catalogue.
/// The file is written beside the old one and renamed over it (QSaveFile), so a full disk or a
/// crash leaves the old file whole. It blocks on the disk: the window calls it on a pool thread.
namespace SavedFile {

enum class Access {
    /// The permissions of a new file as the user's umask gives them.
    Default,
    /// Read and write for the owner only, for a file that holds a password.
    OwnerOnly,
};

/// Empty when the file was written, else what went wrong, in the system's words.
QString write(const QString &path, const QByteArray &bytes, Access access = Access::Default);

} // namespace SavedFile
