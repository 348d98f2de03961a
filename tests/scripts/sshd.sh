#!/usr/bin/env bash
# Two throwaway OpenSSH servers on loopback, for the tests of SSH tunnels: a bastion, and an
# inner host that is reached through the bastion as a jump host.
#
#   sshd.sh start PGPORT [PORT...]  prints its folder; "env" there holds ORDERFLOW_TEST_SSH_*
#                                   (PGPORT and each PORT: servers at 127.0.0.1 that both
#                                   hops must reach, the forwards' targets)
#   sshd.sh stop DIR                stops every process it started and removes what it made
#
# The login user. OpenSSH reads ~/.ssh (config, known_hosts, keys) from the passwd entry's
# home, not from $HOME, so the tests need an account whose home they may fill. As root that is
# "orderflow-ssh" (or $ORDERFLOW_TEST_SSH_ACCOUNT), made here when missing (useradd
# --create-home) and kept between runs; this script empties its home at start and stop, and
# refuses to touch an account of that name that it did not make (no marker file in the home).
# While the servers run, the account has a random password (ORDERFLOW_TEST_SSH_PASSWORD) that
# both let in; after stop its password field is "*" (no password login; not the locked "!",
# which sshd without PAM refuses even for keys). Tests run ssh as it with runuser. Not
# as root, sshd can only let in the user it runs as: the calling user, whose own ~/.ssh the
# tests must leave alone (ORDERFLOW_TEST_SSH_HOME_DISPOSABLE=0).
#
# Keys, all ed25519: one that may log in, one that may not, one with a passphrase that may
# (for askpass), a host key per server, and a stranger's host key. known_hosts holds both
# servers' keys; "known_hosts-wrong" holds the stranger's key for the bastion (so ssh says
# "REMOTE HOST IDENTIFICATION HAS CHANGED") and the inner host's real one. Neither file is
# hashed: a person or a test reading one sees which line is which host, and ssh matches
# hashed and plain lines alike. No key is put in ~/.ssh, so nothing is offered by default.
#
# "Only through the bastion". Where this script may make a network namespace (root with
# CAP_SYS_ADMIN and CAP_NET_ADMIN: a machine or VM, not a default Docker container), both sshd
# run in one of their own whose only interface is its loopback: the bastion at 127.0.0.1 and
# the inner host at 127.0.0.2, on their ports. Two kinds of socat relay cross it, and nothing
# else: the bastion's port, from the machine's 127.0.0.1 in; and each PGPORT/PORT, from the
# namespace's 127.0.0.1 out to the machine's, so that both hops see the PostgreSQL servers at
# 127.0.0.1 as if they ran there. So from the machine 127.0.0.2 refuses, and the inner host is
# reached only through the bastion, by a forward or a command run there (or by root entering
# the namespace with nsenter) (ORDERFLOW_TEST_SSH_INNER_ISOLATED=1). What a
# relay changes: a connection to a relayed port is accepted even when the server behind it is
# down (then closed at once), as a load balancer would. Where no namespace can be made, both
# sshd listen on the machine's loopback, the inner host on 127.0.0.2 only, and nothing stops a
# client from reaching it directly (ISOLATED=0): the jump path is then a convention only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=ports.sh
. "$here/ports.sh"

sshd_bin=/usr/sbin/sshd
# Another name lets a second pair run beside the tests' (a developer's own, say).
test_user=${ORDERFLOW_TEST_SSH_ACCOUNT:-orderflow-ssh}
marker=.orderflow-test-account
bastion_host=127.0.0.1
inner_host=127.0.0.2

is_root() { [ "$(id -u)" -eq 0 ]; }

home_of() { getent passwd "$1" | cut -d: -f6; }

# Leaves only the marker in the test account's home, with an empty ~/.ssh.
reset_home() {
    local user=$1 home
    home=$(home_of "$user")
    [ -n "$home" ] && [ -f "$home/$marker" ] || return 0
    find "$home" -mindepth 1 -maxdepth 1 ! -name "$marker" -exec rm -rf {} +
    install -d -m 0700 -o "$user" -g "$(id -gn "$user")" "$home/.ssh"
}

