#!/usr/bin/env bash
# Measures the product side by side with the tools it is compared with, in one run on one
# machine, and writes the figures as Markdown: BENCHMARKS.md at the top of the tree, or with
# --quick a temporary file (fewer runs, a few seconds per tool; CI runs it so that this script
# cannot rot). Benchmarks print figures; they never judge them.
#
#   tests/bench/run-benchmarks.sh [--quick] [--build DIR] [--output FILE]
#
# Starts its own PostgreSQL cluster (pg_stat_statements preloaded, room for 500 idle
# sessions) and, for the window, its own X server (xvfb-run); stops both at the end. Each
# section is one function that appends its table to the report; a new one (tunnels, the
# exporter) is one more function called from main.
#
# Backquotes in single-quoted strings here are Markdown, not command substitution.
# shellcheck disable=SC2016
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${ORDERFLOW_BUILD_DIR:-$root/build}
output=""
quick=0
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --build) build=$2; shift ;;
    --output) output=$2; shift ;;
    *) echo "run-benchmarks: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$quick" -eq 1 ]; then
    runs=3 watch_seconds=5 ticks=5 paints=5 doctor_attempts=5 profile_rounds=5
    history_seconds=60 history_prefill_hours=1
    [ -n "$output" ] || output=$(mktemp /tmp/orderflow-benchmarks.XXXXXX.md)
else
    runs=15 watch_seconds=30 ticks=30 paints=30 doctor_attempts=20 profile_rounds=20
    history_seconds=600 history_prefill_hours=24
    [ -n "$output" ] || output="$root/BENCHMARKS.md"
fi
many_backends=500
few_backends=50

scripts="$root/tests/scripts"
# shellcheck source-path=SCRIPTDIR source=../scripts/ports.sh
. "$scripts/ports.sh"
bench="$root/tests/bench"
exe="$build/orderflow-dbadmin"
measure=(python3 "$bench/measure.py")
for program in "$exe" "$build/tests/bench_backends" "$build/tests/bench_sampler" \
    "$build/tests/bench_connection" "$build/tests/bench_profiles" \
    "$build/tests/bench_checksql" "$build/tests/bench_startup" "$build/tests/bench_pool" \
    "$build/tests/bench_history"; do
    [ -x "$program" ] || { echo "run-benchmarks: $program is not built" >&2; exit 1; }
