// Prints, as a psql script, the statements that `check` sends once connected: the server
// snapshot (capacity, sessions, extensions, alembic revision) and five SELECT 1 round trips
// for the latency. run-benchmarks.sh runs them with psql -X to compare with `check`.
//
//   bench_checksql SERVER_VERSION_NUM      e.g. 150020

#include "connection/ServerSnapshot.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_checksql SERVER_VERSION_NUM\n");
        return 2;
    }
    std::printf("%s;\n", ServerSnapshot::query(std::atoi(argv[1])).constData());
    for (int i = 0; i < 5; ++i)
        std::printf("SELECT 1;\n");
    return 0;
}
