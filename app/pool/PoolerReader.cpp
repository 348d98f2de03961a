#include "PoolerReader.h"

#include "pool/PgBouncerConsole.h"
#include "profiles/Profile.h"

using namespace Qt::Literals::StringLiterals;

PoolerReader::PoolerReader(QObject *parent)
    : QObject(parent)
    , m_stop(std::make_shared<std::atomic<bool>>(false))
{ }

PoolerReader::~PoolerReader()
{
    m_stop->store(true);
}

void PoolerReader::cancel()
{
    m_stop->store(true);
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_generation.advance();
    m_route = {};
}

void PoolerReader::read(const Profile &profile, const std::optional<QString> &password,
                        int timeoutSeconds, const Callback &callback)
{
    cancel();
    // The route holds the console's tunnel lease for as long as this reader targets it.
    m_route = PgBouncerRoute::forProfile(profile);
    if (!m_route.isSet())
        return;
    const quint64 generation = m_generation.value();
    // libpq's own fallback: a URL without a database names the user's.
    const QString database = profile.params.value(
            u"dbname"_s, profile.params.value(u"user"_s, Profile::defaultUser()));
    const QString address = profile.route.isDirect()
            ? m_route.address()
            : u"%1 (%2)"_s.arg(m_route.address(), profile.route.via());
    m_route.whenDialable(this,
                         [this, generation, password, database, address, timeoutSeconds,
                          callback](const PgBouncerRoute::Dial &dial) {
                             if (generation != m_generation.value())
                                 return;
                             if (!dial.url) {
                                 PoolerSettings failed;
                                 failed.address = address;
                                 failed.database = database;
                                 failed.error = dial.error;
                                 return callback(failed);
                             }
                             AsyncTask::runThenCallback(
                                     QThreadPool::globalInstance(),
                                     [url = *dial.url, password, database, address, timeoutSeconds,
                                      stop = m_stop]() {
                                         return PgBouncerConsole::readSettings(
                                                 url, password, database, address, timeoutSeconds,
                                                 *stop);
                                     },
                                     this, m_generation, callback);
                         });
}
