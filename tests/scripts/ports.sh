# shellcheck shell=bash
# Loopback ports for the throwaway services; sourced by the scripts that start them
# (pg-cluster.sh, pgbouncer.sh, sshd.sh), not run.
#
#   port_is_free PORT [HOST]     nothing accepts at HOST:PORT (default 127.0.0.1)
#   free_port                    prints a port in 20000-59999 where nothing accepts on
#                                127.0.0.1 nor on 127.0.0.2
#   wait_for_port PORT [HOST]    waits up to 5 s until something accepts; false if nothing did
#
# "Free" is only as true as the moment it was asked: another process may take the port
# before the caller binds it (pg-cluster.sh retries then).

port_is_free() {
    ! (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
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
