#!/usr/bin/env bash
# A throwaway Prometheus that scrapes one target every second, for the tests of
# monitor --listen and for the benchmarks.
#
#   prometheus.sh start HOST:PORT   prints its folder; "env" there holds ORDERFLOW_TEST_PROMETHEUS_*
#   prometheus.sh stop DIR
#
# Loopback only, a free port, its data in the folder. Query it with
# GET http://127.0.0.1:$ORDERFLOW_TEST_PROMETHEUS_PORT/api/v1/query?query=...
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

start() {
    local target=${1:?prometheus start needs the HOST:PORT to scrape}
    command -v prometheus >/dev/null || { echo "prometheus: not installed" >&2; exit 1; }
    local dir port attempt
    dir=$(mktemp -d /tmp/orderflow-prometheus.XXXXXX)
    cat > "$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: orderflow-dbadmin
    static_configs:
      - targets: ['$target']
YAML
    # A port found free may be taken before Prometheus binds it: then another one.
    for attempt in 1 2 3; do
        port=$(free_port)
        prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
            --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
        echo $! > "$dir/prometheus.pid"
        if wait_until_ready "$port" "$(cat "$dir/prometheus.pid")"; then
            printf 'ORDERFLOW_TEST_PROMETHEUS_PORT=%s\nORDERFLOW_TEST_PROMETHEUS_DIR=%s\n' \
                "$port" "$dir" > "$dir/env"
            echo "$dir"
            return 0
        fi
        stop_process "$dir"
        [ "$attempt" -lt 3 ] && grep -q 'address already in use' "$dir/prometheus.log" && continue
        break
    done
    echo "prometheus: did not start" >&2
    cat "$dir/prometheus.log" >&2
    rm -rf "$dir"
    exit 1
}

# Until /-/ready answers (true), or the process ended or 30 s passed (false).
wait_until_ready() {
    local port=$1 pid=$2
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 1
        if ! port_is_free "$port" &&
            curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

stop_process() {
    local dir=$1 pid
    [ -f "$dir/prometheus.pid" ] || return 0
    pid=$(cat "$dir/prometheus.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/prometheus.pid"
}

stop() {
    local dir=${1:?prometheus stop needs the folder}
    stop_process "$dir"
    rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) echo "usage: $0 start HOST:PORT | stop DIR" >&2; exit 2 ;;
esac
