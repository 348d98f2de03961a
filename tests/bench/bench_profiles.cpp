// Prints figures for the owner of profiles.json: how long after another process wrote the file
// an open window's repository reports the change, next to a bare QFileSystemWatcher on the same
// folder (the floor: the kernel's notification reaching Qt); and how long N parallel
// `profiles add` take, next to the same N run one after another.
//
//   bench_profiles EXECUTABLE [ROUNDS] [PARALLEL]

#include "profiles/ProfileRepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

QProcess *startAdd(const QString &executable, const QString &directory, const QString &name)
{
    auto *process = new QProcess;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ORDERFLOW_DBADMIN_CONFIG_DIR"_s, directory);
    process->setProcessEnvironment(environment);
    process->start(executable,
                   {u"profiles"_s, u"add"_s, name, u"--url"_s,
                    u"postgresql://orderflow@localhost/orderflow"_s});
    return process;
}

// Waits in a local loop: this is a benchmark program, not the product, and it has no window.
void waitUntil(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_profiles EXECUTABLE [ROUNDS] [PARALLEL]\n");
        return 2;
    }
    const QString executable = args.at(1);
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 20;
    const int parallel = args.size() > 3 ? args.at(3).toInt() : 20;

    QTemporaryDir directory;
    ProfileRepository repository(directory.path());
    repository.watchFile();
    repository.load();
    waitUntil([&] { return repository.isLoaded(); });
    QFileSystemWatcher bare({directory.path()});

    QList<double> bareMs;
    QList<double> ownerMs;
    for (int round = 0; round < rounds; ++round) {
        const QString name = u"watched %1"_s.arg(round);
        QElapsedTimer clock;
        double bareAt = -1;
        double ownerAt = -1;
        auto bareConnection
                = QObject::connect(&bare, &QFileSystemWatcher::directoryChanged, &app, [&] {
                      if (bareAt < 0)
                          bareAt = clock.nsecsElapsed() / 1e6;
                  });
        auto ownerConnection
                = QObject::connect(&repository, &ProfileRepository::profileChanged, &app,
                                   [&] { ownerAt = clock.nsecsElapsed() / 1e6; });
        QProcess *process = startAdd(executable, directory.path(), name);
        process->waitForFinished(30000);
        // From the moment the writer has finished (its file is in place).
        clock.start();
        waitUntil([&] { return ownerAt >= 0 && repository.findByName(name); });
        QObject::disconnect(bareConnection);
        QObject::disconnect(ownerConnection);
        // The bare watcher may have fired before the writer exited: count that as 0.
        bareMs << std::max(0.0, bareAt);
        ownerMs << ownerAt;
        delete process;
    }
    std::printf("another process's write to the change signal, median of %d:\n", rounds);
    std::printf("  bare QFileSystemWatcher        %8.2f ms (the floor)\n", median(bareMs));
    std::printf("  ProfileRepository (debounced)  %8.2f ms (slowest %.2f ms)\n", median(ownerMs),
                *std::max_element(ownerMs.cbegin(), ownerMs.cend()));

    auto runAdds = [&](bool together) {
        QTemporaryDir folder;
        QElapsedTimer clock;
        clock.start();
        QList<QProcess *> processes;
        for (int n = 0; n < parallel; ++n) {
            processes << startAdd(executable, folder.path(), u"p%1"_s.arg(n));
            if (!together)
                processes.last()->waitForFinished(30000);
        }
        int failed = 0;
        for (QProcess *process : std::as_const(processes)) {
            process->waitForFinished(60000);
            failed += process->exitCode() != 0 ? 1 : 0;
            delete process;
        }
        const double ms = clock.nsecsElapsed() / 1e6;
        ProfileStore store(folder.path());
        store.load();
        std::printf("  %-12s %8.0f ms, %lld of %d profiles saved, %d failed\n",
                    together ? "in parallel" : "one by one", ms,
                    static_cast<long long>(store.profiles().size()), parallel, failed);
    };
    std::printf("%d `profiles add` (no password), wall time:\n", parallel);
    runAdds(false);
    runAdds(true);
    return 0;
}
