#include "WindowSettings.h"

#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The window's settings table: defaults, round trips, and the keys users already have on disk.
class TestWindowSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void nothingSavedGivesTheDefaults();
    void valuesSurviveAReopen();
    void keysOnDiskAreThoseOfTheFirstVersion();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWindowSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestWindowSettings::nothingSavedGivesTheDefaults()
{
    const WindowSettings settings(m_dir->path());
    QVERIFY(settings.value(WindowSettings::geometry).isEmpty());
    QVERIFY(settings.value(WindowSettings::lastProfile).isEmpty());
    QCOMPARE(settings.value(WindowSettings::seenProduction(u"some-id"_s)), false);
}

void TestWindowSettings::valuesSurviveAReopen()
{
    {
        WindowSettings settings(m_dir->path());
        settings.setValue(WindowSettings::geometry, QByteArray("\x01\x02geometry", 10));
        settings.setValue(WindowSettings::lastProfile, u"profile-1"_s);
        settings.setValue(WindowSettings::seenProduction(u"prod-1"_s), true);
        settings.sync();
    }
    const WindowSettings again(m_dir->path());
    QCOMPARE(again.value(WindowSettings::geometry), QByteArray("\x01\x02geometry", 10));
    QCOMPARE(again.value(WindowSettings::lastProfile), u"profile-1"_s);
    QCOMPARE(again.value(WindowSettings::seenProduction(u"prod-1"_s)), true);
    QCOMPARE(again.value(WindowSettings::seenProduction(u"prod-2"_s)), false);
}

void TestWindowSettings::keysOnDiskAreThoseOfTheFirstVersion()
{
    {
        WindowSettings settings(m_dir->path());
        settings.setValue(WindowSettings::lastProfile, u"profile-1"_s);
        settings.setValue(WindowSettings::seenProduction(u"prod-1"_s), true);
        settings.sync();
    }
    QSettings file(QDir(m_dir->path()).filePath(u"window.ini"_s), QSettings::IniFormat);
    QCOMPARE(file.value(u"window/lastProfile"_s).toString(), u"profile-1"_s);
    QCOMPARE(file.value(u"seenProduction/prod-1"_s).toBool(), true);

    // And a file written before the table existed reads the same.
    file.setValue(u"window/geometry"_s, QByteArray("old"));
    file.sync();
    const WindowSettings settings(m_dir->path());
    QCOMPARE(settings.value(WindowSettings::geometry), QByteArray("old"));
}

QTEST_MAIN(TestWindowSettings)
#include "tst_windowsettings.moc"
