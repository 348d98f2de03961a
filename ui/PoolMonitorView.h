#pragma once

#include "pool/ActivitySample.h"
#include "pool/PoolerReport.h"
#include "pool/SampleHistory.h"
#include "profiles/Profile.h"

#include <QWidget>

#include <memory>

class ActivitySampler;
class Clock;
class PasswordResolver;
class PoolChart;
class PoolerReader;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class SecretStore;

/// The Pool page: the profile's pool settings (with the document's presets), the live chart
/// of the database's connections against the pool's and the server's capacity (and PgBouncer's
/// pools when the profile names its admin console), and the calculator with the budget of
/// every profile on the same server, the create_engine snippet to copy and, with PgBouncer, how
/// its settings fit the pool settings.
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
    const SampleHistory &history() const { return m_history; }
    /// The pooler checks as shown; unset while the profile names no console or it is being read.
    std::optional<PoolerReport> poolerReport() const;
    ActivitySampler *sampler() const { return m_sampler; }

    /// The title line of an exported chart: the profile, its environment and the time range.
    QString exportTitle() const;
    /// The chart as shown, under its title line.
    QImage exportImage() const;
    bool exportPng(const QString &path) const;
    bool exportCsv(const QString &path) const;

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

private:
    void buildSettings(QWidget *parent, class QVBoxLayout *layout);
    void showSettings();
    void readSettings();
    void updateCalculator();
    void startSampling();
    void onSample(const ActivitySample &sample);
    /// The PgBouncer line: what the admin console said, or why it is not read.
    void showPgBouncer(const PgBouncerSample &bouncer);

    SecretStore *m_secrets;
    PasswordResolver *m_resolver;
    ActivitySampler *m_sampler;
    PoolerReader *m_poolerReader;
    /// What the PgBouncer console said for the current target; unset until read.
    std::optional<PoolerSettings> m_poolerSettings;
    SampleHistory m_history;
    Profile m_profile;
    QList<Profile> m_allProfiles;
    int m_serverCapacity = -1;
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
    QComboBox *m_windowComboBox = nullptr;
    QComboBox *m_seriesComboBox = nullptr;
    QPushButton *m_pauseButton = nullptr;
    PoolChart *m_chart = nullptr;
    QLabel *m_bouncerStatusLabel = nullptr;
    PoolChart *m_bouncerChart = nullptr;
};
