#!/usr/bin/env bash
# Installs the Debian packages kmodlint needs (only those missing), then configures and builds
# kmodlint incrementally in build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/ensure-deps.sh" "$root/scripts/debian-packages.txt" "$@"
if [ ! -f "$root/build/CMakeCache.txt" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
cmake --build "$root/build" -j "$(nproc)" 2>&1 | grep -v '^\[' || true
test -x "$root/build/kmodlint"
