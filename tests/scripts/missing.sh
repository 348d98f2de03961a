# shellcheck shell=bash
# Sourced by the shell tests, not run: missing REASON ends a test whose service or tool is not
# there, as the other tests do: a skip, or a failure under ORDERFLOW_TEST_STRICT (CI).
missing() {
    if [ "${ORDERFLOW_TEST_STRICT:-}" = 1 ]; then echo "FAIL!  : $1"; exit 1; fi
    echo "SKIP   : $1"
    exit 0
}
