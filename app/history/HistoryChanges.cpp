#include "HistoryChanges.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

HistoryChanges::HistoryChanges(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_watcher(new QFileSystemWatcher(this))
    , m_throttle(new QTimer(this))
{
    m_throttle->setSingleShot(true);
    m_throttle->setInterval(ThrottleMs);
    connect(m_throttle, &QTimer::timeout, this, &HistoryChanges::changed);
    auto onChange = [this]() {
        if (!m_throttle->isActive())
            m_throttle->start();
    };
    // The folder tells about the files created, replaced and deleted; each file about writes.
    const QString folder = QFileInfo(path).absolutePath();
    QDir().mkpath(folder);
    m_watcher->addPath(folder);
    followFiles();
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this, onChange]() {
        followFiles();
        onChange();
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, onChange);
}

void HistoryChanges::followFiles()
{
    // Watched anew each time: a file deleted or renamed over while a program holds it open
    // keeps its old inode watched, and the new file at the path would go unheard.
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    for (const QString &file : {m_path, QString(m_path + u"-wal"_s)}) {
        if (QFileInfo::exists(file))
            m_watcher->addPath(file);
    }
}
