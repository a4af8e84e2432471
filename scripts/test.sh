#!/usr/bin/env bash
# Quick start, second command (and what CI runs): installs what is missing, builds, and runs the
# whole test suite under ctest: unit tests, fixtures (lint and Kbuild build), CLI tests, and the
# QEMU load tests of the reference modules.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lists=("$root/scripts/debian-packages.txt")
[ -f "$root/scripts/debian-packages-vm.txt" ] && lists+=("$root/scripts/debian-packages-vm.txt")
"$root/scripts/build.sh" "${lists[@]:1}"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" "$@"
