#!/usr/bin/env bash
# A throwaway PgBouncer in front of a test cluster, for the pool monitor's tests.
#
#   pgbouncer.sh start PGPORT   prints its folder; "env" there holds ORDERFLOW_TEST_BOUNCER_*
#   pgbouncer.sh stop DIR
#
# Loopback only, a free port, transaction pooling with a pool of one server connection for
# the orderflow database (so a second busy client waits), scram-sha-256 for clients, the
# role orderflow as admin and stats user. PgBouncer refuses root: as root it runs as postgres.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local pgport=${1:?pgbouncer start needs the PostgreSQL port}
    command -v pgbouncer >/dev/null || { echo "pgbouncer: not installed" >&2; exit 1; }
    local dir port
    dir=$(mktemp -d /tmp/orderflow-bouncer.XXXXXX)
    chmod 0755 "$dir"
    port=$(free_port)
    printf '"orderflow" "dev_password"\n' > "$dir/userlist.txt"
    cat > "$dir/pgbouncer.ini" <<INI
[databases]
orderflow = host=127.0.0.1 port=$pgport dbname=orderflow pool_size=1

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = orderflow
stats_users = orderflow
pool_mode = transaction
default_pool_size = 1
max_client_conn = 50
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    chmod 0600 "$dir/userlist.txt"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
    as_owner pgbouncer -d "$dir/pgbouncer.ini" >/dev/null
    wait_for_port "$port" || { echo "pgbouncer: nothing listens on port $port" >&2; cat "$dir/pgbouncer.log" >&2; exit 1; }
    printf 'ORDERFLOW_TEST_BOUNCER_PORT=%s\nORDERFLOW_TEST_BOUNCER_DIR=%s\n' "$port" "$dir" > "$dir/env"
    echo "$dir"
}

stop() {
    local dir=${1:?pgbouncer stop needs the folder}
    if [ -f "$dir/pgbouncer.pid" ]; then
        kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$(cat "$dir/pgbouncer.pid" 2>/dev/null)" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) echo "usage: $0 start PGPORT | stop DIR" >&2; exit 2 ;;
esac
