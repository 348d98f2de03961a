#!/usr/bin/env bash
# The product reaching the cluster through SSH and tunnel commands, as the test account (OpenSSH
# reads ~/.ssh from its passwd entry), through the two sshd of tests/scripts/sshd.sh:
# - check --url with --ssh: through the bastion, through the jump chain with one identity,
#   through a Host alias of ~/.ssh/config, and through a tunnel command running ssh -L; the
#   JSON's tunnel stage and tunnel member;
# - each of the six failures produced for real, with its category, stage and evidence:
#   ssh_unreachable (the bastion, and a jump host), ssh_host_key_unknown (and
#   --accept-new-host-key), ssh_host_key_changed (refused even with it), ssh_auth_failed,
#   ssh_forward_failed, tunnel_command_failed (exits, never listens, and another program answers
#   its port: nothing sent to it);
# - a profile saved with its route, checked by name;
# - a key's passphrase and an SSH password saved in the keychain (the account's own), given to
#   ssh by the program as its askpass helper: connected, a wrong one diagnosed, an entry
#   removed outside the program diagnosed, neither secret in any output or in ssh's arguments
#   or environment;
# - monitor sampling through the tunnel while its ssh is killed: the gap is sampled as failed,
#   a new ssh opens, sampling goes on;
# - no ssh left after the program quits: at its end, on SIGTERM, and on SIGKILL.
#
# - the window's Test page (tests/gui/tst_tunnelwindow.cpp, run as the account): the unknown
#   host key shown with its fingerprint, accepted, then connected through the tunnel; the whole
#   window testing a saved profile through it (ORDERFLOW_TEST_SCREENSHOT_DIR: its screenshots).
#
#   tst_tunnelcheck.sh BINARY WINDOW-TEST   (ctest runs it inside tests/scripts/run-tests.sh's services)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LC_ALL=C.UTF-8
# Before the library moves into its scratch directory.
source_binary=$(readlink -f "${1:?usage: tst_tunnelcheck.sh BINARY WINDOW-TEST}")
source_window_test=$(readlink -f "${2:?usage: tst_tunnelcheck.sh BINARY WINDOW-TEST}")
# shellcheck source-path=SCRIPTDIR source=../scripts/ssh-account.sh
. "$here/../scripts/ssh-account.sh"
if [ "$ORDERFLOW_TEST_SSH_HOME_DISPOSABLE" != 1 ]; then
    missing "the account is $user itself (sshd.sh not run as root): its ~/.ssh is left alone"
fi

# The account may not reach the build tree (a home of 0700 above it): a copy it can run.
binary=$scratch/orderflow-dbadmin
install -m 0755 "$source_binary" "$binary"
window_test=$scratch/tst_tunnelwindow
install -m 0755 "$source_window_test" "$window_test"
config=$scratch/config
install -d -m 0700 -o "$user" "$config"
known_hosts=$home/.ssh/known_hosts
use_known_hosts() { install -m 0644 -o "$user" "$1" "$known_hosts"; }
use_known_hosts "$ORDERFLOW_TEST_SSH_KNOWN_HOSTS"

