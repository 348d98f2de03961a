#!/usr/bin/env bash
# Builds the Linux packages on Debian/Ubuntu into dist/: a .deb (dependencies computed from
# the binaries), a .tar.gz, and an .rpm when rpmbuild is installed.
#
#   packaging/build-packages.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build-release"

"$root/tests/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -- -j"$(nproc)"

generators="DEB;TGZ"
command -v rpmbuild >/dev/null && generators="$generators;RPM"
rm -rf "$root/dist"
cpack -G "$generators" -B "$root/dist" --config "$build/CPackConfig.cmake"
rm -rf "$root/dist/_CPack_Packages"
echo "packages in $root/dist:"
ls -l "$root/dist"
