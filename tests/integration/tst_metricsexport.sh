#!/usr/bin/env bash
# monitor --listen as Prometheus meets it: the exporter on a free loopback port for a profile on
# the cluster that tests may stop (ORDERFLOW_TEST_MONPG), a real Prometheus scraping it every
# second (tests/scripts/prometheus.sh), real psql sessions opened and closed, and every value
# read back through Prometheus's query API: sessions by state and by application (a hostile
# application_name arrives as it was, so the label was escaped), both capacity lines, up going
# to 0 while the cluster is down (with the failure's category) and back to 1 after; SIGTERM
# ends the exporter with status 0. Then, without any keychain: a profile whose password is in
# the keychain is refused naming the profile, and one that leaves it to PGPASSWORD is served.
# Last, PgBouncer's clients, servers and longest wait, from the test PgBouncer.
#
#   tst_metricsexport.sh ORDERFLOW-DBADMIN   (ctest runs it inside run-tests.sh's services)
set -euo pipefail
binary=${1:?tst_metricsexport.sh needs the orderflow-dbadmin executable}
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")/../scripts" && pwd)
export LC_ALL=C.UTF-8

# shellcheck source-path=SCRIPTDIR source=../scripts/missing.sh
. "$scripts/missing.sh"
if [ -z "${ORDERFLOW_TEST_MONPGPORT:-}" ] || [ ! -d "${ORDERFLOW_TEST_MONPGDIR:-}" ]; then
    missing "no ORDERFLOW_TEST_MONPG cluster: run through tests/scripts/run-tests.sh"
fi
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
    missing "no D-Bus session with a keyring: run through tests/scripts/run-tests.sh"
for program in prometheus promtool psql python3 curl; do
    command -v "$program" >/dev/null || missing "$program missing: run tests/scripts/install-deps.sh"
done

scratch=$(mktemp -d /tmp/orderflow-metricstest.XXXXXX)
export ORDERFLOW_DBADMIN_CONFIG_DIR=$scratch/config
exporter="" prometheus_dir="" paused=0
# PostgreSQL keeps quotes, backslashes and braces in an application_name (it replaces only
# non-ASCII), so this one would end the label early if the exporter did not escape it.
hostile='evil"} 1 \x{'
sessions=()
failures=0
pass() { echo "PASS   : $1"; }
fail() {
    echo "FAIL!  : $1"
    failures=$((failures + 1))
}
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    [ -n "$exporter" ] && kill "$exporter" 2>/dev/null
    close_sessions
    [ -n "$prometheus_dir" ] && "$scripts/prometheus.sh" stop "$prometheus_dir"
    [ "$paused" = 1 ] && "$scripts/pg-cluster.sh" resume "$ORDERFLOW_TEST_MONPGDIR"
    # Its keychain entry goes with it.
    "$binary" profiles remove mon >/dev/null 2>&1 || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# psql sessions to the cluster's orderflow database under an application_name, kept open:
# an "active" one runs pg_sleep, an "idle" one waits on a FIFO that this script holds open.
psql_monitored() {
    PGPASSWORD=dev_password psql -X -q -w -h 127.0.0.1 -p "$ORDERFLOW_TEST_MONPGPORT" \
        -U orderflow -d orderflow "$@"
}
open_session() {
    local application=$1 kind=$2
    if [ "$kind" = active ]; then
        PGAPPNAME=$application psql_monitored -c 'SELECT pg_sleep(300)' >/dev/null 2>&1 &
    else
        mkfifo "$scratch/idle.fifo"
        PGAPPNAME=$application psql_monitored <"$scratch/idle.fifo" >/dev/null 2>&1 &
        exec 7>"$scratch/idle.fifo"
    fi
    sessions+=($!)
}
# Ends the sessions' backends too: a backend in pg_sleep outlives its client.
close_sessions() {
    local pid
    [ ${#sessions[@]} -gt 0 ] || return 0
    printf '%s\n' "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND application_name IN ('batch', :'hostile');" |
        psql_monitored -v hostile="$hostile" >/dev/null 2>&1 || true
    for pid in "${sessions[@]}"; do kill "$pid" 2>/dev/null || true; done
    exec 7>&-
    rm -f "$scratch/idle.fifo"
    sessions=()
}

# The value of a PromQL expression's first result, or nothing when it has none.
query() {
    python3 - "$ORDERFLOW_TEST_PROMETHEUS_PORT" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
result = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
print(result[0]["value"][1] if result else "")
PY
}
# The label's values over the expression's results, one a line.
query_labels() {
    python3 - "$ORDERFLOW_TEST_PROMETHEUS_PORT" "$1" "$2" <<'PY'
import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
for r in json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]:
    print(r["metric"].get(sys.argv[3], ""))
PY
}
# Polls until the expression's value is the one expected, for up to SECONDS (a deadline, not a
# measurement: it returns as soon as the value is there).
expect() {
    local what=$1 expression=$2 expected=$3 seconds=${4:-30} value="" deadline
    deadline=$((SECONDS + seconds))
    while [ "$SECONDS" -lt "$deadline" ]; do
        value=$(query "$expression" || true)
        if [ "$value" = "$expected" ]; then pass "$what: $expression = $value"; return 0; fi
        sleep 0.5
    done
    fail "$what: $expression is '$value' after ${seconds} s, expected '$expected'"
    return 1
}

# A profile whose password the keychain holds (profiles add --password-stdin saves it there).
url="postgresql://orderflow@127.0.0.1:$ORDERFLOW_TEST_MONPGPORT/orderflow"
printf 'dev_password\n' | "$binary" profiles add mon --url "$url" --environment test \
    --password-stdin >/dev/null
"$binary" profiles add headless --url "$url" --environment staging >/dev/null 2>&1

# The exporter on a port of its choosing, which it prints.
# One profile named twice is sampled once (two series of one name would fail the scrape).
"$binary" monitor --listen 127.0.0.1:0 --profile mon --profile MON >"$scratch/exporter.out" 2>"$scratch/exporter.err" &
exporter=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/metrics.*|\1|p' "$scratch/exporter.out")
    [ -n "$port" ] && break
    kill -0 "$exporter" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    fail "monitor --listen printed no port: $(cat "$scratch/exporter.out" "$scratch/exporter.err")"
    exit 1
fi
pass "monitor --listen serves at 127.0.0.1:$port"
if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/other")" = 404 ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/metrics")" = 405 ]; then
    pass "another path is 404, POST is 405"
else
    fail "another path or method was answered"
fi

prometheus_dir=$("$scripts/prometheus.sh" start "127.0.0.1:$port")
# shellcheck disable=SC1091
. "$prometheus_dir/env"

profile='{profile="mon",environment="test"}'
expect "Prometheus scrapes the exporter" "up{job=\"orderflow-dbadmin\"}" 1
expect "the server is up" "orderflow_db_up$profile" 1
# max_connections 40, 3 reserved for superusers (pg-cluster.sh); pool 1 x (5 + 10).
expect "server capacity" "orderflow_db_server_capacity$profile" 37
expect "max_connections" "orderflow_db_max_connections$profile" 40
expect "pool capacity" "orderflow_db_pool_capacity$profile" 15
expect "no sessions yet" "sum(orderflow_db_sessions$profile) or vector(0)" 0

open_session "$hostile" active
open_session "$hostile" active
open_session batch idle
expect "active sessions" \
    "sum(orderflow_db_sessions{profile=\"mon\",database=\"orderflow\",state=\"active\"})" 2
expect "idle sessions" "sum(orderflow_db_sessions{profile=\"mon\",state=\"idle\"})" 1
expect "sessions of the hostile application" \
    "sum(orderflow_db_sessions_by_application{profile=\"mon\",application=\"evil\\\"} 1 \\\\x{\"})" 2
