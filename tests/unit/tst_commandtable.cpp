#include "cli/CommandTable.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

void runNothing(CommandContext &, const QStringList &) { }
void runOther(CommandContext &, const QStringList &) { }

// A table of the shapes the real one has: plain subcommands and a group of actions.
CommandTable sampleTable()
{
    return CommandTable({
            {u"check"_s, u"--url URL"_s, u"test a connection"_s, &runNothing},
            {u"profiles list"_s, u"[--json]"_s, u"list the profiles"_s, &runNothing},
            {u"profiles add"_s, u"NAME"_s, u"save a profile"_s, &runOther},
            {u"profiles remove"_s, u"NAME"_s, u"remove a profile"_s, &runNothing},
    });
}

} // namespace

/// The table that dispatches the subcommands and writes --help.
class TestCommandTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpListsEverySubcommandWithItsUsageAndSummary();
    void helpKeepsTheGeneralFacts();
    void longUsageWrapsBetweenOptionsUnderTheName();
    void shortUsageHasItsSummaryBesideIt();
    void wordsFindTheirSubcommandAndLeaveTheRest_data();
    void wordsFindTheirSubcommandAndLeaveTheRest();
    void unknownWordsAreClearUsageErrors_data();
    void unknownWordsAreClearUsageErrors();
};

void TestCommandTable::helpListsEverySubcommandWithItsUsageAndSummary()
{
    const CommandTable table = CommandTable::standard();
    QStringList names;
    for (const Subcommand &subcommand : table.subcommands()) {
        names << subcommand.name;
        QVERIFY2(subcommand.run, qPrintable(subcommand.name));
        QVERIFY2(!subcommand.summary.isEmpty(), qPrintable(subcommand.name));
    }
    // Scripts depend on these (DESIGN.md, "Command line"): none may go missing.
    QCOMPARE(names,
             (QStringList{u"check"_s, u"url"_s, u"monitor"_s, u"profiles list"_s, u"profiles add"_s,
                          u"profiles remove"_s, u"profiles rotate-password"_s, u"import"_s,
                          u"export"_s}));

    // Usage lines may wrap: compare with the help's words, whatever the line breaks.
    const QString help = table.helpText();
    const QString flat = help.simplified();
    for (const Subcommand &subcommand : table.subcommands()) {
        const QString usage = u"orderflow-dbadmin %1 %2"_s.arg(subcommand.name, subcommand.usage);
        QVERIFY2(flat.contains(usage), qPrintable(usage));
        QVERIFY2(help.contains(subcommand.summary), qPrintable(subcommand.summary));
    }
    QVERIFY(help.contains(u"export NAME --format env|pg-service|compose|sqlalchemy|psql"_s));
}

void TestCommandTable::helpKeepsTheGeneralFacts()
{
    const QString help = CommandTable::standard().helpText();
    QVERIFY(help.startsWith(u"Usage:\n"_s));
    for (const QString &fact :
         {u"orderflow-dbadmin [--profile NAME]"_s, u"orderflow-dbadmin --version | --help"_s,
          u"open the window, optionally on a profile"_s, u"production needs --confirm"_s,
          u"ENV is development, staging, production, test or other."_s,
          u"Exit codes: 0 healthy, 1 could not connect, 2 usage error or invalid input,\n"
          u"3 a required check failed, 4 keychain unavailable."_s,
          u"ORDERFLOW_DBADMIN_CONFIG_DIR"_s})
        QVERIFY2(help.contains(fact), qPrintable(fact));
}

void TestCommandTable::longUsageWrapsBetweenOptionsUnderTheName()
{
    const QString usage = u"NAME --url URL [--environment ENV] [--password-stdin] "
                          u"[--rename | --replace] [--another-long-option VALUE]"_s;
    const QString help
            = CommandTable({{u"profiles add"_s, usage, u"save"_s, &runNothing}}).helpText();
    const QStringList lines = help.split(u'\n');
    const qsizetype first = lines.indexOf(
            u"  orderflow-dbadmin profiles add NAME --url URL [--environment ENV] [--password-stdin]"_s);
    QVERIFY2(first >= 0, qPrintable(help));
    QCOMPARE(lines.at(first + 1),
             u"                    [--rename | --replace] [--another-long-option VALUE]"_s);
    // A summary below a wrapped usage, not beside its last line where it would read as an option.
    QCOMPARE(lines.at(first + 2), QString(47, u' ') + u"save"_s);
}

