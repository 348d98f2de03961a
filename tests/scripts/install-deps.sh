#!/usr/bin/env bash
# Installs (with apt) whatever this project needs to build, test and run its demo on
# Debian 12 / Ubuntu, and nothing when everything is already there.
set -euo pipefail

packages=(
    # build
    g++ cmake ninja-build ccache pkg-config clang-format clang-tidy git
    # the sanitizer build and the fuzz targets (clang's ASan, UBSan and libFuzzer runtimes)
    clang libclang-rt-14-dev
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools libqt6svg6 qt6-qpa-plugins libgl-dev libxkbcommon-dev
    # the history's SQLite driver (a Qt Sql plugin, loaded at run time)
    libqt6sql6-sqlite
    # Qt's own texts (dialog buttons, command line parser) in German, beside the product's
    qt6-translations-l10n
    qtkeychain-qt6-dev libsecret-1-0 libpq-dev libssl-dev openssl
    # services the tests and the demo start
    postgresql postgresql-contrib pgbouncer
    gnome-keyring libsecret-tools dbus dbus-x11
    # SSH tunnels: the OpenSSH client the product runs, two sshd for its tests, and what
    # sshd.sh puts the inner one behind the bastion with (a network namespace, socat relays)
    openssh-client openssh-server iproute2 socat
    # the programs that read exported files back in tests (python3 parses the SQLAlchemy
    # snippet, PyYAML the compose file)
    python3 python3-yaml
    # packages: building and checking them
    dpkg-dev rpm desktop-file-utils appstream file
    # a display for the demo and screenshots on machines without one
    xvfb xauth imagemagick fonts-dejavu-core xdotool
    # the accessibility test reads the window through AT-SPI, as a screen reader does
    at-spi2-core python3-pyatspi
    # what tests/bench/run-benchmarks.sh compares with and measures by
    pg-activity time
    # monitor --listen: the Prometheus that scrapes it in tests (curl asks it whether it is
    # ready), and the exporter it is compared with
    prometheus prometheus-postgres-exporter curl
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
echo "install-deps: done"
