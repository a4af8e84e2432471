#!/usr/bin/env bash
# Crash sweep: lints every .c file that Debian's kernel config builds into a module (x86_64) under
# drivers/, sound/ and net/ of Debian's linux-source-6.1, and counts what kmodlint parsed, what it
# could not parse (re-checked with clang-19), and every crash. See bench/README.md, "Crash sweep".
#
# usage: bench/crash-sweep.sh [--limit N] [--jobs N] [--kmodlint PATH] [--dirs "drivers sound net"]
#                             [--kdir DIR] [--batch-files N] [--timeout S]
# exit: 0 no crash and no file that only kmodlint fails to parse, 1 otherwise, 2 setup error.
#
# How the files are selected. The kernel headers (newest /lib/modules/*/build, or --kdir) carry
# Debian's config (include/config/auto.conf). The directories are unpacked from the tarball WITH
# their Makefiles/Kbuild files, and Kbuild itself is asked, once per top directory, what it builds:
#     make -k -B -n -C $KDIR M=<top>/. <top>/.
# In an M= build Kbuild builds modules only (KBUILD_BUILTIN is empty) and descends exactly into the
# subdirectories the in-tree Makefiles name under Debian's config (obj-y/obj-m += sub/), with
# their subdir-ccflags; every module it would link has one line
#     printf '%s\n' a.o b.o | awk ... > DIR/foo.mod
# in the dry run. The selection is the .c file of every object of those lines (objects built from
# .S or generated sources are not linted), i.e. exactly what `make modules` under Debian's config
# compiles for these directories. Going from the top directory matters: running a leaf directory
# on its own would also pick up objects whose parent directory Debian never enters. Two details:
#  - M= is given relative to the headers directory ("../../../root/.cache/..."): in-tree Makefiles
#    write $(srctree)/$(src) (e.g. amdgpu's "include $(FULL_AMD_PATH)/display/Makefile"), and with
#    an absolute M= that names /usr/src/linux-headers-*-common//root/...; with the relative path
#    it names the unpacked tree again, because the headers' build and source directories are
#    siblings (checked below; otherwise the absolute path is used).
#  - -k: one object whose generated source the headers cannot make (net/ipv4/netfilter's
#    nf_nat_snmp_basic.asn1.c needs scripts/asn1_compiler) must not hide the rest of the tree.
# The selection needs no kmodlint and is cached under the kernel directory and its auto.conf.
#
# How kmodlint runs. Whole modules, grouped in batches of about --batch-files files (modules
# in directory order, never mixing two top directories), one kmodlint process per batch:
#     kmodlint --config BATCH.yaml -jN --format json -o report.json --exit-zero FILE...
# kmodlint lints a named file with its whole module, from its own Kbuild dry run of the nearest
# directory whose Kbuild file names objects; that dry run also covers every subdirectory, so the
# batch's configuration file excludes (exclude: globs, relative to the unpacked tree) every other
# selected file below those directories, and kmodlint analyses only the batch's modules. -q is
# not passed, so that kmodlint's note about a named file its dry run did not build is seen.
# Each process is capped at max(--timeout, 10 s x files). A batch that crashes (killed by a
# signal, timed out, "internal error") or that kmodlint refuses (exit 2 and no report: e.g. its
# Kbuild dry run failed) is re-run one module at a time, so that only the guilty module is lost.
# Files kmodlint reports as not parsed, or could not lint, are re-checked with
# `clang-19 -fsyntax-only` through the exact command `kmodlint --print-compile-command FILE` prints.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kmodlint="$here/../build/kmodlint"
cache="${KMODLINT_SWEEP_CACHE:-$HOME/.cache/kmodlint-sweep}"
dirs="drivers sound net"
jobs=2
limit=0
kdir=""
batch_files=40
timeout_s=600
started=$(date +%s)

die() { echo "crash-sweep: $*" >&2; exit 2; }
usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --kmodlint) [ $# -ge 2 ] || die "--kmodlint needs a path"; kmodlint=$2; shift 2 ;;
    --kdir) [ $# -ge 2 ] || die "--kdir needs a directory"; kdir=$2; shift 2 ;;
    --dirs) [ $# -ge 2 ] || die "--dirs needs a list"; dirs=$2; shift 2 ;;
    --jobs|-j) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"; jobs=$2; shift 2 ;;
    --limit) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--limit needs a positive number"; limit=$2; shift 2 ;;
    --batch-files) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--batch-files needs a positive number"; batch_files=$2; shift 2 ;;
    --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a number of seconds"; timeout_s=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
