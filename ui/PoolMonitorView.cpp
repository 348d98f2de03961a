#include "PoolMonitorView.h"

#include "AsyncTask.h"
#include "PageScrollArea.h"
#include "Palette.h"
#include "PoolChart.h"
#include "SavedFile.h"
#include "history/HistoryReader.h"
#include "history/HistoryStore.h"
#include "pool/ActivitySampler.h"
#include "pool/EngineSnippet.h"
#include "pool/PgBouncerRoute.h"
#include "pool/PoolCalculator.h"
#include "pool/PoolPresets.h"
#include "pool/PoolerReader.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"
#include "tunnel/TunnelRegistry.h"

#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 NothingRead = std::numeric_limits<qint64>::max();

QSpinBox *spinBox(QWidget *parent, const QString &name, const QString &accessibleName,
                  PoolSettings::Range range)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(range.minimum, range.maximum);
    box->setAccessibleName(accessibleName);
    return box;
}

QLabel *textLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

PoolMonitorView::PoolMonitorView(SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_resolver(new PasswordResolver(secrets, this))
    , m_sampler(new ActivitySampler(this))
    , m_poolerReader(new PoolerReader(this))
    , m_clock(std::make_shared<SystemClock>())
    , m_samplesReadFrom(NothingRead)
    , m_minutesReadFrom(NothingRead)
    , m_minuteTimer(new QTimer(this))
{
    auto *outer = new QVBoxLayout(this);
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);

    // The chart first: it is what people come here for.
    auto *controls = new QHBoxLayout;
    m_statusLabel = textLabel(content, u"samplerStatusLabel"_s);
    m_windowComboBox = new QComboBox(content);
    m_windowComboBox->setObjectName(u"windowComboBox"_s);
    m_windowComboBox->addItem(tr("5 minutes"), qint64(5) * 60 * 1000);
    m_windowComboBox->addItem(tr("1 hour"), qint64(3600) * 1000);
    m_windowComboBox->addItem(tr("24 hours"), qint64(24) * 3600 * 1000);
    m_windowComboBox->addItem(tr("7 days"), qint64(7) * 24 * 3600 * 1000);
    m_windowComboBox->addItem(tr("30 days"), qint64(30) * 24 * 3600 * 1000);
    m_seriesComboBox = new QComboBox(content);
    m_seriesComboBox->setObjectName(u"seriesComboBox"_s);
    m_seriesComboBox->addItems({tr("By state"), tr("By application")});
    m_pauseButton = new QPushButton(tr("Pause"), content);
    m_pauseButton->setObjectName(u"pauseButton"_s);
    m_pauseButton->setCheckable(true);
    auto *pngButton = new QPushButton(tr("Export PNG..."), content);
    pngButton->setObjectName(u"exportPngButton"_s);
    auto *csvButton = new QPushButton(tr("Export CSV..."), content);
    csvButton->setObjectName(u"exportCsvButton"_s);
    // Visible labels: a screen reader names a combo box by its label, not by a name set on it.
    auto *windowLabel = new QLabel(tr("&Show"), content);
    windowLabel->setBuddy(m_windowComboBox);
    auto *seriesLabel = new QLabel(tr("&Group"), content);
    seriesLabel->setBuddy(m_seriesComboBox);
    // The sentence above the controls, across the page: beside them it was squeezed into a
    // column a few words wide.
    layout->addWidget(m_statusLabel);
    controls->addWidget(windowLabel);
    controls->addWidget(m_windowComboBox);
    controls->addWidget(seriesLabel);
    controls->addWidget(m_seriesComboBox);
    controls->addWidget(m_pauseButton);
    controls->addWidget(pngButton);
    controls->addWidget(csvButton);
    controls->addStretch(1);
    layout->addLayout(controls);
    // Where an export says it was saved, or why not; there from the first export on.
    m_exportLabel = textLabel(content, u"exportLabel"_s);
    m_exportLabel->hide();
    layout->addWidget(m_exportLabel);

    m_chart = new PoolChart(content);
    m_chart->setObjectName(u"poolChart"_s);
    m_chart->setHistory(&m_history);
    m_chart->setMinuteHistory(&m_minutes);
    m_chart->setAccessibleName(tr("Connections over time"));
    layout->addWidget(m_chart);
    // The incidents of the window, under the chart they point into.
    auto *incidentsRow = new QHBoxLayout;
    m_incidentsLabel = textLabel(content, u"incidentsLabel"_s);
    m_wholeWindowButton = new QPushButton(content);
    m_wholeWindowButton->setObjectName(u"wholeWindowButton"_s);
    m_wholeWindowButton->hide();
    incidentsRow->addWidget(m_incidentsLabel, 1);
    incidentsRow->addWidget(m_wholeWindowButton);
    layout->addLayout(incidentsRow);
    m_incidentListWidget = new QListWidget(content);
    m_incidentListWidget->setObjectName(u"incidentListWidget"_s);
    m_incidentListWidget->setAccessibleName(tr("Incidents in the window shown"));
    m_incidentListWidget->setToolTip(tr("Click an incident, or press Enter on it, to zoom to it"));
    m_incidentListWidget->hide();
    m_incidentsLabel->setBuddy(m_incidentListWidget);
    layout->addWidget(m_incidentListWidget);
    m_bouncerStatusLabel = textLabel(content, u"pgbouncerStatusLabel"_s);
    m_bouncerStatusLabel->hide();
    layout->addWidget(m_bouncerStatusLabel);
    m_bouncerChart = new PoolChart(content);
    m_bouncerChart->setObjectName(u"pgbouncerChart"_s);
    m_bouncerChart->setHistory(&m_history);
    m_bouncerChart->setMinuteHistory(&m_minutes);
    m_bouncerChart->setSeries(SampleHistory::Series::PgBouncer);
    m_bouncerChart->setAccessibleName(tr("PgBouncer pools over time"));
    m_bouncerChart->hide();
    layout->addWidget(m_bouncerChart);

    connect(m_windowComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        m_chart->setWindow(window());
        m_bouncerChart->setWindow(window());
        // The minutes keep sessions by state, not by application.
        m_seriesComboBox->setEnabled(!m_chart->drawsMinutes());
        showWholeWindow();
        readHistory();
    });
    connect(m_incidentListWidget, &QListWidget::itemClicked, this,
            &PoolMonitorView::zoomToIncident);
    connect(m_incidentListWidget, &QListWidget::itemActivated, this,
            &PoolMonitorView::zoomToIncident);
    connect(m_wholeWindowButton, &QPushButton::clicked, this, &PoolMonitorView::showWholeWindow);
    // Samples reach the minutes a minute at a time: a long window reads the newest ones as
    // they are summed up.
    m_minuteTimer->setInterval(int(MinuteHistory::MinuteMsecs));
    connect(m_minuteTimer, &QTimer::timeout, this, [this]() {
        if (m_chart->drawsMinutes() && isVisible())
            readMinutes(qMax(m_minutes.lastMsecs(), m_minutesReadFrom),
                        m_clock->now().toMSecsSinceEpoch() + 1);
    });
    m_minuteTimer->start();
    connect(m_seriesComboBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_chart->setSeries(index == 0 ? SampleHistory::Series::ByState
                                      : SampleHistory::Series::ByApplication);
    });
    connect(m_pauseButton, &QPushButton::toggled, this, [this](bool paused) {
        m_chart->setPaused(paused);
        m_bouncerChart->setPaused(paused);
        m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    });
    connect(pngButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(
                this, tr("Export chart"), u"connections.png"_s, tr("PNG image (*.png)"));
        if (!path.isEmpty())
            exportPng(path);
    });
    connect(csvButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export samples"),
                                                          u"connections.csv"_s, tr("CSV (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });

    buildSettings(content, layout);
    layout->addStretch(1);
    outer->addWidget(
            pageScrollArea(content, u"poolScrollArea"_s, tr("Pool"), ScrollFocus::Controls, this));

    connect(m_sampler, &ActivitySampler::sampleReceived, this, &PoolMonitorView::onSample);
}

PoolMonitorView::~PoolMonitorView() = default;

void PoolMonitorView::buildSettings(QWidget *parent, QVBoxLayout *layout)
{
    auto *settings = new QGroupBox(tr("Pool settings (SQLAlchemy create_engine)"), parent);
    auto *form = new QFormLayout(settings);
    m_presetComboBox = new QComboBox(settings);
    m_presetComboBox->setObjectName(u"presetComboBox"_s);
    m_presetComboBox->addItem(tr("Custom"), QString());
    for (const PoolPreset &preset : PoolPresets::all())
        m_presetComboBox->addItem(preset.name, preset.id);
    form->addRow(tr("Preset"), m_presetComboBox);
    m_poolClassComboBox = new QComboBox(settings);
    m_poolClassComboBox->setObjectName(u"poolClassComboBox"_s);
    m_poolClassComboBox->addItems({u"QueuePool"_s, u"NullPool"_s});
    form->addRow(tr("Pool class"), m_poolClassComboBox);
    m_poolSizeSpinBox
            = spinBox(settings, u"poolSizeSpinBox"_s, tr("Pool size per worker (pool_size)"),
                      PoolSettings::poolSizeRange);
    form->addRow(u"pool_size"_s, m_poolSizeSpinBox);
    m_maxOverflowSpinBox = spinBox(settings, u"maxOverflowSpinBox"_s,
                                   tr("Extra connections per worker under load (max_overflow)"),
                                   PoolSettings::maxOverflowRange);
    form->addRow(u"max_overflow"_s, m_maxOverflowSpinBox);
    m_workersSpinBox = spinBox(settings, u"workersSpinBox"_s, tr("Worker processes"),
                               PoolSettings::workersRange);
    form->addRow(tr("Worker processes"), m_workersSpinBox);
    m_concurrencySpinBox = spinBox(settings, u"concurrencySpinBox"_s,
                                   tr("Concurrent requests per worker (NullPool)"),
                                   PoolSettings::concurrencyRange);
    form->addRow(tr("Concurrent requests per worker (NullPool)"), m_concurrencySpinBox);
    m_timeoutSpinBox = spinBox(settings, u"poolTimeoutSpinBox"_s,
                               tr("Seconds to wait for a free connection (pool_timeout)"),
                               PoolSettings::poolTimeoutRange);
    form->addRow(u"pool_timeout (s)"_s, m_timeoutSpinBox);
    m_recycleSpinBox = spinBox(settings, u"poolRecycleSpinBox"_s,
                               tr("Seconds before a connection is replaced (pool_recycle)"),
                               PoolSettings::poolRecycleRange);
    form->addRow(u"pool_recycle (s)"_s, m_recycleSpinBox);
    m_prePingCheckBox = new QCheckBox(u"pool_pre_ping"_s, settings);
    m_prePingCheckBox->setObjectName(u"prePingCheckBox"_s);
    m_prePingCheckBox->setAccessibleName(tr("Check each connection before use (pool_pre_ping)"));
    form->addRow(QString(), m_prePingCheckBox);
    m_applicationLineEdit = new QLineEdit(settings);
    m_applicationLineEdit->setObjectName(u"poolApplicationNameLineEdit"_s);
    m_applicationLineEdit->setAccessibleName(tr("Application name (application_name)"));
    m_applicationLineEdit->setPlaceholderText(tr("the application's application_name"));
    form->addRow(u"application_name"_s, m_applicationLineEdit);
    m_bouncerCheckBox = new QCheckBox(tr("Read PgBouncer's admin console"), settings);
    m_bouncerCheckBox->setObjectName(u"pgbouncerCheckBox"_s);
    auto *bouncerRow = new QHBoxLayout;
    m_bouncerHostLineEdit = new QLineEdit(settings);
    m_bouncerHostLineEdit->setObjectName(u"pgbouncerHostLineEdit"_s);
    m_bouncerHostLineEdit->setAccessibleName(tr("PgBouncer host"));
    m_bouncerHostLineEdit->setPlaceholderText(tr("host (default: the profile's)"));
    m_bouncerPortSpinBox
            = spinBox(settings, u"pgbouncerPortSpinBox"_s, tr("PgBouncer port"), {1, 65535});
    bouncerRow->addWidget(m_bouncerCheckBox);
    bouncerRow->addWidget(m_bouncerHostLineEdit, 1);
    bouncerRow->addWidget(m_bouncerPortSpinBox);
    form->addRow(u"PgBouncer"_s, bouncerRow);
    layout->addWidget(settings);

    auto *calculator = new QGroupBox(tr("Pool calculator"), parent);
    auto *calcLayout = new QFormLayout(calculator);
    auto *inputs = new QHBoxLayout;
    m_coresSpinBox = spinBox(calculator, u"coresSpinBox"_s, tr("Database server cores"), {1, 1024});
    m_coresSpinBox->setValue(qMax(1, QThread::idealThreadCount()));
    m_spindlesSpinBox
            = spinBox(calculator, u"spindlesSpinBox"_s, tr("Effective spindles"), {0, 1024});
    m_spindlesSpinBox->setValue(1);
    inputs->addWidget(new QLabel(tr("Database server cores"), calculator));
    inputs->addWidget(m_coresSpinBox);
    inputs->addWidget(new QLabel(tr("Effective spindles"), calculator));
    inputs->addWidget(m_spindlesSpinBox);
    inputs->addStretch(1);
    calcLayout->addRow(inputs);
    m_recommendationLabel = textLabel(calculator, u"recommendationLabel"_s);
    calcLayout->addRow(m_recommendationLabel);
    m_budgetLabel = textLabel(calculator, u"budgetLabel"_s);
    // The budget's and PgBouncer's warnings, coloured again for another palette; the rest of
    // the page (the snippet and its selection) stays as it is.
    Palette::whenSchemeChanges(m_budgetLabel, [this]() { styleWarnings(); });
    calcLayout->addRow(m_budgetLabel);
    m_poolerLabel = textLabel(calculator, u"poolerFindingsLabel"_s);
    m_poolerLabel->setAccessibleName(tr("PgBouncer's settings against the pool settings"));
    m_poolerLabel->hide();
    calcLayout->addRow(m_poolerLabel);
    m_snippetTextEdit = new QPlainTextEdit(calculator);
    m_snippetTextEdit->setObjectName(u"snippetTextEdit"_s);
    m_snippetTextEdit->setAccessibleName(tr("SQLAlchemy create_engine snippet"));
    m_snippetTextEdit->setReadOnly(true);
    m_snippetTextEdit->setFont(QFont(u"monospace"_s));
    m_snippetTextEdit->setMinimumHeight(200);
    calcLayout->addRow(m_snippetTextEdit);
    auto *copy = new QPushButton(tr("Copy snippet"), calculator);
    copy->setObjectName(u"copySnippetButton"_s);
    connect(copy, &QPushButton::clicked, this,
            [this]() { QGuiApplication::clipboard()->setText(m_snippetTextEdit->toPlainText()); });
    calcLayout->addRow(copy);
    layout->addWidget(calculator);

    const auto changed = [this]() {
        readSettings();
    };
    for (QSpinBox *box :
         {m_poolSizeSpinBox, m_maxOverflowSpinBox, m_workersSpinBox, m_concurrencySpinBox,
          m_timeoutSpinBox, m_recycleSpinBox, m_bouncerPortSpinBox})
        connect(box, &QSpinBox::valueChanged, this, changed);
    connect(m_poolClassComboBox, &QComboBox::currentIndexChanged, this, changed);
    connect(m_prePingCheckBox, &QCheckBox::toggled, this, changed);
    connect(m_bouncerCheckBox, &QCheckBox::toggled, this, changed);
    connect(m_applicationLineEdit, &QLineEdit::editingFinished, this, changed);
    connect(m_bouncerHostLineEdit, &QLineEdit::editingFinished, this, changed);
    connect(m_presetComboBox, &QComboBox::activated, this, [this](int index) {
        const QString id = m_presetComboBox->itemData(index).toString();
        for (const PoolPreset &preset : PoolPresets::all()) {
            if (preset.id != id)
                continue;
            // Put the preset into the fields, then read them back like any edit.
            m_loading = true;
            m_poolClassComboBox->setCurrentIndex(
                    preset.poolClass == PoolSettings::PoolClass::NullPool ? 1 : 0);
            m_poolSizeSpinBox->setValue(preset.poolSize);
            m_maxOverflowSpinBox->setValue(preset.maxOverflow);
            m_loading = false;
            readSettings();
        }
    });
    connect(m_coresSpinBox, &QSpinBox::valueChanged, this, &PoolMonitorView::updateCalculator);
    connect(m_spindlesSpinBox, &QSpinBox::valueChanged, this, &PoolMonitorView::updateCalculator);
}

void PoolMonitorView::showSettings()
{
    m_loading = true;
    const PoolSettings &pool = m_profile.pool;
    const auto preset = PoolPresets::matching(pool);
    m_presetComboBox->setCurrentIndex(preset ? m_presetComboBox->findData(preset->id) : 0);
    m_poolClassComboBox->setCurrentIndex(pool.poolClass == PoolSettings::PoolClass::NullPool ? 1
                                                                                             : 0);
    m_poolSizeSpinBox->setValue(pool.poolSize);
    m_maxOverflowSpinBox->setValue(pool.maxOverflow);
    m_workersSpinBox->setValue(pool.workers);
    m_concurrencySpinBox->setValue(pool.expectedConcurrency);
    m_timeoutSpinBox->setValue(pool.poolTimeoutSeconds);
    m_recycleSpinBox->setValue(pool.poolRecycleSeconds);
    m_prePingCheckBox->setChecked(pool.prePing);
    m_applicationLineEdit->setText(pool.applicationName);
    m_bouncerCheckBox->setChecked(m_profile.pgbouncer.enabled);
    m_bouncerHostLineEdit->setText(m_profile.pgbouncer.host);
    m_bouncerPortSpinBox->setValue(m_profile.pgbouncer.port);
    const bool nullPool = pool.poolClass == PoolSettings::PoolClass::NullPool;
    m_poolSizeSpinBox->setEnabled(!nullPool);
    m_maxOverflowSpinBox->setEnabled(!nullPool);
    m_concurrencySpinBox->setEnabled(nullPool);
    m_loading = false;
    updateCalculator();
}

void PoolMonitorView::readSettings()
{
    if (m_loading)
        return;
    Profile edited = m_profile;
    PoolSettings &pool = edited.pool;
    pool.poolClass = m_poolClassComboBox->currentIndex() == 1 ? PoolSettings::PoolClass::NullPool
                                                              : PoolSettings::PoolClass::QueuePool;
    pool.poolSize = m_poolSizeSpinBox->value();
    pool.maxOverflow = m_maxOverflowSpinBox->value();
    pool.workers = m_workersSpinBox->value();
    pool.expectedConcurrency = m_concurrencySpinBox->value();
    pool.poolTimeoutSeconds = m_timeoutSpinBox->value();
    pool.poolRecycleSeconds = m_recycleSpinBox->value();
    pool.prePing = m_prePingCheckBox->isChecked();
    pool.applicationName = m_applicationLineEdit->text().trimmed();
    edited.pgbouncer.enabled = m_bouncerCheckBox->isChecked();
    edited.pgbouncer.host = m_bouncerHostLineEdit->text().trimmed();
    edited.pgbouncer.port = m_bouncerPortSpinBox->value();
    if (edited == m_profile)
        return;
    // Shown at once (calculator, snippet); saved by the owner, whose change signal brings the
    // saved profile back through setProfile.
    setProfile(edited, m_allProfiles);
    Q_EMIT poolSettingsEdited(edited.id, edited.pool, edited.pgbouncer);
}

void PoolMonitorView::updateCalculator()
{
    const int cores = m_coresSpinBox->value();
    const int spindles = m_spindlesSpinBox->value();
    const PoolCalculator::Tier tier = PoolCalculator::tierFor(m_profile.pool.workers);
    m_recommendationLabel->setText(
            tr("Formula: pool_size = cores x 2 + effective spindles = %1 x 2 + %2 = %3 "
               "connections for the whole server. For %4 worker process(es) the document's tier "
               "is %5 (%6): pool_size=%7, max_overflow=%8.")
                    .arg(cores)
                    .arg(spindles)
                    .arg(PoolCalculator::recommendedPoolSize(cores, spindles))
                    .arg(m_profile.pool.workers)
                    .arg(tier.name, tier.workers)
                    .arg(tier.poolSize)
                    .arg(tier.maxOverflow));
    const PoolCalculator::Budget budget
            = PoolCalculator::budget(m_allProfiles, m_profile, m_serverCapacity);
    QStringList lines;
    for (const PoolCalculator::BudgetEntry &entry : budget.entries)
        lines << u"\u2022 %1 (%2): up to %3"_s
                         .arg(entry.profileName, Environments::displayName(entry.environment))
                         .arg(entry.capacity);
    lines << budget.verdict();
    m_budgetLabel->setText(tr("Profiles on this server:\n") + lines.join(u'\n'));
    m_overBudget = budget.exceeds();
    // Rewritten only when it changes: the page recalculates as samples arrive, and a new text
    // would drop what the user has selected to copy.
    const QString snippet = EngineSnippet::createEngine(m_profile);
    if (m_snippetTextEdit->toPlainText() != snippet)
        m_snippetTextEdit->setPlainText(snippet);
    m_chart->setPoolCapacity(m_profile.pool.capacity());
    m_poolerLabel->setVisible(m_profile.pgbouncer.enabled);
    const auto pooler = poolerReport();
    m_poolerLabel->setText(pooler ? pooler->text()
                                  : tr("PgBouncer's settings are read when this page samples."));
    m_poolerHasFindings = pooler && !pooler->findings.isEmpty();
    styleWarnings();
}

void PoolMonitorView::styleWarnings()
{
    m_budgetLabel->setStyleSheet(m_overBudget ? Palette::strongErrorTextStyle() : QString());
    m_poolerLabel->setStyleSheet(m_poolerHasFindings ? Palette::cautionTextStyle() : QString());
}

std::optional<PoolerReport> PoolMonitorView::poolerReport() const
{
    if (!m_profile.pgbouncer.enabled || !m_poolerSettings)
        return std::nullopt;
    return PoolerReport::of(*m_poolerSettings, m_profile, m_serverCapacity);
}

void PoolMonitorView::setProfile(const Profile &profile, const QList<Profile> &allProfiles)
{
    const bool sameProfile = profile.id == m_profile.id;
    const bool sameTarget
            = profile.connectsLike(m_profile) && profile.pgbouncer == m_profile.pgbouncer;
    m_profile = profile;
    m_allProfiles = allProfiles;
    for (Profile &other : m_allProfiles) {
        if (other.id == m_profile.id)
            other = m_profile;
    }
    showSettings();
    if (!sameProfile) {
        m_serverCapacity = -1;
        restartHistory();
    }
    if (!sameTarget) {
        m_poolerReader->cancel();
        m_poolerSettings.reset();
    }
    updateCalculator();
    if (sameTarget)
        return;
    // Selecting a profile opens no connection; showing this page does. A saved change of
    // host or password reconnects.
    const bool wasSampling = m_sampling;
    m_sampler->stop();
    m_sampling = false;
    if (isVisible() || (sameProfile && wasSampling))
        startSampling();
}

void PoolMonitorView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_sampling)
        startSampling();
}

