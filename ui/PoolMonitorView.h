#pragma once

#include "history/Incidents.h"
#include "pool/ActivitySample.h"
#include "pool/MinuteHistory.h"
#include "pool/PoolerReport.h"
#include "pool/SampleHistory.h"
#include "profiles/Profile.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class ActivitySampler;
class Clock;
class HistoryReader;
class PasswordResolver;
class PoolChart;
class PoolerReader;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class SecretStore;

/// The Pool page: the profile's pool settings (with the document's presets), the live chart
/// of the database's connections against the pool's and the server's capacity (and PgBouncer's
/// pools when the profile names its admin console), and the calculator with the budget of
/// every profile on the same server, the create_engine snippet to copy and, with PgBouncer, how
/// its settings fit the pool settings.
///
/// The chart opens on what history.sqlite keeps of the profile (read off the UI thread), with
/// the live samples going on from there, and lists the window's incidents: the times the
/// server was nearly full or unreachable, each a click away from a closer look.
class PoolMonitorView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PoolMonitorView)

public:
    explicit PoolMonitorView(SecretStore *secrets, QWidget *parent = nullptr);
    ~PoolMonitorView() override;

    /// The profile to monitor, and every saved profile (for the shared-server budget).
    void setProfile(const Profile &profile, const QList<Profile> &allProfiles);
    void setSamplingInterval(int milliseconds);
    void setClock(const std::shared_ptr<Clock> &clock);
    /// Where the chart's history comes from; without one the chart shows live samples only.
    void setHistoryReader(HistoryReader *reader);
    const SampleHistory &history() const { return m_history; }
    const MinuteHistory &minutes() const { return m_minutes; }
    /// The incidents of the window shown, newest first (as listed).
    const QList<Incident> &incidents() const { return m_incidents; }
    /// The pooler checks as shown; unset while the profile names no console or it is being read.
    std::optional<PoolerReport> poolerReport() const;
    ActivitySampler *sampler() const { return m_sampler; }

    /// The title line of an exported chart: the profile, its environment and the time range.
    QString exportTitle() const;
    /// The chart as shown, under its title line.
    QImage exportImage() const;
    /// Write the chart as shown (PNG), or what it shows as CSV, to path. The file is encoded and
    /// written on a pool thread from a copy taken now (the page goes on sampling); the line
    /// under the controls and exported() tell the outcome.
    void exportPng(const QString &path);
    void exportCsv(const QString &path);

protected:
    /// Sampling starts when the page is first shown for a profile, then keeps its history.
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    /// The user changed the pool settings or the PgBouncer target of a profile: the owner
    /// saves just these, and the page redraws when it says so.
    void poolSettingsEdited(const QString &profileId, const PoolSettings &pool,
                            const PgBouncerTarget &pgbouncer);
    void sampleShown(const ActivitySample &sample);
    /// The PgBouncer console's settings were read (or could not be) and checked.
    void poolerChecked(const PoolerReport &report);
    /// An export was written to path (error empty), or was not (error says why).
    void exported(const QString &path, const QString &error);

private:
    void buildSettings(QWidget *parent, class QVBoxLayout *layout);
    void showSettings();
    void readSettings();
    void updateCalculator();
    /// The budget in red when the server is over-committed, PgBouncer's findings in amber.
    void styleWarnings();
    void startSampling();
    void onSample(const ActivitySample &sample);
    /// The PgBouncer line: what the admin console said, or why it is not read.
    void showPgBouncer(const PgBouncerSample &bouncer);
    /// The window chosen, in milliseconds.
    qint64 window() const;
    /// Forgets what was read of the profile and reads the chosen window again.
    void restartHistory();
    /// Reads what the chosen window needs and was not read yet.
    void readHistory();
    void readMinutes(qint64 fromMsecs, qint64 toMsecs);
    /// One read done: when none is left, an empty chart says there is no history.
    void historyRead();
    /// Finds the incidents of the window again and lists them if they changed.
    void showIncidents();
    void zoomToIncident(QListWidgetItem *item);
    void showWholeWindow();
    /// Encodes and writes an export on a pool thread, then shows the outcome. encode gives
    /// nothing when the chart's image could not be encoded (text always can).
    void writeExport(const QString &path, std::function<std::optional<QByteArray>()> encode);

    SecretStore *m_secrets;
    PasswordResolver *m_resolver;
    ActivitySampler *m_sampler;
    PoolerReader *m_poolerReader;
    /// What the PgBouncer console said for the current target; unset until read.
    std::optional<PoolerSettings> m_poolerSettings;
    SampleHistory m_history;
    MinuteHistory m_minutes;
    HistoryReader *m_reader = nullptr;
    std::shared_ptr<Clock> m_clock;
    /// What was read of the profile's history: samples and minutes from these times on
    /// (the largest qint64 when nothing).
    qint64 m_samplesReadFrom = 0;
    qint64 m_minutesReadFrom = 0;
    /// Counts the profile's histories: an answer for an earlier one is dropped.
    quint64 m_historyGeneration = 0;
    int m_readsPending = 0;
    QList<Incident> m_incidents;
    Profile m_profile;
    QList<Profile> m_allProfiles;
    int m_serverCapacity = -1;
    /// What the calculator found last, for its warnings' colours.
    bool m_overBudget = false;
    bool m_poolerHasFindings = false;
    bool m_loading = false;
    bool m_sampling = false;
    /// The admin console as its route reaches it, for the PgBouncer line; empty when the
    /// route cannot reach it.
    QString m_bouncerAddress;

    QComboBox *m_presetComboBox = nullptr;
    QComboBox *m_poolClassComboBox = nullptr;
    QSpinBox *m_poolSizeSpinBox = nullptr;
    QSpinBox *m_maxOverflowSpinBox = nullptr;
    QSpinBox *m_workersSpinBox = nullptr;
    QSpinBox *m_concurrencySpinBox = nullptr;
    QSpinBox *m_timeoutSpinBox = nullptr;
    QSpinBox *m_recycleSpinBox = nullptr;
    QCheckBox *m_prePingCheckBox = nullptr;
    QLineEdit *m_applicationLineEdit = nullptr;
    QCheckBox *m_bouncerCheckBox = nullptr;
    QLineEdit *m_bouncerHostLineEdit = nullptr;
    QSpinBox *m_bouncerPortSpinBox = nullptr;
    QSpinBox *m_coresSpinBox = nullptr;
    QSpinBox *m_spindlesSpinBox = nullptr;
    QLabel *m_recommendationLabel = nullptr;
    QLabel *m_budgetLabel = nullptr;
    QLabel *m_poolerLabel = nullptr;
    QPlainTextEdit *m_snippetTextEdit = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_exportLabel = nullptr;
    QComboBox *m_windowComboBox = nullptr;
    QComboBox *m_seriesComboBox = nullptr;
    QPushButton *m_pauseButton = nullptr;
    PoolChart *m_chart = nullptr;
    QLabel *m_incidentsLabel = nullptr;
    QListWidget *m_incidentListWidget = nullptr;
    QPushButton *m_wholeWindowButton = nullptr;
    /// Reads the newest minutes while a long window is shown.
    QTimer *m_minuteTimer = nullptr;
    QLabel *m_bouncerStatusLabel = nullptr;
    PoolChart *m_bouncerChart = nullptr;
};
