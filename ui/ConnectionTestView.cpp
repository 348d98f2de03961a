#include "ConnectionTestView.h"

#include "PageScrollArea.h"
#include "Palette.h"
#include "PlainText.h"
#include "ProfileBar.h"
#include "ReadOnlyTable.h"
#include "connection/ConnectionAttempt.h"
#include "history/RecentTests.h"
#include "history/TestOutcome.h"
#include "profiles/SupportReport.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"
#include "tunnel/TunnelRegistry.h"

#include <QClipboard>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {

QLabel *plainLabel(QWidget *parent, const QString &objectName, bool wrap = true)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // Server and libpq text is shown as it is, never interpreted as markup.
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(wrap);
    return label;
}

QString numbered(const QStringList &lines)
{
    QStringList out;
    for (qsizetype i = 0; i < lines.size(); ++i)
        out << u"%1. %2"_s.arg(i + 1).arg(lines.at(i));
    return out.join(u'\n');
}

QString bulleted(const QStringList &lines)
{
    QStringList out;
    for (const QString &line : lines)
        out << u"\u2022 "_s + line;
    return out.join(u'\n');
}

} // namespace

ConnectionTestView::ConnectionTestView(SecretStore *secrets, RecentTests *recentTests,
                                       QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_recentTests(recentTests)
    , m_resolver(new PasswordResolver(secrets, this))
    , m_attempt(new ConnectionAttempt(this))
{
    auto *outer = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    m_testButton = new QPushButton(tr("&Test connection"), this);
    m_testButton->setObjectName(u"testButton"_s);
    m_testButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(u"cancelButton"_s);
    m_cancelButton->setEnabled(false);
    m_copyButton = new QPushButton(tr("Copy report"), this);
    m_copyButton->setObjectName(u"copyReportButton"_s);
    m_copyButton->setEnabled(false);
    m_copyButton->setToolTip(tr("Copies a report for a support ticket, without any password"));
    // Says that the copy happened; screen readers hear it as a status.
    m_copiedLabel = plainLabel(this, u"copiedLabel"_s, false);
    m_copiedLabel->setAccessibleDescription(tr("status"));
    m_copiedLabel->hide();
    buttons->addWidget(m_testButton);
    buttons->addWidget(m_cancelButton);
    buttons->addStretch(1);
    buttons->addWidget(m_copiedLabel);
    buttons->addWidget(m_copyButton);
    outer->addLayout(buttons);

    connect(m_testButton, &QPushButton::clicked, this, &ConnectionTestView::startTest);
    connect(m_cancelButton, &QPushButton::clicked, this, &ConnectionTestView::cancelTest);
    connect(m_copyButton, &QPushButton::clicked, this, &ConnectionTestView::copyReport);
    for (auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto *shortcut = new QShortcut(QKeySequence(key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this]() {
            // Enter in the password field uses the password; anywhere else it tests.
            if (m_passwordLineEdit->hasFocus() && !m_passwordLineEdit->text().isEmpty())
                useSessionPassword();
            else if (!isTesting())
                startTest();
        });
    }
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &ConnectionTestView::cancelTest);

    auto *stages = new QGridLayout;
    int row = 0;
    for (ConnectionStage stage : ConnectionStages::all()) {
        QLabel *label = plainLabel(this, u"stageLabel_"_s + ConnectionStages::id(stage), false);
        m_stageLabels.insert(int(stage), label);
        stages->addWidget(label, row++, 0);
    }
    // The recent tests beside the stages, in the room their short lines leave.
    auto *stagesAndRecent = new QHBoxLayout;
    stagesAndRecent->addLayout(stages);
    auto *recent = new QVBoxLayout;
    m_lastTestLabel = plainLabel(this, u"lastTestLabel"_s);
    m_recentTable = readOnlyTable(u"recentTestsTable"_s, tr("Recent tests"),
                                  {tr("When"), tr("Result"), tr("Total")}, this);
    m_recentTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    // As tall as the stages beside it: more rows scroll.
    m_recentTable->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    m_recentTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_recentTable->horizontalHeader()->setStretchLastSection(false);
    recent->addWidget(m_lastTestLabel);
    recent->addWidget(m_recentTable, 1);
    stagesAndRecent->addLayout(recent, 1);
    outer->addLayout(stagesAndRecent);
    connect(m_recentTests, &RecentTests::changed, this, [this](const QString &profileId) {
        if (profileId == m_profile.id)
            showRecentTests();
    });
    // Keeps "3 min ago" true.
    auto *clock = new QTimer(this);
    clock->setInterval(60 * 1000);
    connect(clock, &QTimer::timeout, this, &ConnectionTestView::showRecentTests);
    clock->start();

    m_headlineLabel = plainLabel(this, u"headlineLabel"_s);
    // The stages', the headline's and the recent tests' colours, picked again for another
    // palette.
    Palette::whenSchemeChanges(this, [this]() {
        for (auto it = m_tones.cbegin(); it != m_tones.cend(); ++it)
            colour(it.key());
        showRecentTests();
    });
    QFont headlineFont = m_headlineLabel->font();
    headlineFont.setBold(true);
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.2);
    m_headlineLabel->setFont(headlineFont);
    outer->addWidget(m_headlineLabel);

    m_passwordRow = new QWidget(this);
    auto *passwordLayout = new QHBoxLayout(m_passwordRow);
    passwordLayout->setContentsMargins(0, 0, 0, 0);
    m_passwordLineEdit = new QLineEdit(m_passwordRow);
    m_passwordLineEdit->setObjectName(u"sessionPasswordLineEdit"_s);
    m_passwordLineEdit->setAccessibleName(tr("Password for this session"));
    m_passwordLineEdit->setEchoMode(QLineEdit::Password);
    m_passwordLineEdit->setPlaceholderText(tr("Password for this session only (not stored)"));
    auto *useButton = new QPushButton(tr("Use and test again"), m_passwordRow);
    useButton->setObjectName(u"usePasswordButton"_s);
    connect(useButton, &QPushButton::clicked, this, &ConnectionTestView::useSessionPassword);
    connect(m_passwordLineEdit, &QLineEdit::returnPressed, this,
            &ConnectionTestView::useSessionPassword);
    passwordLayout->addWidget(m_passwordLineEdit, 1);
    passwordLayout->addWidget(useButton);
    m_passwordRow->setVisible(false);
    outer->addWidget(m_passwordRow);

    m_hostKeyRow = new QWidget(this);
    auto *hostKeyLayout = new QVBoxLayout(m_hostKeyRow);
    hostKeyLayout->setContentsMargins(0, 0, 0, 0);
    m_hostKeyLabel = plainLabel(m_hostKeyRow, u"hostKeyLabel"_s);
    auto *hostKeyButtons = new QHBoxLayout;
    auto *acceptButton = new QPushButton(tr("&Accept this key and connect"), m_hostKeyRow);
    acceptButton->setObjectName(u"acceptHostKeyButton"_s);
    auto *refuseButton = new QPushButton(tr("&Refuse"), m_hostKeyRow);
    refuseButton->setObjectName(u"refuseHostKeyButton"_s);
    connect(acceptButton, &QPushButton::clicked, this, [this]() {
        m_acceptedHost = m_offeredHost;
        m_acceptedFingerprint = m_offeredFingerprint;
        m_hostKeyRow->hide();
        startTest();
    });
    connect(refuseButton, &QPushButton::clicked, this, [this]() {
        m_offeredFingerprint.clear();
        m_hostKeyRow->hide();
    });
    hostKeyButtons->addWidget(acceptButton);
    hostKeyButtons->addWidget(refuseButton);
    hostKeyButtons->addStretch(1);
    hostKeyLayout->addWidget(m_hostKeyLabel);
    hostKeyLayout->addLayout(hostKeyButtons);
    m_hostKeyRow->hide();
    outer->addWidget(m_hostKeyRow);

    auto *body = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(body);
    m_messageLabel = plainLabel(body, u"serverMessageLabel"_s);
    m_messageLabel->setFont(QFont(u"monospace"_s));
    m_evidenceLabel = plainLabel(body, u"evidenceLabel"_s);
    m_hintsLabel = plainLabel(body, u"hintsLabel"_s);
    m_detailsLabel = plainLabel(body, u"detailsLabel"_s);
    for (QLabel *label : {m_messageLabel, m_evidenceLabel, m_hintsLabel, m_detailsLabel})
        bodyLayout->addWidget(label);
    bodyLayout->addStretch(1);
    outer->addWidget(pageScrollArea(body, u"testResultsScrollArea"_s, tr("Test results"),
                                    ScrollFocus::Area, this),
                     1);

    connect(m_attempt, &ConnectionAttempt::stageStarted, this, [this](ConnectionStage stage) {
        setStage(stage, u"\u25CF"_s, &Palette::infoColor, tr("..."), tr("running"));
    });
    connect(m_attempt, &ConnectionAttempt::stageFinished, this,
            [this](ConnectionStage stage, double ms, StageState state) {
                StageTiming timing;
                timing.stage = stage;
                timing.milliseconds = ms;
                timing.state = state;
                showStage(timing);
            });
    connect(m_attempt, &ConnectionAttempt::finished, this, &ConnectionTestView::showResult);
    resetStages();
}