void PoolMonitorView::setSamplingInterval(int milliseconds)
{
    m_sampler->setInterval(milliseconds);
}

void PoolMonitorView::setClock(const std::shared_ptr<Clock> &clock)
{
    m_clock = clock;
    m_sampler->setClock(clock);
    m_chart->setClock(clock);
    m_bouncerChart->setClock(clock);
}

void PoolMonitorView::startSampling()
{
    m_sampler->stop();
    m_sampling = true;
    m_bouncerChart->setVisible(m_profile.pgbouncer.enabled);
    m_bouncerStatusLabel->setVisible(m_profile.pgbouncer.enabled);
    m_bouncerStatusLabel->clear();
    if (m_profile.id.isEmpty())
        return;
    if (m_profile.passwordSource == PasswordSource::SessionOnly
        && !m_secrets->hasSessionPassword(m_profile.id)) {
        m_statusLabel->setText(tr("This profile asks for its password every time: type it on the "
                                  "Test or Server page, then come back."));
        m_sampling = false;
        return;
    }
    m_statusLabel->setText(tr("Connecting..."));
    const Profile profile = m_profile;
    m_resolver->resolve(profile, this, [this, profile](const PasswordOutcome &outcome) {
        if (profile.id != m_profile.id)
            return;
        if (!outcome.ok) {
            m_statusLabel->setText(outcome.failure.headline());
            return;
        }
        m_sampler->setTarget(profile.connectionUrl(), outcome.password, profile.sessionPolicy(),
                             TunnelRegistry::leaseFor(profile));
        m_sampler->setPasswordSupplier(PasswordResolver::supplierFor(profile, m_secrets));
        PgBouncerRoute bouncer = PgBouncerRoute::forProfile(profile);
        m_bouncerAddress.clear();
        if (bouncer.isReachable()) {
            m_bouncerAddress = profile.route.isDirect()
                    ? bouncer.address()
                    : u"%1 (%2)"_s.arg(bouncer.address(), profile.route.via());
        } else if (bouncer.isSet()) {
            // Nothing to draw: the line says why.
            m_bouncerChart->hide();
            m_bouncerStatusLabel->setText(bouncer.unreachable);
        }
        const std::optional<QString> password
                = bouncer.isSet() ? outcome.password : std::optional<QString>();
        m_sampler->setPgBouncer(std::move(bouncer), password);
        m_sampler->start();
        m_poolerReader->read(profile, outcome.password, 5, [this](const PoolerSettings &settings) {
            m_poolerSettings = settings;
            updateCalculator();
            if (const auto report = poolerReport())
                Q_EMIT poolerChecked(*report);
        });
    });
}