ensure_test_user() {
    if ! id -u "$test_user" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/sh --comment "OrderFlow SSH tests" "$test_user"
        touch "$(home_of "$test_user")/$marker"
    fi
    local home
    home=$(home_of "$test_user")
    [ -f "$home/$marker" ] || {
        echo "sshd: the account $test_user exists but has no $home/$marker: not this script's, left alone" >&2
        exit 1
    }
    reset_home "$test_user"
}

# The account's password for SSH password logins (sshd without PAM checks it against the
# shadow file): a new random one per start, and none ("*") after stop.
set_test_password() {
    printf '%s:%s\n' "$test_user" "$1" | chpasswd
}

# Field N of /proc/PID/stat counted from the state (1), after the command name (which may hold
# spaces).
stat_field() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    echo "${stat##*) }" | cut -d' ' -f"$2"
}

# "PID:start time": a process that stop may kill, and not another that got its number since.
process_id() {
    echo "$1:$(stat_field "$1" 20)"
}

still_running() {
    [ "$(process_id "${1%%:*}")" = "$1" ]
}

# The process and every process below it, parents first.
process_tree() {
    local child
    echo "$1"
    for child in $(pgrep -P "$1" || true); do process_tree "$child"; done
}

# Running, and not a zombie (a daemon's parent may be an init that never reaps it).
alive() {
    local state
    state=$(stat_field "$1" 1) && [ "$state" != Z ]
}