done
for tool in python3 xvfb-run pg_activity /usr/bin/time prometheus prometheus-postgres-exporter curl; do
    command -v "$tool" >/dev/null || { echo "run-benchmarks: $tool is missing (tests/scripts/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/orderflow-bench.XXXXXX)
cluster=""
own_sshd=""
holders=()
stop_everything() {
    local pid
    for pid in "${holders[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -z "$own_sshd" ] || "$scripts/sshd.sh" stop "$own_sshd"
    [ -z "$cluster" ] || "$scripts/pg-cluster.sh" stop "$cluster"
    rm -rf "$work"
}
trap stop_everything EXIT

report="$work/report.md"
started=$(date +%s)
load() { cut -d' ' -f1-3 /proc/loadavg; }
# A value from a line of NAME=VALUE pairs.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
section() {
    printf '\n## %s\n\nLoad average when the section started: %s.\n\n' "$1" "$(load)" >> "$report"
    echo "run-benchmarks: $1" >&2
}

# LINES NAME...: measure.py repeat's lines as a table, one row per NAME, in order.
timing_table() {
    local lines=$1 i=0 line
    shift
    local names=("$@")
    printf '| command | wall time, median | fastest | slowest | peak RSS, median |\n'
    printf '|---|---:|---:|---:|---:|\n'
    while IFS= read -r line; do
        printf '| %s | %s ms | %s ms | %s ms | %s MiB |\n' "${names[$i]}" \
            "$(field "$line" wall_ms)" "$(field "$line" wall_min_ms)" "$(field "$line" wall_max_ms)" \
            "$(awk -v k="$(field "$line" rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')"
        i=$((i + 1))
    done <<<"$lines"
}

start_cluster() {
    cluster=$("$scripts/pg-cluster.sh" start --demo --prefix BENCH_PG \
        --max-connections $((many_backends + 30)) \
        --setting shared_preload_libraries=pg_stat_statements \
        --setting pg_stat_statements.track_planning=on)
    # shellcheck disable=SC1091
    . "$cluster/env"
    superuser=(env PGPASSWORD="$BENCH_PGPASSWORD" "$BENCH_PGBIN/psql" -X -q -tA
        -v ON_ERROR_STOP=1 -h "$BENCH_PGHOST" -p "$BENCH_PGPORT" -U postgres -d postgres)
    "${superuser[@]}" -c "CREATE EXTENSION pg_stat_statements"
    app_url="postgresql://orderflow@$BENCH_PGHOST:$BENCH_PGPORT/orderflow"
    server_version=$("${superuser[@]}" -c "SHOW server_version")
    server_version_num=$("${superuser[@]}" -c "SHOW server_version_num")
}

# Opens COUNT more idle sessions in the orderflow database (as an application's pool holds
# them) and keeps them until the end of the run.
hold_backends() {
    local count=$1 out="$work/holder-${#holders[@]}"
    PGPASSWORD=dev_password "$build/tests/bench_backends" \
        "host=$BENCH_PGHOST port=$BENCH_PGPORT user=orderflow dbname=orderflow application_name=idle-pool" \
        "$count" > "$out" &
    holders+=($!)
    local waited=0
    until grep -q '^ready' "$out"; do
        kill -0 "${holders[-1]}" 2>/dev/null || { echo "run-benchmarks: could not open $count sessions" >&2; exit 1; }
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -lt 600 ] || { echo "run-benchmarks: $count sessions took over 2 minutes" >&2; exit 1; }
    done
}

idle_sessions() {
    "${superuser[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'idle-pool'"
}

section_machine() {
    local cpu memory
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
    memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    {
        printf '# Benchmarks\n\n'
        printf 'Written by `tests/bench/run-benchmarks.sh%s`: every figure below comes from one run on\n' \
            "$([ "$quick" -eq 1 ] && echo ' --quick')"
        printf 'one machine, the product and the tools it is compared with measured side by side.\n'
        printf 'Figures, not verdicts: nothing here passes or fails.\n\n'
        printf '| | |\n|---|---|\n'
        printf '| date | %s |\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
        printf '| CPU | %s, `nproc` %s |\n' "$cpu" "$(nproc)"
        printf '| memory | %s |\n' "$memory"
        # shellcheck disable=SC1091
        printf '| system | %s, kernel %s |\n' "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(uname -r)"
        printf '| PostgreSQL | server %s on loopback (`fsync=off`); psql and pg_isready from `%s` |\n' \
            "$server_version" "$BENCH_PGBIN"
        printf '| libpq | %s |\n' "$(dpkg-query -W -f '${Version}' libpq5 2>/dev/null || echo unknown)"
        printf '| pg_activity | %s |\n' "$(pg_activity --version | awk '{ print $2 }')"
        printf '| build | %s (`%s`) |\n' "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")" \
            "$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
        printf '| runs | %s per figure (median) unless a row says otherwise |\n' "$runs"
        printf '| load average at start | %s |\n' "$(load)"
    } >> "$report"
}