void TestCommandTable::shortUsageHasItsSummaryBesideIt()
{
    const QString help
            = CommandTable({{u"url"_s, u"--url URL"_s, u"parse"_s, &runNothing}}).helpText();
    QVERIFY2(help.contains(u"\n  orderflow-dbadmin url --url URL              parse\n"_s),
             qPrintable(help));
}

void TestCommandTable::wordsFindTheirSubcommandAndLeaveTheRest_data()
{
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("plain") << QStringList{u"check"_s, u"--url"_s, u"x"_s} << u"check"_s
                           << QStringList{u"--url"_s, u"x"_s};
    QTest::newRow("plain, nothing after") << QStringList{u"check"_s} << u"check"_s << QStringList{};
    QTest::newRow("action") << QStringList{u"profiles"_s, u"add"_s, u"a"_s, u"--x"_s}
                            << u"profiles add"_s << QStringList{u"a"_s, u"--x"_s};
    QTest::newRow("action, nothing after")
            << QStringList{u"profiles"_s, u"remove"_s} << u"profiles remove"_s << QStringList{};
}

void TestCommandTable::wordsFindTheirSubcommandAndLeaveTheRest()
{
    QFETCH(QStringList, words);
    QFETCH(QString, name);
    QFETCH(QStringList, arguments);
    const CommandTable::Match match = sampleTable().find(words);
    QVERIFY2(match.subcommand, qPrintable(match.error));
    QCOMPARE(match.subcommand->name, name);
    QCOMPARE(match.arguments, arguments);
    QVERIFY(match.error.isEmpty());
    QCOMPARE(match.subcommand->run == &runOther, name == u"profiles add"_s);
}

void TestCommandTable::unknownWordsAreClearUsageErrors_data()
{
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown") << QStringList{u"frobnicate"_s, u"check"_s}
                             << u"unknown command \"frobnicate\""_s;
    QTest::newRow("help is not a subcommand")
            << QStringList{u"help"_s} << u"unknown command \"help\""_s;
    QTest::newRow("empty word") << QStringList{QString()} << u"unknown command \"\""_s;
    QTest::newRow("terminal escape in a command")
            << QStringList{u"\x1b]0;owned\acheck"_s}
            << u"unknown command \"\uFFFD]0;owned\uFFFDcheck\""_s;
    QTest::newRow("terminal escape in an action")
            << QStringList{u"profiles"_s, u"\x1b[2Jzap"_s}
            << u"unknown profiles action \"\uFFFD[2Jzap\" (list, add, remove)"_s;
    QTest::newRow("an action alone") << QStringList{u"add"_s} << u"unknown command \"add\""_s;
    QTest::newRow("two words in one argument")
            << QStringList{u"profiles list"_s} << u"unknown command \"profiles list\""_s;
    QTest::newRow("group without action")
            << QStringList{u"profiles"_s} << u"profiles needs list, add or remove"_s;
    QTest::newRow("unknown action") << QStringList{u"profiles"_s, u"zap"_s, u"list"_s}
                                    << u"unknown profiles action \"zap\" (list, add, remove)"_s;
    QTest::newRow("option for an action")
            << QStringList{u"profiles"_s, u"--json"_s}
            << u"unknown profiles action \"--json\" (list, add, remove)"_s;
    QTest::newRow("percent signs stay text")
            << QStringList{u"profiles"_s, u"%1%2"_s}
            << u"unknown profiles action \"%1%2\" (list, add, remove)"_s;
}

void TestCommandTable::unknownWordsAreClearUsageErrors()
{
    QFETCH(QStringList, words);
    QFETCH(QString, error);
    const CommandTable::Match match = sampleTable().find(words);
    QVERIFY(!match.subcommand);
    QCOMPARE(match.error, error);
}

QTEST_GUILESS_MAIN(TestCommandTable)
#include "tst_commandtable.moc"
