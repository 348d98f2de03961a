#include "cli/CommandContext.h"
#include "cli/CommandTable.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

void runNothing(CommandContext &, const QCommandLineParser &) { }
void runOther(CommandContext &, const QCommandLineParser &) { }

Subcommand row(const QString &name, const QString &usage, const QString &summary,
               Subcommand::Handler run = &runNothing)
{
    return {.name = name, .usage = usage, .summary = summary, .run = run};
}

// A table of the shapes the real one has: plain subcommands and a group of actions.
CommandTable sampleTable()
{
    Subcommand check = row(u"check"_s, u"--url URL"_s, u"test a connection"_s);
    check.options = {{u"url"_s, u"The URL to test."_s, u"URL"_s}};
    return CommandTable({
            check,
            row(u"profiles list"_s, u"[--json]"_s, u"list the profiles"_s),
            row(u"profiles add"_s, u"NAME"_s, u"save a profile"_s, &runOther),
            row(u"profiles remove"_s, u"NAME"_s, u"remove a profile"_s),
    });
}

// The words that name a subcommand, as a user types them: "profiles add" is two words.
QStringList wordsOf(const Subcommand &subcommand)
{
    return subcommand.name.split(u' ');
}

QString optionLabel(const QCommandLineOption &option)
{
    QString label = u"--"_s + option.names().constFirst();
    return option.valueName().isEmpty() ? label : label + u' ' + option.valueName();
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
    void eachSubcommandsHelpListsItsOwnOptionsAndNoOtherSubcommand();
    void usageNamesExactlyTheOptionsTheDispatcherAccepts();
    void theDispatcherAcceptsEveryOptionTheHelpLists();
    void helpWordsFindTheirHelpText_data();
    void helpWordsFindTheirHelpText();
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
                          u"profiles remove"_s, u"profiles rotate-password"_s,
                          u"profiles export-catalogue"_s, u"profiles import-catalogue"_s,
                          u"import"_s, u"export"_s, u"history export"_s, u"history prune"_s,
                          u"history clear"_s}));

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
    const QString help = CommandTable({row(u"profiles add"_s, usage, u"save"_s)}).helpText();
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
    const QString help = CommandTable({row(u"url"_s, u"--url URL"_s, u"parse"_s)}).helpText();
    QVERIFY2(help.contains(u"\n  orderflow-dbadmin url --url URL              parse\n"_s),
             qPrintable(help));
}

void TestCommandTable::eachSubcommandsHelpListsItsOwnOptionsAndNoOtherSubcommand()
{
    const CommandTable table = CommandTable::standard();
    for (const Subcommand &subcommand : table.subcommands()) {
        // Through the dispatcher's own lookup, with --help after the words and with -h among
        // other arguments.
        const CommandTable::Match match = table.find(wordsOf(subcommand) << u"--help"_s);
        QVERIFY2(!match.subcommand && match.error.isEmpty(), qPrintable(subcommand.name));
        const QString help = match.help;
        QCOMPARE(table.find(wordsOf(subcommand) << u"NAME"_s << u"-h"_s << u"--json"_s).help, help);
        QCOMPARE(help, table.helpText(subcommand));

        const QString flat = help.simplified();
        const QString usage = u"orderflow-dbadmin %1 %2"_s.arg(subcommand.name, subcommand.usage);
        QVERIFY2(flat.contains(usage), qPrintable(help));
        QVERIFY2(flat.contains(subcommand.summary), qPrintable(help));
        // Only a usage without options (profiles export-catalogue FILE) may come without.
        QVERIFY2(!subcommand.options.isEmpty() || !subcommand.usage.contains(u"--"_s),
                 qPrintable(subcommand.name));
        for (const QCommandLineOption &option : subcommand.options) {
            // The description may wrap: compare words, whatever the line breaks.
            const QString line = optionLabel(option) + u' ' + option.description().simplified();
            QVERIFY2(flat.contains(line), qPrintable(subcommand.name + u": "_s + line));
        }
        QVERIFY2(help.contains(u"-h, --help"_s), qPrintable(help));
        QVERIFY2(help.contains(u"Exit codes: 0 healthy"_s), qPrintable(help));
        for (const Subcommand &other : table.subcommands()) {
            if (other.name != subcommand.name)
                QVERIFY2(!help.contains(u"orderflow-dbadmin "_s + other.name + u' '),
                         qPrintable(subcommand.name + u" lists "_s + other.name));
        }
    }
}