section_check() {
    section "check against psql and pg_isready"
    local sql="$work/check.sql"
    "$build/tests/bench_checksql" "$server_version_num" > "$sql"
    local lines
    lines=$(printf 'dev_password\n' | ORDERFLOW_DBADMIN_CONFIG_DIR="$work/config" "${measure[@]}" repeat "$runs" --accept 3 \
        -- "$exe" check --url "$app_url" --password-stdin \
        -- env PGPASSWORD=dev_password "$BENCH_PGBIN/psql" -X -q -h "$BENCH_PGHOST" -p "$BENCH_PGPORT" \
        -U orderflow -d orderflow -f "$sql" \
        -- "$BENCH_PGBIN/pg_isready" -q -h "$BENCH_PGHOST" -p "$BENCH_PGPORT" -d orderflow \
        -- pg_isready -q -h "$BENCH_PGHOST" -p "$BENCH_PGPORT" -d orderflow)
    local names=("\`orderflow-dbadmin check --url ... --password-stdin\`"
        "\`psql -X\` running the statements \`check\` sends (snapshot, 5 x \`SELECT 1\`)"
        "\`pg_isready\` (\`$BENCH_PGBIN/pg_isready\`)"
        "\`pg_isready\` through Debian's \`/usr/bin\` wrapper (Perl)")
    {
        printf 'One process per run, from start to exit, as the orderflow role over TCP to\n'
        printf '127.0.0.1 with scram-sha-256 (pg_isready stops before authenticating), alternating\n'
        printf 'between the commands. Peak RSS from GNU time. %s runs each. `check` exits 3 here: the\n' "$runs"
        printf 'required extension vector (pgvector) is not packaged for Debian 12; the others are created.\n\n'
        timing_table "$lines" "${names[@]}"
    } >> "$report"
}