void PoolMonitorView::onSample(const ActivitySample &sample)
{
    m_history.append(sample);
    if (sample.ok) {
        if (m_serverCapacity != sample.serverCapacity()) {
            m_serverCapacity = sample.serverCapacity();
            updateCalculator();
        }
        // Worded as the Server page words it, from the same counts.
        m_statusLabel->setText(
                tr("%1 The pool may open up to %2.")
                        .arg(sample.counts.summary(), QString::number(m_profile.pool.capacity())));
    } else {
        m_statusLabel->setText(tr("Unreachable (%1); trying again in %2 s")
                                       .arg(sample.category)
                                       .arg(m_sampler->backoffDelay() / 1000.0));
    }
    if (sample.pgbouncer)
        showPgBouncer(*sample.pgbouncer);
    if (!m_chart->drawsMinutes())
        showIncidents();
    m_chart->update();
    m_bouncerChart->update();
    Q_EMIT sampleShown(sample);
}

void PoolMonitorView::showPgBouncer(const PgBouncerSample &bouncer)
{
    // Unreachable over the route: the line set when sampling started stays.
    if (m_bouncerAddress.isEmpty())
        return;
    if (!bouncer.ok) {
        m_bouncerStatusLabel->setText(
                tr("PgBouncer at %1 did not answer: %2").arg(m_bouncerAddress, bouncer.error));
        return;
    }
    int pools = 0;
    int waiting = 0;
    for (const PgBouncerPool &pool : bouncer.pools) {
        // The admin console's own pool is not one of the application's.
        if (pool.database == u"pgbouncer"_s)
            continue;
        ++pools;
        waiting += pool.clientsWaiting;
    }
    m_bouncerStatusLabel->setText(
            tr("PgBouncer at %1: %2 pool(s), %3 client(s) waiting.")
                    .arg(m_bouncerAddress, QString::number(pools), QString::number(waiting)));
}