applications=$(query_labels "orderflow_db_sessions_by_application{profile=\"mon\"}" application | sort)
if [ "$applications" = "$(printf '%s\n%s' batch "$hostile" | sort)" ]; then
    pass "application labels arrive exactly as the server has them"
else
    fail "application labels: $applications"
fi
# Every expression of the Grafana dashboard, for this profile, as Prometheus evaluates it: each
# parses, and the Pool page's sessions-against-capacity panel has data.
if dashboard_report=$(python3 - "$ORDERFLOW_TEST_PROMETHEUS_PORT" \
    "$scripts/../../packaging/grafana/orderflow-dbadmin-dashboard.json" <<'PY'
import json, sys, urllib.parse, urllib.request
port, path = sys.argv[1], sys.argv[2]
problems = []
for panel in json.load(open(path))["panels"]:
    for target in panel["targets"]:
        expression = target["expr"].replace("$profile", "mon")
        url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(expression))
        try:
            answer = json.load(urllib.request.urlopen(url, timeout=5))
        except Exception as error:
            problems.append("%s: %s" % (expression, error))
            continue
        if answer["status"] != "success":
            problems.append("%s: %s" % (expression, answer))
        elif panel["title"].startswith("Sessions by state") and not answer["data"]["result"]:
            problems.append("%s: no data" % expression)
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
); then
    pass "every dashboard expression evaluates in Prometheus"
else
    fail "dashboard expressions: $dashboard_report"
fi
page=$(curl -s "http://127.0.0.1:$port/metrics")
if grep -q '^orderflow_db_up{profile="mon",environment="test"} 1$' <<<"$page" &&
    ! grep -q -e dev_password -e 'postgresql://' -e 127.0.0.1 <<<"$page"; then
    pass "no password, URL or host in the page"
else
    fail "the page holds a password, URL or host, or no up line: $page"
fi
# Prometheus's own linter on the page (names, HELP and TYPE, the text format).
if lint=$(promtool check metrics <<<"$page" 2>&1); then
    pass "promtool check metrics finds nothing"
else
    fail "promtool check metrics: $lint"
fi
close_sessions
expect "sessions closed" "sum(orderflow_db_sessions$profile) or vector(0)" 0

"$scripts/pg-cluster.sh" pause "$ORDERFLOW_TEST_MONPGDIR"
paused=1
expect "down while the cluster is stopped" "orderflow_db_up$profile" 0
expect "the failure's category" \
    "count(orderflow_db_last_failure{profile=\"mon\",category=\"connection_refused\"})" 1
"$scripts/pg-cluster.sh" resume "$ORDERFLOW_TEST_MONPGDIR"
paused=0
# The sampler backs off while the server is away (at most 30 s between tries).
expect "up again after the cluster started" "orderflow_db_up$profile" 1 60

kill -TERM "$exporter"
status=0
wait "$exporter" || status=$?
exporter=""
if [ "$status" -eq 0 ]; then pass "SIGTERM ends it with status 0"; else fail "SIGTERM: status $status"; fi

# No keychain at all, as on a headless server: a D-Bus address where nothing listens.
no_keychain=(env DBUS_SESSION_BUS_ADDRESS="unix:path=$scratch/no-bus")
status=0
"${no_keychain[@]}" timeout 60 "$binary" monitor --listen 127.0.0.1:0 --profile mon \
    >/dev/null 2>"$scratch/locked.err" || status=$?
if [ "$status" -eq 4 ] && grep -q 'profile "mon"' "$scratch/locked.err"; then
    pass "no keychain: exit 4 naming the profile: $(head -1 "$scratch/locked.err")"
else
    fail "no keychain: status $status: $(cat "$scratch/locked.err")"
fi
"${no_keychain[@]}" PGPASSWORD=dev_password "$binary" monitor --listen '[::1]:0' --profile headless \
    >"$scratch/headless.out" 2>"$scratch/headless.err" &
