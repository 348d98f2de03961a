#!/usr/bin/env bash
# What the SSH tunnel work relies on, proved with the system's OpenSSH client and psql, as the
# test account, against the two sshd of tests/scripts/sshd.sh and the PostgreSQL cluster
# behind them (ORDERFLOW_TEST_PGPORT):
# - a forward through the bastion, through the jump chain with one identity on every hop, and
#   through Host aliases of the account's ~/.ssh/config, each reaching the cluster;
# - that -J hands the jump hop neither -i nor -o (so the chain needs a ProxyCommand);
# - each failure the diagnosis taxonomy names, produced for real, with the lines that ssh and
#   psql print checked word for word: ssh_unreachable, ssh_host_key_unknown,
#   ssh_host_key_changed, ssh_auth_failed, ssh_forward_failed, tunnel_command_failed;
# - and that no ssh it started outlives it.
#
#   tst_sshtunnels.sh   (ctest runs it inside tests/scripts/run-tests.sh's services)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# psql's messages in English, as the checks read them.
export LC_ALL=C.UTF-8

# shellcheck source-path=SCRIPTDIR source=../scripts/ssh-account.sh
. "$here/../scripts/ssh-account.sh"
if ! command -v psql >/dev/null; then
    missing "psql missing: run tests/scripts/install-deps.sh"
fi

