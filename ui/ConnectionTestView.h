#pragma once

#include "Palette.h"
#include "connection/AttemptResult.h"
#include "profiles/CheckVerdict.h"
#include "profiles/Profile.h"

#include <QHash>
#include <QWidget>

class ConnectionAttempt;
class PasswordResolver;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class RecentTests;
class SecretStore;

/// The connection doctor for the selected profile: Test runs a staged attempt, the stages
/// light up with their times, and a failure is explained with a headline, the evidence and
/// numbered steps; a connection whose required checks fail says which, with their fixes.
/// Copy report puts the support report (SupportReport) on the clipboard, never a password.
/// Beside the stages: the profile's last test and the recent ones, wherever they ran (this
/// window, another, `check` in a terminal), as the history remembers them.
class ConnectionTestView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTestView)

public:
    /// recentTests: the profiles' last tests, shown beside the stages.
    ConnectionTestView(SecretStore *secrets, RecentTests *recentTests, QWidget *parent = nullptr);
    ~ConnectionTestView() override;

    void setProfile(const Profile &profile);
    bool isTesting() const;
    /// The support report of the last attempt (what Copy report copies).
    QString report() const;

public Q_SLOTS:
    void startTest();
    void cancelTest();

Q_SIGNALS:
    void attemptFinished(const AttemptResult &result, const CheckVerdict &verdict);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void resetStages();
    /// A stage row: its symbol and colour, the detail after its name, and the words a screen
    /// reader says after the name.
    void setStage(ConnectionStage stage, const QString &symbol, Palette::Tone tone,
                  const QString &detail, const QString &spoken);
    /// Gives label the colour of its tone in the palette of the moment.
    void colour(QLabel *label);
    void showStage(const StageTiming &timing);
    void copyReport();
    /// The profile's last test and the recent ones, from the window's RecentTests.
    void showRecentTests();
    void showResult(const AttemptResult &result);
    void useSessionPassword();
    /// The unknown SSH host key the last test met, with its fingerprint, to accept or refuse.
    void offerHostKey(const Diagnosis &diagnosis);

    SecretStore *m_secrets;
    RecentTests *m_recentTests;
    PasswordResolver *m_resolver = nullptr;
    ConnectionAttempt *m_attempt = nullptr;
    Profile m_profile;
    bool m_resolving = false;
    /// The last attempt and what it meant for the profile then: the headline, the light and
    /// Copy report all read this one verdict.
    struct Outcome
    {
        AttemptResult result;
        CheckVerdict verdict;
    };
    std::optional<Outcome> m_last;

    QPushButton *m_testButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_copyButton = nullptr;
    QLabel *m_copiedLabel = nullptr;
    QHash<int, QLabel *> m_stageLabels;
    /// The colour of each stage and of the headline, asked again when the palette changes;
    /// none for the page's own text colour.
    QHash<QLabel *, Palette::Tone> m_tones;
    QLabel *m_headlineLabel = nullptr;
    QLabel *m_lastTestLabel = nullptr;
    QTableWidget *m_recentTable = nullptr;
    QLabel *m_messageLabel = nullptr;
    QLabel *m_evidenceLabel = nullptr;
    QLabel *m_hintsLabel = nullptr;
    QLabel *m_detailsLabel = nullptr;
    QWidget *m_passwordRow = nullptr;
    QWidget *m_hostKeyRow = nullptr;
    QLabel *m_hostKeyLabel = nullptr;
    /// The host and fingerprint shown in m_hostKeyRow; the next test accepts this key of this
    /// host and no other.
    QString m_offeredHost;
    QString m_offeredFingerprint;
    QString m_acceptedHost;
    QString m_acceptedFingerprint;
    QLineEdit *m_passwordLineEdit = nullptr;
};
