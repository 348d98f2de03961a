#include "MainWindow.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;

/// The first window, driven through its real widgets, offscreen.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void firstRunOffersTheDocumentTemplates();
    void selectingAProfileShowsItReadOnly();
    void environmentsAreGroupedAndColoured();
    void filterHidesOtherProfiles();
    void damagedFileIsReportedInTheBanner();
    void unknownProfileNameIsReported();

private:
    QTreeWidgetItem *findItem(QTreeWidget *tree, const QString &name);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

QTreeWidgetItem *TestMainWindow::findItem(QTreeWidget *tree, const QString &name)
{
    // Profiles sit under their environment's group; the groups are not profiles.
    const auto items = tree->findItems(name, Qt::MatchExactly | Qt::MatchRecursive);
    for (QTreeWidgetItem *item : items) {
        if (item->parent())
            return item;
    }
    return nullptr;
}

void TestMainWindow::firstRunOffersTheDocumentTemplates()
{
    MainWindow window(m_dir->path());
    window.show();
    auto *button = window.findChild<QPushButton *>(u"templatesButton"_s);
    QVERIFY(button);
    QVERIFY(button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);

    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    for (const QString &name : {u"Development"_s, u"Staging"_s, u"Production"_s, u"Test"_s})
        QVERIFY2(findItem(tree, name), qPrintable(name));
    QVERIFY(!button->isVisible());
    QVERIFY(QFile::exists(QDir(m_dir->path()).filePath(u"profiles.json"_s)));

    // A second window on the same folder sees them: they were saved.
    MainWindow again(m_dir->path());
    auto *againTree = again.findChild<QTreeWidget *>(u"profileTree"_s);
    QVERIFY(findItem(againTree, u"Production"_s));
    QVERIFY(!again.findChild<QPushButton *>(u"templatesButton"_s)->isVisibleTo(&again));
}

void TestMainWindow::selectingAProfileShowsItReadOnly()
{
    {
        ProfileStore store(m_dir->path());
        store.load();
        const auto url = ConnectionUrl::parse(
                u"postgresql://orderflow@prod-db.internal:5432/orderflow?sslmode=verify-full"_s);
        Profile profile = Profile::fromUrl(u"prod-eu"_s, Environment::Production, *url);
        profile.passwordChangedAt = QDateTime::currentDateTimeUtc();
        profile.notes = u"<b>not bold</b>"_s;
        store.add(profile);
        store.add(Profile::create(u"local"_s, Environment::Development));
        QVERIFY(store.save());
    }
    MainWindow window(m_dir->path());
    window.show();
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTreeWidgetItem *item = findItem(tree, u"prod-eu"_s);
    QVERIFY(item);
    tree->setCurrentItem(item);

    QCOMPARE(window.findChild<QLabel *>(u"nameLabel"_s)->text(), u"prod-eu"_s);
    QCOMPARE(window.findChild<QLabel *>(u"environmentLabel"_s)->text(), u"PRODUCTION"_s);
    QCOMPARE(window.findChild<QLabel *>(u"urlLabel"_s)->text(),
             u"postgresql://orderflow:***@prod-db.internal:5432/orderflow?sslmode=verify-full"_s);
    QCOMPARE(window.findChild<QLabel *>(u"hostLabel"_s)->text(), u"prod-db.internal"_s);
    QVERIFY(window.findChild<QLabel *>(u"sslModeLabel"_s)
                    ->text()
                    .contains(u"verify CA and hostname"_s));
    QVERIFY(window.findChild<QLabel *>(u"passwordLabel"_s)->text().contains(u"keychain"_s));
    QVERIFY(window.findChild<QLabel *>(u"poolLabel"_s)->text().contains(u"up to 15 connections"_s));
    QVERIFY(window.findChild<QLabel *>(u"extensionsLabel"_s)
                    ->text()
                    .contains(u"uuid-ossp or pgcrypto"_s));
    auto *notes = window.findChild<QLabel *>(u"notesLabel"_s);
    QCOMPARE(notes->textFormat(), Qt::PlainText);
    QVERIFY(window.windowTitle().contains(u"prod-eu"_s));
    QVERIFY(window.windowTitle().contains(u"Production"_s));

    QVERIFY(window.selectProfileByName(u"LOCAL"_s));
    QCOMPARE(window.findChild<QLabel *>(u"environmentLabel"_s)->text(), u"DEVELOPMENT"_s);
    QCOMPARE(tree->currentItem()->text(0), u"local"_s);
}

void TestMainWindow::environmentsAreGroupedAndColoured()
{
    {
        ProfileStore store(m_dir->path());
        store.load();
        store.add(Profile::create(u"b-prod"_s, Environment::Production));
        store.add(Profile::create(u"a-dev"_s, Environment::Development));
        store.add(Profile::create(u"c-stage"_s, Environment::Staging));
        QVERIFY(store.save());
    }
    MainWindow window(m_dir->path());
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QCOMPARE(tree->topLevelItemCount(), 3);
    QCOMPARE(tree->topLevelItem(0)->text(0), u"Development"_s);
    QCOMPARE(tree->topLevelItem(1)->text(0), u"Staging"_s);
    QCOMPARE(tree->topLevelItem(2)->text(0), u"Production"_s);
    QCOMPARE(tree->topLevelItem(2)->foreground(0).color(),
             Environments::color(Environment::Production));
    const QImage icon = tree->topLevelItem(2)->child(0)->icon(0).pixmap(16, 16).toImage();
    QCOMPARE(icon.pixelColor(8, 8), Environments::color(Environment::Production));
}

void TestMainWindow::filterHidesOtherProfiles()
{
    {
        ProfileStore store(m_dir->path());
        store.load();
        store.add(Profile::create(u"orders-prod"_s, Environment::Production));
        store.add(Profile::create(u"orders-dev"_s, Environment::Development));
        QVERIFY(store.save());
    }
    MainWindow window(m_dir->path());
    window.show();
    auto *tree = window.findChild<QTreeWidget *>(u"profileTree"_s);
    QTest::keyClicks(window.findChild<QLineEdit *>(u"filterLineEdit"_s), u"dev"_s);
    QVERIFY(!findItem(tree, u"orders-dev"_s)->isHidden());
    QVERIFY(findItem(tree, u"orders-prod"_s)->isHidden());
    QVERIFY(findItem(tree, u"orders-prod"_s)->parent()->isHidden());
}

void TestMainWindow::damagedFileIsReportedInTheBanner()
{
    QFile file(QDir(m_dir->path()).filePath(u"profiles.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"schema\": 1, \"profiles\": [");
    file.close();
    MainWindow window(m_dir->path());
    window.show();
    auto *banner = window.findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(u"kept as"_s));
}

void TestMainWindow::unknownProfileNameIsReported()
{
    MainWindow window(m_dir->path());
    window.show();
    QVERIFY(!window.selectProfileByName(u"nobody"_s));
    QVERIFY(window.findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"nobody"_s));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
