#!/usr/bin/env bash
# The demo command: installs what is missing, builds, starts a local PostgreSQL with an
# orderflow database and the extensions it can offer, saves a "Development" profile for it
# (password in the keychain) and opens the app on it. Ctrl+C or closing the window stops the
# demo server. Profiles go to .demo/config, not to your own.
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
    mkdir -p "$root/.demo"
    export ORDERFLOW_DBADMIN_CONFIG_DIR="$root/.demo/config"
    rm -rf "$ORDERFLOW_DBADMIN_CONFIG_DIR"

    # A desktop session has its own keychain; elsewhere use a private, throwaway one.
    if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "$(id -u)" -ne 0 ]; then
        "$0" --inner
    else
        display_vars=$(env | grep -E '^(DISPLAY|WAYLAND_DISPLAY|XAUTHORITY)=' || true)
        "$scripts/with-keyring.sh" env $display_vars "$0" --inner
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
    shots="$root/.demo"
    echo "demo: no display here; running the window under Xvfb and saving screenshots in $shots"
    # The window gets the keyboard focus (Xvfb has no window manager to give it), then its own
    # shortcuts: Ctrl+T tests the connection, Alt+3 shows the Server page.
    xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
        "$1" --profile Development & pid=$!
        sleep 4
        # The whole screen, as a maximised window, with the focus (no window manager does either).
        xdotool search --onlyvisible --pid "$pid" --name "OrderFlow" windowmove %@ 0 0 windowsize %@ 1366 768 windowfocus %@
            import -window root "$2/connection.png"
        xdotool key ctrl+t
        sleep 3
        import -window root "$2/test.png"
        xdotool key alt+3
        sleep 3
        import -window root "$2/server.png"
        kill "$pid"; wait "$pid" 2>/dev/null || true
    ' sh "$app" "$shots"
    echo "demo: saved $shots/connection.png, $shots/test.png and $shots/server.png"
fi
