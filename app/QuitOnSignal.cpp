#include "QuitOnSignal.h"

#include <QCoreApplication>

#if defined(Q_OS_UNIX)
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {

#if defined(Q_OS_UNIX)
int signalPipe[2] = {-1, -1};
bool signalIsNormalEnd = false;

// Only async-signal-safe work here: the number goes through the pipe to the event loop.
void onSignal(int number)
{
    const char byte = char(number);
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}
#endif

} // namespace

namespace QuitOnSignal {

void install()
{
#if defined(Q_OS_UNIX)
    if (signalPipe[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read,
                                         QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, []() {
        char byte = 0;
        if (::read(signalPipe[0], &byte, 1) == 1)
            QCoreApplication::exit(signalIsNormalEnd ? 0 : 128 + int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int number : {SIGTERM, SIGINT, SIGHUP})
        ::sigaction(number, &action, nullptr);
#endif
}

void exitCleanly()
{
#if defined(Q_OS_UNIX)
    signalIsNormalEnd = true;
#endif
}

} // namespace QuitOnSignal
