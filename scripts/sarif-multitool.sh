#!/usr/bin/env bash
# Installs Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool, a self-contained .NET
# program for linux-x64) into PREFIX (default build/npm) once, and prints the path of its
# executable. Later runs use the installed copy and need no network.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-$root/build/npm}
version=5.7.0
tool="$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -f "$tool" ]; then
  if ! command -v npm >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "npm is missing: apt-get install npm" >&2; exit 2; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null
  fi
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$version" >&2
fi
[ -x "$tool" ] || chmod u+x "$tool"
echo "$tool"
