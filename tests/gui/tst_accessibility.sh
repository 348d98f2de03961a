#!/usr/bin/env bash
# The accessibility test: the real window under Xvfb, read through AT-SPI as Orca reads it
# (accessibility_walk.py), on profiles saved with the command line against a PostgreSQL of its
# own, inside a private D-Bus session and keyring. Fails listing each control that a screen
# reader would announce without a name.
#
#   tst_accessibility.sh APP
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scripts="$here/../scripts"
app=$1

if [ "${2:-}" != "--inner" ]; then
    # A cluster of its own: the walk opens dialogs from what the server offers (an extension
    # to create, a database that is missing), which other tests running meanwhile may change.
    cluster=$("$scripts/pg-cluster.sh" start)
    config=$(mktemp -d /tmp/orderflow-a11y.XXXXXX)
    trap '"$scripts/pg-cluster.sh" stop "$cluster"; rm -rf "$config"' EXIT
    # shellcheck disable=SC1091
    . "$cluster/env"
    export ORDERFLOW_DBADMIN_CONFIG_DIR=$config A11Y_PGPORT=$ORDERFLOW_TEST_PGPORT
    status=0
    "$scripts/with-keyring.sh" "$0" "$app" --inner || status=$?
    exit "$status"
fi

# Inside the private session: the profiles, a display, the accessibility bus, the walk.
url="postgresql://orderflow@127.0.0.1:$A11Y_PGPORT"
add() {
    local name=$1 environment=$2 url=$3 password=$4
    shift 4
    if [ -n "$password" ]; then
        printf '%s\n' "$password" | "$app" profiles add "$name" --environment "$environment" \
            --url "$url" --password-stdin "$@" >/dev/null
    else
        "$app" profiles add "$name" --environment "$environment" --url "$url" "$@" >/dev/null
    fi
}
# Connected (an extension to create), through SSH (the route's rows on the Connection page; a
# port where nothing listens, so that a test through it ends at once), production (names typed
# to confirm), and no password (the password rows of the Test and Server pages).
add Development development "$url/orderflow" dev_password
add "Via bastion" staging "$url/orderflow" "" --ssh deploy@127.0.0.1:9
add "Production EU" production "$url/orderflow" dev_password
add "Test runner" test "$url/orderflow" ""

scratch=$(mktemp -d /tmp/orderflow-a11y-x.XXXXXX)
xvfb=""
bus=""
cleanup() {
    [ -n "$bus" ] && kill "$bus" 2>/dev/null && wait "$bus" 2>/dev/null
    # The bus launcher's own dbus-daemon and the registry it activated: ours are the ones
    # that run in this session's runtime folder.
    # By process name (as the kernel shortens it), so that no command line that merely
    # mentions one of them matches.
    for pid in $(pgrep -x 'dbus-daemon|at-spi-bus-laun|at-spi2-registr' || true); do
        if tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" | grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
    rm -rf "$scratch"
}
trap cleanup EXIT

# -displayfd: the server picks a free display itself, so parallel tests never race for one.
Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb=$!
for _ in $(seq 1 200); do
    [ -s "$scratch/display" ] && break
    sleep 0.05
done
[ -s "$scratch/display" ] || { echo "Xvfb did not start:"; cat "$scratch/xvfb.log"; exit 1; }
DISPLAY=":$(head -n1 "$scratch/display")"
export DISPLAY
for _ in $(seq 1 200); do
    xdotool getdisplaygeometry >/dev/null 2>&1 && break
    sleep 0.05
done
xdotool getdisplaygeometry >/dev/null || { echo "Xvfb on $DISPLAY does not answer:"; cat "$scratch/xvfb.log"; exit 1; }

/usr/libexec/at-spi-bus-launcher --launch-immediately 2>"$scratch/bus.log" &
bus=$!
for _ in $(seq 1 200); do
    # Asked without activating: D-Bus would otherwise start a second launcher.
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.NameHasOwner string:org.a11y.Bus 2>/dev/null | grep -q true && break
    sleep 0.05
done

/usr/bin/python3 "$here/accessibility_walk.py" "$app" "$ORDERFLOW_DBADMIN_CONFIG_DIR" \
    Development:development "Via bastion:staging" "Production EU:production" "Test runner:test"
