// Holds COUNT idle sessions open on a server, as an application's pool does between requests,
// so that the monitor and the tools it is compared with see a server with that many backends.
// Prints "ready COUNT" once every session is open, then waits for SIGTERM or SIGINT and closes
// them. Connects several at a time, since 500 authentications one after another take seconds.
//
//   bench_backends CONNINFO COUNT      CONNINFO with password, e.g. "host=... password=..."

#include <libpq-fe.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <poll.h>

namespace {

// Connections in flight at once: enough to keep both the server and this client busy.
constexpr int inFlight = 16;

struct Pending
{
    PGconn *conn = nullptr;
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
};

// Opens count sessions; false (with the server's message printed) when one fails.
bool openAll(const char *conninfo, int count, std::vector<PGconn *> &open)
{
    std::vector<Pending> pending;
    int started = 0;
    while (int(open.size()) < count) {
        while (started < count && int(pending.size()) < inFlight) {
            PGconn *conn = PQconnectStart(conninfo);
            if (!conn || PQstatus(conn) == CONNECTION_BAD) {
                std::fprintf(stderr, "bench_backends: %s",
                             conn ? PQerrorMessage(conn) : "no memory\n");
                return false;
            }
            pending.push_back({conn, PGRES_POLLING_WRITING});
            ++started;
        }
        std::vector<pollfd> fds;
        fds.reserve(pending.size());
        for (const Pending &p : pending)
            fds.push_back({PQsocket(p.conn),
                           short(p.status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0});
        if (::poll(fds.data(), fds.size(), 10000) <= 0) {
            std::fprintf(stderr, "bench_backends: the server stopped answering\n");
            return false;
        }
        for (std::size_t i = 0; i < pending.size(); ++i) {
            if (fds[i].revents != 0)
                pending[i].status = PQconnectPoll(pending[i].conn);
        }
        for (auto it = pending.begin(); it != pending.end();) {
            if (it->status == PGRES_POLLING_FAILED) {
                std::fprintf(stderr, "bench_backends: %s", PQerrorMessage(it->conn));
                return false;
            }
            if (it->status == PGRES_POLLING_OK) {
                open.push_back(it->conn);
                it = pending.erase(it);
            } else {
                ++it;
            }
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_backends CONNINFO COUNT\n");
        return 2;
    }
    const int count = std::max(0, std::atoi(argv[2]));
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    sigprocmask(SIG_BLOCK, &stopSignals, nullptr);

    std::vector<PGconn *> open;
    const bool ok = openAll(argv[1], count, open);
    if (ok) {
        std::printf("ready %d\n", count);
        std::fflush(stdout);
        int signal = 0;
        sigwait(&stopSignals, &signal);
    }
    for (PGconn *conn : open)
        PQfinish(conn);
    return ok ? 0 : 1;
}
