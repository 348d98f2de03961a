#pragma once

#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"

#include <optional>

#include <QColor>
#include <QWidget>

class ElidedLabel;
class QLabel;

/// The bar above a profile's pages: its environment badge, name, redacted URL and the route to
/// it (via an SSH host or a tunnel command), the copy and export buttons, and the status light
/// saying whether the last connection worked.
class ProfileBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileBar)

public:
    /// Whether the last connection to the profile worked; Warning: it connected, but a
    /// required check failed.
    enum class StatusLight { Unknown, Ok, Warning, Failed };
    Q_ENUM(StatusLight)

    /// How a light looks: its colour and its word ("connected", "failing").
    struct LightLook
    {
        QColor color;
        QString text;
        /// A fixed id, for style sheets and screen-reader scripts.
        QString id;
        /// A mark that tells the lights apart without their colour.
        QString symbol;
    };
    static LightLook look(StatusLight state);
    /// The light for a finished test's health (Unknown for a cancelled one).
    static StatusLight lightOf(CheckVerdict::Health health);

    explicit ProfileBar(QWidget *parent = nullptr);

    void setProfile(const Profile &profile);
    /// Sets the light (also the label's "state" property); the tooltip says why.
    void setStatusLight(StatusLight state, const QString &tooltip);

Q_SIGNALS:
    void copyUrlClicked();
    void copyUrlWithPasswordClicked();
    void exportClicked();

private:
    void styleEnvironmentLabel();
    void styleStatusLight();

    /// What the badge and the light show, to colour them again for another palette.
    std::optional<Profile> m_profile;
    StatusLight m_light = StatusLight::Unknown;
    QLabel *m_environmentLabel = nullptr;
    ElidedLabel *m_nameLabel = nullptr;
    ElidedLabel *m_urlLabel = nullptr;
    ElidedLabel *m_routeLabel = nullptr;
    QLabel *m_statusLightLabel = nullptr;
};
