#include "ProfileDetailsView.h"

#include "connection/SslModes.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QLabel *plainLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // Everything here may come from a file or a server: never interpret it as rich text.
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ProfileDetailsView::ProfileDetailsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);

    auto *header = new QHBoxLayout;
    m_environmentLabel = plainLabel(this, u"environmentLabel"_s);
    m_environmentLabel->setContentsMargins(8, 2, 8, 2);
    m_nameLabel = plainLabel(this, u"nameLabel"_s);
    QFont nameFont = m_nameLabel->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.4);
    nameFont.setBold(true);
    m_nameLabel->setFont(nameFont);
    header->addWidget(m_environmentLabel);
    header->addWidget(m_nameLabel, 1);
    layout->addLayout(header);

    m_urlLabel = plainLabel(this, u"urlLabel"_s);
    m_urlLabel->setFont(QFont(u"monospace"_s));
    layout->addWidget(m_urlLabel);

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_hostLabel = addRow(tr("Host"), u"hostLabel"_s);
    m_portLabel = addRow(tr("Port"), u"portLabel"_s);
    m_databaseLabel = addRow(tr("Database"), u"databaseLabel"_s);
    m_userLabel = addRow(tr("User"), u"userLabel"_s);
    m_passwordLabel = addRow(tr("Password"), u"passwordLabel"_s);
    m_sslModeLabel = addRow(tr("SSL mode"), u"sslModeLabel"_s);
    m_otherParamsLabel = addRow(tr("Other parameters"), u"otherParamsLabel"_s);
    m_poolLabel = addRow(tr("Pool"), u"poolLabel"_s);
    m_extensionsLabel = addRow(tr("Required extensions"), u"extensionsLabel"_s);
    m_notesLabel = addRow(tr("Notes"), u"notesLabel"_s);
    // QFormLayout sizes a word-wrapped label by its minimum width; only the free text wraps.
    m_notesLabel->setWordWrap(true);
    m_notesLabel->setMinimumWidth(320);
    layout->addLayout(m_form);
    layout->addStretch(1);
}

ProfileDetailsView::~ProfileDetailsView() = default;

QLabel *ProfileDetailsView::addRow(const QString &label, const QString &objectName)
{
    QLabel *value = plainLabel(this, objectName);
    m_form->addRow(label, value);
    return value;
}

void ProfileDetailsView::setProfile(const Profile &profile)
{
    const QColor color = Environments::color(profile.environment);
    m_environmentLabel->setText(Environments::displayName(profile.environment).toUpper());
    m_environmentLabel->setStyleSheet(
            u"QLabel { background: %1; color: white; border-radius: 4px; font-weight: bold; }"_s
                    .arg(color.name()));
    m_nameLabel->setText(profile.name);
    m_urlLabel->setText(profile.redactedUrl());

    const QMap<QString, QString> &params = profile.params;
    m_hostLabel->setText(params.value(u"host"_s, tr("(libpq default)")));
    m_portLabel->setText(params.value(u"port"_s, tr("(libpq default)")));
    m_databaseLabel->setText(params.value(u"dbname"_s, tr("(libpq default)")));
    m_userLabel->setText(params.value(u"user"_s, tr("(libpq default)")));
    m_passwordLabel->setText(
            profile.hasStoredPassword()
                    ? tr("Stored in the system keychain (changed %1)")
                              .arg(QLocale().toString(profile.passwordChangedAt.toLocalTime(),
                                                      QLocale::ShortFormat))
                    : tr("Not stored: libpq's own sources (PGPASSWORD, .pgpass) or none"));
    const QString sslMode = params.value(u"sslmode"_s);
    m_sslModeLabel->setText(sslMode.isEmpty()
                                    ? tr("prefer (libpq default): %1")
                                              .arg(SslModes::meaning(SslModes::defaultMode()))
                                    : u"%1: %2"_s.arg(sslMode, SslModes::meaning(sslMode)));

    QStringList others;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        static const QStringList shown{u"host"_s, u"port"_s, u"dbname"_s, u"user"_s, u"sslmode"_s};
        if (!shown.contains(it.key()))
            others << it.key() + u'=' + it.value();
    }
    m_otherParamsLabel->setText(others.isEmpty() ? tr("none") : others.join(u"\n"_s));

    const PoolSettings &pool = profile.pool;
    if (pool.poolClass == PoolSettings::PoolClass::NullPool)
        m_poolLabel->setText(tr("NullPool, %1 worker(s) x %2 concurrent: up to %3 connections")
                                     .arg(pool.workers)
                                     .arg(pool.expectedConcurrency)
                                     .arg(pool.capacity()));
    else
        m_poolLabel->setText(tr("pool_size %1 + max_overflow %2, %3 worker(s): up to %4 "
                                "connections; pool_recycle %5 s, pool_pre_ping %6")
                                     .arg(pool.poolSize)
                                     .arg(pool.maxOverflow)
                                     .arg(pool.workers)
                                     .arg(pool.capacity())
                                     .arg(pool.poolRecycleSeconds)
                                     .arg(pool.prePing ? tr("on") : tr("off")));
    QStringList extensions;
    for (const QString &requirement : profile.requiredExtensions)
        extensions << QString(requirement).replace(u'|', tr(" or "));
    m_extensionsLabel->setText(extensions.isEmpty() ? tr("none") : extensions.join(u", "_s));
    m_notesLabel->setText(profile.notes.isEmpty() ? tr("none") : profile.notes);
}