ConnectionTestView::~ConnectionTestView() = default;

void ConnectionTestView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Enter tests right away when the page opens.
    m_testButton->setFocus();
}

void ConnectionTestView::setProfile(const Profile &profile)
{
    // A change that does not touch the connection (notes, pool, the remembered cluster) keeps
    // the last result on screen.
    if (profile.connectsLike(m_profile)) {
        const bool otherProfile = profile.id != m_profile.id;
        m_profile = profile;
        if (otherProfile)
            showRecentTests();
        return;
    }
    if (isTesting())
        cancelTest();
    m_profile = profile;
    m_last.reset();
    resetStages();
    m_headlineLabel->setText(tr("Test the connection to %1.").arg(profile.name));
    for (QLabel *label : {m_messageLabel, m_evidenceLabel, m_hintsLabel, m_detailsLabel})
        label->clear();
    m_copyButton->setEnabled(false);
    m_passwordRow->setVisible(false);
    m_hostKeyRow->hide();
    m_offeredFingerprint.clear();
    m_acceptedHost.clear();
    m_acceptedFingerprint.clear();
    // A direct route has no tunnel to show.
    if (QLabel *tunnel = m_stageLabels.value(int(ConnectionStage::Tunnel)))
        tunnel->setVisible(!profile.route.isDirect());
    showRecentTests();
}