void PoolMonitorView::setHistoryReader(HistoryReader *reader)
{
    m_reader = reader;
    restartHistory();
}

qint64 PoolMonitorView::window() const
{
    return m_windowComboBox->currentData().toLongLong();
}

void PoolMonitorView::restartHistory()
{
    ++m_historyGeneration;
    m_readsPending = 0;
    m_history.clear();
    m_minutes.clear();
    m_samplesReadFrom = NothingRead;
    m_minutesReadFrom = NothingRead;
    showWholeWindow();
    readHistory();
}

void PoolMonitorView::readHistory()
{
    if (!m_reader || m_profile.id.isEmpty()) {
        showIncidents();
        return;
    }
    const qint64 now = m_clock->now().toMSecsSinceEpoch() + 1;
    const qint64 from = now - window();
    if (m_chart->drawsMinutes()) {
        // Only what is older than the minutes read so far; the timer brings the newer ones.
        if (from < m_minutesReadFrom)
            readMinutes(from, qMin(now, m_minutesReadFrom));
        m_minutesReadFrom = qMin(m_minutesReadFrom, from);
    } else if (from < m_samplesReadFrom) {
        const quint64 generation = m_historyGeneration;
        ++m_readsPending;
        m_reader->sampleHistory(m_profile.id, from, qMin(now, m_samplesReadFrom), this,
                                [this, generation](const std::shared_ptr<SampleHistory> &stored) {
                                    if (generation != m_historyGeneration)
                                        return;
                                    m_history.merge(std::move(*stored));
                                    historyRead();
                                });
        m_samplesReadFrom = from;
    }
    if (m_readsPending > 0) {
        const QString reading = tr("Reading the history...");
        m_chart->setEmptyText(reading);
        m_bouncerChart->setEmptyText(reading);
    }
    showIncidents();
}

