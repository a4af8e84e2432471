#!/usr/bin/env bash
# materialize-fixture.sh CASE_DIR OUT_DIR
# Lays out one fixture case as a plain module directory in OUT_DIR (created, must not exist).
# A case is either a module directory of its own, or a seeded-bug variant: a file `variant`
# whose first line names a base module directory (relative to the repository root) and a
# `seed.patch` (patch -p1, relative to that base) next to it.
set -euo pipefail
case_dir=$1 out_dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$case_dir" ] || { echo "materialize-fixture: $case_dir: no such fixture case" >&2; exit 2; }
[ ! -e "$out_dir" ] || { echo "materialize-fixture: $out_dir already exists" >&2; exit 2; }
if [ -f "$case_dir/variant" ]; then
  base=$(head -n1 "$case_dir/variant")
  [ -d "$root/$base" ] || { echo "materialize-fixture: $case_dir/variant: base $base does not exist" >&2; exit 2; }
  cp -r "$root/$base" "$out_dir"
  patch -s -p1 -d "$out_dir" < "$case_dir/seed.patch"
else
  cp -r "$case_dir" "$out_dir"
fi