section_startup() {
    section "first window against a bare Qt window and a minimal text window"
    local bus profiles out rows=""
    # With a session bus of its own, as on a desktop, and without one, as in a bare Xvfb: a
    # window with accessible names starts Qt's accessibility bridge, which asks the session
    # bus, and with none libdbus first runs dbus-launch. The bare window starts no bridge.
    for bus in yes no; do
        # 4 profiles: the figure the start-up goal names; 20: a long list.
        for profiles in 4 20; do
            if [ "$bus" = yes ]; then
                out=$(dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
                    env QT_QPA_PLATFORM=xcb "$build/tests/bench_startup" "$exe" "$runs" "$profiles")
            else
                out=$(env -u DBUS_SESSION_BUS_ADDRESS xvfb-run -a -s "-screen 0 1280x800x24" \
                    env QT_QPA_PLATFORM=xcb "$build/tests/bench_startup" "$exe" "$runs" "$profiles")
            fi
            rows+=$(awk -v profiles="$profiles" -v bus="$bus" '
                /orderflow-dbadmin window|bare Qt window|minimal text window/ {
                    name = ($1 == "bare") ? "bare Qt window" : ($1 == "minimal") ? "minimal text window" : "orderflow-dbadmin window";
                    for (i = 2; i <= NF; ++i) {
                        if ($i == "median" && $(i - 1) == "frame") shown[name] = $(i + 1);
                        if ($i == "median" && $(i - 1) == "exit") quit[name] = $(i + 1);
                        if ($i == "best") best[name] = $(i + 1);
                        if ($i == "RSS") rss[name] = $(i + 1);
                    }
                }
                /the window.s first frame takes/ { for (i = 1; i <= NF; ++i) if ($i == "takes") ratio = $(i + 1) }
                /minimal text window.s first frame takes/ { for (i = NF; i >= 1; --i) if ($i == "takes") textRatio = $(i + 1) }
                END {
                    w = "orderflow-dbadmin window"; b = "bare Qt window"; t = "minimal text window";
                    printf "| %s | %s | %s | %s ms | %s ms | %s | %s ms | %s MiB |\n", bus, profiles, w, shown[w], best[w], ratio, quit[w], rss[w];
                    printf "| %s | %s | %s | %s ms | %s ms | %s | %s ms | %s MiB |\n", bus, profiles, t, shown[t], best[t], textRatio, quit[t], rss[t];
                    printf "| %s | %s | %s | %s ms | %s ms | | %s ms | %s MiB |\n", bus, profiles, b, shown[b], best[b], quit[b], rss[b] }' <<<"$out")
            rows+=$'\n'
        done
    done
    {
        printf 'A fresh process that quits after its first paint, under Xvfb with the xcb platform\n'
        printf 'plugin: timed from its start to the moment it says that frame was shown (both on the\n'
        printf 'monotonic clock), and to its exit, with the peak RSS it reports as it ends (VmHWM).\n'
        printf 'The window opens on 4 or 20 saved profiles. The bare window is a QWidget in a\n'
        printf 'QApplication, in a process that loads Qt Widgets and nothing else (not libpq, OpenSSL\n'
        printf 'or QtKeychain): the floor for any Qt Widgets program. The minimal text window is a\n'
        printf 'QMainWindow with a menu bar, a label and a line edit with an accessible name, from the\n'
        printf 'same process: the floor for a window that draws text and has menus (the bare window\n'
        printf 'loads no fonts and starts no accessibility bridge). %s runs each,\n' "$runs"
        printf 'alternating between the three. Each is measured with a D-Bus session bus of its\n'
        printf 'own, as on a desktop, and with none, as in a bare Xvfb: there the accessibility bridge\n'
        printf 'that accessible names start waits for libdbus to run dbus-launch, which the bare\n'
        printf 'window never does.\n\n'
        printf '| session bus | profiles | program | first frame, median | fastest | first frame against the bare window | exit, median | peak RSS, median |\n'
        printf '|---|---:|---|---:|---:|---:|---:|---:|\n'
        printf '%s' "$rows"
    } >> "$report"
}

# Rows of the sampler table: the sampler at 1 Hz with the sessions held now, the floor, and
# the start-up probe.
sampler_rows() {
    local sessions line
    sessions=$(idle_sessions)
    local -A labels=([tick]="sampler tick"
        [floor]="floor: \`pg_stat_get_activity(NULL)\` alone"
        [probe]="start-up probe (the snapshot at connect), once")
    PGPASSWORD="$BENCH_PGPASSWORD" "$build/tests/bench_sampler" \
        "postgresql://orderflow:dev_password@$BENCH_PGHOST:$BENCH_PGPORT/orderflow" \
        "host=$BENCH_PGHOST port=$BENCH_PGPORT user=postgres dbname=postgres" "$ticks" \
        > "$work/sampler.txt"
    while IFS= read -r line; do
        printf '| %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s |\n' "$sessions" \
            "${labels[$(field "$line" statement)]}" "$(field "$line" runs)" \
            "$(field "$line" exec_ms)" "$(field "$line" plan_ms)" "$(field "$line" total_ms)" \
            "$(field "$line" mean_total_ms)" "$(field "$line" plans)" >> "$report"
    done < "$work/sampler.txt"
}

section_sampler() {
    section "the sampler's statement with idle sessions"
    {
        printf 'The pool monitor'"'"'s sampler (the product'"'"'s code, as the orderflow role) ticking at\n'
        printf '1 Hz on the orderflow database while other sessions sit idle in it. Server time from\n'
        printf 'pg_stat_statements (track_planning on), read after every tick: execution and planning\n'
        printf 'separately, median over the ticks. The floor is\n'
        printf '`SELECT count(*) FROM pg_stat_get_activity(NULL)`, the function behind\n'
        printf 'pg_stat_activity, run alone by the superuser after each tick: no statement that reads\n'
        printf 'the sessions'"'"' states costs less. The start-up probe is the snapshot the connection\n'
        printf 'brings once (capacity, sessions, extensions), not part of any tick.\n\n'
        printf '| idle sessions | statement | runs | execution, median | planning, median | total, median | total, mean | times planned |\n'
        printf '|---:|---|---:|---:|---:|---:|---:|---:|\n'
    } >> "$report"
    hold_backends "$few_backends"
    sampler_rows
    hold_backends $((many_backends - few_backends))
    sampler_rows
}

# The server time, statements and client cost of one monitoring program running for
# watch_seconds, alone on the cluster.
monitor_row() {
    local name=$1
    shift
    local excluded="query NOT LIKE '%pg_stat_statements%'"
    "${superuser[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
    local line
    line=$(env PGPASSWORD="$BENCH_PGPASSWORD" "${measure[@]}" watch "$watch_seconds" -- "$@")
    local seconds server
    seconds=$(field "$line" wall_s)
    server=$("${superuser[@]}" -F ' ' -c "SELECT coalesce(sum(calls), 0),
        round((coalesce(sum(total_exec_time + total_plan_time), 0))::numeric, 3)
        FROM pg_stat_statements WHERE $excluded")
    read -r calls server_ms <<<"$server"
    printf '| %s | %s s | %s | %s | %s ms | %s s = %s%% of a core | %s MiB |\n' "$name" "$seconds" \
        "$calls" "$(awk -v c="$calls" -v s="$seconds" 'BEGIN { printf "%.1f", c / s }')" \
        "$(awk -v t="$server_ms" -v s="$seconds" 'BEGIN { printf "%.2f", t / s }')" \
        "$(field "$line" cpu_s)" "$(field "$line" cpu_pct)" \
        "$(awk -v k="$(field "$line" rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')" >> "$report"
}

section_monitor() {
    section "monitor against pg_activity at 1 Hz"
    {
        printf 'Each program alone on the cluster for the same %s s, with %s idle sessions in the\n' "$watch_seconds" "$(idle_sessions)"
        printf 'orderflow database, connected as the superuser (pg_activity'"'"'s usual role) on a\n'
        printf 'pseudo-terminal of 200x50. Statements and server time (execution + planning) from\n'
        printf 'pg_stat_statements, reset before each program, its own start-up statements included;\n'
        printf 'client CPU and peak RSS from the kernel (GNU time). One run each.\n\n'
        printf '| program | duration | statements | per second | server time per second | client CPU | client peak RSS |\n'
        printf '|---|---:|---:|---:|---:|---:|---:|\n'
    } >> "$report"
    local superuser_url="postgresql://postgres@$BENCH_PGHOST:$BENCH_PGPORT/orderflow"
    monitor_row "\`orderflow-dbadmin monitor --interval 1000\`" \
        env ORDERFLOW_DBADMIN_CONFIG_DIR="$work/config" "$exe" monitor --url "$superuser_url" --interval 1000
    monitor_row "\`pg_activity --refresh 1\`" \
        pg_activity --refresh 1 -h "$BENCH_PGHOST" -p "$BENCH_PGPORT" -U postgres -d orderflow
}

# PORT QUERY: the value of the query's first result on the Prometheus at PORT, as an integer;
# nothing when it has no result.
prometheus_value() {
    python3 - "$1" "$2" <<'PY'
import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
result = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
print(int(float(result[0]["value"][1])) if result else "")
PY
}

# One exporter scraped by a Prometheus of its own every second for watch_seconds, alone on the
# cluster as its own role: its statements and server time from pg_stat_statements (that role's
# rows), the scrapes Prometheus made, its client CPU and peak RSS.
exporter_row() {
    local name=$1 role=$2 port=$3
    shift 3
    local prometheus prometheus_port
    prometheus=$("$scripts/prometheus.sh" start "127.0.0.1:$port")
    prometheus_port=$(sed -n 's/^ORDERFLOW_TEST_PROMETHEUS_PORT=//p' "$prometheus/env")
    # Prometheus hands new targets to its scrapers a few seconds after it starts: the window
    # opens once it has tried the target (up is 0 until the exporter runs).
    local waited=0
    until [ -n "$(prometheus_value "$prometheus_port" "count(up)")" ]; do
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -lt 150 ] || { echo "run-benchmarks: Prometheus never scraped" >&2; exit 1; }
    done
    "${superuser[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
    local line
    # An exporter that fails takes its Prometheus down with it, not left running.
    line=$(env PGPASSWORD=dev_password "${measure[@]}" watch "$watch_seconds" -- "$@") ||
        { "$scripts/prometheus.sh" stop "$prometheus"; return 1; }
    local seconds server scrapes
    seconds=$(field "$line" wall_s)
    server=$("${superuser[@]}" -F ' ' -c "SELECT coalesce(sum(calls), 0),
        round((coalesce(sum(total_exec_time + total_plan_time), 0))::numeric, 3)
        FROM pg_stat_statements WHERE userid = '$role'::regrole")
    read -r calls server_ms <<<"$server"
    scrapes=$(prometheus_value "$prometheus_port" "sum(sum_over_time(up[${watch_seconds}s]))")
    "$scripts/prometheus.sh" stop "$prometheus"
    printf '| %s | %s s | %s | %s | %s | %s | %s ms | %s ms | %s s = %s%% of a core | %s MiB |\n' \
        "$name" "$seconds" "$scrapes" "$calls" \
        "$(awk -v c="$calls" -v s="$seconds" 'BEGIN { printf "%.1f", c / s }')" \
        "$(awk -v c="$calls" -v n="$scrapes" 'BEGIN { printf "%.1f", (n > 0 ? c / n : 0) }')" \
        "$(awk -v t="$server_ms" -v s="$seconds" 'BEGIN { printf "%.3f", t / s }')" \
        "$(awk -v t="$server_ms" -v n="$scrapes" 'BEGIN { printf "%.3f", (n > 0 ? t / n : 0) }')" \
        "$(field "$line" cpu_s)" "$(field "$line" cpu_pct)" \
        "$(awk -v k="$(field "$line" rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')" >> "$report"
}

section_exporter() {
    section "monitor --listen against postgres_exporter, scraped at 1 Hz"
    local role
    # A role per exporter, so that pg_stat_statements tells their statements apart; both with
    # pg_monitor, which postgres_exporter's documentation asks for.
    for role in bench_listen bench_pg_exporter; do
        "${superuser[@]}" -c "CREATE ROLE $role LOGIN PASSWORD 'dev_password' IN ROLE pg_monitor"
    done
    local config="$work/exporter-config"
    mkdir -p "$config"
    ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$exe" profiles add bench \
        --url "postgresql://bench_listen@$BENCH_PGHOST:$BENCH_PGPORT/orderflow" --environment test \
        >/dev/null 2>&1
    {
        printf 'Each exporter alone on the cluster for the same %s s, with %s idle sessions in the\n' "$watch_seconds" "$(idle_sessions)"
        printf 'orderflow database, scraped every second by a Prometheus %s of its own\n' "$(prometheus --version 2>&1 | awk 'NR == 1 { print $3 }')"
        printf '(`tests/scripts/prometheus.sh`). Each connects as a role of its own with pg_monitor;\n'
        printf 'statements and server time (execution + planning) are that role'"'"'s rows of\n'
        printf 'pg_stat_statements, reset before each exporter, its start-up statements included.\n'
        printf 'Scrapes are the successful ones Prometheus recorded. `monitor --listen` samples once\n'
        printf 'per interval (1 s) whatever the scrapes; postgres_exporter %s (Debian'"'"'s, default\n' "$(prometheus-postgres-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')"
        printf 'collectors) queries the server on every scrape. Client CPU and peak RSS from the kernel.\n\n'
        printf '| exporter | duration | scrapes | statements | statements per second | per scrape | server time per second | per scrape | client CPU | client peak RSS |\n'
        printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    } >> "$report"
    local port
    port=$(free_port)
    exporter_row "\`orderflow-dbadmin monitor --listen\`" bench_listen "$port" \
        env ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$exe" monitor --listen "127.0.0.1:$port" --all
    port=$(free_port)
    exporter_row "\`prometheus-postgres-exporter\`" bench_pg_exporter "$port" \
        env DATA_SOURCE_NAME="postgresql://bench_pg_exporter:dev_password@$BENCH_PGHOST:$BENCH_PGPORT/orderflow?sslmode=disable" \
        prometheus-postgres-exporter --web.listen-address="127.0.0.1:$port"
}

section_chart() {
    section "chart redraw"
    local out
    out=$("$build/tests/bench_pool" "$paints")
    {
        printf 'The pool chart (1200x400, offscreen) painted with its whole window full of 1 Hz\n'
        printf 'samples. Windows up to 24 hours are drawn from samples; the 7-day row is a history of that\n'
        printf 'size given to the same chart. %s paints each.\n\n' "$paints"
        printf '| samples | window | paint, median | fastest |\n|---:|---|---:|---:|\n'
        sed -n 's/^chart: \([0-9]*\) samples (\([0-9]*\) d at 1 Hz).* in \([0-9.]*\) ms (median of [0-9]*, fastest \([0-9.]*\) ms)$/| \1 | \2 d | \3 ms | \4 ms |/p' <<<"$out"
        printf '\nThe Pool page opening its longest windows from history.sqlite: a day of 1 Hz samples\n'
        printf '(24 hours) and 30 days of per-minute rows (30 days, the minute rows drawn as a mean line\n'
        printf 'over a min/max band). Read is HistoryStore on the reader'"'"'s thread; merge and paint run on\n'
        printf 'the UI thread, the paint at 1200x400 (the frame budget is 16 ms).\n\n'
        printf '| window | rows | read, median | merge | paint, median | fastest paint |\n|---|---:|---:|---:|---:|---:|\n'
        sed -n 's/^stored \(day\|30 d\): \([0-9]*\) [a-z]* read in \([0-9.]*\) ms (median of [0-9]*, fastest [0-9.]* ms), merged in \([0-9.]*\) ms, painted in \([0-9.]*\) ms (fastest \([0-9.]*\) ms)$/| \1 | \2 | \3 ms | \4 ms | \5 ms | \6 ms |/p' <<<"$out" \
            | sed 's/^| day |/| 24 hours |/; s/^| 30 d |/| 30 days |/'
        printf '\nA live sample of a window up to a day finds the incidents again over its samples: %s.\n' \
            "$(sed -n 's/^incidents: a day of samples searched in \([0-9.]*\) ms.*/\1 ms for a day of them (median)/p' <<<"$out")"
    } >> "$report"
}

# The connection doctor's stages and the profile store's change notification: the programs'
# own words, as they print them.
section_doctor_and_profiles() {
    section "connection doctor and profile store"
    {
        printf '```\n'
        "$build/tests/bench_connection" "postgresql://orderflow:dev_password@localhost:$BENCH_PGPORT/orderflow" \
            "$doctor_attempts"
        ORDERFLOW_DBADMIN_CONFIG_DIR="$work/config" "$build/tests/bench_profiles" "$exe" \
            "$profile_rounds" "$profile_rounds"
        printf '```\n'
    } >> "$report"
}

# The history's cost: recording, the 30-day query and the file's size, as bench_history prints
# them (no server needed).
section_history() {
    section "history (history.sqlite)"
    {
        printf 'Recording 10 profiles at 1 Hz with an accelerated clock (%s simulated seconds after\n' \
            "$history_seconds"
        printf '%s h of samples already kept, one transaction a second with a retention step, as\n' \
            "$history_prefill_hours"
        printf 'the writer thread makes them); opening (and checking) a file that holds that day;\n'
        printf 'reading 30 days of per-minute rows of one profile; the size of the file at full\n'
        printf 'retention, from the measured size of a row.\n\n'
        printf '```\n'
        "$build/tests/bench_history" "$history_seconds" "$history_prefill_hours" "$runs"
        printf '```\n'
    } >> "$report"
}

section_tunnel() {
    section "check through an SSH tunnel against ssh -N -L and psql"
    if [ "$(id -u)" -ne 0 ]; then
        printf 'Not measured: the run is not root, so it cannot run ssh as the test account of\n' >> "$report"
        printf '`tests/scripts/sshd.sh` (OpenSSH reads `~/.ssh` from the account, whatever `HOME` says).\n' >> "$report"
        return
    fi
    # Its own sshd pair: the test run's forwards only to the test clusters' ports.
    own_sshd=$("$scripts/sshd.sh" start "$BENCH_PGPORT")
    # shellcheck disable=SC1091
    . "$own_sshd/env"
    local user=$ORDERFLOW_TEST_SSH_USER host=$ORDERFLOW_TEST_SSH_BASTION_HOST
    local port=$ORDERFLOW_TEST_SSH_BASTION_PORT key=$ORDERFLOW_TEST_SSH_KEY
    local dir="$work/tunnel"
    # What the account may read and run.
    install -d -m 0755 "$dir"
    chmod 0711 "$work"
    install -m 0755 "$exe" "$dir/orderflow-dbadmin"
    "$build/tests/bench_checksql" "$server_version_num" > "$dir/check.sql"
    chmod 0644 "$dir/check.sql"
    install -d -m 0700 -o "$user" "$dir/config"
    install -m 0644 -o "$user" "$ORDERFLOW_TEST_SSH_KNOWN_HOSTS" "$ORDERFLOW_TEST_SSH_HOME/.ssh/known_hosts"
    # ssh -f returns once the forward listens: the reference's "tunnel ready", then psql.
    cat > "$dir/ssh-then-psql.sh" <<SCRIPT
#!/bin/sh
set -e
local_port=\$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ssh -f -N -o BatchMode=yes -o ExitOnForwardFailure=yes -o IdentitiesOnly=yes -i '$key' \\
    -L "127.0.0.1:\$local_port:$BENCH_PGHOST:$BENCH_PGPORT" -p '$port' '$user@$host'
PGPASSWORD=dev_password '$BENCH_PGBIN/psql' -X -q -h 127.0.0.1 -p "\$local_port" -U orderflow -d orderflow -f '$dir/check.sql' >/dev/null
pkill -f "127.0.0.1:\$local_port:$BENCH_PGHOST" || true
SCRIPT
    chmod 0755 "$dir/ssh-then-psql.sh"
    # A command of its own: measure.py reads each "--" as the start of the next command.
    cat > "$dir/as-user.sh" <<SCRIPT
#!/bin/sh
exec runuser -u '$user' -- env -u SSH_AUTH_SOCK HOME='$dir' PGPASSWORD=dev_password \\
    ORDERFLOW_DBADMIN_CONFIG_DIR='$dir/config' "\$@"
SCRIPT
    chmod 0755 "$dir/as-user.sh"
    local lines
    lines=$("${measure[@]}" repeat "$runs" --accept 3 \
        -- "$dir/as-user.sh" "$dir/orderflow-dbadmin" check --url "$app_url" --ssh "$user@$host:$port" --ssh-identity "$key" \
        -- "$dir/as-user.sh" "$dir/ssh-then-psql.sh" \
        -- "$dir/as-user.sh" "$dir/orderflow-dbadmin" check --url "$app_url" </dev/null)
    rm -f "$ORDERFLOW_TEST_SSH_HOME/.ssh/known_hosts"
    local names=("\`orderflow-dbadmin check --url ... --ssh ... --ssh-identity ...\`"
        "\`ssh -f -N -L\` (returns once the forward listens), then \`psql -X\` running the statements \`check\` sends"
        "\`orderflow-dbadmin check --url ...\` directly, no tunnel")
    {
        printf 'One process per run as the SSH test account, to the same cluster: through the bastion\n'
        printf 'sshd of `tests/scripts/sshd.sh` on loopback (ed25519 key, no agent), so each run pays\n'
        printf 'one SSH handshake and login, as people pay it. The direct `check` shows what the\n'
        printf 'tunnel adds. %s runs each, alternating.\n\n' "$runs"
        timing_table "$lines" "${names[@]}"
    } >> "$report"
}

main() {
    mkdir -p "$work/config"
    start_cluster
    section_machine
    section_check
    section_tunnel
    section_startup
    section_chart
    section_doctor_and_profiles
    section_history
    section_sampler
    section_monitor
    section_exporter
    printf '\nLoad average at the end: %s. The run took %s s.\n' "$(load)" $(($(date +%s) - started)) >> "$report"
    cp "$report" "$output"
    echo "run-benchmarks: wrote $output in $(($(date +%s) - started)) s" >&2
    if [ "$quick" -eq 1 ]; then cat "$output"; fi
}

main