void PoolMonitorView::readMinutes(qint64 fromMsecs, qint64 toMsecs)
{
    if (!m_reader || m_profile.id.isEmpty())
        return;
    const quint64 generation = m_historyGeneration;
    ++m_readsPending;
    m_reader->minutes(m_profile.id, fromMsecs, toMsecs, this,
                      [this, generation, fromMsecs, toMsecs](const QList<HistoryMinute> &rows) {
                          if (generation != m_historyGeneration)
                              return;
                          m_minutes.merge(fromMsecs, toMsecs, rows);
                          historyRead();
                      });
}

void PoolMonitorView::historyRead()
{
    if (--m_readsPending > 0)
        return;
    const QString none = tr("No history yet for this profile.");
    m_chart->setEmptyText(none);
    m_bouncerChart->setEmptyText(none);
    showIncidents();
}

void PoolMonitorView::showIncidents()
{
    const qint64 to = m_clock->now().toMSecsSinceEpoch() + 1;
    const qint64 from = to - window();
    QList<Incident> found = m_chart->drawsMinutes()
            ? Incidents::ofMinutes(m_minutes.minutes(), from, to)
            : Incidents::ofSamples(m_history, from, to);
    // Newest first: after a page, the latest is the one to look at.
    std::reverse(found.begin(), found.end());
    const bool changed = found != m_incidents;
    m_incidents = found;
    m_incidentsLabel->setText(
            m_incidents.isEmpty()
                    ? tr("No incidents in this window: the sessions stayed under %1% of the "
                         "server's usable connections and it answered throughout.")
                              .arg(qRound(Incidents::BusyShare * 100))
                    : tr("Incidents in this window (above %1% of the server's usable "
                         "connections, or unreachable):")
                              .arg(qRound(Incidents::BusyShare * 100)));
    m_incidentListWidget->setVisible(!m_incidents.isEmpty());
    if (!changed)
        return;
    const int row = m_incidentListWidget->currentRow();
    m_incidentListWidget->clear();
    const bool withDate = window() > HistoryStore::SampleRetentionMs;
    for (const Incident &incident : m_incidents)
        m_incidentListWidget->addItem(Incidents::text(incident, withDate));
    // As tall as its rows, up to six: the chart keeps the room.
    const int rows = int(qMin<qsizetype>(m_incidents.size(), 6));
    m_incidentListWidget->setFixedHeight(rows * m_incidentListWidget->sizeHintForRow(0)
                                         + 2 * m_incidentListWidget->frameWidth() + 2);
    if (row >= 0 && row < m_incidentListWidget->count())
        m_incidentListWidget->setCurrentRow(row);
}

