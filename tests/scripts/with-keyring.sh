#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (Secret
# Service), with HOME and XDG_RUNTIME_DIR in a throwaway folder and no display, so that
# keychain code is exercised for real without touching the user's own keyring.
#
#   with-keyring.sh [--exclusive] COMMAND [ARGS...]
#
# --exclusive: the keyring serves this one command, which may lock it (a test of a locked
# keyring; locking a shared one would break every other test using it). The command sees
# ORDERFLOW_TEST_KEYRING_EXCLUSIVE=1 and, so that it can unlock it again, the throwaway
# keyring password in ORDERFLOW_KEYRING_PASSWORD. Nested calls work: each makes its own bus.
set -euo pipefail
exclusive=0
if [ "${1:-}" = "--exclusive" ]; then exclusive=1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [--exclusive] COMMAND [ARGS...]" >&2; exit 2; }
export ORDERFLOW_TEST_KEYRING_EXCLUSIVE=$exclusive

scratch=$(mktemp -d /tmp/orderflow-keyring.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 0700 "$scratch/runtime"

export HOME="$scratch/home"
export XDG_RUNTIME_DIR="$scratch/runtime"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
export ORDERFLOW_KEYRING_PASSWORD
ORDERFLOW_KEYRING_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

# The bus daemon's own complaints (as root it cannot raise its file limit, and says so on every
# start) go to a log in the scratch folder, not into the output of the command it serves.
printf '#!/bin/sh\nexec dbus-daemon "$@" 2>>"%s/session-bus.log"\n' "$scratch" > "$scratch/session-bus"
chmod +x "$scratch/session-bus"

# The daemon reads the keyring password on stdin and prints the variables to export.
dbus-run-session --dbus-daemon="$scratch/session-bus" -- sh -c '
    eval "$(printf %s "$ORDERFLOW_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL
    [ "$ORDERFLOW_TEST_KEYRING_EXCLUSIVE" = 1 ] || unset ORDERFLOW_KEYRING_PASSWORD
    # Tests look for this to know that a Secret Service is there to be used.
    export ORDERFLOW_TEST_KEYRING=1
    "$@"
    status=$?
    # The daemon usually leaves with the bus, but not always: stop ours (found by its
    # runtime folder, so no other keyring is touched).
    for pid in $(pgrep -x gnome-keyring-d); do
        if tr "\0" "\n" 2>/dev/null < "/proc/$pid/environ" | grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; then
            kill "$pid" 2>/dev/null
        fi
    done
    exit $status
' sh "$@"
