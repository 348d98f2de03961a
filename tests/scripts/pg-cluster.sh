#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the demo.
#
#   pg-cluster.sh start [OPTIONS]  prints the cluster's folder; its file "env" holds
#                                  ORDERFLOW_TEST_PG* variables to source
#   pg-cluster.sh stop DIR         stops it and removes the folder
#   pg-cluster.sh pause DIR        stops the server, keeping its data (an outage, for tests)
#   pg-cluster.sh resume DIR       starts it again on the same port
#
# Options:
#   --demo                 create the extensions the server offers in the orderflow database
#   --ssl                  TLS on, with a CA and a server certificate for "localhost" made
#                          with openssl now (and a second, unrelated CA), and a pg_hba.conf of
#                          hostssl lines only
#   --max-connections N    max_connections (default 40; superuser_reserved_connections is 3)
#   --prefix NAME          variable prefix in "env" (default ORDERFLOW_TEST_PG)
#   --setting NAME=VALUE   one more postgresql.conf line (repeatable), e.g.
#                          --setting shared_preload_libraries=pg_stat_statements
#
# Loopback only, a free port, scram-sha-256 everywhere, a private socket folder, the contrib
# extensions available. As root the server runs as the postgres system user (PostgreSQL
# refuses root); otherwise as the calling user. The role orderflow (password dev_password, as
# in the configuration document's development setup) owns the database orderflow. --demo also
# creates in it the extensions this server can offer.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

pgbin=""
for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
    if [ -x "$candidate/initdb" ]; then pgbin=$candidate; break; fi
done
[ -n "$pgbin" ] || { echo "pg-cluster: no PostgreSQL server found (install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

make_certificates() {
    local dir=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=OrderFlow Test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Unrelated Test CA" \
        -keyout "$dir/other-ca.key" -out "$dir/other-ca.crt" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
        -keyout "$dir/data/server.key" -out "$dir/server.csr" >/dev/null 2>&1
    printf 'subjectAltName=DNS:localhost\n' > "$dir/san.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 30 -extfile "$dir/san.ext" -out "$dir/data/server.crt" >/dev/null 2>&1
    chmod 0600 "$dir/data/server.key"
    chmod 0644 "$dir/ca.crt" "$dir/other-ca.crt"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/data/server.key" "$dir/data/server.crt"; fi
}

start() {
    local demo=0 ssl=0 max_connections=40 prefix=ORDERFLOW_TEST_PG
    local settings=()
    while [ $# -gt 0 ]; do
        case "$1" in
        --demo) demo=1 ;;
        --ssl) ssl=1 ;;
        --max-connections) max_connections=$2; shift ;;
        --prefix) prefix=$2; shift ;;
        --setting)
            [[ "$2" == ?*=* ]] || { echo "pg-cluster: --setting takes NAME=VALUE" >&2; exit 2; }
            local value=${2#*=}
            settings+=("${2%%=*} = '${value//\'/\'\'}'"); shift ;;
        *) echo "pg-cluster: unknown option $1" >&2; exit 2 ;;
        esac
        shift
    done
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

    # Access rules: scram-sha-256 everywhere; a role "blocked" meets a reject line; the role
    # "ghost", which does not exist, is trusted (so the server says so); with --ssl
    # every TCP line is hostssl, so unencrypted connections find no entry.
    local hosttype=host
    if [ "$ssl" -eq 1 ]; then
        hosttype=hostssl
        make_certificates "$dir"
    fi
    as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
local     all  all                    scram-sha-256
$hosttype all  blocked  127.0.0.1/32  reject
$hosttype all  ghost    127.0.0.1/32  trust
$hosttype all  all      127.0.0.1/32  scram-sha-256
$hosttype all  all      ::1/128       scram-sha-256
HBA

    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
max_connections = $max_connections
superuser_reserved_connections = 3
ssl = $([ "$ssl" -eq 1 ] && echo on || echo off)
shared_buffers = 16MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
CONF
        if [ ${#settings[@]} -gt 0 ]; then
            printf '%s\n' "${settings[@]}" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
        fi
        if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null; then
            break
        fi
        [ "$attempt" -lt 5 ] || { cat "$dir/server.log" >&2; exit 1; }
    done

    local sslmode=prefer
    [ "$ssl" -eq 1 ] && sslmode=require
    local psql=(env PGPASSWORD="$password" PGSSLMODE="$sslmode" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
    "${psql[@]}" -d postgres \
        -c "CREATE ROLE orderflow LOGIN PASSWORD 'dev_password'" \
        -c "CREATE ROLE blocked LOGIN PASSWORD 'blocked_password'" \
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
${prefix}HOST=127.0.0.1
${prefix}PORT=$port
${prefix}USER=postgres
${prefix}PASSWORD=$password
${prefix}SOCKET=$dir/socket
${prefix}DATA=$dir/data
${prefix}BIN=$pgbin
${prefix}DIR=$dir
ENV
    if [ "$ssl" -eq 1 ]; then
        printf '%s\n' "${prefix}CA=$dir/ca.crt" "${prefix}OTHER_CA=$dir/other-ca.crt" >> "$dir/env"
    fi
    echo "$dir"
}

stop() {
    local dir=${1:?pg-cluster stop needs the folder that start printed}
    [ -d "$dir/data" ] || { echo "pg-cluster: $dir holds no cluster" >&2; return 0; }
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

pause() {
    local dir=${1:?pg-cluster pause needs the folder}
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
    local dir=${1:?pg-cluster resume needs the folder}
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
pause) shift; pause "$@" ;;
resume) shift; resume "$@" ;;
*) echo "usage: $0 start [OPTIONS] | stop DIR | pause DIR | resume DIR" >&2; exit 2 ;;
esac
