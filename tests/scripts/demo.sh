#!/usr/bin/env bash
# The demo command: installs what is missing, builds, starts a local PostgreSQL with an
# orderflow database and the extensions it can offer, saves a "Development" profile for it
# (password in the keychain) and opens the app on it. Ctrl+C or closing the window stops the
# demo server. Profiles go to .demo/config, not to your own (ORDERFLOW_DEMO_DIR: another
# folder than .demo).
#
# With no display (no DISPLAY / WAYLAND_DISPLAY), the app runs under Xvfb for a few seconds
# and screenshots of its Connection page, its Test page after a test and its Server page are
# saved to .demo/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${ORDERFLOW_BUILD_DIR:-$root/build}
scripts="$root/tests/scripts"

if [ "${1:-}" != "--inner" ]; then
    "$scripts/install-deps.sh"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DBUILD_TESTING=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" --target orderflow-dbadmin -- -j"$(nproc)"

    cluster=$("$scripts/pg-cluster.sh" start --demo)
    trap '"$scripts/pg-cluster.sh" stop "$cluster"; echo "demo: server stopped"' EXIT
    # shellcheck disable=SC1091
    . "$cluster/env"
    export DEMO_PORT=$ORDERFLOW_TEST_PGPORT
    export DEMO_DIR=${ORDERFLOW_DEMO_DIR:-$root/.demo}
    mkdir -p "$DEMO_DIR"
    export ORDERFLOW_DBADMIN_CONFIG_DIR="$DEMO_DIR/config"
    rm -rf "$ORDERFLOW_DBADMIN_CONFIG_DIR"

    # A desktop session has its own keychain; elsewhere use a private, throwaway one.
    if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "$(id -u)" -ne 0 ]; then
        "$0" --inner
    else
        # with-keyring.sh clears the display; the window still needs the one there is.
        display_vars=()
        for name in DISPLAY WAYLAND_DISPLAY XAUTHORITY; do
            if [ -n "${!name:-}" ]; then display_vars+=("$name=${!name}"); fi
        done
        "$scripts/with-keyring.sh" env "${display_vars[@]}" "$0" --inner
    fi
    exit 0
fi

app="$build/orderflow-dbadmin"
echo "demo: PostgreSQL listens on 127.0.0.1:$DEMO_PORT (database orderflow, user orderflow)"
printf '%s\n' dev_password | "$app" profiles add Development --environment development \
    --url "postgresql://orderflow@127.0.0.1:$DEMO_PORT/orderflow" \
    --password-stdin
"$app" profiles list

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    "$app" --profile Development
else
    shots=$DEMO_DIR
    echo "demo: no display here; running the window under Xvfb and saving screenshots in $shots"
    # The window gets the keyboard focus (Xvfb has no window manager to give it), then its own
    # shortcuts: Ctrl+T tests the connection, Alt+3 shows the Server page. Each screenshot
    # waits for what it shows, as a terminal sees it, so that a slow machine waits longer
    # instead of taking a page still busy: the Test page for the test in the history (the
    # window records each test it runs), the Server page for the window's session on the
    # server.
    # shellcheck disable=SC2016  # the inner shell expands them
    xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
        set -euo pipefail
        app=$1 shots=$2 port=$3
        "$app" --profile Development & pid=$!
        trap "kill \$pid 2>/dev/null || true" EXIT
        # The whole screen, as a maximised window, with the focus (no window manager does either).
        window=$(timeout 30 xdotool search --sync --all --onlyvisible --pid "$pid" --name "OrderFlow" | head -n 1 || true)
        [ -n "$window" ] || { echo "demo: the window did not open" >&2; exit 1; }
        xdotool windowmove "$window" 0 0 windowsize "$window" 1366 768 windowfocus "$window"
        sleep 1 # the new size laid out and painted
        import -window root "$shots/connection.png"

        xdotool key ctrl+t
        tests=""
        deadline=$((SECONDS + 30))
        while [ -z "$tests" ] && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.5
            tests=$("$app" history export --profile Development --since 10m --format json --rows tests || true)
        done
        [ -n "$tests" ] || { echo "demo: the connection test did not finish in 30 s" >&2; exit 1; }
        echo "demo: the test says: $(python3 -c "import json, sys; print(json.loads(sys.stdin.readline())[\"summary\"])" <<<"$tests")"
        sleep 0.5 # the result painted
        import -window root "$shots/test.png"

        sessions() {
            PGPASSWORD=dev_password psql -X -A -t -q -h 127.0.0.1 -p "$port" -U orderflow -d orderflow \
                -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"'"'orderflow-dbadmin'"'"'"
        }
        before=$(sessions)
        xdotool key alt+3
        deadline=$((SECONDS + 20))
        while [ "$(sessions)" -le "$before" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
        [ "$(sessions)" -gt "$before" ] || { echo "demo: the Server page did not connect in 20 s" >&2; exit 1; }
        sleep 1 # its first reading shown
        import -window root "$shots/server.png"
    ' sh "$app" "$shots" "$DEMO_PORT"
    echo "demo: saved $shots/connection.png, $shots/test.png and $shots/server.png"
fi
