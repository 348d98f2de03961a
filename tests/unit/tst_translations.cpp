#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::Literals::StringLiterals;

namespace {

// One message of a .ts file.
struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    // "" when translated; "unfinished" (new or changed in the sources), "vanished" or
    // "obsolete" (gone from them).
    QString type;
    // One text, or one per plural form.
    QStringList translations;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"message"_s)
            messages << message;
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"name"_s) {
            context = xml.readElementText();
        } else if (xml.name() == u"message"_s) {
            message = {context, {}, xml.attributes().value(u"numerus"_s) == u"yes"_s, {}, {}};
        } else if (xml.name() == u"source"_s) {
            message.source = xml.readElementText();
        } else if (xml.name() == u"translation"_s) {
            message.type = xml.attributes().value(u"type"_s).toString();
            // A plural message holds one <numerusform> a form instead of text.
            if (!message.numerus)
                message.translations << xml.readElementText();
        } else if (xml.name() == u"numerusform"_s) {
            message.translations << xml.readElementText();
        }
    }
    if (xml.hasError())
        *error = u"%1 at line %2"_s.arg(xml.errorString()).arg(xml.lineNumber());
    return messages;
}

QString label(const Message &message)
{
    return u"[%1] \"%2\""_s.arg(message.context, message.source);
}

// What must come through a translation unchanged: .arg() and %n placeholders, the {host}-style
// placeholders of the diagnosis steps, and how many accelerators (&) the text has.
QStringList markers(const QString &text)
{
    static const QRegularExpression pattern(u"%(?:\\d{1,2}|n)|\\{[a-z]+\\}|&(?=[^&\\s])"_s);
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found << match.captured();
    found.sort();
    return found;
}

// The leading and trailing white space, which joins the text to what comes before and after.
QString edges(const QString &text)
{
    static const QRegularExpression leading(u"^\\s*"_s);
    static const QRegularExpression trailing(u"\\s*$"_s);
    return leading.match(text).captured() + u'|' + trailing.match(text).captured();
}

} // namespace

/// The translations are complete: lupdate, run on the sources as the update_translations
/// target runs it, finds nothing new, changed or gone, and every translation keeps the
/// placeholders, accelerators and plural forms its source has.
class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyMessageOfTheSourcesIsTranslated_data();
    void everyMessageOfTheSourcesIsTranslated();
    void translationsKeepPlaceholdersAcceleratorsAndPluralForms_data();
    void translationsKeepPlaceholdersAcceleratorsAndPluralForms();

private:
    static QString howToUpdate(const QString &tsFile);
};

QString TestTranslations::howToUpdate(const QString &tsFile)
{
    return u"To bring %1 up to date: cmake --build build --target update_translations, then "
           u"translate the entries marked unfinished (Qt Linguist: linguist %1, or an editor), "
           u"and commit the file. See README.md, \"Languages\"."_s.arg(
                   QDir(QStringLiteral(ORDERFLOW_SOURCE_DIR)).relativeFilePath(tsFile));
}

void TestTranslations::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(ORDERFLOW_LUPDATE)), ORDERFLOW_LUPDATE);
    QVERIFY2(QFileInfo::exists(QStringLiteral(ORDERFLOW_LUPDATE_LIST)), ORDERFLOW_LUPDATE_LIST);
}

void TestTranslations::everyMessageOfTheSourcesIsTranslated_data()
{
    QTest::addColumn<QString>("tsFile");
    for (const QString &tsFile : QStringLiteral(ORDERFLOW_TS_FILES).split(u'|', Qt::SkipEmptyParts))
        QTest::newRow(qPrintable(QFileInfo(tsFile).fileName())) << tsFile;
}

void TestTranslations::everyMessageOfTheSourcesIsTranslated()
{
    QFETCH(QString, tsFile);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString copy = directory.filePath(QFileInfo(tsFile).fileName());
    QVERIFY(QFile::copy(tsFile, copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(ORDERFLOW_LUPDATE),
                  QStringList{u"-silent"_s, u"@"_s + QStringLiteral(ORDERFLOW_LUPDATE_LIST)}
                          + QStringLiteral(ORDERFLOW_LUPDATE_OPTIONS).split(u' ')
                          + QStringList{u"-ts"_s, copy});
    QVERIFY(lupdate.waitForFinished(120000));
    const QString output = QString::fromUtf8(lupdate.readAll()).trimmed();
    QVERIFY2(lupdate.exitCode() == 0, qPrintable(output));
    // "tr() cannot be called without context" and the like: a message lupdate cannot place is
    // a message no translation reaches.
    QVERIFY2(output.isEmpty(), qPrintable(u"lupdate warns:\n"_s + output));

    QString error;
    const QList<Message> committed = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(tsFile + u": "_s + error));
    const QList<Message> refreshed = readTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(copy + u": "_s + error));

    QStringList problems;
    for (const Message &message : refreshed) {
        if (message.type == u"unfinished"_s)
            problems << u"untranslated: "_s + label(message);
        else if (!message.type.isEmpty())
            problems << message.type + u": "_s + label(message);
    }
    // A message that left the sources is dropped by lupdate; the committed file still has it.
    QSet<QString> current;
    for (const Message &message : refreshed)
        current << label(message);
    for (const Message &message : committed) {
        if (!current.contains(label(message)))
            problems << u"no longer in the sources: "_s + label(message);
    }
    QVERIFY2(!committed.isEmpty(), qPrintable(tsFile));
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"%1 is not up to date with the sources (%2 problems):\n  %3\n%4"_s.arg(
                     tsFile, QString::number(problems.size()), problems.join(u"\n  "_s),
                     howToUpdate(tsFile))));
}

void TestTranslations::translationsKeepPlaceholdersAcceleratorsAndPluralForms_data()
{
    everyMessageOfTheSourcesIsTranslated_data();
}

void TestTranslations::translationsKeepPlaceholdersAcceleratorsAndPluralForms()
{
    QFETCH(QString, tsFile);
    QString error;
    const QList<Message> messages = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The plural forms a language has (QTranslator picks one by the number): German, like
    // English, one for 1 and one for the rest. A language added later adds its count here.
    static const QHash<QString, qsizetype> pluralForms{{u"de"_s, 2}};
    const QString language = QFileInfo(tsFile).completeBaseName().section(u'_', -1);
    QVERIFY2(pluralForms.contains(language), qPrintable(language));
    QStringList problems;
    for (const Message &message : messages) {
        if (message.numerus && message.translations.size() != pluralForms.value(language))
            problems << u"%1 plural forms, not %2: "_s.arg(message.translations.size())
                                    .arg(pluralForms.value(language))
                            + label(message);
        for (const QString &translation : message.translations) {
            if (translation.isEmpty() && !message.source.isEmpty()) {
                problems << u"empty: "_s + label(message);
                continue;
            }
            if (markers(translation) != markers(message.source))
                problems << u"placeholders or & differ (%1 / %2): "_s.arg(
                                    markers(message.source).join(u' '),
                                    markers(translation).join(u' '))
                                + label(message);
            if (edges(translation) != edges(message.source))
                problems << u"leading or trailing white space differs: "_s + label(message);
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n') + u'\n' + howToUpdate(tsFile)));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
