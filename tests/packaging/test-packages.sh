#!/usr/bin/env bash
# Builds the Linux packages from a finished build tree and checks them the way an installer
# would meet them: contents, control data, desktop and AppStream validation, the unpacked
# program running (--version, and check against the test cluster), and, as root, a real
# install with apt and a removal that leaves nothing behind.
#
#   test-packages.sh BUILD_DIR CPACK VERSION
set -uo pipefail
build=${1:?build dir}
cpack=${2:?cpack}
version=${3:?version}
work=$(mktemp -d /tmp/orderflow-packages.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@" >"$work/last.log" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/    /' "$work/last.log"; fi; }

generators="DEB;TGZ"
command -v rpmbuild >/dev/null && generators="$generators;RPM"
if ! "$cpack" -G "$generators" -B "$work/out" --config "$build/CPackConfig.cmake" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "0 passed, 1 failed"
    exit 1
fi
deb=$(ls "$work"/out/*.deb 2>/dev/null)
tgz=$(ls "$work"/out/*.tar.gz 2>/dev/null)
if [ -z "$deb" ] || [ -z "$tgz" ]; then
    echo "FAIL: cpack made no .deb or .tar.gz"; cat "$work/cpack.log"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "packages: $(cd "$work/out" && ls -l --block-size=K *.deb *.tar.gz *.rpm 2>/dev/null | awk '{print $9 " " $5}' | paste -sd ' ')"

# Contents and control data.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$work/contents"
for path in /usr/bin/orderflow-dbadmin \
    /usr/share/applications/org.orderflow.DbAdmin.desktop \
    /usr/share/metainfo/org.orderflow.DbAdmin.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/org.orderflow.DbAdmin.svg \
    /usr/share/icons/hicolor/48x48/apps/org.orderflow.DbAdmin.png \
    /usr/share/icons/hicolor/256x256/apps/org.orderflow.DbAdmin.png \
    /usr/share/man/man1/orderflow-dbadmin.1.gz \
    /usr/lib/systemd/system/orderflow-dbadmin-metrics@.service \
    /usr/share/orderflow-dbadmin/grafana/orderflow-dbadmin-dashboard.json; do
    check "deb contains $path" grep -qx "$path" "$work/contents"
done
check "control: package name" test "$(dpkg-deb -f "$deb" Package)" = orderflow-dbadmin
check "control: version $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in libpq5 libqt6keychain1 libqt6widgets6 qt6-qpa-plugins libqt6sql6-sqlite libssl3; do
    check "control: depends on $dependency" grep -q "$dependency" <<<"$depends"
done
check "control: section database" test "$(dpkg-deb -f "$deb" Section)" = database

# Unpacked into a scratch root: the files are valid and the program runs from there.
root="$work/root"
dpkg-deb -x "$deb" "$root"
if command -v desktop-file-validate >/dev/null; then
    check "desktop file validates" desktop-file-validate "$root/usr/share/applications/org.orderflow.DbAdmin.desktop"
fi
if command -v appstreamcli >/dev/null; then
    check "metainfo validates" appstreamcli validate --no-net "$root/usr/share/metainfo/org.orderflow.DbAdmin.metainfo.xml"
fi
check "man page is roff with a title" sh -c "zcat '$root/usr/share/man/man1/orderflow-dbadmin.1.gz' | grep -q '^.TH ORDERFLOW-DBADMIN 1'"
check "man page has each subcommand's options, in English" sh -c "zcat '$root/usr/share/man/man1/orderflow-dbadmin.1.gz' | grep -q '^.SS profiles rotate-password' && zcat '$root/usr/share/man/man1/orderflow-dbadmin.1.gz' | grep -q -e '--update-shared  *Give the new password'"
# The subcommands the help once left out, and so the page built from it.
for subcommand in monitor import export; do
    check "man page has the $subcommand subcommand" sh -c "zcat '$root/usr/share/man/man1/orderflow-dbadmin.1.gz' | grep -q '^.SS $subcommand\$'"
done
check "icon PNG is 256x256" sh -c "file '$root/usr/share/icons/hicolor/256x256/apps/org.orderflow.DbAdmin.png' | grep -q '256 x 256'"
check "unpacked --version" sh -c "'$root/usr/bin/orderflow-dbadmin' --version | grep -q '^orderflow-dbadmin $version '"
if [ -n "${ORDERFLOW_TEST_PGPORT:-}" ]; then
    check "unpacked check against the test cluster" sh -c "ORDERFLOW_DBADMIN_CONFIG_DIR='$work/config' '$root/usr/bin/orderflow-dbadmin' check --json --url 'postgresql://orderflow:dev_password@127.0.0.1:$ORDERFLOW_TEST_PGPORT/orderflow' | grep -q '\"category\":\"ok\"'"
fi
check "tar.gz holds the program" sh -c "tar -tzf '$tgz' | grep -q 'usr/bin/orderflow-dbadmin$'"
if ls "$work"/out/*.rpm >/dev/null 2>&1; then
    rpmfile=$(ls "$work"/out/*.rpm)
    check "rpm holds the program and desktop file" sh -c "rpm -qlp '$rpmfile' 2>/dev/null | grep -q /usr/bin/orderflow-dbadmin && rpm -qlp '$rpmfile' 2>/dev/null | grep -q org.orderflow.DbAdmin.desktop"
fi

# A real install and removal, as root only (it changes the machine).
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    if dpkg -s orderflow-dbadmin >/dev/null 2>&1; then
        bad "orderflow-dbadmin is already installed here; not touching it"
    else
        check "apt installs the .deb" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb"
        check "installed --version" sh -c "/usr/bin/orderflow-dbadmin --version | grep -q '^orderflow-dbadmin $version '"
        dpkg -L orderflow-dbadmin > "$work/installed" 2>/dev/null
        check "apt removes it" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq orderflow-dbadmin
        leftovers=0
        while read -r path; do
            [ -f "$path" ] && { echo "    left behind: $path"; leftovers=1; }
        done < "$work/installed"
        check "nothing left behind" test "$leftovers" -eq 0
        check "dpkg forgot the package" sh -c "! dpkg -s orderflow-dbadmin >/dev/null 2>&1"
    fi
else
    echo "SKIP: apt install and removal (needs root)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