void PoolMonitorView::zoomToIncident(QListWidgetItem *item)
{
    const int row = m_incidentListWidget->row(item);
    if (row < 0 || row >= m_incidents.size())
        return;
    const Incident &incident = m_incidents.at(row);
    // Some of the time around it, to see how it came and went.
    const qint64 margin = qMax(incident.durationMsecs() / 2, 2 * MinuteHistory::MinuteMsecs);
    m_chart->zoomTo(incident.fromMsecs - margin, incident.toMsecs + margin);
    m_bouncerChart->zoomTo(incident.fromMsecs - margin, incident.toMsecs + margin);
    m_wholeWindowButton->setText(
            tr("Back to the whole window (%1)").arg(m_windowComboBox->currentText()));
    m_wholeWindowButton->show();
}

void PoolMonitorView::showWholeWindow()
{
    m_chart->clearZoom();
    m_bouncerChart->clearZoom();
    m_wholeWindowButton->hide();
}

QString PoolMonitorView::exportTitle() const
{
    const auto [from, to] = m_chart->range();
    auto time = [](qint64 msecs) {
        return QDateTime::fromMSecsSinceEpoch(msecs).toLocalTime().toString(
                u"yyyy-MM-dd HH:mm:ss"_s);
    };
    return tr("%1 (%2), %3 to %4")
            .arg(m_profile.name, Environments::displayName(m_profile.environment), time(from),
                 time(to));
}

