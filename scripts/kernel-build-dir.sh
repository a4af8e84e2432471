#!/usr/bin/env bash
# Prints the kernel build directory kmodlint and the tests use: $KDIR if set, else
# /lib/modules/$(uname -r)/build, else the newest /lib/modules/*/build.
set -euo pipefail
if [ -n "${KDIR:-}" ]; then echo "$KDIR"; exit 0; fi
own=/lib/modules/$(uname -r)/build
if [ -f "$own/Makefile" ]; then echo "$own"; exit 0; fi
newest=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1)
[ -n "$newest" ] || { echo "no kernel headers in /lib/modules/*/build; apt-get install linux-headers-amd64" >&2; exit 2; }
echo "$newest"
