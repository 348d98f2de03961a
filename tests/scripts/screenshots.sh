#!/usr/bin/env bash
# Takes the README's screenshots: starts a demo PostgreSQL and a private keyring, saves a
# Development and a Production profile, opens the window under Xvfb (1366x768), walks its pages
# with xdotool while a few sessions come and go, and writes PNGs to packaging/screenshots/.
#
#   tests/scripts/screenshots.sh [BUILD_DIR]
#   ORDERFLOW_SHOT_SCHEME=dark   the Fusion style with the dark palette (--color-scheme dark);
#                                the files are named *-dark.png. Default: light, the Fusion
#                                style with its light palette.
#   ORDERFLOW_SHOT_OUT=DIR       write the PNGs there instead
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
scripts="$root/tests/scripts"
out=${ORDERFLOW_SHOT_OUT:-$root/packaging/screenshots}
scheme=${ORDERFLOW_SHOT_SCHEME:-light}
case "$scheme" in
light) suffix="" ;;
dark) suffix="-dark" ;;
*) echo "screenshots: ORDERFLOW_SHOT_SCHEME is light or dark" >&2; exit 2 ;;
esac
mkdir -p "$out"

if [ "${1:-}" != "--inner" ] && [ "${2:-}" != "--inner" ]; then
    cluster=$("$scripts/pg-cluster.sh" start --demo)
    trap '"$scripts/pg-cluster.sh" stop "$cluster"' EXIT
    # shellcheck disable=SC1091
    . "$cluster/env"
    export SHOT_PORT=$ORDERFLOW_TEST_PGPORT SHOT_BUILD=$build SHOT_OUT=$out SHOT_SCHEME=$scheme \
        SHOT_SUFFIX=$suffix
    export ORDERFLOW_DBADMIN_CONFIG_DIR
    ORDERFLOW_DBADMIN_CONFIG_DIR=$(mktemp -d /tmp/orderflow-shots.XXXXXX)
    "$scripts/with-keyring.sh" "$0" "$build" --inner
    rm -rf "$ORDERFLOW_DBADMIN_CONFIG_DIR"
    exit 0
fi

app="$SHOT_BUILD/orderflow-dbadmin"
url="postgresql://orderflow@127.0.0.1:$SHOT_PORT/orderflow"
printf 'dev_password\n' | "$app" profiles add Development --environment development \
    --url "$url" --password-stdin >/dev/null
printf 'dev_password\n' | "$app" profiles add "Production EU" --environment production \
    --url "$url?sslmode=require&connect_timeout=10" --password-stdin >/dev/null

# A week of made-up history behind the Development profile, for the Pool page's long windows.
dev_id=$("$app" profiles list --json | python3 -c \
    'import json, sys; print(next(p["id"] for p in json.load(sys.stdin) if p["name"] == "Development"))')
max_connections=$(PGPASSWORD=dev_password psql -X -A -t -q -h 127.0.0.1 -p "$SHOT_PORT" -U orderflow \
    -d orderflow -c "SHOW max_connections")
"$SHOT_BUILD/tests/plant_history" "$ORDERFLOW_DBADMIN_CONFIG_DIR" "$dev_id" 7 "$max_connections" \
    >/dev/null

# Sessions for the charts and tables: three API sessions, two workers in a transaction.
(
    sleep 2
    for _ in 1 2 3; do
        PGPASSWORD=dev_password psql -X -q -h 127.0.0.1 -p "$SHOT_PORT" -U orderflow \
            -d "dbname=orderflow application_name=orderflow-api" -c "SELECT pg_sleep(14)" &
    done
    sleep 4
    for _ in 1 2; do
        PGPASSWORD=dev_password psql -X -q -h 127.0.0.1 -p "$SHOT_PORT" -U orderflow \
            -d "dbname=orderflow application_name=orderflow-worker" \
            -c "BEGIN" -c "SELECT pg_sleep(8)" &
    done
    wait
) >/dev/null 2>&1 &

xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
    shot() { import -window root "$1/${2%.png}$SHOT_SUFFIX.png"; }
    "$0" --profile Development --color-scheme "$SHOT_SCHEME" & app=$!
    sleep 2
    # The window'"'"'s own shortcuts, once it has the keyboard focus.
    # The whole screen, as a maximised window, with the focus (no window manager does either).
    xdotool search --onlyvisible --pid "$app" --name "OrderFlow" windowmove %@ 0 0 windowsize %@ 1366 768 windowfocus %@
    shot "$1" development-profile.png
    xdotool key alt+4                     # Pool
    sleep 12
    shot "$1" pool.png
    xdotool key alt+s Down Down Down      # Show: 7 days
    sleep 2
    shot "$1" pool-history.png
    xdotool key alt+3                     # Server
    sleep 2
    shot "$1" server.png
    xdotool key ctrl+t                    # Test the connection
    sleep 2
    shot "$1" connection-test.png
    xdotool key alt+1                     # Connection
    sleep 0.5
    xdotool mousemove 100 111 click 1     # the Production profile in the list
    sleep 0.5
    shot "$1" production-profile.png
    kill "$app"; wait "$app" 2>/dev/null || true
' "$app" "$SHOT_OUT"
wait
echo "screenshots: $(ls "$SHOT_OUT")"
