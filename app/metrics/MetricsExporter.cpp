#include "MetricsExporter.h"

#include "pool/ActivitySampler.h"
#include "profiles/Profile.h"

MetricsExporter::MetricsExporter(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
{ }

MetricsExporter::~MetricsExporter() = default;

void MetricsExporter::addProfile(const Profile &profile, const std::optional<QString> &password,
                                 int interval)
{
    auto *sampler = new ActivitySampler(this);
    sampler->setInterval(interval);
    sampler->setProfile(profile, password, m_secrets);
    const qsizetype index = m_profiles.size();
    m_profiles.append({.profile = profile.name,
                       .environment = Environments::id(profile.environment),
                       .pool = profile.pool,
                       .latest = {},
                       .lastFailures = {}});
    connect(sampler, &ActivitySampler::sampleReceived, this,
            [this, index](const ActivitySample &sample) { m_profiles[index].record(sample); });
    m_samplers.append(sampler);
}

void MetricsExporter::start()
{
    for (ActivitySampler *sampler : std::as_const(m_samplers))
        sampler->start();
}

QByteArray MetricsExporter::page(MetricsText::Format format) const
{
    return MetricsText::render(ProfileMetrics::families(m_profiles), format);
}
