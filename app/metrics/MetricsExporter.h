#pragma once

#include "metrics/MetricsText.h"
#include "metrics/ProfileMetrics.h"

#include <QList>
#include <QObject>

#include <optional>

class ActivitySampler;
class SecretStore;
struct Profile;

/// The sampling side of monitor --listen: one ActivitySampler per profile (one statement per
/// tick, never two at once, reconnecting by itself), each tick kept as that profile's latest.
/// page() writes what the ticks said; it never queries a server.
class MetricsExporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsExporter)

public:
    explicit MetricsExporter(SecretStore *secrets, QObject *parent = nullptr);
    ~MetricsExporter() override;

    /// Samples profile every interval milliseconds, with the password found for it, once
    /// start() is called.
    void addProfile(const Profile &profile, const std::optional<QString> &password, int interval);
    void start();
    /// The families of every profile, in the format asked for.
    QByteArray page(MetricsText::Format format) const;

private:
    SecretStore *m_secrets;
    QList<ActivitySampler *> m_samplers;
    QList<ProfileMetrics> m_profiles;
};
