#include "ProfileBar.h"

#include "Palette.h"
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
    m_nameLabel = plainLabel(this, u"nameLabel"_s);
    QFont nameFont = m_nameLabel->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_nameLabel->setFont(nameFont);
    m_statusLightLabel = plainLabel(this, u"statusLightLabel"_s);
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
    m_urlLabel = plainLabel(this, u"urlLabel"_s);
    m_urlLabel->setFont(QFont(u"monospace"_s));
    layout->addWidget(m_urlLabel);
}

void ProfileBar::setProfile(const Profile &profile)
{
    const Palette::Pair badge = Palette::badge(profile);
    m_environmentLabel->setText(Environments::displayName(profile.environment).toUpper());
    m_environmentLabel->setStyleSheet(
            u"QLabel { background: %1; color: %2; border-radius: 4px; font-weight: bold; }"_s.arg(
                    badge.background.name(), badge.foreground.name()));
    m_nameLabel->setText(profile.name);
    m_urlLabel->setText(profile.redactedUrl());
}

void ProfileBar::setStatusLight(StatusLight state, const QString &tooltip)
{
    QColor color = Palette::neutralColor();
    QString text = tr("not tested");
    // The property keeps the fixed ids that style sheets and screen-reader scripts read.
    QString id = u"unknown"_s;
    switch (state) {
    case StatusLight::Ok:
        color = Palette::okColor();
        text = tr("connected");
        id = u"ok"_s;
        break;
    case StatusLight::Warning:
        color = Palette::cautionColor();
        text = tr("checks failed");
        id = u"warning"_s;
        break;
    case StatusLight::Failed:
        color = Palette::failColor();
        text = tr("failing");
        id = u"failed"_s;
        break;
    case StatusLight::Unknown:
        break;
    }
    m_statusLightLabel->setText(u"\u25CF "_s + text);
    m_statusLightLabel->setStyleSheet(u"QLabel { color: %1; }"_s.arg(color.name()));
    m_statusLightLabel->setToolTip(tooltip);
    m_statusLightLabel->setProperty("state", id);
}
