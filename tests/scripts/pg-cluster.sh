#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the demo.
#
#   pg-cluster.sh start [--demo]   prints the cluster's folder; its file "env" holds
#                                  ORDERFLOW_TEST_PG* variables to source
#   pg-cluster.sh stop DIR         stops it and removes the folder
#
# Loopback only, a free port, scram-sha-256 everywhere, a private socket folder, the contrib
# extensions available. As root the server runs as the postgres system user (PostgreSQL
# refuses root); otherwise as the calling user. The role orderflow (password dev_password, as
# in the configuration document's development setup) owns the database orderflow. --demo also
# creates in it the extensions this server can offer.
set -euo pipefail

pgbin=""
for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
    if [ -x "$candidate/initdb" ]; then pgbin=$candidate; break; fi
done
[ -n "$pgbin" ] || { echo "pg-cluster: no PostgreSQL server found (install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if port_is_free "$port"; then echo "$port"; return 0; fi
    done
    echo "pg-cluster: no free port found" >&2
    return 1
}

start() {
    local demo=0
    [ "${1:-}" = "--demo" ] && demo=1
    local dir port password
    dir=$(mktemp -d /tmp/orderflow-pg.XXXXXX)
    chmod 0755 "$dir"
    mkdir -p "$dir/socket"
    password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
    printf '%s\n' "$password" > "$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
    chmod 0600 "$dir/pwfile"

    as_owner "$pgbin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }

    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
max_connections = 40
superuser_reserved_connections = 3
shared_buffers = 16MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
CONF
        if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null; then
            break
        fi
        [ "$attempt" -lt 5 ] || { cat "$dir/server.log" >&2; exit 1; }
    done

    local psql=(env PGPASSWORD="$password" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
    "${psql[@]}" -d postgres -c "CREATE ROLE orderflow LOGIN PASSWORD 'dev_password'" \
        -c "CREATE DATABASE orderflow OWNER orderflow" >/dev/null
    if [ "$demo" -eq 1 ]; then
        local extension
        for extension in pg_trgm vector uuid-ossp pgcrypto; do
            if "${psql[@]}" -d orderflow -tA \
                -c "SELECT 1 FROM pg_available_extensions WHERE name = '$extension'" | grep -q 1; then
                "${psql[@]}" -d orderflow -c "CREATE EXTENSION IF NOT EXISTS \"$extension\"" >/dev/null
            else
                echo "pg-cluster: extension $extension is not available on this server" >&2
            fi
        done
    fi

    cat > "$dir/env" <<ENV
ORDERFLOW_TEST_PGHOST=127.0.0.1
ORDERFLOW_TEST_PGPORT=$port
ORDERFLOW_TEST_PGUSER=postgres
ORDERFLOW_TEST_PGPASSWORD=$password
ORDERFLOW_TEST_PGSOCKET=$dir/socket
ORDERFLOW_TEST_PGDATA=$dir/data
ORDERFLOW_TEST_PGBIN=$pgbin
ENV
    echo "$dir"
}

stop() {
    local dir=${1:?pg-cluster stop needs the folder that start printed}
    [ -d "$dir/data" ] || { echo "pg-cluster: $dir holds no cluster" >&2; return 0; }
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) echo "usage: $0 start [--demo] | stop DIR" >&2; exit 2 ;;
esac
