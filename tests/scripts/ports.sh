# shellcheck shell=bash
# Loopback ports for the throwaway services; sourced by the scripts that start them
# (pg-cluster.sh, pgbouncer.sh, sshd.sh), not run.
#
#   port_is_free PORT [HOST]     nothing accepts at HOST:PORT (default 127.0.0.1)
#   free_port                    prints a port from 20000 up to the kernel's range for
#                                outgoing connections where nothing accepts on 127.0.0.1
#                                nor on 127.0.0.2
#   wait_for_port PORT [HOST]    waits up to 5 s until something accepts; false if nothing did
#
# "Free" is only as true as the moment it was asked: another process may take the port
# before the caller binds it (pg-cluster.sh retries then).

port_is_free() {
    ! (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

free_port() {
    # Below the ports the kernel gives outgoing connections (32768-60999 by default): one of
    # those, free when asked, can become the local end of any connect() on the machine before
    # the caller binds it.
    local port low=20000 high=32767 first
    if read -r first _ 2>/dev/null </proc/sys/net/ipv4/ip_local_port_range && [ "$first" -gt $((low + 1000)) ]; then
        high=$((first - 1))
    fi
    for _ in $(seq 1 200); do
        port=$((low + RANDOM % (high - low + 1)))
        if port_is_free "$port" && port_is_free "$port" 127.0.0.2; then echo "$port"; return 0; fi
    done
    echo "ports: no free port found" >&2
    return 1
}

wait_for_port() {
    for _ in $(seq 1 50); do
        port_is_free "$1" "${2:-127.0.0.1}" || return 0
        sleep 0.1
    done
    return 1
}