read -r -a tops <<<"$dirs"
[ ${#tops[@]} -gt 0 ] || die "--dirs is empty"
for top in "${tops[@]}"; do
  case "$top" in drivers|sound|net|drivers/*|sound/*|net/*) ;; *) die "--dirs: $top is not under drivers, sound or net" ;; esac
done

# 1. Debian packages, kmodlint, the kernel directory.
"$here/../scripts/ensure-deps.sh" "$here/../scripts/debian-packages-bench.txt" || die "could not install the Debian packages (scripts/debian-packages-bench.txt)"
[ -x "$kmodlint" ] || die "no kmodlint at $kmodlint; build it (scripts/build.sh) or pass --kmodlint"
kmodlint=$(cd "$(dirname "$kmodlint")" && pwd)/$(basename "$kmodlint")
version=$("$kmodlint" --version) || die "$kmodlint --version failed"
kdir_args=()
if [ -n "$kdir" ]; then
  kdir=$(cd "$kdir" 2>/dev/null && pwd) || die "--kdir: no such directory"
  kdir_args=(--kdir "$kdir")
else
  kdir=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
  [ -n "$kdir" ] || die "no /lib/modules/*/build; install the kernel headers (apt-get install linux-headers-amd64)"
fi
kreal=$(readlink -f "$kdir")
[ -f "$kreal/include/config/auto.conf" ] || die "$kdir has no include/config/auto.conf (not a configured kernel build directory)"
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball missing (Debian package linux-source-6.1)"

# 2. drivers/, sound/ and net/ with their Makefiles, unpacked once.
mkdir -p "$cache" || die "cannot create $cache"
src="$cache/src/linux-source-6.1"
if [ ! -f "$cache/src/.complete" ]; then
  echo "crash-sweep: unpacking drivers/, sound/ and net/ from $tarball into $cache/src" >&2
  rm -rf "$cache/src" "$cache/src.tmp" && mkdir -p "$cache/src.tmp" || die "cannot write $cache"
  tar -xJf "$tarball" -C "$cache/src.tmp" --wildcards 'linux-source-6.1/drivers/*' 'linux-source-6.1/sound/*' 'linux-source-6.1/net/*' \
    || die "could not unpack $tarball"
  touch "$cache/src.tmp/.complete" && mv "$cache/src.tmp" "$cache/src" || die "cannot write $cache"
fi
for top in "${tops[@]}"; do [ -d "$src/$top" ] || die "no directory $top in $src"; done

# 3. The selection: what Kbuild builds as modules under Debian's config (see the header).
srctree=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kreal/Makefile" | head -n 1)
[ -n "$srctree" ] || srctree=$kreal
key=$(printf 'selection-v1\n%s\n%s\n%s\n' "$kreal" "${tops[*]}" "$(stat -c '%s %Y' "$tarball")" \
      | cat - "$kreal/include/config/auto.conf" | sha256sum | cut -c1-16)
sel="$cache/selection/$key"
if [ ! -f "$sel/.complete" ]; then
  echo "crash-sweep: selecting the module sources (Kbuild dry runs under $kdir's config)" >&2
  rm -rf "$sel" && mkdir -p "$sel" || die "cannot write $sel"
  dry_outputs=()
  for top in "${tops[@]}"; do
    abs="$src/$top"
    rel=$(realpath -m --relative-to="$kreal" "$abs")
    # The relative path must name the tree both from the build directory and from $(srctree).
    if [ "$(realpath -m "$kreal/$rel")" != "$abs" ] || [ "$(realpath -m "$srctree/$rel")" != "$abs" ]; then
      echo "crash-sweep: note: $kreal and $srctree are not siblings; M= is absolute, and Makefiles using \$(srctree)/\$(src) will fail" >&2
      rel=$abs
    fi
    name=${top//\//_}
    (cd "$kreal" && unset MAKEFLAGS MFLAGS MAKELEVEL && make -k -B -n -C "$kreal" M="$rel/." "$rel/." >"$sel/$name.out" 2>"$sel/$name.err")
    rc=$?
    [ $rc -eq 0 ] || echo "crash-sweep: note: Kbuild's dry run of $top exited $rc (-k went on); errors: $sel/make-errors.txt" >&2
    dry_outputs+=("$sel/$name.out")
  done
  python3 "$here/crash_sweep.py" select --src "$src" --kdir "$kreal" --out "$sel" --tops "${tops[@]}" -- "${dry_outputs[@]}" \
    || die "selection failed"
  gzip -f "${dry_outputs[@]}"
  touch "$sel/.complete"
fi
selected=$(wc -l <"$sel/files.txt")
echo "crash-sweep: $selected .c files selected ($(sed -n 's/^modules //p' "$sel/counts.txt") modules; $(sed -n 's/^all_c //p' "$sel/counts.txt") .c files in ${tops[*]}); selection: $sel" >&2

# 4. The runs.
run="$cache/runs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$run" || die "cannot write $run"
nbatches=$(python3 "$here/crash_sweep.py" plan --src "$src" --selection "$sel" --run "$run" --limit "$limit" --batch-files "$batch_files") \
  || die "planning the batches failed"
printf 'kmodlint: %s (%s)\nkdir: %s\njobs: %s\nlimit: %s\ndirs: %s\n' "$kmodlint" "$version" "$kreal" "$jobs" "$limit" "${tops[*]}" >"$run/info.txt"
echo "crash-sweep: $version, kernel $kreal, $(wc -l <"$run/counted.txt") files in $nbatches batches, -j$jobs; results: $run" >&2
config="$src/.kmodlint-sweep-$$.yaml"   # exclude globs are relative to the configuration file's directory
trap 'rm -f "$config"' EXIT
: >"$run/units.tsv"

run_unit() {  # unit-dir -> sets status, rc
  local unit=$1 files n cap
  mapfile -t files <"$unit/files.txt"
  n=${#files[@]}
  cap=$(( n * 10 > timeout_s ? n * 10 : timeout_s ))
  cp "$unit/config.yaml" "$config" || die "cannot write $config"
  rm -f "$unit/report.json"
  (cd "$src" && /usr/bin/time -f '%M %e %U %S' -o "$unit/time.txt" timeout -k 10 "$cap" \
     "$kmodlint" "${kdir_args[@]}" --config "$config" -j"$jobs" --format json -o "$unit/report.json" --exit-zero "${files[@]}" \
     >"$unit/stdout.txt" 2>"$unit/stderr.txt")
  rc=$?
  if [ $rc -eq 124 ] || [ $rc -ge 128 ] || grep -q 'internal error' "$unit/stderr.txt" || grep -q 'terminated by signal' "$unit/time.txt"; then
    status=crash
  elif [ $rc -eq 2 ] && [ ! -s "$unit/report.json" ]; then
    status=refused
  elif [ $rc -le 2 ]; then
    status=ok
  else
    status=crash   # 125-127: timeout or kmodlint could not run
  fi
}

for ((b = 1; b <= nbatches; b++)); do
  unit="$run/batches/$(printf %04d "$b")"
  echo "crash-sweep: batch $b/$nbatches: $(wc -l <"$unit/files.txt") files, $(cut -f1 "$unit/modules.tsv" | sort -u | head -n 3 | tr '\n' ' ')..." >&2
  run_unit "$unit"
  if [ "$status" != ok ] && [ "$(wc -l <"$unit/modules.tsv")" -gt 1 ]; then
    echo "crash-sweep:   batch $b: $status (exit $rc); linting its modules one by one" >&2
    printf '%s\tsplit\t%s\n' "$unit" "$rc" >>"$run/units.tsv"
    nmod=$(python3 "$here/crash_sweep.py" split --src "$src" --selection "$sel" --run "$run" --batch "$unit") || die "split failed"
    for ((m = 1; m <= nmod; m++)); do
      munit="$unit/modules/$(printf %03d "$m")"
      run_unit "$munit"
      [ "$status" = ok ] || echo "crash-sweep:   $(cut -f1,2 --output-delimiter=/ "$munit/modules.tsv"): $status (exit $rc)" >&2
      printf '%s\t%s\t%s\n' "$munit" "$status" "$rc" >>"$run/units.tsv"
    done
  else
    [ "$status" = ok ] || echo "crash-sweep:   batch $b: $status (exit $rc)" >&2
    printf '%s\t%s\t%s\n' "$unit" "$status" "$rc" >>"$run/units.tsv"
  fi
done
rm -f "$config"

# 5. What each file came to; the files not parsed, with clang-19; the summary.
python3 "$here/crash_sweep.py" collect --src "$src" --run "$run" || die "collecting the results failed"
python3 "$here/crash_sweep.py" recheck --src "$src" --run "$run" --kmodlint "$kmodlint" --jobs "$jobs" ${kdir_args[@]+--kdir "${kdir_args[1]}"} \
  || die "the clang-19 re-check failed"
echo
python3 "$here/crash_sweep.py" report --run "$run" --seconds $(( $(date +%s) - started ))
status=$?
echo "crash-sweep: results: $run (files.tsv: every file and its state; not-parsed.tsv: file, verdict, kmodlint's first error, clang-19's; crashes.tsv)"
exit $status