void ConnectionTestView::showRecentTests()
{
    const QList<HistoryTest> tests = m_recentTests->tests(m_profile.id);
    const QDateTime now = QDateTime::currentDateTime();
    m_lastTestLabel->setText(
            tests.isEmpty() ? tr("Not tested yet.")
                            : tr("Last test: %1").arg(TestOutcome::sentence(tests.first(), now)));
    m_recentTable->setVisible(!tests.isEmpty());
    m_recentTable->setRowCount(int(tests.size()));
    for (int row = 0; row < tests.size(); ++row) {
        const HistoryTest &test = tests.at(row);
        const QDateTime at = TestOutcome::timeOf(test);
        auto *when = new QTableWidgetItem(TestOutcome::clockTime(at, now));
        when->setToolTip(TestOutcome::exactTime(at));
        when->setData(Qt::AccessibleDescriptionRole, TestOutcome::exactTime(at));
        const ProfileBar::LightLook look
                = ProfileBar::look(ProfileBar::lightOf(TestOutcome::health(test)));
        auto *result = new QTableWidgetItem(u"%1 %2"_s.arg(look.symbol, TestOutcome::result(test)));
        result->setData(Qt::AccessibleTextRole, TestOutcome::result(test));
        result->setForeground(look.color);
        // Tooltips render rich text: the summary may quote the server.
        result->setToolTip(PlainText::html(test.summary));
        auto *total
                = new QTableWidgetItem(tr("%1 ms").arg(QString::number(test.elapsedMs, 'f', 0)));
        total->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_recentTable->setItem(row, 0, when);
        m_recentTable->setItem(row, 1, result);
        m_recentTable->setItem(row, 2, total);
    }
}

bool ConnectionTestView::isTesting() const
{
    return m_resolving || m_attempt->isRunning();
}

QString ConnectionTestView::report() const
{
    if (!m_last)
        return {};
    return SupportReport::text(m_last->result, m_last->verdict, &m_profile, true);
}

void ConnectionTestView::copyReport()
{
    QGuiApplication::clipboard()->setText(report());
    m_copiedLabel->setText(tr("Copied to the clipboard"));
    m_copiedLabel->show();
    QTimer::singleShot(4000, m_copiedLabel, &QWidget::hide);
}

void ConnectionTestView::resetStages()
{
    for (ConnectionStage stage : ConnectionStages::all())
        setStage(stage, u"\u25CB"_s, &Palette::mutedTextColor, QString(), tr("not started"));
}