void TestCommandTable::usageNamesExactlyTheOptionsTheDispatcherAccepts()
{
    static const QRegularExpression optionPattern(u"--([a-z-]+)"_s);
    const CommandTable table = CommandTable::standard();
    for (const Subcommand &subcommand : table.subcommands()) {
        QStringList inUsage;
        for (const QRegularExpressionMatch &match : optionPattern.globalMatch(subcommand.usage))
            inUsage << match.captured(1);
        QStringList taken;
        for (const QCommandLineOption &option : subcommand.options) {
            for (const QString &name : option.names()) {
                // The program's own words: a subcommand option of that name would never reach
                // its parser.
                QVERIFY2(!QStringList({u"help"_s, u"h"_s, u"version"_s, u"v"_s}).contains(name),
                         qPrintable(subcommand.name + u" --"_s + name));
                taken << name;
            }
        }
        inUsage.removeDuplicates();
        inUsage.sort();
        taken.sort();
        QCOMPARE(inUsage, taken);
    }
}

void TestCommandTable::theDispatcherAcceptsEveryOptionTheHelpLists()
{
    const CommandTable table = CommandTable::standard();
    for (const Subcommand &subcommand : table.subcommands()) {
        QStringList arguments;
        if (subcommand.positional == Subcommand::Positional::Allowed)
            arguments << u"NAME"_s;
        for (const QCommandLineOption &option : subcommand.options) {
            arguments << u"--"_s + option.names().constFirst();
            if (!option.valueName().isEmpty())
                arguments << option.valueName();
        }
        CommandContext context;
        QSignalSpy finished(&context, &CommandContext::finished);
        QCommandLineParser parser;
        QVERIFY2(context.parse(parser, subcommand, arguments), qPrintable(subcommand.name));
        QVERIFY(finished.isEmpty());
        for (const QCommandLineOption &option : subcommand.options)
            QVERIFY(parser.isSet(option.names().constFirst()));

        // And nothing else: an option of no row is a usage error, exit 2.
        QCommandLineParser refusing;
        QVERIFY(!context.parse(refusing, subcommand, {u"--no-such-option"_s}));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), 2);
    }
}

void TestCommandTable::helpWordsFindTheirHelpText_data()
{
    QTest::addColumn<QStringList>("words");
    // "general", "group", the subcommand's name, or "error".
    QTest::addColumn<QString>("help");

    QTest::newRow("nothing") << QStringList{} << u"general"_s;
    QTest::newRow("--help") << QStringList{u"--help"_s} << u"general"_s;
    QTest::newRow("-h") << QStringList{u"-h"_s} << u"general"_s;
    QTest::newRow("the window's option")
            << QStringList{u"--profile"_s, u"x"_s, u"--help"_s} << u"general"_s;
    QTest::newRow("subcommand") << QStringList{u"check"_s, u"--help"_s} << u"check"_s;
    QTest::newRow("help first") << QStringList{u"--help"_s, u"check"_s} << u"check"_s;
    QTest::newRow("among arguments")
            << QStringList{u"check"_s, u"--url"_s, u"x"_s, u"-h"_s} << u"check"_s;
    QTest::newRow("action") << QStringList{u"profiles"_s, u"add"_s, u"--help"_s}
                            << u"profiles add"_s;
    QTest::newRow("group") << QStringList{u"profiles"_s, u"--help"_s} << u"group"_s;
    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s, u"--help"_s} << u"error"_s;
    QTest::newRow("unknown action")
            << QStringList{u"profiles"_s, u"zap"_s, u"--help"_s} << u"error"_s;
    QTest::newRow("an action alone") << QStringList{u"add"_s, u"--help"_s} << u"error"_s;
}

void TestCommandTable::helpWordsFindTheirHelpText()
{
    QFETCH(QStringList, words);
    QFETCH(QString, help);
    const CommandTable table = sampleTable();
    const CommandTable::Match match = table.find(words);
    QVERIFY(!match.subcommand);
    if (help == u"error"_s) {
        QVERIFY(match.help.isEmpty());
        QVERIFY(match.error.startsWith(u"unknown "_s));
    } else if (help == u"general"_s) {
        QCOMPARE(match.help, table.helpText());
    } else if (help == u"group"_s) {
        QCOMPARE(match.help, table.groupHelpText(u"profiles"_s));
        for (const QString &action : {u"list"_s, u"add"_s, u"remove"_s})
            QVERIFY(match.help.contains(u"orderflow-dbadmin profiles "_s + action));
        QVERIFY(!match.help.contains(u"orderflow-dbadmin check"_s));
    } else {
        const auto subcommand = table.find(help.split(u' ')).subcommand;
        QVERIFY(subcommand);
        QCOMPARE(match.help, table.helpText(*subcommand));
    }
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
