#!/usr/bin/env bash
# Benchmarks kmodlint on real kernel drivers (drivers/watchdog, drivers/char, drivers/misc of
# Debian's linux-source-6.1) against clang-19 -fsyntax-only and sparse. See bench/README.md.
#
# usage: bench/run-bench.sh [--kmodlint PATH] [--kdir DIR] [--repeat K] [--limit N] [--refresh]
# exit: 0 every goal met, 1 a goal failed (or kmodlint failed to parse or crashed), 2 setup error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kmodlint="$here/../build/kmodlint"
cache="${KMODLINT_BENCH_CACHE:-$HOME/.cache/kmodlint-bench}"
kdir=""
repeat=1
limit=0
refresh=0
jobs=$(nproc)

die() { echo "run-bench: $*" >&2; exit 2; }
usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --kmodlint) [ $# -ge 2 ] || die "--kmodlint needs a path"; kmodlint=$2; shift 2 ;;
    --kdir) [ $# -ge 2 ] || die "--kdir needs a directory"; kdir=$2; shift 2 ;;
    --repeat) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--repeat needs a positive number"; repeat=$2; shift 2 ;;
    --limit) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--limit needs a positive number"; limit=$2; shift 2 ;;
    --refresh) refresh=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[ -x "$kmodlint" ] || die "no kmodlint at $kmodlint; build it (cmake --build build --target kmodlint) or pass --kmodlint"
kmodlint=$(cd "$(dirname "$kmodlint")" && pwd)/$(basename "$kmodlint")
kdir_args=()
[ -n "$kdir" ] && kdir_args=(--kdir "$(cd "$kdir" && pwd)")

# 1. Debian packages.
"$here/../scripts/ensure-deps.sh" "$here/../scripts/debian-packages-bench.txt" || die "could not install the benchmark's Debian packages"
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball missing (Debian package linux-source-6.1)"

# 2. The drivers, unpacked once. Kbuild files are left out on purpose: with them, kmodlint would
# take each directory's modules from a Kbuild dry run under the headers' .config (and parse every
# module object of the whole tree, named or not); without them every file is linted as a
# single-file module, the same unit of work as one clang-19 -fsyntax-only process.
mkdir -p "$cache" || die "cannot create $cache"
src="$cache/src/linux-source-6.1"
if [ ! -f "$cache/src/.complete" ]; then
  echo "run-bench: unpacking drivers/{watchdog,char,misc} from $tarball into $cache/src" >&2
  rm -rf "$cache/src" "$cache/src.tmp" && mkdir -p "$cache/src.tmp" || die "cannot write $cache"
  tar -xJf "$tarball" -C "$cache/src.tmp" --exclude=Makefile --exclude=Kbuild --exclude=makefile --exclude=GNUmakefile \
      --wildcards 'linux-source-6.1/drivers/watchdog/*' 'linux-source-6.1/drivers/char/*' 'linux-source-6.1/drivers/misc/*' \
    || die "could not unpack $tarball"
  touch "$cache/src.tmp/.complete" && mv "$cache/src.tmp" "$cache/src" || die "cannot write $cache"
fi
cd "$src" || die "cannot enter $src"