void ConnectionTestView::showStage(const StageTiming &timing)
{
    const QString time = tr("%1 ms").arg(QString::number(timing.milliseconds, 'f', 1));
    switch (timing.state) {
    case StageState::Ok:
        setStage(timing.stage, u"\u2713"_s, &Palette::okColor, time, tr("ok, %1").arg(time));
        break;
    case StageState::Failed:
        setStage(timing.stage, u"\u2717"_s, &Palette::failColor, time, tr("failed, %1").arg(time));
        break;
    case StageState::Skipped:
        // No time: a skipped stage did nothing worth timing.
        setStage(timing.stage, u"\u2013"_s, &Palette::mutedTextColor,
                 tr("skipped: %1").arg(timing.note()), tr("skipped, %1").arg(timing.note()));
        break;
    }
}

void ConnectionTestView::setStage(ConnectionStage stage, const QString &symbol, Palette::Tone tone,
                                  const QString &detail, const QString &spoken)
{
    QLabel *label = m_stageLabels.value(int(stage));
    if (!label)
        return;
    const QString name = ConnectionStages::displayName(stage);
    label->setText(detail.isEmpty() ? u"%1  %2"_s.arg(symbol, name)
                                    : u"%1  %2   %3"_s.arg(symbol, name, detail));
    // A screen reader says the state in words, not the symbol.
    label->setAccessibleName(u"%1: %2"_s.arg(name, spoken));
    m_tones.insert(label, tone);
    colour(label);
}

void ConnectionTestView::colour(QLabel *label)
{
    Palette::setTextTone(label, m_tones.value(label));
}

void ConnectionTestView::startTest()
{
    if (isTesting() || m_profile.id.isEmpty())
        return;
    if (m_profile.passwordSource == PasswordSource::SessionOnly
        && !m_secrets->hasSessionPassword(m_profile.id)) {
        // "Ask every time": ask before connecting, not after a failed login.
        m_headlineLabel->setText(tr("Type the password for %1: it is kept for this session only.")
                                         .arg(m_profile.name));
        m_passwordRow->setVisible(true);
        m_passwordLineEdit->setFocus();
        return;
    }
    resetStages();
    for (QLabel *label : {m_messageLabel, m_evidenceLabel, m_hintsLabel, m_detailsLabel})
        label->clear();
    m_headlineLabel->setText(tr("Testing..."));
    m_testButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_passwordRow->setVisible(false);
    m_hostKeyRow->hide();
    m_resolving = true;
    const Profile profile = m_profile;
    m_resolver->resolve(profile, this, [this, profile](const PasswordOutcome &outcome) {
        if (!m_resolving || profile.id != m_profile.id)
            return; // cancelled, or another profile was selected meanwhile
        m_resolving = false;
        if (!outcome.ok) {
            AttemptResult result;
            result.diagnosis = outcome.failure;
            result.target = profile.redactedUrl();
            showResult(result);
            return;
        }
        ConnectionRequest request;
        request.url = profile.connectionUrl();
        request.password = outcome.password;
        request.passwordOrigin = outcome.origin;
        request.policy = profile.sessionPolicy();
        TunnelSpec tunnel = TunnelSpec::forProfile(profile);
        // Accepted once, for this test: later ones find the key in known_hosts.
        tunnel.acceptedHost = std::exchange(m_acceptedHost, QString());
        tunnel.acceptedFingerprint = std::exchange(m_acceptedFingerprint, QString());
        request.tunnel = TunnelRegistry::instance()->lease(tunnel);
        m_attempt->start(request);
    });
}

void ConnectionTestView::cancelTest()
{
    if (m_resolving) {
        m_resolving = false;
        AttemptResult result;
        result.cancelled = true;
        showResult(result);
        return;
    }
    m_attempt->cancel();
}

void ConnectionTestView::offerHostKey(const Diagnosis &diagnosis)
{
    const bool unknownKey = diagnosis.category == DiagnosisCategory::SshHostKeyUnknown
            && !diagnosis.sshHostKeyFingerprint.isEmpty();
    m_offeredHost = unknownKey ? diagnosis.sshHost : QString();
    m_offeredFingerprint = unknownKey ? diagnosis.sshHostKeyFingerprint : QString();
    m_hostKeyRow->setVisible(unknownKey);
    if (!unknownKey)
        return;
    // One multi-argument call: a host name holding "%1" stays text.
    m_hostKeyLabel->setText(
            tr("%1 is not in your known_hosts yet. The key it sent has the fingerprint\n%2\n"
               "Accept it only if it is the one the host's administrator gives you: ssh then "
               "keeps it in ~/.ssh/known_hosts and checks it on every later connection.")
                    .arg(diagnosis.sshHost, diagnosis.sshHostKeyFingerprint));
}

void ConnectionTestView::useSessionPassword()
{
    if (m_passwordLineEdit->text().isEmpty())
        return;
    m_secrets->setSessionPassword(m_profile.id, m_passwordLineEdit->text());
    m_passwordLineEdit->clear();
    startTest();
}

