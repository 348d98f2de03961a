#include "ProfileBar.h"

#include "ElidedLabel.h"
#include "Palette.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QLabel *plainLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ProfileBar::ProfileBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    m_environmentLabel = plainLabel(this, u"environmentLabel"_s);
    m_environmentLabel->setContentsMargins(8, 2, 8, 2);
    // A long name or URL is cut short with "…" (whole in the tooltip): it never widens the
    // window.
    m_nameLabel = new ElidedLabel(this);
    m_nameLabel->setObjectName(u"nameLabel"_s);
    QFont nameFont = m_nameLabel->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_nameLabel->setFont(nameFont);
    m_statusLightLabel = plainLabel(this, u"statusLightLabel"_s);
    Palette::whenSchemeChanges(this, [this]() {
        styleEnvironmentLabel();
        styleStatusLight();
    });
    auto *copyUrl = new QPushButton(tr("Copy URL"), this);
    copyUrl->setObjectName(u"copyUrlButton"_s);
    copyUrl->setToolTip(tr("Copies the URL without the password"));
    auto *copySecretUrl = new QPushButton(tr("Copy with password"), this);
    copySecretUrl->setObjectName(u"copyUrlWithPasswordButton"_s);
    copySecretUrl->setToolTip(
            tr("Copies the URL with the password; cleared from the clipboard after "
               "30 seconds"));
    auto *exportButton = new QPushButton(tr("Export..."), this);
    exportButton->setObjectName(u"exportButton"_s);
    header->addWidget(m_environmentLabel);
    header->addWidget(m_nameLabel);
    header->addStretch(1);
    header->addWidget(copyUrl);
    header->addWidget(copySecretUrl);
    header->addWidget(exportButton);
    header->addWidget(m_statusLightLabel);
    connect(copyUrl, &QPushButton::clicked, this, &ProfileBar::copyUrlClicked);
    connect(copySecretUrl, &QPushButton::clicked, this, &ProfileBar::copyUrlWithPasswordClicked);
    connect(exportButton, &QPushButton::clicked, this, &ProfileBar::exportClicked);
    layout->addLayout(header);
    m_urlLabel = new ElidedLabel(this);
    m_urlLabel->setObjectName(u"urlLabel"_s);
    m_urlLabel->setFont(QFont(u"monospace"_s));
    // Next to the URL: its host is as the route's last hop sees it. Both are cut short rather
    // than widen the window, and the stretch keeps the route at the URL's end.
    m_routeLabel = new ElidedLabel(this);
    m_routeLabel->setObjectName(u"routeLabel"_s);
    m_routeLabel->hide();
    auto *urlLayout = new QHBoxLayout;
    urlLayout->addWidget(m_urlLabel);
    urlLayout->addWidget(m_routeLabel);
    urlLayout->addStretch(1);
    layout->addLayout(urlLayout);
}

void ProfileBar::setProfile(const Profile &profile)
{
    m_profile = profile;
    m_environmentLabel->setText(Environments::displayName(profile.environment).toUpper());
    styleEnvironmentLabel();
    m_nameLabel->setFullText(profile.name);
    m_urlLabel->setFullText(profile.redactedUrl());
    m_routeLabel->setFullText(profile.route.via(), profile.route.redacted());
    m_routeLabel->setVisible(!profile.route.isDirect());
}

ProfileBar::LightLook ProfileBar::look(StatusLight state)
{
    switch (state) {
    case StatusLight::Ok:
        return {Palette::okColor(), tr("connected"), u"ok"_s, u"\u2713"_s};
    case StatusLight::Warning:
        return {Palette::cautionColor(), tr("checks failed"), u"warning"_s, u"!"_s};
    case StatusLight::Failed:
        return {Palette::failColor(), tr("failing"), u"failed"_s, u"\u2717"_s};
    case StatusLight::Unknown:
        break;
    }
    return {Palette::neutralColor(), tr("not tested"), u"unknown"_s, u"\u25CB"_s};
}

ProfileBar::StatusLight ProfileBar::lightOf(CheckVerdict::Health health)
{
    // The light says what the Test page's headline says.
    switch (health) {
    case CheckVerdict::Health::Healthy:
        return StatusLight::Ok;
    case CheckVerdict::Health::ChecksFailed:
        return StatusLight::Warning;
    case CheckVerdict::Health::Failed:
        return StatusLight::Failed;
    case CheckVerdict::Health::Cancelled:
        break;
    }
    return StatusLight::Unknown;
}

void ProfileBar::setStatusLight(StatusLight state, const QString &tooltip)
{
    m_light = state;
    const LightLook light = look(state);
    m_statusLightLabel->setText(u"\u25CF "_s + light.text);
    styleStatusLight();
    m_statusLightLabel->setToolTip(tooltip);
    m_statusLightLabel->setProperty("state", light.id);
}

void ProfileBar::styleEnvironmentLabel()
{
    if (!m_profile)
        return;
    const Palette::Pair badge = Palette::badge(*m_profile);
    m_environmentLabel->setStyleSheet(
            u"QLabel { background: %1; color: %2; border-radius: 4px; font-weight: bold; }"_s.arg(
                    badge.background.name(), badge.foreground.name()));
}

void ProfileBar::styleStatusLight()
{
    m_statusLightLabel->setStyleSheet(u"QLabel { color: %1; }"_s.arg(look(m_light).color.name()));
}