exporter=$!
page=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*http://\[::1\]:\([0-9]*\)/metrics.*|\1|p' "$scratch/headless.out")
    if [ -n "$port" ]; then
        page=$(curl -s -g "http://[::1]:$port/metrics" || true)
        grep -q '^orderflow_db_up{profile="headless",environment="staging"} 1$' <<<"$page" && break
    fi
    kill -0 "$exporter" 2>/dev/null || break
    sleep 0.2
done
if grep -q '^orderflow_db_up{profile="headless",environment="staging"} 1$' <<<"$page"; then
    pass "no keychain, PGPASSWORD: served on [::1] and up"
else
    fail "no keychain, PGPASSWORD: $(cat "$scratch/headless.out" "$scratch/headless.err") $page"
fi

kill -TERM "$exporter" 2>/dev/null
wait "$exporter" 2>/dev/null || true
exporter=""

# PgBouncer (tests/scripts/pgbouncer.sh, in front of the plain cluster, one server connection
# for orderflow): the profile names its admin console as the Pool page saves it; one client
# holds the server connection, so a second one waits, and the page says so.
if [ -z "${ORDERFLOW_TEST_BOUNCER_PORT:-}" ] || [ -z "${ORDERFLOW_TEST_PGPORT:-}" ]; then
    missing "no test PgBouncer (ORDERFLOW_TEST_BOUNCER_PORT): run through tests/scripts/run-tests.sh"
fi
"$binary" profiles add pooled --url "postgresql://orderflow@127.0.0.1:$ORDERFLOW_TEST_PGPORT/orderflow" \
    --environment test >/dev/null 2>&1
python3 - "$ORDERFLOW_DBADMIN_CONFIG_DIR/profiles.json" "$ORDERFLOW_TEST_BOUNCER_PORT" <<'PY'
import json, sys
path, port = sys.argv[1], int(sys.argv[2])
document = json.load(open(path))
for profile in document["profiles"]:
    if profile["name"] == "pooled":
        profile["pgbouncer"] = {"enabled": True, "host": "", "port": port, "user": "",
                                "dbname": "pgbouncer"}
json.dump(document, open(path, "w"))
PY
PGPASSWORD=dev_password "$binary" monitor --listen 127.0.0.1:0 --profile pooled --interval 200 \
    >"$scratch/pooled.out" 2>"$scratch/pooled.err" &
exporter=$!
through_bouncer() {
    PGPASSWORD=dev_password PGAPPNAME=$1 psql -X -q -w -h 127.0.0.1 -p "$ORDERFLOW_TEST_BOUNCER_PORT" \
        -U orderflow -d orderflow -c "SELECT pg_sleep($2)" >/dev/null 2>&1 &
    sessions+=($!)
}
through_bouncer metrics-bouncer-1 10
# The second client after the first has the server connection (an order, not an assertion).
sleep 0.5
through_bouncer metrics-bouncer-2 1
labels='profile="pooled",environment="test",database="orderflow"'
page=""
deadline=$((SECONDS + 10))
while [ "$SECONDS" -lt "$deadline" ]; do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/metrics.*|\1|p' "$scratch/pooled.out")
    [ -n "$port" ] && page=$(curl -s "http://127.0.0.1:$port/metrics" || true)
    grep -q "^orderflow_pgbouncer_clients{$labels,state=\"waiting\"} 1$" <<<"$page" && break
    sleep 0.2
done
if grep -q "^orderflow_pgbouncer_clients{$labels,state=\"waiting\"} 1$" <<<"$page" &&
    grep -q "^orderflow_pgbouncer_servers{$labels,state=\"active\"} 1$" <<<"$page" &&
    grep -q "^orderflow_pgbouncer_max_wait_seconds{$labels} " <<<"$page"; then
    pass "PgBouncer: a waiting client, the active server and the longest wait"
else
    fail "PgBouncer: $(cat "$scratch/pooled.err") $(grep pgbouncer <<<"$page")"
fi
for pid in "${sessions[@]}"; do wait "$pid" 2>/dev/null || true; done
sessions=()

[ "$failures" -eq 0 ] || { echo "FAIL!  : $failures checks failed"; exit 1; }
echo "PASS   : all checks"
