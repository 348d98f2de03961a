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
        followFiles();
        if (!m_throttle->isActive())
            m_throttle->start();
    };
    // The folder tells about the files created, replaced and deleted; each file about writes.
    const QString folder = QFileInfo(path).absolutePath();
    QDir().mkpath(folder);
    m_watcher->addPath(folder);
    followFiles();
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, onChange);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, onChange);
}

void HistoryChanges::followFiles()
{
    for (const QString &file : {m_path, QString(m_path + u"-wal"_s)}) {
        if (!m_watcher->files().contains(file) && QFileInfo::exists(file))
            m_watcher->addPath(file);
    }
}