QImage PoolMonitorView::exportImage() const
{
    // The chart as shown, under a title line that says whose it is and when: a picture pasted
    // into an incident report keeps its context.
    const QPixmap chart = m_chart->grab();
    const QFontMetrics metrics = m_chart->fontMetrics();
    const int titleHeight = metrics.height() + 12;
    const qreal dpr = chart.devicePixelRatio();
    QImage image(QSize(chart.width(), chart.height() + int(titleHeight * dpr)),
                 QImage::Format_RGB32);
    image.setDevicePixelRatio(dpr);
    image.fill(m_chart->palette().color(QPalette::Base));
    QPainter painter(&image);
    QFont bold = m_chart->font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(m_chart->palette().color(QPalette::Text));
    painter.drawText(QRectF(8, 0, chart.width() / dpr - 16, titleHeight),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetrics(bold).elidedText(exportTitle(), Qt::ElideRight,
                                                   int(chart.width() / dpr) - 16));
    painter.drawPixmap(QPointF(0, titleHeight), chart);
    return image;
}

void PoolMonitorView::exportPng(const QString &path)
{
    // QImage, unlike the widget it was drawn from, may be encoded on another thread.
    writeExport(path, [image = exportImage()]() -> std::optional<QByteArray> {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "PNG"))
            return std::nullopt;
        return bytes;
    });
}

