#include "connection/Diagnosis.h"
#include "connection/FailureRefiner.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

/// The steps of a diagnosis, rendered for a target and its environment: the document's
/// example values give way to the target's, and data that must not be lost never gets a step
/// that destroys it.
class TestDiagnosisSteps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stepsNameTheTarget();
    void preciousDataNeverGetsADestructiveStep_data();
    void preciousDataNeverGetsADestructiveStep();
    void disposableDataGetsTheDestructiveStepMarked();
    void socketTargetIsCheckedByItsFile();
    void hostileValuesAreQuotedAndNotReadAsPlaceholders();
    void evidenceStepsFollowTheCategory();
    void pastedCommandsStayOneWordPerValue();
    void unknownTargetReadsAsWhatToFillIn();
    void closestNameIsSuggestedOnlyWhenClose_data();
    void closestNameIsSuggestedOnlyWhenClose();

private:
    static StepContext target(bool dataDisposable);
};

StepContext TestDiagnosisSteps::target(bool dataDisposable)
{
    StepContext context;
    context.host = u"db.staging.internal"_s;
    context.port = u"31967"_s;
    context.dbname = u"orderflow_nope"_s;
    context.user = u"billing"_s;
    context.sslmode = u"verify-full"_s;
    context.dataDisposable = dataDisposable;
    return context;
}

void TestDiagnosisSteps::stepsNameTheTarget()
{
    const StepContext context = target(false);
    const QString refused
            = DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, context).join(u'\n');
    QVERIFY2(refused.contains(u"pg_isready -h db.staging.internal -p 31967"_s),
             qPrintable(refused));
    QVERIFY(!refused.contains(u"localhost"_s));
    QVERIFY(!refused.contains(u"5432"_s));

    const QString missing
            = DiagnosisTable::hints(DiagnosisCategory::DatabaseNotFound, context).join(u'\n');
    QVERIFY2(missing.contains(u"psql -h db.staging.internal -p 31967 -U billing -d postgres -c "
                              "'CREATE DATABASE \"orderflow_nope\";'"_s),
             qPrintable(missing));
    QVERIFY(!missing.contains(u"CREATE DATABASE orderflow_test"_s));

    const QString role
            = DiagnosisTable::hints(DiagnosisCategory::RoleNotFound, context).join(u'\n');
    QVERIFY(role.contains(u"CREATE ROLE \"billing\" LOGIN"_s));
    const QString ssl
            = DiagnosisTable::hints(DiagnosisCategory::SslUnavailable, context).join(u'\n');
    QVERIFY(ssl.contains(u"sslmode=verify-full"_s));
}

void TestDiagnosisSteps::preciousDataNeverGetsADestructiveStep_data()
{
    QTest::addColumn<int>("category");
    for (DiagnosisCategory category : DiagnosisTable::allFailures())
        QTest::newRow(qPrintable(DiagnosisTable::id(category))) << int(category);
}

void TestDiagnosisSteps::preciousDataNeverGetsADestructiveStep()
{
    QFETCH(int, category);
    const QString steps
            = DiagnosisTable::hints(DiagnosisCategory(category), target(false)).join(u'\n');
    for (const QString &destructive : {u"down -v"_s, u"dropdb"_s, u"DROP "_s, u"volume rm"_s,
                                       u"destroys data"_s, u"disable SSL requirement"_s})
        QVERIFY2(!steps.contains(destructive), qPrintable(destructive + u" in: "_s + steps));
    QVERIFY(!DiagnosisTable::hints(DiagnosisCategory(category), target(false)).isEmpty());
}

void TestDiagnosisSteps::disposableDataGetsTheDestructiveStepMarked()
{
    const QStringList steps = DiagnosisTable::hints(DiagnosisCategory::AuthFailed, target(true));
    const auto recreate = std::find_if(steps.cbegin(), steps.cend(), [](const QString &step) {
        return step.contains(u"docker compose down -v"_s);
    });
    QVERIFY(recreate != steps.cend());
    QVERIFY2(recreate->contains(u"destroys data"_s), qPrintable(*recreate));
    // The document's first step stays the first for a development server.
    QCOMPARE(steps.first(), u"Verify password in .env matches Docker Compose POSTGRES_PASSWORD"_s);

    const QStringList precious
            = DiagnosisTable::hints(DiagnosisCategory::AuthFailed, target(false));
    QVERIFY(precious.join(u'\n').contains(u"ALTER ROLE \"billing\" PASSWORD"_s));
    QVERIFY(precious.join(u'\n').contains(u"keychain"_s));
}

void TestDiagnosisSteps::socketTargetIsCheckedByItsFile()
{
    StepContext context = target(true);
    context.host = u"/var/run/postgresql"_s;
    context.port = u"5433"_s;
    const QString steps
            = DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, context).join(u'\n');
    QVERIFY2(steps.contains(u"ls -l /var/run/postgresql/.s.PGSQL.5433"_s), qPrintable(steps));
    QVERIFY(!steps.contains(u"pg_isready"_s));
}

