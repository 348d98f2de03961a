# Sourced by the tests that run ssh as the test account of tests/scripts/sshd.sh (OpenSSH
# reads ~/.ssh from the passwd entry, so these run as that account, with a real home): the
# checks that its services are there, the account's names, a scratch directory readable by
# it, running commands as it (in the foreground or background), PASS/FAIL lines, and the
# processes left behind. The sourcing script sets $here and calls finish at its end.
# shellcheck shell=bash disable=SC2034
# shellcheck source-path=SCRIPTDIR source=ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

# shellcheck source-path=SCRIPTDIR source=missing.sh
. "$(dirname "${BASH_SOURCE[0]}")/missing.sh"
if [ -z "${ORDERFLOW_TEST_SSH_DIR:-}" ] || [ ! -f "$ORDERFLOW_TEST_SSH_DIR/env" ]; then
    missing "no test sshd (ORDERFLOW_TEST_SSH_*): run through tests/scripts/run-tests.sh"
fi
if [ -z "${ORDERFLOW_TEST_PGPORT:-}" ]; then
    missing "no test PostgreSQL (ORDERFLOW_TEST_PG): run through tests/scripts/run-tests.sh"
fi
if ! command -v ssh >/dev/null; then
    missing "ssh missing: run tests/scripts/install-deps.sh"
fi
if [ "$(id -un)" != "$ORDERFLOW_TEST_SSH_USER" ] && [ "$(id -u)" -ne 0 ]; then
    missing "neither root nor $ORDERFLOW_TEST_SSH_USER: cannot run ssh as the test account"
fi

user=$ORDERFLOW_TEST_SSH_USER
home=$ORDERFLOW_TEST_SSH_HOME
bastion=$ORDERFLOW_TEST_SSH_BASTION_HOST
bastion_port=$ORDERFLOW_TEST_SSH_BASTION_PORT
inner=$ORDERFLOW_TEST_SSH_INNER_HOST
inner_port=$ORDERFLOW_TEST_SSH_INNER_PORT
key=$ORDERFLOW_TEST_SSH_KEY
pgport=$ORDERFLOW_TEST_PGPORT
closed_port=$ORDERFLOW_TEST_SSH_CLOSED_PORT
# What sshd says a refused login may try: passwords too when the account has one (as root).
methods=publickey${ORDERFLOW_TEST_SSH_PASSWORD:+,password}
[[ " $ORDERFLOW_TEST_SSH_TARGET_PORTS " == *" $pgport "* ]] ||
    { echo "FAIL!  : sshd.sh serves ports $ORDERFLOW_TEST_SSH_TARGET_PORTS, not the cluster's $pgport"; exit 1; }

scratch=$(mktemp -d /tmp/orderflow-sshtest.XXXXXX)
chmod 0755 "$scratch"
cd "$scratch" || exit 1
# Every process this test starts carries this in its environment, so that the end can tell
# whether one is left, whoever its parent has become.
tag=ORDERFLOW_SSH_TEST_RUN=$$-$RANDOM
# runuser, and the program below it that runs as the account: pairs "runuser ssh".
background=()
failures=0

pass() { echo "PASS   : $1"; }
fail() {
    echo "FAIL!  : $1"
    shift
    local text line
    for text in "$@"; do
        while IFS= read -r line; do printf '           %s\n' "$line"; done <<<"$text"
    done
    failures=$((failures + 1))
}

# A file of stderr as lines: ssh ends each of its lines with CR LF.
stderr_of() { tr -d '\r' < "$1"; }

# As the account, with HOME elsewhere (as under with-keyring.sh): OpenSSH reads ~/.ssh from the
# passwd entry, and no check may pass by HOME pointing at the right place. No agent either.
mkdir -m 0755 "$scratch/home"
user_command=()
set_user_command() {
    user_command=(env -u SSH_AUTH_SOCK HOME="$scratch/home" "$tag" "$@")
    if [ "$(id -un)" != "$user" ]; then user_command=(runuser -u "$user" -- "${user_command[@]}"); fi
}
as_user() {
    set_user_command "$@"
    "${user_command[@]}"
}

# Runs a command as the account in the background, its stderr to a file; sets $started to
# the pid of the program itself (runuser forks it, and a signal to runuser is answered with
# a SIGKILL to the program and a notice on stderr).
started=""
as_user_in_background() {
    local errors=$1
    shift
    # A simple command, so that $! is runuser itself and not a subshell around it.
    set_user_command "$@"
    "${user_command[@]}" </dev/null >/dev/null 2>"$errors" &
    local outer=$! child=""
    if [ "$(id -un)" = "$user" ]; then
        child=$outer
    else
        for _ in $(seq 1 100); do
            child=$(pgrep -P "$outer" || true)
            [ -n "$child" ] && break
            kill -0 "$outer" 2>/dev/null || break
            sleep 0.01
        done
    fi
    background+=("$outer ${child:-$outer}")
    started=${child:-$outer}
}

stop_background() {
    local pair
    for pair in "${background[@]}"; do
        kill "${pair#* }" 2>/dev/null || true
        wait "${pair% *}" 2>/dev/null || true
    done
    background=()
}

leftovers() {
    local file pid
    for file in $(grep -lzxF -- "$tag" /proc/[0-9]*/environ 2>/dev/null || true); do
        pid=${file#/proc/}
        pid=${pid%/environ}
        echo "$pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
    done
}

cleanup() {
    stop_background
    [ "$ORDERFLOW_TEST_SSH_HOME_DISPOSABLE" = 1 ] && rm -f "$home/.ssh/config" "$home/.ssh/known_hosts"
    rm -rf "$scratch"
}
trap cleanup EXIT


# Host aliases in the account's ~/.ssh/config (read from its passwd home, whatever HOME says),
# as people write them: each host's own lines, then the shared ones under a pattern (for each
# option ssh keeps the first value it reads), those and each argument as one more line.
write_ssh_config() {
    {
        printf 'Host orderflow-bastion\n    HostName %s\n    Port %s\n\n' "$bastion" "$bastion_port"
        printf 'Host orderflow-inner\n    HostName %s\n    Port %s\n    ProxyJump orderflow-bastion\n\n' \
            "$inner" "$inner_port"
        printf 'Host orderflow-*\n    User %s\n    IdentityFile %s\n    IdentitiesOnly yes\n' "$user" "$key"
        local line
        for line in "$@"; do printf '    %s\n' "$line"; done
    } > "$home/.ssh/config"
    chown "$user:$(id -gn "$user")" "$home/.ssh/config"
    chmod 0600 "$home/.ssh/config"
}

# The last line: FAIL with the count, or PASS (or SKIP for what this machine could not check).
finish() {
    left=$(leftovers)
    if [ -n "$left" ]; then
        fail "processes left running" "$left"
    else
        pass "no process this test started is left"
    fi
    if [ "$failures" -gt 0 ]; then
        echo "FAIL!  : $failures check(s) failed"
        exit 1
    fi
    if [ -n "${skipped_home:-}" ]; then missing "$skipped_home"; fi
    echo "PASS   : every check"
}
