#include "WindowSettings.h"

#include <QDir>

using namespace Qt::Literals::StringLiterals;

// The keys are those of the first version: changing one would forget what users saved.
const Setting<QByteArray> WindowSettings::geometry{u"window/geometry"_s, QByteArray()};
const Setting<QString> WindowSettings::lastProfile{u"window/lastProfile"_s, QString()};

Setting<bool> WindowSettings::seenProduction(const QString &profileId)
{
    return {u"seenProduction/"_s + profileId, false};
}

WindowSettings::WindowSettings(const QString &configDirectory)
    : m_settings(QDir(configDirectory).filePath(u"window.ini"_s), QSettings::IniFormat)
{ }

void WindowSettings::sync()
{
    m_settings.sync();
}