void TestDiagnosisSteps::hostileValuesAreQuotedAndNotReadAsPlaceholders()
{
    StepContext context = target(true);
    context.user = u"o'brien {host}"_s;
    context.dbname = u"Order\"Flow; DROP DATABASE x"_s;
    const QString missing
            = DiagnosisTable::hints(DiagnosisCategory::DatabaseNotFound, context).join(u'\n');
    // The braces in the user name stay as typed: values are never read as placeholders.
    QVERIFY2(missing.contains(u"-U 'o'\\''brien {host}'"_s), qPrintable(missing));
    // The name is one SQL identifier inside one shell word.
    QVERIFY2(missing.contains(u"'CREATE DATABASE \"Order\"\"Flow; DROP DATABASE x\";'"_s),
             qPrintable(missing));
}

void TestDiagnosisSteps::evidenceStepsFollowTheCategory()
{
    Diagnosis diagnosis = DiagnosisTable::make(DiagnosisCategory::ConnectionRefused,
                                               ConnectionStage::Connect, u"refused"_s);
    diagnosis.context = target(false);
    diagnosis.leadingSteps << u"Did you mean port 5433?"_s;
    diagnosis.extraSteps << u"Start the server"_s;
    QCOMPARE(diagnosis.hints().first(), u"Did you mean port 5433?"_s);
    QCOMPARE(diagnosis.hints().last(), u"Start the server"_s);
    // A refined category brings its own steps and keeps the evidence's.
    diagnosis.category = DiagnosisCategory::Timeout;
    const QStringList own = DiagnosisTable::hints(DiagnosisCategory::Timeout, target(false));
    QCOMPARE(diagnosis.hints(),
             QStringList{u"Did you mean port 5433?"_s} + own + QStringList{u"Start the server"_s});
    diagnosis.categorySteps = false;
    QCOMPARE(diagnosis.hints(), QStringList({u"Did you mean port 5433?"_s, u"Start the server"_s}));
}

void TestDiagnosisSteps::pastedCommandsStayOneWordPerValue()
{
    StepContext context = target(true);
    // A trailing line break must not end the command early, a leading "-" must stay the
    // option's value, and a reserved word must stay a name.
    context.host = u"evil\n"_s;
    context.port = u"1"_s;
    context.user = u"order"_s;
    const QString refused
            = DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, context).join(u'\n');
    QVERIFY2(refused.contains(u"pg_isready -h 'evil\uFFFD' -p 1"_s), qPrintable(refused));
    context.host = u"-n/tmp/trace"_s;
    const QString option
            = DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, context).join(u'\n');
    QVERIFY2(option.contains(u"pg_isready -h -n/tmp/trace -p 1"_s), qPrintable(option));
    const QString role
            = DiagnosisTable::hints(DiagnosisCategory::RoleNotFound, context).join(u'\n');
    QVERIFY2(role.contains(u"CREATE ROLE \"order\" LOGIN"_s), qPrintable(role));
}

void TestDiagnosisSteps::unknownTargetReadsAsWhatToFillIn()
{
    StepContext nothing;
    const QString refused
            = DiagnosisTable::hints(DiagnosisCategory::ConnectionRefused, nothing).join(u'\n');
    QVERIFY2(refused.contains(u"pg_isready -h HOST -p PORT"_s), qPrintable(refused));
    QVERIFY(!refused.contains(u"localhost"_s));
    QVERIFY(!refused.contains(u"5432"_s));
}

void TestDiagnosisSteps::closestNameIsSuggestedOnlyWhenClose_data()
{
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<QString>("closest");
    QTest::newRow("typo") << u"orderflow_tset"_s << u"orderflow_test"_s;
    QTest::newRow("missing letter") << u"orderflo"_s << u"orderflow"_s;
    QTest::newRow("case") << u"OrderFlow"_s << u"orderflow"_s;
    QTest::newRow("extension") << u"orderflow_eu"_s << u"orderflow"_s;
    QTest::newRow("nothing alike") << u"inventory"_s << QString();
    QTest::newRow("one letter of three") << u"apl"_s << u"api"_s;
    QTest::newRow("two letters of three") << u"axe"_s << QString();
}

void TestDiagnosisSteps::closestNameIsSuggestedOnlyWhenClose()
{
    QFETCH(QString, wanted);
    QFETCH(QString, closest);
    QCOMPARE(FailureRefiner::closestName(wanted,
                                         {u"orderflow"_s, u"orderflow_test"_s, u"postgres"_s,
                                          u"analytics"_s, u"api"_s}),
             closest);
}

QTEST_GUILESS_MAIN(TestDiagnosisSteps)
#include "tst_diagnosissteps.moc"