void ConnectionTestView::showResult(const AttemptResult &result)
{
    const CheckVerdict verdict = CheckVerdict::of(result, &m_profile);
    m_last = {result, verdict};
    m_testButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    // A cancelled attempt has nothing to report.
    m_copyButton->setEnabled(!result.cancelled);
    const Diagnosis &diagnosis = result.diagnosis;
    for (const StageTiming &timing : verdict.stages)
        showStage(timing);

    m_headlineLabel->setText(verdict.summary);
    Palette::Tone headlineTone = nullptr; // the page's own text colour
    switch (verdict.health) {
    case CheckVerdict::Health::Healthy:
        headlineTone = &Palette::okColor;
        break;
    case CheckVerdict::Health::ChecksFailed:
        headlineTone = &Palette::cautionColor;
        break;
    case CheckVerdict::Health::Failed:
        headlineTone = &Palette::failColor;
        break;
    case CheckVerdict::Health::Cancelled:
        break;
    }
    m_tones.insert(m_headlineLabel, headlineTone);
    colour(m_headlineLabel);

    if (result.ok) {
        const ServerFacts &facts = result.server;
        QStringList details;
        details << tr("PostgreSQL %1").arg(facts.version);
        details << (facts.sslInUse ? tr("Encrypted: %1, %2").arg(facts.sslProtocol, facts.sslCipher)
                                   : tr("Not encrypted (TLS not in use)"));
        if (!facts.certificateSubject.isEmpty())
            details << tr("Server certificate: %1, issued by %2, valid until %3")
                               .arg(facts.certificateSubject, facts.certificateIssuer,
                                    QLocale().toString(facts.certificateNotAfter.toLocalTime(),
                                                       QLocale::ShortFormat));
        if (result.tunnel)
            details << tr("Through %1 (local port %2)")
                               .arg(result.tunnel->route,
                                    QString::number(result.tunnel->localPort));
        details << tr("Round trip: %1 ms").arg(QString::number(result.latencyMs, 'f', 2));
        if (facts.maxConnections > 0)
            details << tr("max_connections: %1 (%2 reserved for superusers)")
                               .arg(facts.maxConnections)
                               .arg(facts.superuserReservedConnections);
        QStringList sources;
        for (const ParameterSource &source : result.parameters)
            sources << u"%1 = %2 (%3%4)"_s.arg(source.keyword, source.value, source.originId(),
                                               source.detail.isEmpty() ? QString()
                                                                       : u": "_s + source.detail);
        m_evidenceLabel->setText(bulleted(details));
        QStringList failed;
        // A fix lists alternatives (one package per system), not numbered steps.
        for (const RequiredCheck &check : verdict.failedChecks())
            failed << check.message + u'\n' + bulleted(check.fix);
        m_hintsLabel->setText(failed.isEmpty()
                                      ? QString()
                                      : tr("Required checks that failed, and what to do:\n\n")
                                              + failed.join(u"\n\n"_s));
        m_detailsLabel->setText(tr("Parameters in effect:\n") + bulleted(sources));
    } else if (!result.cancelled) {
        m_messageLabel->setText(diagnosis.message
                                + (diagnosis.sqlstate.isEmpty()
                                           ? QString()
                                           : tr("\n(SQLSTATE %1)").arg(diagnosis.sqlstate)));
        m_evidenceLabel->setText(diagnosis.evidence.isEmpty()
                                         ? QString()
                                         : tr("What we found:\n") + bulleted(diagnosis.evidence));
        m_hintsLabel->setText(tr("What to do:\n") + numbered(diagnosis.hints()));
        const bool askPassword = diagnosis.category == DiagnosisCategory::KeychainUnavailable
                || (diagnosis.category == DiagnosisCategory::AuthFailed);
        m_passwordRow->setVisible(askPassword);
        offerHostKey(diagnosis);
    }
    if (!result.warnings.isEmpty())
        m_detailsLabel->setText(tr("Warnings:\n") + bulleted(result.warnings)
                                + (m_detailsLabel->text().isEmpty()
                                           ? QString()
                                           : u"\n\n"_s + m_detailsLabel->text()));
    // An empty label would still take its row's spacing.
    for (QLabel *label : {m_messageLabel, m_evidenceLabel, m_hintsLabel, m_detailsLabel})
        label->setVisible(!label->text().isEmpty());
    Q_EMIT attemptFinished(result, verdict);
}