stop_processes() {
    [ $# -gt 0 ] || return 0
    kill "$@" 2>/dev/null || true
    local pid left
    for _ in $(seq 1 40); do
        left=()
        for pid in "$@"; do alive "$pid" && left+=("$pid"); done
        [ ${#left[@]} -gt 0 ] || return 0
        sleep 0.05
    done
    kill -9 "${left[@]}" 2>/dev/null || true
}

wait_for_file() {
    for _ in $(seq 1 100); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    return 1
}

key_line() { cut -d' ' -f1,2 "$1"; }
fingerprint() { ssh-keygen -l -E sha256 -f "$1" | cut -d' ' -f2; }

write_sshd_config() {
    local name=$1 address=$2 port=$3 user=$4
    cat > "$dir/$name/sshd_config" <<CONF
ListenAddress $address
Port $port
HostKey $dir/$name/ssh_host_ed25519_key
PidFile $dir/$name/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PubkeyAuthentication yes
PasswordAuthentication $password_logins
KbdInteractiveAuthentication no
UsePAM no
# The authorized keys lie below /tmp, which others may write: strict modes would refuse them.
StrictModes no
AllowTcpForwarding yes
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
PrintLastLog no
# Tests run side by side and may open many connections at once.
MaxStartups 100
# VERBOSE: the log names the key each login offered and used.
LogLevel VERBOSE
CONF
}

start_sshd() {
    local name=$1 pid
    "${in_namespace[@]}" "$sshd_bin" -f "$dir/$name/sshd_config" -E "$dir/$name/sshd.log"
    # sshd writes its pid file once its socket listens.
    wait_for_file "$dir/$name/sshd.pid" || { echo "sshd: the $name did not start:" >&2; cat "$dir/$name/sshd.log" >&2; exit 1; }
    pid=$(cat "$dir/$name/sshd.pid")
    process_id "$pid" >> "$dir/processes"
}

# A relay started in the background, recorded for stop.
start_relay() {
    "$@" </dev/null >>"$dir/relays.log" 2>&1 &
    process_id $! >> "$dir/processes"
    echo $!
}

start() {
    : "${1:?sshd start needs the PostgreSQL port}"
    local target_ports=("$@") port
    for port in "${target_ports[@]}"; do
        [[ "$port" =~ ^[0-9]+$ ]] || { echo "sshd: not a port: $port" >&2; exit 2; }
    done
    [ -x "$sshd_bin" ] || { echo "sshd: $sshd_bin not found (install openssh-server)" >&2; exit 1; }
    command -v ssh-keygen >/dev/null || { echo "sshd: ssh-keygen not found (install openssh-client)" >&2; exit 1; }

    local user home disposable password=""
    password_logins=no
    if is_root; then
        ensure_test_user
        user=$test_user
        disposable=1
        password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
        set_test_password "$password"
        password_logins=yes
        # sshd's privilege separation folder, which only a root sshd needs.
        mkdir -p /run/sshd
        chmod 0755 /run/sshd
    else
        user=$(id -un)
        disposable=0
    fi
    home=$(home_of "$user")

    dir=$(mktemp -d /tmp/orderflow-ssh.XXXXXX)
    chmod 0755 "$dir"
    mkdir "$dir/bastion" "$dir/inner" "$dir/client"
    : > "$dir/processes"
    echo "$user" > "$dir/user"

    # Keys. The client's belong to the login user (ssh refuses a private key that others may
    # read); the folder of all of them is readable, so that tests can copy them.
    local client=$dir/client passphrase
    passphrase=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    ssh-keygen -q -t ed25519 -N '' -C "orderflow-test key" -f "$client/id_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C "orderflow-test refused key" -f "$client/id_refused_ed25519"
    ssh-keygen -q -t ed25519 -N "$passphrase" -C "orderflow-test passphrase key" \
        -f "$client/id_passphrase_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C "orderflow-test bastion" -f "$dir/bastion/ssh_host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -C "orderflow-test inner host" -f "$dir/inner/ssh_host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -C "orderflow-test impostor" -f "$dir/impostor_host_ed25519_key"
    cat "$client/id_ed25519.pub" "$client/id_passphrase_ed25519.pub" > "$dir/authorized_keys"
    chmod 0644 "$dir/authorized_keys"
    if is_root; then chown -R "$user:$(id -gn "$user")" "$client"; fi

    # Ports: the bastion's on the machine, the inner host's, and one where nothing listens as
    # seen from either hop (a forward's target that refuses).
    local bastion_port inner_port closed_port
    bastion_port=$(free_port)
    inner_port=$(free_port)
    closed_port=$(free_port)
    while [[ " $bastion_port $inner_port ${target_ports[*]} " == *" $closed_port "* ]] ||
        [ "$inner_port" = "$bastion_port" ]; do
        inner_port=$(free_port)
        closed_port=$(free_port)
    done

    {
        echo "[$bastion_host]:$bastion_port $(key_line "$dir/bastion/ssh_host_ed25519_key.pub")"
        echo "[$inner_host]:$inner_port $(key_line "$dir/inner/ssh_host_ed25519_key.pub")"
    } > "$client/known_hosts"
    {
        echo "[$bastion_host]:$bastion_port $(key_line "$dir/impostor_host_ed25519_key.pub")"
        echo "[$inner_host]:$inner_port $(key_line "$dir/inner/ssh_host_ed25519_key.pub")"
    } > "$client/known_hosts-wrong"
    chmod 0644 "$client/known_hosts" "$client/known_hosts-wrong"

    write_sshd_config bastion "$bastion_host" "$bastion_port" "$user"
    write_sshd_config inner "$inner_host" "$inner_port" "$user"

    # The namespace, held by a process of its own: sshd forks away from whatever starts it.
    local isolated=0 holder namespace
    in_namespace=()
    # The probe asks for both rights: a namespace (CAP_SYS_ADMIN, and a seccomp filter that
    # lets unshare through) and its loopback up (CAP_NET_ADMIN).
    if is_root && command -v ip >/dev/null && command -v socat >/dev/null &&
        unshare --net ip link set lo up 2>/dev/null; then
        holder=$(start_relay unshare --net sh -c 'ip link set lo up && exec sleep infinity')
        namespace=/proc/$holder/ns/net
        for _ in $(seq 1 100); do
            nsenter --net="$namespace" ip -br addr show lo 2>/dev/null | grep -q 127.0.0.1/8 && break
            sleep 0.05
        done
        nsenter --net="$namespace" ip -br addr show lo 2>/dev/null | grep -q 127.0.0.1/8 ||
            { echo "sshd: the network namespace's loopback did not come up" >&2; cat "$dir/relays.log" >&2; exit 1; }
        stat -L -c %i "$namespace" > "$dir/namespace"
        in_namespace=(nsenter --net="$namespace")
        isolated=1
    fi

    start_sshd bastion
    start_sshd inner

    if [ "$isolated" -eq 1 ]; then
        # In: the machine's 127.0.0.1:bastion_port to the bastion in the namespace.
        local relay_in
        relay_in=$(start_relay socat "TCP-LISTEN:$bastion_port,bind=127.0.0.1,reuseaddr,fork" \
            "EXEC:nsenter --net=$namespace socat STDIO TCP\\:127.0.0.1\\:$bastion_port")
        wait_for_port "$bastion_port" || { echo "sshd: the relay to the bastion does not listen" >&2; cat "$dir/relays.log" >&2; exit 1; }
        # Out: each target port, from the namespace's 127.0.0.1 to the machine's (the relay
        # in runs on the machine's network, so its namespace is the way back).
        for port in "${target_ports[@]}"; do
            start_relay nsenter --net="$namespace" \
                socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
                "EXEC:nsenter --net=/proc/$relay_in/ns/net socat STDIO TCP\\:127.0.0.1\\:$port" >/dev/null
            nsenter --net="$namespace" bash -c ". '$here/ports.sh' && wait_for_port $port" ||
                { echo "sshd: the relay to port $port does not listen" >&2; cat "$dir/relays.log" >&2; exit 1; }
        done
    fi

    cat > "$dir/env" <<ENV
ORDERFLOW_TEST_SSH_USER=$user
ORDERFLOW_TEST_SSH_HOME=$home
ORDERFLOW_TEST_SSH_HOME_DISPOSABLE=$disposable
ORDERFLOW_TEST_SSH_BASTION_HOST=$bastion_host
ORDERFLOW_TEST_SSH_BASTION_PORT=$bastion_port
ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT=$(fingerprint "$dir/bastion/ssh_host_ed25519_key.pub")
ORDERFLOW_TEST_SSH_BASTION_LOG=$dir/bastion/sshd.log
ORDERFLOW_TEST_SSH_INNER_HOST=$inner_host
ORDERFLOW_TEST_SSH_INNER_PORT=$inner_port
ORDERFLOW_TEST_SSH_INNER_FINGERPRINT=$(fingerprint "$dir/inner/ssh_host_ed25519_key.pub")
ORDERFLOW_TEST_SSH_INNER_LOG=$dir/inner/sshd.log
ORDERFLOW_TEST_SSH_INNER_ISOLATED=$isolated
ORDERFLOW_TEST_SSH_KEY=$client/id_ed25519
ORDERFLOW_TEST_SSH_REFUSED_KEY=$client/id_refused_ed25519
ORDERFLOW_TEST_SSH_PASSPHRASE_KEY=$client/id_passphrase_ed25519
ORDERFLOW_TEST_SSH_PASSPHRASE=$passphrase
ORDERFLOW_TEST_SSH_PASSWORD=$password
ORDERFLOW_TEST_SSH_KNOWN_HOSTS=$client/known_hosts
ORDERFLOW_TEST_SSH_WRONG_KNOWN_HOSTS=$client/known_hosts-wrong
ORDERFLOW_TEST_SSH_TARGET_PORTS="${target_ports[*]}"
ORDERFLOW_TEST_SSH_CLOSED_PORT=$closed_port
ORDERFLOW_TEST_SSH_DIR=$dir
ENV
    echo "$dir"
}

stop() {
    local dir=${1:?sshd stop needs the folder that start printed}
    [ -f "$dir/processes" ] || { echo "sshd: $dir holds no servers" >&2; return 0; }
    local victims=() entry pid
    # Every process in the namespace (sshd, their connections' sessions, relays out)...
    if [ -f "$dir/namespace" ]; then
        mapfile -t victims < <(stat -L -c '%i %n' /proc/[0-9]*/ns/net 2>/dev/null |
            awk -v inode="$(cat "$dir/namespace")" '$1 == inode { split($2, path, "/"); print path[3] }')
    fi
    # ... and each that start recorded, with the processes it forked (a connection each).
    while read -r entry; do
        if still_running "$entry"; then
            pid=${entry%%:*}
            mapfile -t -O "${#victims[@]}" victims < <(process_tree "$pid")
        fi
    done < "$dir/processes"
    stop_processes "${victims[@]}"
    if is_root && [ "$(cat "$dir/user")" = "$test_user" ]; then
        reset_home "$test_user"
        usermod -p '*' "$test_user"
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) echo "usage: $0 start PGPORT [PORT...] | stop DIR" >&2; exit 2 ;;
esac