url="postgresql://postgres@127.0.0.1:$pgport/postgres"
closed_url="postgresql://postgres@127.0.0.1:$closed_port/postgres"
bastion_dest=$user@$bastion:$bastion_port
inner_dest=$user@$inner:$inner_port
product=(env PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$binary")

# NAME EXIT CATEGORY ARGUMENTS...: runs check --json as the account; $json holds its output.
json=""
check_json() {
    local name=$1 expected_exit=$2 expected_category=$3 status=0 category
    shift 3
    as_user timeout 60 "${product[@]}" check --json "$@" >"$scratch/check.json" 2>"$scratch/check.err" </dev/null || status=$?
    json=$(cat "$scratch/check.json")
    category=$(jq -r .category <<<"$json" 2>/dev/null || echo "(no JSON)")
    if [ "$status" -ne "$expected_exit" ] || [ "$category" != "$expected_category" ]; then
        fail "$name: exit $status, category $category; expected exit $expected_exit, $expected_category" \
            "stdout: $json" "stderr: $(cat "$scratch/check.err")"
        return 1
    fi
}
# NAME FILTER: the jq FILTER is true of $json.
expect_json() {
    if jq -e "$2" >/dev/null <<<"$json"; then return 0; fi
    fail "$1: not true of the JSON: $2" "$json"
    return 1
}
# A connection through a tunnel: its stage is ok, libpq dialled the tunnel's local port.
tunnelled='(.stages[] | select(.stage == "tunnel") | .state) == "ok" and .tunnel.local_port > 0'
# Connected: the cluster lacks the document's extensions, so the exit is 3 and the category ok.
connected() {
    local name=$1 kind=$2
    shift 2
    check_json "$name" 3 ok "$@" &&
        expect_json "$name" "$tunnelled and .tunnel.kind == \"$kind\" and .server.version_num > 0" &&
        pass "$name: connected through the tunnel (tunnel stage $(jq '.stages[] | select(.stage == "tunnel") | .ms' <<<"$json") ms)"
}
# NAME CATEGORY [JQ] ARGUMENTS...: a failure at the tunnel stage, exit 1.
failed_at_tunnel() {
    local name=$1 category=$2 extra=$3
    shift 3
    check_json "$name" 1 "$category" "$@" &&
        expect_json "$name" ".stage == \"tunnel\" and .server == null and (.hints | length) > 0 and $extra" &&
        pass "$name: $category: $(jq -r .message <<<"$json")"
}

## Routes that reach the cluster.
connected "ssh through the bastion" ssh --url "$url" --ssh "$bastion_dest" --ssh-identity "$key"
connected "ssh through the jump chain (one identity on every hop)" ssh \
    --url "$url" --ssh "$inner_dest" --ssh-jump "$bastion_dest" --ssh-identity "$key"
# The account's own known_hosts, where the product's ssh looks.
write_ssh_config "BatchMode yes"
connected "ssh to the Host alias orderflow-inner of ~/.ssh/config (its ProxyJump)" ssh \
    --url "$url" --ssh orderflow-inner
rm -f "$home/.ssh/config"
connected "a tunnel command running ssh -L {port}" command --url "$url" --tunnel-command \
    "ssh -o BatchMode=yes -i $key -p $bastion_port -N -L {port}:127.0.0.1:$pgport $user@$bastion"
# A wrapper that starts the tunnel in the background and waits: what the command started ends
# with it (the finish line finds any process left).
connected "a tunnel command whose tunnel is its child (sh -c \"... & wait\")" command --url "$url" \
    --tunnel-command "sh -c \"ssh -o BatchMode=yes -i $key -p $bastion_port -N -L \$0:127.0.0.1:$pgport $user@$bastion & wait\" {port}"
for _ in $(seq 1 20); do [ -z "$(leftovers)" ] && break; sleep 0.1; done
if [ -z "$(leftovers)" ]; then
    pass "the tunnel command's own child (its ssh) ended with the check"
else
    fail "the tunnel command's child outlived the check" "$(leftovers)"
fi
# The TLS cluster through the tunnel: verify-full checks the certificate against host, the
# name the server has, not the tunnel's 127.0.0.1.
if [[ " $ORDERFLOW_TEST_SSH_TARGET_PORTS " == *" ${ORDERFLOW_TEST_SSLPGPORT:-none} "* ]]; then
    install -m 0644 "$ORDERFLOW_TEST_SSLPGCA" "$scratch/ca.crt"
    as_user_product=(env PGPASSWORD="$ORDERFLOW_TEST_SSLPGPASSWORD" ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$binary")
    status=0
    as_user timeout 60 "${as_user_product[@]}" check --json \
        --url "postgresql://postgres@localhost:$ORDERFLOW_TEST_SSLPGPORT/postgres?sslmode=verify-full&sslrootcert=$scratch/ca.crt" \
        --ssh "$bastion_dest" --ssh-identity "$key" >"$scratch/check.json" </dev/null || status=$?
    json=$(cat "$scratch/check.json")
    if [ "$status" -eq 3 ] && expect_json "verify-full through the tunnel" "$tunnelled and .server.ssl.in_use"; then
        pass "verify-full through the tunnel: the certificate checked against localhost, $(jq -r .server.ssl.protocol <<<"$json")"
    else
        fail "verify-full through the tunnel: exit $status" "$json"
    fi
fi

## The six failures.
failed_at_tunnel "unreachable bastion" ssh_unreachable \
    '(.message | test("^ssh: connect to host .* port [0-9]+: Connection refused$"))' \
    --url "$url" --ssh "$user@$bastion:$closed_port" --ssh-identity "$key"
failed_at_tunnel "unreachable jump host" ssh_unreachable \
    "(.message | contains(\"port $closed_port: Connection refused\"))" \
    --url "$url" --ssh "$inner_dest" --ssh-jump "$user@$bastion:$closed_port" --ssh-identity "$key"
: > "$scratch/known_hosts-empty"
use_known_hosts "$scratch/known_hosts-empty"
failed_at_tunnel "unknown host key" ssh_host_key_unknown \
    ".tunnel.host_key.fingerprint == \"$ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT\" and (.hints | join(\" \") | contains(\"$ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT\"))" \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$key"
# The same in the window: shown, accepted, connected; then the whole window through the tunnel.
# ORDERFLOW_TEST_SCREENSHOT_DIR=DIR: the README's tunnel-test.png and tunnel-test-dark.png go
# there (taken where the account can write, then copied).
shots=$scratch/shots
install -d -m 0700 -o "$user" "$shots"
# A configuration of its own: the profile the window saves is not one of the later checks'.
window_config=$scratch/window-config
install -d -m 0700 -o "$user" "$window_config"
status=0
as_user env QT_QPA_PLATFORM=offscreen PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" \
    ORDERFLOW_DBADMIN_CONFIG_DIR="$window_config" ORDERFLOW_TEST_TUNNEL_URL="$url" \
    ORDERFLOW_TEST_TUNNEL_SSH="$bastion_dest" ORDERFLOW_TEST_TUNNEL_KNOWN_HOSTS="$known_hosts" \
    ORDERFLOW_TEST_SSH_KEY="$key" ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT="$ORDERFLOW_TEST_SSH_BASTION_FINGERPRINT" \
    ${ORDERFLOW_TEST_SCREENSHOT_DIR:+ORDERFLOW_TEST_SCREENSHOT_DIR="$shots"} \
    timeout 120 "$window_test" >"$scratch/window.out" 2>&1 </dev/null || status=$?
if [ "$status" -eq 0 ] && grep -q "PASS   : TestTunnelWindow::unknownHostKeyIsShownThenAcceptedAndConnects" "$scratch/window.out" &&
    grep -q "PASS   : TestTunnelWindow::theWindowTestsASavedProfileThroughTheTunnel" "$scratch/window.out"; then
    pass "the window's Test page: unknown host key shown with its fingerprint, accepted, connected through the tunnel; a saved profile tested through it in the whole window"
else
    fail "the window's Test page through SSH: exit $status" "$(cat "$scratch/window.out")"
fi
if [ -n "${ORDERFLOW_TEST_SCREENSHOT_DIR:-}" ]; then
    cp "$shots"/tunnel-test.png "$shots"/tunnel-test-dark.png "$ORDERFLOW_TEST_SCREENSHOT_DIR"/ ||
        fail "the window took no screenshots" "$(ls -l "$shots")"
fi
use_known_hosts "$scratch/known_hosts-empty"
connected "unknown host key with --accept-new-host-key" ssh \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$key" --accept-new-host-key
if [ "$(ssh-keygen -F "[$bastion]:$bastion_port" -f "$known_hosts" | grep -cv '^#')" -eq 1 ]; then
    pass "--accept-new-host-key added the bastion's key to ~/.ssh/known_hosts"
else
    fail "--accept-new-host-key: known_hosts" "$(cat "$known_hosts")"
fi
use_known_hosts "$ORDERFLOW_TEST_SSH_WRONG_KNOWN_HOSTS"
failed_at_tunnel "changed host key" ssh_host_key_changed \
    '(.evidence | join(" ") | contains("at line 1")) and (.hints | join(" ") | test("intercept"))' \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$key"
failed_at_tunnel "changed host key, even with --accept-new-host-key" ssh_host_key_changed true \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$key" --accept-new-host-key
use_known_hosts "$ORDERFLOW_TEST_SSH_KNOWN_HOSTS"
failed_at_tunnel "refused key" ssh_auth_failed \
    "(.message == \"$user@$bastion: Permission denied ($methods).\") and (.evidence | join(\" \") | contains(\"$ORDERFLOW_TEST_SSH_REFUSED_KEY\"))" \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$ORDERFLOW_TEST_SSH_REFUSED_KEY"
failed_at_tunnel "key whose passphrase is not at hand" ssh_auth_failed \
    '(.hints[0] | contains("passphrase"))' \
    --url "$url" --ssh "$bastion_dest" --ssh-identity "$ORDERFLOW_TEST_SSH_PASSPHRASE_KEY"
# The forward opens; the last hop cannot reach the port, which libpq sees as a closed connection.
check_json "forward to a closed port" 1 ssh_forward_failed --url "$closed_url" --ssh "$bastion_dest" --ssh-identity "$key" &&
    expect_json "forward to a closed port" '(.message | test("^channel [0-9]+: open failed: connect failed: Connection refused$")) and .tunnel.local_port > 0 and (.hints | join(" ") | contains("'"127.0.0.1 and port $closed_port"'"))' &&
    pass "ssh_forward_failed: $(jq -r .message <<<"$json") (at stage $(jq -r .stage <<<"$json"))"
failed_at_tunnel "tunnel command that exits" tunnel_command_failed \
    '(.evidence | join(" ") | contains("Connection refused"))' \
    --url "$url" --tunnel-command "ssh -o BatchMode=yes -p $closed_port -N -L {port}:127.0.0.1:$pgport $user@$bastion"
failed_at_tunnel "tunnel command that never listens" tunnel_command_failed \
    '(.message | contains("within 2 s"))' --url "$url" --timeout 2 --tunnel-command "sleep 30 {port}"
# Another program answers the tunnel's port (here started in a session of its own, as any
# other program of the user's would be): refused before libpq sends it anything.
cat > "$scratch/rogue.py" <<'PY'
import os, socket, sys

# The uid that owns a loopback client socket, from /proc/net/tcp. Other tests run beside this
# one and reconnect to the ports of clusters they stopped (as root), and a freed port may be
# the one the product picked here: only a client of this account is the product's.
def client_uid(client_port, own_port):
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if int(local.split(":")[1], 16) == client_port and int(remote.split(":")[1], 16) == own_port:
                return int(fields[7])
    return None

port = int(sys.argv[1])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen()
server.settimeout(30)
with open(sys.argv[2], "ab") as received:
    while True:
        connection, (_, client_port) = server.accept()
        if client_uid(client_port, port) != os.getuid():
            connection.close()
            continue
        connection.settimeout(2)
        try:
            while data := connection.recv(4096):
                received.write(data)
                received.flush()
        except OSError:
            pass
        connection.close()
PY
install -m 0666 /dev/null "$scratch/rogue.bytes"
failed_at_tunnel "another program answers the tunnel's port" tunnel_command_failed \
    '(.message | test("is answered by process [0-9]+ \\(python3\\), not by the tunnel"))' \
    --url "$url" --tunnel-command "setsid -w python3 $scratch/rogue.py {port} $scratch/rogue.bytes"
# Not the product's to stop: it left the tunnel's session on purpose.
pkill -f "$scratch/rogue.py" || true
if [ -s "$scratch/rogue.bytes" ]; then
    fail "the program that took the tunnel's port was sent $(wc -c < "$scratch/rogue.bytes") bytes"
else
    pass "the program that took the tunnel's port was sent nothing"
fi

## A profile keeps its route.
status=0
as_user "${product[@]}" profiles add "Staging EU" --environment staging --url "$url" \
    --ssh "$inner_dest" --ssh-jump "$bastion_dest" --ssh-identity "$key" >/dev/null 2>"$scratch/add.err" </dev/null || status=$?
json=$(as_user "${product[@]}" profiles list --json)
if [ "$status" -eq 0 ] && expect_json "profiles list" '.[0].route.kind == "ssh" and (.[0].route.route | contains("-J"))'; then
    pass "profiles add --ssh --ssh-jump --ssh-identity saves the route: $(jq -r '.[0].route.route' <<<"$json")"
else
    fail "profiles add with a route: exit $status" "$(cat "$scratch/add.err")"
fi
connected "check --profile through its saved route" ssh --profile "Staging EU"

## A passphrase and an SSH password from the keychain, through the program as ssh's askpass.
# In a keyring of the account's own (with-keyring.sh as the account), one script: the keyring
# lives as long as it does. It saves the secrets with profiles add, checks through them, reads
# the ssh process's arguments and environment while monitor runs, and removes an entry behind
# the program's back; its results go to files checked below. The secrets reach it in files
# only the account may read, never as arguments.
keyed=$scratch/keyed
install -d -m 0700 -o "$user" "$keyed"
install -m 0755 "$here/../scripts/with-keyring.sh" "$scratch/with-keyring.sh"
install -d -m 0700 -o "$user" "$scratch/keyed-config"
printf '%s\n' "$ORDERFLOW_TEST_SSH_PASSPHRASE" > "$keyed/passphrase"
printf '%s\n' "$ORDERFLOW_TEST_SSH_PASSWORD" > "$keyed/password"
chown "$user" "$keyed/passphrase" "$keyed/password"
chmod 0600 "$keyed/passphrase" "$keyed/password"
cat > "$scratch/keyed.sh" <<'SCRIPT'
#!/bin/bash
# keyed.sh DIR BINARY PASSPHRASE-KEY URL DEST INNER-DEST: each step's output in DIR/STEP.out,
# .err, .rc.
dir=$1 binary=$2 passkey=$3 url=$4 dest=$5 inner=$6
step() {
    local name=$1 input=$2
    shift 2
    local status=0
    "$@" <"$input" >"$dir/$name.out" 2>"$dir/$name.err" || status=$?
    echo "$status" > "$dir/$name.rc"
}
id_of() { "$binary" profiles list --json | jq -r --arg name "$1" '.[] | select(.name == $name) | .id'; }
step add-keyed "$dir/passphrase" "$binary" profiles add Keyed --url "$url" --ssh "$dest" \
    --ssh-identity "$passkey" --ssh-passphrase-stdin
step check-keyed /dev/null env QT_LOGGING_RULES='orderflow.*.debug=true' "$binary" check --json --profile Keyed
# ssh as it runs under monitor: its arguments and environment, read while it forwards.
"$binary" monitor --profile Keyed --interval 300 --samples 8 --json >"$dir/monitor.out" 2>"$dir/monitor.err" </dev/null &
monitor=$!
for _ in $(seq 1 100); do
    ssh=$(pgrep -P "$monitor" -x ssh || true)
    [ -n "$ssh" ] && grep -q '"ok":true' "$dir/monitor.out" && break
    sleep 0.1
done
if [ -n "$ssh" ]; then
    tr '\0' '\n' < "/proc/$ssh/cmdline" > "$dir/ssh.cmdline"
    tr '\0' '\n' < "/proc/$ssh/environ" > "$dir/ssh.environ"
fi
status=0
wait "$monitor" || status=$?
echo "$status" > "$dir/monitor.rc"
printf 'not-the-passphrase\n' > "$dir/wrong"
step add-miskeyed "$dir/wrong" "$binary" profiles add Miskeyed --url "$url" --ssh "$dest" \
    --ssh-identity "$passkey" --ssh-passphrase-stdin
step check-miskeyed /dev/null "$binary" check --json --profile Miskeyed
step add-password "$dir/password" "$binary" profiles add Passworded --url "$url" --ssh "$dest" \
    --ssh-password-stdin
step check-password /dev/null "$binary" check --json --profile Passworded
# The destination's password, with jump hosts: never given to a jump host. Through the product's
# own chain (its hops run with BatchMode), and through a ProxyJump of ~/.ssh/config (whose hop
# ssh does ask the helper, and is told no).
step add-jump-password "$dir/password" "$binary" profiles add "Jump passworded" --url "$url" \
    --ssh "$inner" --ssh-jump "$dest" --ssh-password-stdin
step check-jump-password /dev/null "$binary" check --json --profile "Jump passworded"
step add-config-jump "$dir/password" "$binary" profiles add "Config jump" --url "$url" \
    --ssh orderflow-password-inner --ssh-password-stdin
step check-config-jump /dev/null "$binary" check --json --profile "Config jump"
# The entry removed outside the program: said so before ssh starts.
secret-tool clear server orderflow-dbadmin user "orderflow-dbadmin/$(id_of Keyed)/ssh"
step check-gone /dev/null "$binary" check --json --profile Keyed
passworded=$(id_of Passworded)
step remove-password /dev/null "$binary" profiles remove Passworded
secret-tool lookup server orderflow-dbadmin user "orderflow-dbadmin/$passworded/ssh" > "$dir/left.out" 2>/dev/null || true
SCRIPT
chmod 0755 "$scratch/keyed.sh"
# A Host whose ProxyJump hop has no key: its ssh can only ask for a password.
printf 'Host orderflow-password-inner\n    HostName %s\n    Port %s\n    User %s\n    ProxyJump %s\n' \
    "$inner" "$inner_port" "$user" "$bastion_dest" > "$home/.ssh/config"
chown "$user" "$home/.ssh/config"
chmod 0600 "$home/.ssh/config"
# The test's own copies of the secrets stay out of what the program and its ssh inherit.
as_user "$scratch/with-keyring.sh" env -u ORDERFLOW_TEST_SSH_PASSPHRASE -u ORDERFLOW_TEST_SSH_PASSWORD \
    PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" ORDERFLOW_DBADMIN_CONFIG_DIR="$scratch/keyed-config" \
    "$scratch/keyed.sh" "$keyed" "$binary" "$ORDERFLOW_TEST_SSH_PASSPHRASE_KEY" "$url" "$bastion_dest" "$inner_dest" \
    </dev/null >"$scratch/keyed.log" 2>&1 || true
# STEP EXIT CATEGORY JQ: the step's exit and check --json output.
keyed_step() {
    local name=$1 expected_exit=$2 category=$3 filter=$4 status
    status=$(cat "$keyed/$name.rc" 2>/dev/null || echo none)
    json=$(cat "$keyed/$name.out" 2>/dev/null)
    if [ "$status" = "$expected_exit" ] && jq -e ".category == \"$category\" and $filter" >/dev/null 2>&1 <<<"$json"; then
        return 0
    fi
    fail "$name: exit $status, expected $expected_exit and $category with $filter" "$json" \
        "$(cat "$keyed/$name.err" 2>/dev/null)" "$(cat "$scratch/keyed.log")"
    return 1
}
if [ "$(cat "$keyed/add-keyed.rc" 2>/dev/null)" = 0 ] &&
    keyed_step check-keyed 3 ok "$tunnelled" &&
    grep -q 'askpass: answering' "$keyed/check-keyed.err"; then
    pass "a key's passphrase from the keychain: ssh asked the program, which answered; connected"
fi
secrets_seen=$(grep -lF -e "$ORDERFLOW_TEST_SSH_PASSPHRASE" -e "$ORDERFLOW_TEST_SSH_PASSWORD" \
    "$keyed"/*.out "$keyed"/*.err "$keyed"/ssh.* "$scratch/keyed.log" 2>/dev/null || true)
if [ ! -s "$keyed/ssh.cmdline" ] || [ ! -s "$keyed/ssh.environ" ]; then
    fail "monitor through the keyed profile: no ssh to read" "$(cat "$keyed/monitor.out" "$keyed/monitor.err" 2>/dev/null)"
elif [ -n "$secrets_seen" ]; then
    fail "an SSH secret appeared in output, logs, or ssh's arguments or environment" "$secrets_seen"
elif ! grep -qx 'SSH_ASKPASS_REQUIRE=force' "$keyed/ssh.environ"; then
    fail "ssh under monitor was not given the askpass helper" "$(cat "$keyed/ssh.environ")"
else
    pass "neither secret is in any output, the debug log, or ssh's arguments and environment ($(wc -l < "$keyed/ssh.cmdline") arguments, $(wc -l < "$keyed/ssh.environ") variables)"
fi
if [ "$(cat "$keyed/monitor.rc" 2>/dev/null)" = 0 ] && [ "$(grep -c '"ok":true' "$keyed/monitor.out")" -eq 8 ]; then
    pass "monitor sampled 8 times through the keyed tunnel"
else
    fail "monitor through the keyed profile: exit $(cat "$keyed/monitor.rc" 2>/dev/null)" "$(cat "$keyed/monitor.out" "$keyed/monitor.err" 2>/dev/null)"
fi
if keyed_step check-miskeyed 1 ssh_auth_failed \
    '.stage == "tunnel" and (.evidence | join(" ") | contains("was given the passphrase saved in the keychain")) and (.hints[0] | contains("did not unlock the key"))'; then
    pass "a wrong passphrase in the keychain: ssh_auth_failed, saying the saved passphrase did not unlock the key"
fi
if keyed_step check-password 3 ok "$tunnelled"; then
    pass "an SSH password from the keychain: connected"
fi
rm -f "$home/.ssh/config"
if keyed_step check-jump-password 1 ssh_auth_failed '(.evidence | join(" ") | contains("was given the SSH password") | not)'; then
    pass "the destination's password with a jump host: the jump host was not asked for it (it refused the hop, which has no key)"
fi
if keyed_step check-config-jump 1 ssh_auth_failed \
    '(.evidence | join(" ") | contains("a jump host'"'"'s ssh asked") and (contains("was given the SSH password") | not))'; then
    pass "a ProxyJump hop of ~/.ssh/config asked for a password and was given nothing"
fi
if keyed_step check-gone 4 keychain_unavailable '.stage == "tunnel" and (.message | contains("no entry"))'; then
    pass "the passphrase's entry removed outside the program: keychain_unavailable at the tunnel stage, exit 4"
fi
if [ "$(cat "$keyed/remove-password.rc" 2>/dev/null)" = 0 ] && [ ! -s "$keyed/left.out" ]; then
    pass "profiles remove deleted the SSH password's keychain entry with the profile"
else
    fail "profiles remove left the SSH password in the keychain, or failed" "$(cat "$keyed/remove-password.err" 2>/dev/null)"
fi

## The psql export of a routed profile works as printed: its ssh line, then its psql line.
as_user "${product[@]}" profiles add "Bastion" --url "$url" --ssh "$bastion_dest" --ssh-identity "$key" \
    >/dev/null 2>&1 </dev/null
exported=$(as_user "${product[@]}" export "Bastion" --format psql </dev/null)
ssh_line=$(grep '^ssh ' <<<"$exported" | sed 's/ &$//')
psql_line=$(grep '^psql ' <<<"$exported")
ssh_words=() psql_words=()
eval "ssh_words=($ssh_line)"
as_user_in_background "$scratch/export-ssh.err" "${ssh_words[@]}"
eval "psql_words=($psql_line)"
if [ "$(wait_for_port 15432 && as_user env PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" \
    timeout 30 "${psql_words[@]}" -X -tA -c 'SELECT 42' 2>&1)" = 42 ]; then
    pass "export --format psql: its ssh line opens the tunnel and its psql line goes through it"
else
    fail "export --format psql through the route" "$exported" "ssh: $(stderr_of "$scratch/export-ssh.err")"
fi
stop_background

## monitor through the tunnel; its ssh killed in the middle.
install -m 0644 -o "$user" /dev/null "$scratch/monitor.out"
as_user_in_background "$scratch/monitor.err" env PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" \
    ORDERFLOW_DBADMIN_CONFIG_DIR="$config" sh -c "exec \"\$0\" monitor --profile 'Staging EU' --interval 300 --samples 30 --json > '$scratch/monitor.out'" "$binary"
monitor=$started
ssh_of_monitor() { pgrep -P "$monitor" -x ssh || true; }
first_ssh=""
for _ in $(seq 1 100); do
    first_ssh=$(ssh_of_monitor)
    [ -n "$first_ssh" ] && [ "$(grep -c '"ok":true' "$scratch/monitor.out" 2>/dev/null)" -ge 2 ] && break
    sleep 0.1
done
if [ -z "$first_ssh" ]; then
    fail "monitor: no ssh under it, or no sample" "$(cat "$scratch/monitor.out" "$scratch/monitor.err")"
else
    kill -KILL "$first_ssh"
    wait_status=0
    wait "${background[0]% *}" || wait_status=$?
    background=()
    out=$(cat "$scratch/monitor.out")
    after_kill=$(awk '/"ok":false/ {seen=1} seen' <<<"$out")
    if [ "$wait_status" -eq 0 ] && grep -q '"ok":false' <<<"$out" && grep -q '"ok":true' <<<"$after_kill" \
        && [ "$(wc -l <<<"$out")" -eq 30 ]; then
        pass "monitor: ssh $first_ssh killed, $(grep -c '"ok":false' <<<"$out") sample(s) failed, then sampling went on through a new ssh (30 samples, exit 0)"
    else
        fail "monitor through a tunnel whose ssh was killed: exit $wait_status" "$out" "$(cat "$scratch/monitor.err")"
    fi
fi

## PgBouncer's admin console over the profile's route: through SSH a tunnel of its own, through a
## tunnel command not dialled at all, and said so.
bouncer_port=${ORDERFLOW_TEST_BOUNCER_PORT:-}
if [ -z "$bouncer_port" ] || [[ " $ORDERFLOW_TEST_SSH_TARGET_PORTS " != *" $bouncer_port "* ]]; then
    fail "PgBouncer over the route: no test PgBouncer the sshd forward to" \
        "ORDERFLOW_TEST_BOUNCER_PORT=$bouncer_port, forwarded ports: $ORDERFLOW_TEST_SSH_TARGET_PORTS"
else
    # The maintenance database: tst_activitysampler ends orderflow's monitor sessions in its own.
    app_url="postgresql://orderflow@127.0.0.1:$pgport/postgres"
    as_user "${product[@]}" profiles add "Bouncer via SSH" --url "$app_url" \
        --ssh "$bastion_dest" --ssh-identity "$key" >/dev/null 2>&1 </dev/null
    as_user "${product[@]}" profiles add "Bouncer via command" --url "$app_url" --tunnel-command \
        "ssh -o BatchMode=yes -i $key -p $bastion_port -N -L {port}:127.0.0.1:$pgport $user@$bastion" \
        >/dev/null 2>&1 </dev/null
    # The Pool page's PgBouncer row, as it saves it: the profile's host, PgBouncer's port.
    jq --argjson port "$bouncer_port" '.profiles |= map(if (.name | startswith("Bouncer via"))
        then .pgbouncer = {enabled: true, host: "", port: $port, user: "", dbname: "pgbouncer"}
        else . end)' "$config/profiles.json" >"$scratch/profiles.json"
    install -m 0600 -o "$user" "$scratch/profiles.json" "$config/profiles.json"
    bouncer_product=(env PGPASSWORD=dev_password ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$binary")

    # Through SSH: SHOW POOLS answers through an ssh of the monitor's that forwards to
    # PgBouncer's port, beside the database's.
    install -m 0644 -o "$user" /dev/null "$scratch/bouncer.out"
    as_user_in_background "$scratch/bouncer.err" env PGPASSWORD=dev_password \
        ORDERFLOW_DBADMIN_CONFIG_DIR="$config" sh -c "exec \"\$0\" monitor --profile 'Bouncer via SSH' --interval 300 --samples 10 --json > '$scratch/bouncer.out'" "$binary"
    monitor=$started
    forwards=""
    for _ in $(seq 1 100); do
        forwards=$(for pid in $(ssh_of_monitor); do tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null; echo; done)
        [[ "$forwards" == *":127.0.0.1:$bouncer_port "* ]] && [[ "$forwards" == *":127.0.0.1:$pgport "* ]] && break
        sleep 0.1
    done
    wait_status=0
    wait "${background[0]% *}" || wait_status=$?
    background=()
    json=$(jq -s . "$scratch/bouncer.out" 2>/dev/null || echo null)
    if [ "$wait_status" -eq 0 ] && [[ "$forwards" == *":127.0.0.1:$bouncer_port "* ]] &&
        expect_json "monitor --json through SSH with PgBouncer" \
            'length == 10 and all(.[]; .ok) and ([.[] | select(.pgbouncer.ok and any(.pgbouncer.pools[]; .database == "pgbouncer"))] | length) >= 8'; then
        pass "monitor through SSH: PgBouncer's pools read through a tunnel of its own to 127.0.0.1:$bouncer_port as the bastion sees it ($(jq '[.[] | select(.pgbouncer.ok)] | length' <<<"$json") of 10 samples)"
    else
        fail "monitor through SSH with PgBouncer: exit $wait_status" "ssh under it: $forwards" \
            "$(cat "$scratch/bouncer.out")" "$(cat "$scratch/bouncer.err")"
    fi

    # check reads PgBouncer's settings through a tunnel of its own too. This profile's database
    # (postgres) has no line in the test PgBouncer's [databases]: a finding, not a failure.
    status=0
    as_user timeout 60 "${bouncer_product[@]}" check --profile "Bouncer via SSH" --json \
        >"$scratch/bouncer.out" 2>"$scratch/bouncer.err" </dev/null || status=$?
    json=$(cat "$scratch/bouncer.out")
    if [ "$status" -eq 3 ] && expect_json "check --json through SSH with PgBouncer" \
        '.pooler.read and .pooler.pool_mode == "transaction" and .pooler.max_client_conn == 50 and ([.pooler.findings[].id] == ["pooler-database"])'; then
        pass "check through SSH reads PgBouncer's settings: $(jq -c '.pooler.findings[0].evidence' <<<"$json")"
    else
        fail "check through SSH with PgBouncer: exit $status" "$json" "$(cat "$scratch/bouncer.err")"
    fi
    # Through a tunnel command it is not dialled, and the finding says why; the exit stays 3.
    status=0
    as_user timeout 60 "${bouncer_product[@]}" check --profile "Bouncer via command" --json \
        >"$scratch/bouncer.out" 2>"$scratch/bouncer.err" </dev/null || status=$?
    json=$(cat "$scratch/bouncer.out")
    if [ "$status" -eq 3 ] && expect_json "check --json through a tunnel command with PgBouncer" \
        '(.pooler.read | not) and .pooler.findings[0].id == "pooler-unreadable" and (.pooler.findings[0].evidence | contains("tunnel command forwards only the database"))'; then
        pass "check through a tunnel command: PgBouncer not dialled"
    else
        fail "check through a tunnel command with PgBouncer: exit $status" "$json" "$(cat "$scratch/bouncer.err")"
    fi

    # Through a tunnel command: the database is sampled through it, PgBouncer is not dialled,
    # and every sample says why (the table on stderr, once).
    status=0
    as_user timeout 60 "${bouncer_product[@]}" monitor --profile "Bouncer via command" --interval 300 \
        --samples 3 --json >"$scratch/bouncer.out" 2>"$scratch/bouncer.err" </dev/null || status=$?
    json=$(jq -s . "$scratch/bouncer.out" 2>/dev/null || echo null)
    if [ "$status" -eq 0 ] && expect_json "monitor --json through a tunnel command with PgBouncer" \
        'length == 3 and all(.[]; .ok and (.pgbouncer.ok | not) and (.pgbouncer.pools == []) and (.pgbouncer.error | contains("tunnel command forwards only the database")))'; then
        pass "monitor through a tunnel command: PgBouncer not dialled: $(jq -r '.[0].pgbouncer.error' <<<"$json")"
    else
        fail "monitor through a tunnel command with PgBouncer: exit $status" "$(cat "$scratch/bouncer.out")" "$(cat "$scratch/bouncer.err")"
    fi
    status=0
    as_user timeout 60 "${bouncer_product[@]}" monitor --profile "Bouncer via command" --interval 300 \
        --samples 2 >"$scratch/bouncer.out" 2>"$scratch/bouncer.err" </dev/null || status=$?
    if [ "$status" -eq 0 ] && [ "$(grep -c 'PgBouncer cannot be reached through it' "$scratch/bouncer.err")" -eq 1 ] &&
        [ "$(grep -c '^[0-9:]*  ok  ' "$scratch/bouncer.out")" -eq 2 ]; then
        pass "monitor's table through a tunnel command: $(cat "$scratch/bouncer.err")"
    else
        fail "monitor's table through a tunnel command with PgBouncer: exit $status" "$(cat "$scratch/bouncer.out")" "$(cat "$scratch/bouncer.err")"
    fi
fi

## No ssh outlives the program: SIGTERM and SIGKILL in the middle of a monitor.
for signal in TERM KILL; do
    as_user_in_background "$scratch/monitor.err" env PGPASSWORD="$ORDERFLOW_TEST_PGPASSWORD" \
        ORDERFLOW_DBADMIN_CONFIG_DIR="$config" "$binary" monitor --profile "Staging EU" --interval 300 --samples 1000
    monitor=$started
    tunnel_ssh=""
    for _ in $(seq 1 100); do
        tunnel_ssh=$(ssh_of_monitor)
        [ -n "$tunnel_ssh" ] && break
        sleep 0.1
    done
    kill "-$signal" "$monitor"
    wait "${background[0]% *}" 2>/dev/null || true
    background=()
    gone=0
    for _ in $(seq 1 50); do
        if [ -n "$tunnel_ssh" ] && ! kill -0 "$tunnel_ssh" 2>/dev/null && [ -z "$(leftovers)" ]; then gone=1; break; fi
        sleep 0.1
    done
    if [ "$gone" = 1 ]; then
        pass "SIG$signal to monitor: its ssh ($tunnel_ssh) and the hops behind it ended with it"
    else
        fail "SIG$signal to monitor: ssh ${tunnel_ssh:-(never started)} left" "$(leftovers)"
    fi
done

rm -f "$known_hosts"
finish