# Whether process PID holds a socket that listens on loopback PORT (IPv4 or IPv6), by the
# socket's inode in /proc/net/tcp{,6} and the process's open files. Other tests run beside this
# one, possibly as the same user, and open ports of their own: a port that answers may not be
# the command's.
holds_listener() {
    local pid=$1 inode descriptor
    while read -r inode; do
        for descriptor in "/proc/$pid/fd/"*; do
            [ "$(readlink "$descriptor" 2>/dev/null)" = "socket:[$inode]" ] && return 0
        done
    done < <(awk -v port="$(printf '%04X' "$2")" '$4 == "0A" && $2 ~ (":" port "$") { print $10 }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null)
    return 1
}

# Waits until the process PID listens on PORT (0), ends (1), or TENTHS tenths of a second
# pass (2): how the product waits for a tunnel, with the listener's owner checked.
wait_for_tunnel() {
    local port=$1 pid=$2 tenths=$3
    for _ in $(seq 1 "$tenths"); do
        holds_listener "$pid" "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 2
}

# The options every ssh here takes: no prompt, only the key named, our known_hosts only.
ssh_options=(-o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=10
    -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile="$ORDERFLOW_TEST_SSH_KNOWN_HOSTS")
# One identity on every hop: -J would not pass -i (nor -o) to the jump hop.
jump_command="ssh ${ssh_options[*]} -i $key -W %h:%p -p $bastion_port $user@$bastion"

# Runs psql as the account through 127.0.0.1:PORT; sets $psql_out and $psql_err.
psql_out="" psql_err=""
psql_through() {
    local status=0
    as_user env PGPASSWORD=dev_password PGCONNECT_TIMEOUT=10 timeout 30 \
        psql -X -w -h 127.0.0.1 -p "$1" -U orderflow -d orderflow -tA -c 'SELECT 1' \
        >"$scratch/psql.out" 2>"$scratch/psql.err" || status=$?
    psql_out=$(cat "$scratch/psql.out")
    psql_err=$(cat "$scratch/psql.err")
    return "$status"
}

# TENTHS ARGUMENTS...: starts the command with {port} replaced by a free port; sets
# $tunnel_status to wait_for_tunnel's answer and $tunnel_port; what it says goes to
# $scratch/tunnel.err. A port picked free may be taken by another test before the command binds
# it: then another is picked, as the product does.
tunnel_status=0 tunnel_port=""
run_tunnel_command() {
    local tenths=$1 argument arguments attempt
    shift
    for attempt in 1 2 3; do
        tunnel_port=$(free_port)
        arguments=()
        for argument in "$@"; do arguments+=("${argument//\{port\}/$tunnel_port}"); done
        as_user_in_background "$scratch/tunnel.err" "${arguments[@]}"
        tunnel_status=0
        wait_for_tunnel "$tunnel_port" "$started" "$tenths" || tunnel_status=$?
        if [ "$tunnel_status" -eq 1 ] && [ "$attempt" -lt 3 ] &&
            grep -q 'Address already in use' "$scratch/tunnel.err"; then
            stop_background
            continue
        fi
        return 0
    done
}

# NAME TARGET SSH-ARGUMENTS...: ssh -N -L to TARGET (and the arguments), then psql SELECT 1
# through it.
check_forward() {
    local name=$1 target=$2
    shift 2
    run_tunnel_command 150 ssh -o ExitOnForwardFailure=yes -N -L "127.0.0.1:{port}:$target" "$@"
    if [ "$tunnel_status" -ne 0 ]; then
        fail "$name: the forward did not open ($([ "$tunnel_status" -eq 1 ] && echo "ssh ended" || echo "15 s passed"))" \
            "ssh said: $(stderr_of "$scratch/tunnel.err")"
    elif ! psql_through "$tunnel_port" || [ "$psql_out" != 1 ]; then
        fail "$name: psql through the forward" "psql printed: $psql_out" "psql said: $psql_err" \
            "ssh said: $(stderr_of "$scratch/tunnel.err")"
    else
        pass "$name"
    fi
    stop_background
}

# NAME EXPECTED-STATUS COMMAND...: runs COMMAND as the account (stderr in $err) and checks
# its exit status.
err=""
check_run() {
    local name=$1 expected=$2 status=0
    shift 2
    as_user timeout 30 "$@" >/dev/null 2>"$scratch/run.err" </dev/null || status=$?
    err=$(stderr_of "$scratch/run.err")
    if [ "$status" -ne "$expected" ]; then
        fail "$name: exit status $status, expected $expected" "stderr: $err"
        return 1
    fi
}

# NAME LINE: $err holds LINE as a whole line.
expect_line() {
    if grep -qxF -- "$2" <<<"$err"; then return 0; fi
    fail "$1: no line \"$2\"" "stderr was:" "${err:-(empty)}"
    return 1
}

## Isolation: the inner host answers only through the bastion (where sshd.sh could make it so).
direct_refusal="ssh: connect to host $inner port $inner_port: Connection refused"
if [ "$ORDERFLOW_TEST_SSH_INNER_ISOLATED" = 1 ]; then
    check_run "inner host from the machine" 255 ssh "${ssh_options[@]}" -i "$key" -p "$inner_port" "$user@$inner" true &&
        expect_line "inner host from the machine" "$direct_refusal" &&
        pass "the inner host refuses a direct connection: $direct_refusal"
else
    check_run "inner host reached directly (not isolated here)" 0 \
        ssh "${ssh_options[@]}" -i "$key" -p "$inner_port" "$user@$inner" true &&
        pass "the inner host also answers directly: sshd.sh could not make a network namespace here (ORDERFLOW_TEST_SSH_INNER_ISOLATED=0), so 'only through the bastion' is not enforced"
fi

## Forwards that reach the cluster.
check_forward "forward through the bastion" "127.0.0.1:$pgport" \
    "${ssh_options[@]}" -i "$key" -p "$bastion_port" "$user@$bastion"
check_forward "forward through the jump chain (bastion, then inner host; one identity on each hop)" \
    "127.0.0.1:$pgport" "${ssh_options[@]}" -i "$key" -o ProxyCommand="$jump_command" \
    -p "$inner_port" "$user@$inner"

## What -J passes to the jump hop: neither -o UserKnownHostsFile nor -i. The account's
## ~/.ssh holds no known_hosts and no key, so the hop fails on the host key first...
dash_j=(ssh "${ssh_options[@]}" -i "$key" -J "$user@$bastion:$bastion_port" -p "$inner_port" "$user@$inner" true)
if [ "$ORDERFLOW_TEST_SSH_HOME_DISPOSABLE" = 1 ]; then
    check_run "-J without the hop's known_hosts" 255 "${dash_j[@]}" &&
        expect_line "-J without the hop's known_hosts" "Host key verification failed." &&
        pass "-J does not pass -o UserKnownHostsFile to the jump hop: Host key verification failed."
    # ... and with the known hosts where the hop looks, on the key it was not given.
    install -m 0644 -o "$user" -g "$(id -gn "$user")" "$ORDERFLOW_TEST_SSH_KNOWN_HOSTS" "$home/.ssh/known_hosts"
    check_run "-J without the hop's identity" 255 "${dash_j[@]}" &&
        expect_line "-J without the hop's identity" "$user@$bastion: Permission denied ($methods)." &&
        pass "-J does not pass -i to the jump hop: $user@$bastion: Permission denied ($methods)."
    rm -f "$home/.ssh/known_hosts"

    ## Host aliases in the account's ~/.ssh/config (read from its passwd home: HOME is elsewhere).
    write_ssh_config "UserKnownHostsFile $ORDERFLOW_TEST_SSH_KNOWN_HOSTS" \
        "GlobalKnownHostsFile /dev/null" "BatchMode yes"
    # Nothing on the command line but the alias: all the rest comes from the file.
    check_forward "forward through the Host alias orderflow-bastion of ~/.ssh/config" "127.0.0.1:$pgport" \
        orderflow-bastion
    check_forward "forward through the Host alias orderflow-inner (ProxyJump orderflow-bastion)" \
        "127.0.0.1:$pgport" orderflow-inner
    rm -f "$home/.ssh/config"
else
    skipped_home="the account is $user itself (sshd.sh not run as root): its own ~/.ssh is left alone, so the -J and Host alias checks did not run"
fi

## ssh_unreachable: nothing listens at the port, directly or at the jump host.
unreachable_port=$(free_port)
refused="ssh: connect to host $bastion port $unreachable_port: Connection refused"
check_run "unreachable server" 255 ssh "${ssh_options[@]}" -i "$key" -p "$unreachable_port" "$user@$bastion" true &&
    expect_line "unreachable server" "$refused" && pass "ssh_unreachable: $refused"
check_run "unreachable jump host" 255 ssh "${ssh_options[@]}" -i "$key" \
    -o ProxyCommand="ssh ${ssh_options[*]} -i $key -W %h:%p -p $unreachable_port $user@$bastion" \
    -p "$inner_port" "$user@$inner" true &&
    expect_line "unreachable jump host" "$refused" &&
    expect_line "unreachable jump host" "kex_exchange_identification: Connection closed by remote host" &&
    pass "ssh_unreachable (jump host): $refused, then kex_exchange_identification: Connection closed by remote host"

## ssh_host_key_unknown: an empty known_hosts; under BatchMode alone ssh cannot ask, and with
## StrictHostKeyChecking=yes it says why. The fingerprint to show comes from ssh-keyscan.
empty_known_hosts=$scratch/known_hosts-empty
: > "$empty_known_hosts"
unknown_options=(-o BatchMode=yes -o IdentitiesOnly=yes -o GlobalKnownHostsFile=/dev/null
    -o UserKnownHostsFile="$empty_known_hosts" -i "$key" -p "$bastion_port")
check_run "unknown host key (BatchMode)" 255 ssh "${unknown_options[@]}" "$user@$bastion" true &&
    expect_line "unknown host key (BatchMode)" "Host key verification failed." &&
    pass "ssh_host_key_unknown (BatchMode): Host key verification failed."
unknown="No ED25519 host key is known for [$bastion]:$bastion_port and you have requested strict checking."
check_run "unknown host key (StrictHostKeyChecking=yes)" 255 \
    ssh -o StrictHostKeyChecking=yes "${unknown_options[@]}" "$user@$bastion" true &&
    expect_line "unknown host key (StrictHostKeyChecking=yes)" "$unknown" &&
    expect_line "unknown host key (StrictHostKeyChecking=yes)" "Host key verification failed." &&
    pass "ssh_host_key_unknown (StrictHostKeyChecking=yes): $unknown"
scanned=$(as_user ssh-keyscan -t ed25519 -p "$bastion_port" "$bastion" 2>/dev/null | ssh-keygen -l -E sha256 -f - | cut -d' ' -f2)
if [ "$scanned" = "$ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT" ]; then
    pass "ssh-keyscan shows the bastion's fingerprint $scanned"
else
    fail "ssh-keyscan's fingerprint of the bastion" "saw: ${scanned:-nothing}" "expected: $ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT"
fi

## ssh_host_key_changed: known_hosts holds another key for the bastion.
# Not ssh_options: of two -o for one option, ssh keeps the first.
check_run "changed host key" 255 ssh -o BatchMode=yes -o IdentitiesOnly=yes -o GlobalKnownHostsFile=/dev/null \
    -o UserKnownHostsFile="$ORDERFLOW_TEST_SSH_WRONG_KNOWN_HOSTS" -i "$key" -p "$bastion_port" "$user@$bastion" true &&
    expect_line "changed host key" "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @" &&
    expect_line "changed host key" "$ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT." &&
    expect_line "changed host key" "Host key for [$bastion]:$bastion_port has changed and you have requested strict checking." &&
    expect_line "changed host key" "Host key verification failed." &&
    pass "ssh_host_key_changed: WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! (with the server's real fingerprint)"

## ssh_auth_failed: a key the server does not accept; the passphrase'd key without a way to
## ask for its passphrase; and the same key with it given by an askpass program.
denied="$user@$bastion: Permission denied ($methods)."
check_run "refused key" 255 ssh "${ssh_options[@]}" -i "$ORDERFLOW_TEST_SSH_REFUSED_KEY" -p "$bastion_port" "$user@$bastion" true &&
    expect_line "refused key" "$denied" && pass "ssh_auth_failed: $denied"
check_run "passphrase not given" 255 ssh "${ssh_options[@]}" -i "$ORDERFLOW_TEST_SSH_PASSPHRASE_KEY" \
    -p "$bastion_port" "$user@$bastion" true &&
    expect_line "passphrase not given" "$denied" && pass "ssh_auth_failed (passphrase not given under BatchMode): $denied"
askpass=$scratch/askpass
cat > "$askpass" <<'ASKPASS'
#!/bin/sh
printf '%s\n' "$ORDERFLOW_TEST_SSH_PASSPHRASE"
ASKPASS
chmod 0755 "$askpass"
check_run "passphrase through askpass" 0 env ORDERFLOW_TEST_SSH_PASSPHRASE="$ORDERFLOW_TEST_SSH_PASSPHRASE" \
    SSH_ASKPASS="$askpass" SSH_ASKPASS_REQUIRE=force \
    ssh -o IdentitiesOnly=yes -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile="$ORDERFLOW_TEST_SSH_KNOWN_HOSTS" \
    -i "$ORDERFLOW_TEST_SSH_PASSPHRASE_KEY" -p "$bastion_port" "$user@$bastion" true &&
    pass "the passphrase'd key logs in with its passphrase from SSH_ASKPASS"

## ssh_forward_failed: the forward's target refuses as seen from the hop; the local port
## opens, psql sees the connection closed, ssh says why (once per attempt of libpq).
run_tunnel_command 150 ssh "${ssh_options[@]}" -o ExitOnForwardFailure=yes \
    -N -L "127.0.0.1:{port}:127.0.0.1:$closed_port" -i "$key" -p "$bastion_port" "$user@$bastion"
if [ "$tunnel_status" -ne 0 ]; then
    fail "forward to a closed port: the local port did not open" "ssh said: $(stderr_of "$scratch/tunnel.err")"
elif psql_through "$tunnel_port"; then
    fail "forward to a closed port: psql connected" "psql printed: $psql_out"
elif ! grep -qF "server closed the connection unexpectedly" <<<"$psql_err"; then
    fail "forward to a closed port: psql's message" "psql said: $psql_err"
else
    err=$(stderr_of "$scratch/tunnel.err")
    if grep -qE '^channel [0-9]+: open failed: connect failed: Connection refused$' <<<"$err"; then
        pass "ssh_forward_failed: $(grep -m1 -E '^channel' <<<"$err") (psql: server closed the connection unexpectedly)"
    else
        fail "forward to a closed port: ssh's message" "ssh said: ${err:-(nothing)}"
    fi
fi
stop_background

## tunnel_command_failed: a tunnel command ({port} in its arguments, started without a shell)
## that exits at once, and one whose port never opens before the deadline. A working one first,
## waited for the same way.
run_tunnel_command 150 ssh "${ssh_options[@]}" -N -L "{port}:127.0.0.1:$pgport" -i "$key" -p "$bastion_port" "$user@$bastion"
if [ "$tunnel_status" -eq 0 ] && psql_through "$tunnel_port" && [ "$psql_out" = 1 ]; then
    pass "a tunnel command with {port} opens it and psql goes through"
else
    fail "working tunnel command (wait status $tunnel_status)" "psql said: $psql_err" "command said: $(stderr_of "$scratch/tunnel.err")"
fi
stop_background
run_tunnel_command 50 ssh "${ssh_options[@]}" -N -L "{port}:127.0.0.1:$pgport" -i "$key" -p "$unreachable_port" "$user@$bastion"
err=$(stderr_of "$scratch/tunnel.err")
if [ "$tunnel_status" -ne 1 ]; then
    fail "tunnel command that exits at once: wait status $tunnel_status, expected 1 (it ended)" "it said: $err"
elif expect_line "tunnel command that exits at once" "$refused"; then
    status=0
    wait "${background[0]% *}" || status=$?
    background=()
    if [ "$status" -eq 255 ]; then
        pass "tunnel_command_failed (exited with status 255 before its port opened): $refused"
    else
        fail "tunnel command that exits at once: exit status $status, expected 255"
    fi
fi
stop_background
run_tunnel_command 5 sleep 30
if [ "$tunnel_status" -eq 2 ] && kill -0 "$started" 2>/dev/null; then
    pass "tunnel_command_failed (still running, its port not open after 0.5 s)"
else
    fail "tunnel command whose port never opens: wait status $tunnel_status, expected 2 (deadline)"
fi
stop_background

finish
