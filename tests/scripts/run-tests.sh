#!/usr/bin/env bash
# The test command: installs what is missing, builds once (warnings are errors), checks the
# formatting and runs clang-tidy over app/ and ui/, starts the services the tests use (a throwaway PostgreSQL cluster, a private
# D-Bus session with an unlocked gnome-keyring, two sshd), runs every test, and stops what it started.
#
#   tests/scripts/run-tests.sh [extra ctest arguments, e.g. -L unit]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${ORDERFLOW_BUILD_DIR:-$root/build}
scripts="$root/tests/scripts"
started=$(date +%s)
# Each phase's seconds, so that a run that grows says where.
phase_started=$started
phase_done() {
    local now
    now=$(date +%s)
    echo "run-tests: $1 took $((now - phase_started)) s"
    phase_started=$now
}

"$scripts/install-deps.sh"
phase_done "installing"

cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DORDERFLOW_WERROR=ON \
    -DBUILD_TESTING=ON \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" --target format-check
cmake --build "$build" -- -j"$(nproc)"
phase_done "the build"
# After the build: clang-tidy reads the moc output and compile_commands.json it wrote. It runs
# beside the tests at the lowest priority: they spend much of their time waiting on servers
# and child processes, and clang-tidy (about 11 minutes of CPU) takes the core they leave idle.
# The tidy target's own command, run without ninja: the demo's test runs ninja in this build
# folder meanwhile, and two ninja in one folder share its logs.
tidy_command=$(ninja -C "$build" -t commands tidy)
tidy_log="$build/tidy.log"
setsid nice -n 19 sh -c "$tidy_command" >"$tidy_log" 2>&1 &
tidy_pid=$!

# Four clusters: plain, TLS with hostssl-only access rules, one with 6 connection slots, and
# one the monitor's and the password rotation's tests stop and start; a PgBouncer in front
# of the plain one; and two sshd, a bastion and an inner host behind it, from which the plain
# and the TLS cluster and the PgBouncer are reached.
clusters=()
bouncer=""
sshd=""
# shellcheck disable=SC2317  # run by the EXIT trap
stop_services() {
    [ -n "$tidy_pid" ] && { kill -- -"$tidy_pid" 2>/dev/null || true; }
    [ -n "$sshd" ] && "$scripts/sshd.sh" stop "$sshd"
    [ -n "$bouncer" ] && "$scripts/pgbouncer.sh" stop "$bouncer"
    for dir in "${clusters[@]}"; do "$scripts/pg-cluster.sh" stop "$dir"; done
}
trap stop_services EXIT
# pg_stat_statements: the password rotation test reads what the server recorded.
clusters+=("$("$scripts/pg-cluster.sh" start --setting shared_preload_libraries=pg_stat_statements)")
clusters+=("$("$scripts/pg-cluster.sh" start --ssl --prefix ORDERFLOW_TEST_SSLPG)")
clusters+=("$("$scripts/pg-cluster.sh" start --max-connections 6 --prefix ORDERFLOW_TEST_TINYPG)")
# The monitored cluster also waits at COMMIT for a synchronous standby that never comes, for
# the roles that ask (synchronous_commit is local otherwise): a backend stopped there has
# committed without answering, as in a crash, for the password rotation's tests.
clusters+=("$("$scripts/pg-cluster.sh" start --prefix ORDERFLOW_TEST_MONPG \
    --setting synchronous_standby_names=nobody --setting synchronous_commit=local)")
set -a
for dir in "${clusters[@]}"; do
    # shellcheck disable=SC1091
    . "$dir/env"
done
bouncer=$("$scripts/pgbouncer.sh" start "$ORDERFLOW_TEST_PGPORT")
# shellcheck disable=SC1091
. "$bouncer/env"
sshd=$("$scripts/sshd.sh" start "$ORDERFLOW_TEST_PGPORT" "$ORDERFLOW_TEST_SSLPGPORT" \
    "$ORDERFLOW_TEST_BOUNCER_PORT")
# shellcheck disable=SC1091
. "$sshd/env"
set +a
export ORDERFLOW_TEST_STRICT=1
phase_done "starting the services"

status=0
"$scripts/with-keyring.sh" ctest --test-dir "$build" --output-on-failure -j2 "$@" || status=$?
phase_done "the tests"
tidy_status=0
wait "$tidy_pid" || tidy_status=$?
tidy_pid=""
if [ "$tidy_status" -ne 0 ]; then
    cat "$tidy_log"
    echo "run-tests: clang-tidy failed (above)"
    status=$tidy_status
fi
phase_done "the rest of clang-tidy"

# A second build, with AddressSanitizer and UndefinedBehaviorSanitizer (clang): the unit tests
# run in it, and each libFuzzer target in tests/fuzz runs from its seeds for 20 s. The
# integration and GUI tests stay out, and so do the unit tests of the window's code (label
# widgets): building and running them twice would take the run past 30 minutes on two cores.
# Only the targets of those tests are built. ORDERFLOW_SANITIZE=0 leaves this out (a quick
# local run), and so does a run narrowed by ctest arguments (-L unit, -R name).
if [ "$status" -eq 0 ] && [ "${ORDERFLOW_SANITIZE:-1}" != 0 ] && [ $# -eq 0 ]; then
    sanitize_build=${ORDERFLOW_SANITIZE_BUILD_DIR:-$root/build-sanitize}
    cmake -S "$root" -B "$sanitize_build" -G Ninja \
        -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE= \
        -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
        -DORDERFLOW_WERROR=ON \
        -DBUILD_TESTING=ON \
        -DORDERFLOW_UNIT_TESTS_ONLY=ON \
        -DORDERFLOW_FUZZ=ON \
        -DORDERFLOW_PRECOMPILE_QT_CORE=ON \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    # Each of these tests runs the target of its own name.
    mapfile -t sanitize_targets < <(ctest --test-dir "$sanitize_build" -N -L 'unit|fuzz' \
        -LE widgets | sed -n 's/^ *Test *#[0-9]*: //p')
    cmake --build "$sanitize_build" --target "${sanitize_targets[@]}" -- -j"$(nproc)"
    phase_done "the sanitizer build"
    ctest --test-dir "$sanitize_build" --output-on-failure -j2 -L 'unit|fuzz' -LE widgets \
        || status=$?
    phase_done "the sanitizer's tests"
fi
if [ "$status" -eq 0 ]; then
    # Figures, not verdicts: the short run of tests/bench/run-benchmarks.sh, so it cannot rot.
    "$root/tests/bench/run-benchmarks.sh" --quick --build "$build" || status=$?
    phase_done "the benchmarks"
fi
echo "run-tests: finished in $(($(date +%s) - started)) s with status $status"
exit "$status"
