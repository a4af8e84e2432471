#!/usr/bin/env bash
# --symvers FILE is KBUILD_EXTRA_SYMBOLS: a module linted alone resolves another module's exports
# from that Module.symvers (with their GPL-only flag and namespace), as modpost does.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cp -r "$root/fixtures/extern-of-static/exported-accessor" "$work/case"
cd "$work/case/proc_b"

symbols() {
  python3 -c 'import json, sys; print(" ".join(sorted(f["check"] + ":" + f["message"].split("\x27")[1] for f in json.load(sys.stdin)["findings"])))'
}

got=$("$kmodlint" --format json -q . 2>/dev/null | symbols)
if [ "$got" = "undefined-symbol:proc_a_add undefined-symbol:proc_a_get" ]; then pass "alone: proc_a's exports are undefined"
else fail "alone: proc_a's exports are undefined" "$got"; fi

printf '0x00000000\tproc_a_get\t%s/proc_a/proc_a\tEXPORT_SYMBOL_GPL\t\n0x00000000\tproc_a_add\t%s/proc_a/proc_a\tEXPORT_SYMBOL_GPL\t\n' \
  "$work/case" "$work/case" > "$work/proc_a.symvers"
"$kmodlint" --format json -q --symvers "$work/proc_a.symvers" . >"$work/out" 2>/dev/null; status=$?
got=$(symbols <"$work/out")
if [ $status -eq 0 ] && [ -z "$got" ]; then pass "--symvers: clean"; else fail "--symvers: clean" "exit $status" "$got"; fi

sed -i 's/MODULE_LICENSE("GPL")/MODULE_LICENSE("Proprietary")/' proc_b.c
got=$("$kmodlint" --format json -q --symvers "$work/proc_a.symvers" . 2>/dev/null | symbols)
if [ "$got" = "gpl-only-symbol:proc_a_add gpl-only-symbol:proc_a_get" ]; then pass "--symvers: GPL-only flag"
else fail "--symvers: GPL-only flag" "$got"; fi

sed -i 's/MODULE_LICENSE("Proprietary")/MODULE_LICENSE("GPL")/' proc_b.c
sed -i 's/EXPORT_SYMBOL_GPL\t$/EXPORT_SYMBOL_GPL\tPROC_A/' "$work/proc_a.symvers"
got=$("$kmodlint" --format json -q --symvers "$work/proc_a.symvers" . 2>/dev/null | symbols)
if [ "$got" = "namespace-not-imported:proc_a_add namespace-not-imported:proc_a_get" ]; then pass "--symvers: namespace"
else fail "--symvers: namespace" "$got"; fi
finish
