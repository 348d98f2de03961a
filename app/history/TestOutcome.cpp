#include "TestOutcome.h"

#include "connection/Diagnosis.h"

#include <QLocale>

using namespace Qt::Literals::StringLiterals;

CheckVerdict::Health TestOutcome::health(const HistoryTest &test)
{
    return CheckVerdict::healthFromId(test.health).value_or(CheckVerdict::Health::Failed);
}

QString TestOutcome::result(const HistoryTest &test)
{
    switch (health(test)) {
    case CheckVerdict::Health::Healthy:
        return tr("Passed");
    case CheckVerdict::Health::ChecksFailed:
        return tr("Checks failed");
    case CheckVerdict::Health::Cancelled:
        return tr("Cancelled");
    case CheckVerdict::Health::Failed:
        break;
    }
    const auto category = DiagnosisTable::fromId(test.category);
    return tr("Failed: %1")
            .arg(DiagnosisTable::name(category.value_or(DiagnosisCategory::Unknown)));
}

QString TestOutcome::when(const QDateTime &at, const QDateTime &now)
{
    const QLocale locale;
    const qint64 seconds = at.secsTo(now);
    // A clock set back, or a test from another machine's clock, is not "in the future".
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    const QString time = locale.toString(at.time(), QLocale::ShortFormat);
    const qint64 days = at.date().daysTo(now.date());
    if (days == 0)
        return tr("today %1").arg(time);
    if (days == 1)
        return tr("yesterday %1").arg(time);
    if (days < 7)
        return tr("%1 %2").arg(locale.dayName(at.date().dayOfWeek(), QLocale::ShortFormat), time);
    return locale.toString(at.date(), QLocale::ShortFormat);
}

QString TestOutcome::clockTime(const QDateTime &at, const QDateTime &now)
{
    const QLocale locale;
    if (at.date() != now.date())
        return locale.toString(at, QLocale::ShortFormat);
    // The locale's short time with seconds ("HH:mm:ss", "h:mm:ss AP"): its long format adds
    // the time zone's name, too wide for a column.
    QString format = locale.timeFormat(QLocale::ShortFormat);
    if (!format.contains(u's'))
        format.replace(u"mm"_s, u"mm:ss"_s);
    return locale.toString(at.time(), format);
}

QString TestOutcome::sentence(const HistoryTest &test, const QDateTime &now)
{
    const QString ran = when(timeOf(test), now);
    switch (health(test)) {
    case CheckVerdict::Health::Healthy:
        return tr("Passed %1").arg(ran);
    case CheckVerdict::Health::ChecksFailed:
        return tr("Connected, but a required check failed, %1").arg(ran);
    case CheckVerdict::Health::Cancelled:
    case CheckVerdict::Health::Failed:
        break;
    }
    return tr("%1, %2").arg(result(test), ran);
}

QString TestOutcome::exactTime(const QDateTime &at)
{
    return QLocale().toString(at, QLocale::LongFormat);
}

QDateTime TestOutcome::timeOf(const HistoryTest &test)
{
    return QDateTime::fromMSecsSinceEpoch(test.msecs);
}