# 3. The corpus: the .c files that clang-19 parses with kmodlint's flags for them.
mapfile -t all_files < <(find drivers/watchdog drivers/char drivers/misc -name '*.c' ! -name '*.mod.c' | LC_ALL=C sort)
[ ${#all_files[@]} -gt 0 ] || die "no .c files under $src"
version=$("$kmodlint" --version) || die "$kmodlint --version failed"
ref=${all_files[0]}
template=$(mktemp) && trap 'rm -f "$template"' EXIT
"$kmodlint" "${kdir_args[@]}" --print-compile-command "$ref" >"$template" 2>"$template.err" \
  || { cat "$template.err" >&2; rm -f "$template.err"; die "kmodlint --print-compile-command $ref failed"; }
rm -f "$template.err"
resolved_kdir=$(python3 -c 'import shlex,sys; print(shlex.split(open(sys.argv[1]).read())[1])' "$template")
key=$(printf '%s\n%s\n%s\n' "$version" "$resolved_kdir" "$(cat "$template")" | sha256sum | cut -c1-16)
corpus="$cache/corpus/$key"
if [ "$limit" -gt 0 ] && { [ "$refresh" = 1 ] || [ ! -f "$corpus/.complete" ]; }; then
  corpus="$cache/corpus/$key-limit$limit"   # no full selection to take N from: select only the first N that parse
fi
if [ "$refresh" = 1 ] || [ ! -f "$corpus/.complete" ]; then
  echo "run-bench: selecting the corpus ($version, kernel $resolved_kdir)" >&2
  rm -rf "$corpus" && mkdir -p "$corpus" || die "cannot write $corpus"
  cp "$template" "$corpus/template.txt"
  # The derivation must give exactly what kmodlint prints: check it on two more files, one whose
  # name has a '-' (Kbuild turns it into '_' in module names) and one in another directory.
  for probe in "$(printf '%s\n' "${all_files[@]}" | grep -m1 -- '-[^/]*\.c$')" "${all_files[${#all_files[@]}-1]}"; do
    [ -n "$probe" ] || continue
    "$kmodlint" "${kdir_args[@]}" --print-compile-command "$probe" >"$corpus/probe.txt" 2>/dev/null \
      || die "kmodlint --print-compile-command $probe failed"
    python3 "$here/bench.py" verify --template "$corpus/template.txt" --ref "$ref" --file "$probe" --printed "$corpus/probe.txt" \
      || die "cannot derive kmodlint's per-file commands from one printed command; see above"
  done
  rm -f "$corpus/probe.txt"
  printf '%s\n' "${all_files[@]}" >"$corpus/candidates.txt"
  python3 "$here/bench.py" select --template "$corpus/template.txt" --ref "$ref" --files "$corpus/candidates.txt" \
    --jobs "$jobs" --limit "$limit" --out "$corpus" || die "corpus selection failed"
  printf 'kmodlint: %s\nkdir: %s\n' "$version" "$resolved_kdir" >"$corpus/info.txt"
  touch "$corpus/.complete"
else
  echo "run-bench: corpus from cache $corpus (--refresh recomputes)" >&2
fi
tried=$(wc -l <"$corpus/tried.txt")
parsed=$(wc -l <"$corpus/selected.txt")
excluded=$(wc -l <"$corpus/excluded.tsv")
mapfile -t files < <(if [ "$limit" -gt 0 ]; then head -n "$limit" "$corpus/selected.txt"; else cat "$corpus/selected.txt"; fi)
[ ${#files[@]} -gt 0 ] || die "no file of the corpus parses with clang-19; see $corpus/excluded.tsv"
echo "corpus: ${#all_files[@]} .c files found, $tried tried with clang-19 -fsyntax-only, $parsed parse, $excluded excluded (list: $corpus/excluded.tsv)"
if [ "$excluded" -gt 0 ]; then
  echo "most common first errors of the excluded files:"
  cut -f2 "$corpus/excluded.tsv" | sed -e 's/.*\(fatal \)\{0,1\}error: //' | sort | uniq -c | sort -rn | head -n 5
fi
[ "$limit" -gt 0 ] && echo "--limit $limit: timing the first ${#files[@]} corpus files"

# 4. The measurements, all over the same files.
run="$cache/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run" || die "cannot write $run"
printf '%s\n' "${files[@]}" >"$run/files.txt"
cp "$corpus/template.txt" "$run/template.txt"
python3 "$here/bench.py" scripts --template "$corpus/template.txt" --ref "$ref" --files "$run/files.txt" --run "$run" \
  || die "could not write the timed loops"
: >"$run/crashes.txt"

# A kmodlint run that crashed: find the file that triggers it by halving the file list.
find_crasher() {  # jobs files...
  local j=$1; shift
  local list=("$@")
  while [ ${#list[@]} -gt 1 ]; do
    local half=$(( ${#list[@]} / 2 ))
    local first=("${list[@]:0:half}")
    "$kmodlint" "${kdir_args[@]}" -j"$j" -q --format json "${first[@]}" >/dev/null 2>"$run/bisect.err"
    local rc=$?
    if [ $rc -ge 128 ] || grep -q 'internal error' "$run/bisect.err"; then list=("${first[@]}"); else list=("${list[@]:half}"); fi
  done
  echo "${list[0]}"
}

run_kmodlint() {  # name jobs attempt
  local name=$1 j=$2 i=$3
  echo "  kmodlint -j$j (${#files[@]} files) ..." >&2
  /usr/bin/time -f '%e %M %U %S' -o "$run/$name.$i.time" \
    "$kmodlint" "${kdir_args[@]}" -j"$j" -q --format json -o "$run/$name.json" "${files[@]}" 2>"$run/$name.err"
  local rc=$?
  if [ $rc -ge 128 ] || grep -q 'internal error' "$run/$name.err" || grep -q 'Command terminated by signal' "$run/$name.$i.time"; then
    echo "  kmodlint -j$j crashed (exit $rc); bisecting for the file ..." >&2
    local culprit; culprit=$(find_crasher "$j" "${files[@]}")
    echo "kmodlint -j$j exit $rc ($(grep -m1 -e 'internal error' -e 'terminated' "$run/$name.err" "$run/$name.$i.time" | head -c 300)); triggered by $culprit" >>"$run/crashes.txt"
  elif [ $rc -eq 2 ] && ! grep -q ': could not be parsed;' "$run/$name.err"; then
    cat "$run/$name.err" >&2
    die "kmodlint -j$j failed (exit 2) without a parse error; see above"
  fi
}

run_loop() {  # name attempt
  local name=$1 i=$2
  echo "  $name, one process per file (${#files[@]} files) ..." >&2
  /usr/bin/time -f '%e %M %U %S' -o "$run/$name.$i.time" bash "$run/$name.sh"
}

# Warm the page cache (headers) so that the first measurement is not the only cold one.
(cd "$resolved_kdir" && bash -c "$(sed -n 4p "$run/clang.sh")") >/dev/null 2>&1
for i in $(seq 1 "$repeat"); do
  echo "run-bench: measurement $i of $repeat" >&2
  run_kmodlint kml1 1 "$i"
  run_kmodlint kmlN "$jobs" "$i"
  run_loop clang "$i"
  run_loop sparse "$i"
done

# 5. The report.
echo
echo "kmodlint: $kmodlint ($version), kernel: $resolved_kdir, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
python3 "$here/bench.py" report --run "$run" --files "$run/files.txt" --jobs "$jobs" --repeat "$repeat"
status=$?
echo "logs and reports: $run"
exit $status