void PoolMonitorView::exportCsv(const QString &path)
{
    // One reading of the clock for both ends; named, not a structured binding, for the
    // lambdas below to capture.
    const std::pair<qint64, qint64> range = m_chart->range();
    const qint64 from = range.first;
    const qint64 to = range.second;
    // What the chart shows: the minutes of a long window, else the samples.
    if (m_chart->drawsMinutes()) {
        writeExport(path, [minutes = m_minutes, from, to]() -> std::optional<QByteArray> {
            return minutes.toCsv(from, to).toUtf8();
        });
    } else {
        writeExport(path,
                    [samples = m_history.between(from, to), from, to,
                     series = m_chart->series()]() -> std::optional<QByteArray> {
                        return samples.toCsv(from, to, series).toUtf8();
                    });
    }
}

void PoolMonitorView::writeExport(const QString &path,
                                  std::function<std::optional<QByteArray>()> encode)
{
    m_exportLabel->setText(tr("Saving %1...").arg(path));
    m_exportLabel->show();
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [path, encode = std::move(encode)]() {
                const std::optional<QByteArray> bytes = encode();
                return bytes ? SavedFile::write(path, *bytes)
                             : tr("the chart could not be encoded as PNG");
            },
            this,
            [this, path](const QString &error) {
                m_exportLabel->setText(error.isEmpty()
                                               ? tr("Saved %1").arg(path)
                                               : tr("%1 was not saved: %2").arg(path, error));
                Q_EMIT exported(path, error);
            });
}
