#include "AsyncTask.h"
#include "connection/KeywordValueArrays.h"

#include <QSemaphore>
#include <QTest>

#include <libpq-fe.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

class TestAsyncTask final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callbackRunsOnTheContextThread();
    void destroyedContextDropsTheCallback();
    void advancedGenerationDropsTheCallback();
    void keywordValueArraysKeepEveryValueWhole();
};

void TestAsyncTask::callbackRunsOnTheContextThread()
{
    QObject context;
    QThread *taskThread = nullptr;
    QThread *callbackThread = nullptr;
    int answer = 0;
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [&taskThread]() {
                taskThread = QThread::currentThread();
                return 42;
            },
            &context,
            [&](int result) {
                callbackThread = QThread::currentThread();
                answer = result;
            });
    QTRY_COMPARE(answer, 42);
    QVERIFY(taskThread != QThread::currentThread());
    QCOMPARE(callbackThread, QThread::currentThread());
}

void TestAsyncTask::destroyedContextDropsTheCallback()
{
    QThreadPool pool;
    QSemaphore release;
    bool called = false;
    auto context = std::make_unique<QObject>();
    AsyncTask::runThenCallback(
            &pool,
            [&release]() {
                release.acquire();
                return 1;
            },
            context.get(), [&called](int) { called = true; });
    context.reset();
    release.release();
    pool.waitForDone();
    QTest::qWait(50);
    QVERIFY(!called);
}

void TestAsyncTask::advancedGenerationDropsTheCallback()
{
    QObject context;
    AsyncTask::Generation generation;
    QSemaphore release;
    QList<int> delivered;
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            [&release]() {
                release.acquire();
                return 1;
            },
            &context, generation, [&delivered](int result) { delivered << result; });
    // A newer request supersedes the first before it answers.
    generation.advance();
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(), []() { return 2; }, &context, generation,
            [&delivered](int result) { delivered << result; });
    QTRY_COMPARE(delivered, QList<int>{2});
    release.release();
    QTest::qWait(100);
    QCOMPARE(delivered, QList<int>{2});
}

void TestAsyncTask::keywordValueArraysKeepEveryValueWhole()
{
    // Values that a conninfo string would have to quote arrive as they are.
    const QMap<QString, QString> params{{u"host"_s, u"127.0.0.1"_s},
                                        {u"password"_s, u"a b'c\\d=e"_s},
                                        {u"application_name"_s, u"Grüße"_s},
                                        {u"options"_s, u"-c search_path=x"_s}};
    const KeywordValueArrays arrays(params);
    int count = 0;
    for (; arrays.keywords()[count]; ++count) {
        const QString key = QString::fromUtf8(arrays.keywords()[count]);
        QCOMPARE(QString::fromUtf8(arrays.values()[count]), params.value(key));
    }
    QCOMPARE(count, params.size());
    QCOMPARE(arrays.values()[count], nullptr);

    // libpq reads them as the same parameters (expand_dbname off: nothing is parsed).
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
            PQconnectStartParams(arrays.keywords(), arrays.values(), 0), &PQfinish);
    QVERIFY(conn);
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> seen(PQconninfo(conn.get()),
                                                                      &PQconninfoFree);
    int matched = 0;
    for (const PQconninfoOption *option = seen.get(); option && option->keyword; ++option) {
        const QString key = QString::fromUtf8(option->keyword);
        if (params.contains(key)) {
            QCOMPARE(QString::fromUtf8(option->val), params.value(key));
            ++matched;
        }
    }
    QCOMPARE(matched, params.size());
}

QTEST_GUILESS_MAIN(TestAsyncTask)
#include "tst_asynctask.moc"
