#pragma once

#include <QSettings>
#include <QString>

/// One of the window's settings: where it is kept and what it is before anything was saved.
template<typename T> struct Setting
{
    QString key;
    T defaultValue;
};

/// The window's own state between runs (geometry, the last profile, which production
/// profiles were already announced), kept in window.ini in the configuration folder beside
/// the profiles. Every key is in the table below, with its type and default; tests point
/// the folder at a temporary one.
class WindowSettings final
{
    Q_DISABLE_COPY_MOVE(WindowSettings)

public:
    static const Setting<QByteArray> geometry;
    static const Setting<QString> lastProfile;
    /// Whether the first-time notice for this production profile was shown on this machine.
    static Setting<bool> seenProduction(const QString &profileId);

    explicit WindowSettings(const QString &configDirectory);

    template<typename T> T value(const Setting<T> &setting) const
    {
        return m_settings.value(setting.key, QVariant::fromValue(setting.defaultValue))
                .template value<T>();
    }
    template<typename T> void setValue(const Setting<T> &setting, const T &value)
    {
        // A value the file already holds is not written again: the window sets its last
        // profile on every start, and a write rewrites window.ini on the UI thread. sync()
        // first takes in what another window wrote meanwhile (a stat when nothing did).
        m_settings.sync();
        if (m_settings.contains(setting.key) && this->value(setting) == value)
            return;
        m_settings.setValue(setting.key, QVariant::fromValue(value));
    }
    /// Writes what was set to the file now (it is also written when this is destroyed).
    void sync();

private:
    QSettings m_settings;
};
