#include "interop/EnvFile.h"
#include "interop/ImportFile.h"
#include "interop/ProfileExchange.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// Files to import, as they come: too big, repeating a key, or never closing a quote.
class TestImportFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filesOverTheLimitAreRefusedUnread();
    void aKeySetTwiceKeepsTheLastWithAWarning();
    void anUnclosedQuoteInALargeFileNamesItsLine();
};

void TestImportFiles::filesOverTheLimitAreRefusedUnread()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"huge.env"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray line = "DATABASE_URL=postgresql://u@h/db\n";
    for (qint64 written = 0; written <= ImportFile::sizeLimit; written += line.size())
        file.write(line);
    file.close();
    const ImportFile::Content content = ImportFile::read(path);
    QVERIFY(!content.ok);
    QVERIFY(content.bytes.isEmpty());
    QVERIFY2(content.error.contains(u"larger than 10 MiB"_s), qPrintable(content.error));

    // Without a size of its own (a device), the limit holds all the same.
    const ImportFile::Content endless = ImportFile::read(u"/dev/zero"_s);
    QVERIFY(!endless.ok);

    QVERIFY(file.resize(ImportFile::sizeLimit));
    QVERIFY(ImportFile::read(path).ok);
}

void TestImportFiles::aKeySetTwiceKeepsTheLastWithAWarning()
{
    const QByteArray content = "DATABASE_URL=postgresql://u@first/db\n"
                               "OTHER=1\n"
                               "DATABASE_URL=postgresql://u@second/db\n";
    const EnvFile::ParseResult parsed = EnvFile::parse(content);
    QVERIFY(parsed.ok);
    QCOMPARE(parsed.value(u"DATABASE_URL"_s), u"postgresql://u@second/db"_s);
    QCOMPARE(parsed.entries.size(), 2);
    QCOMPARE(parsed.warnings,
             QStringList{u"line 3 sets DATABASE_URL again (first set on line 1): the last one "
                         "counts"_s});

    const ProfileExchange::ImportResult imported = ProfileExchange::fromEnv(content);
    QVERIFY(imported.ok);
    QCOMPARE(imported.profiles.size(), 1);
    QCOMPARE(imported.profiles.first().profile.params.value(u"host"_s), u"second"_s);
    QCOMPARE(imported.warnings, parsed.warnings);
}

void TestImportFiles::anUnclosedQuoteInALargeFileNamesItsLine()
{
    // Every later line is read as part of the value: each character once.
    QByteArray content = "A=1\nDATABASE_URL=\"postgresql://u@h/db\n";
    const QByteArray filler(79, 'x');
    while (content.size() < 4 * 1024 * 1024)
        content += filler + '\n';
    const EnvFile::ParseResult parsed = EnvFile::parse(content);
    QVERIFY(!parsed.ok);
    QCOMPARE(parsed.errorLine, 2);
    QVERIFY2(parsed.error.contains(u"not closed"_s), qPrintable(parsed.error));
}

QTEST_GUILESS_MAIN(TestImportFiles)
#include "tst_importfiles.moc"
