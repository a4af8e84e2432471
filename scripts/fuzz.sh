#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz/ (clang-19, ASan + UBSan) and runs each
# one in turn for a bounded number of runs, then prints one line per target: target, runs,
# crashes, seconds. Exit status 1 when a target crashed (the input is in build-fuzz/crashes/TARGET/)
# or did not build (the others still run).
#
#   scripts/fuzz.sh                       every target, 10^6 runs each (at most 3600 s each)
#   scripts/fuzz.sh --runs 20000 config   one target, 20,000 runs
#   FUZZ_RUNS=N FUZZ_TIME=S FUZZ_BUILD_JOBS=J scripts/fuzz.sh    the same through the environment
#
# A target stops at its first crash (libFuzzer's rule): fix it, or move the artifact away, and run
# again. Inputs that found new coverage accumulate in build-fuzz/corpus/TARGET/ (the seeds of
# tests/fuzz/corpus/TARGET/ are only read). Logs: build-fuzz/logs/TARGET.log. docs/fuzzing.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
all_targets=(tables config baseline compile_db kbuild_file dry_run shell_words symvers)
runs=${FUZZ_RUNS:-1000000}
max_time=${FUZZ_TIME:-3600}
jobs=${FUZZ_BUILD_JOBS:-$(nproc)}
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --time) max_time=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target $target (${all_targets[*]})" >&2; exit 2; }
done

"$root/scripts/ensure-deps.sh" "$root/scripts/debian-packages.txt" "$root/scripts/debian-packages-fuzz.txt"
if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKMODLINT_FUZZ=ON -DKMODLINT_TESTS=OFF "${launcher[@]}" >/dev/null
fi
# Each target on its own, so that one that does not build does not keep the others from running.
unbuilt=()
for target in "${targets[@]}"; do
  if ! cmake --build "$build" --target "fuzz_$target" -j "$jobs" >"$build/build-fuzz_$target.log" 2>&1; then
    echo "fuzz.sh: fuzz_$target does not build (build-fuzz/build-fuzz_$target.log):" >&2
    grep -m 5 -E 'error|undefined reference' "$build/build-fuzz_$target.log" | sed 's/^/    /' >&2 || true
    unbuilt+=("$target")
  fi
done

# The input files of the targets go to one private directory per run, removed at the end (a crash
# leaves the target's own directory behind).
scratch_base=/dev/shm
[ -d "$scratch_base" ] || scratch_base=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$scratch_base/kmodlint-fuzz-run-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

mkdir -p "$build/logs"
failed=0
printf '%-12s %10s %8s %9s\n' target runs crashes seconds
for target in "${targets[@]}"; do
  if [[ " ${unbuilt[*]} " == *" $target "* ]]; then
    printf '%-12s %10s %8s %9s\n' "$target" - 'not built' -
    failed=1
    continue
  fi
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  log="$build/logs/$target.log"
  mkdir -p "$corpus" "$crashes"
  dict=()
  case "$target" in
    tables|config|baseline|compile_db|symvers) dict=("-dict=$root/tests/fuzz/dict/$target.dict") ;;
    kbuild_file) dict=("-dict=$root/tests/fuzz/dict/kbuild.dict") ;;
    dry_run|shell_words) dict=("-dict=$root/tests/fuzz/dict/shell.dict") ;;
  esac
  before=$(find "$crashes" -type f | wc -l)
  start=$(date +%s.%N)
  status=0
  KMODLINT_FUZZ_TMPDIR="$scratch" "$build/fuzz/fuzz_$target" -runs="$runs" -max_total_time="$max_time" \
    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" -artifact_prefix="$crashes/" \
    "$corpus" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  end=$(date +%s.%N)
  after=$(find "$crashes" -type f | wc -l)
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  found=$((after - before))
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi  # died without an artifact
  [ "$found" -eq 0 ] || failed=1
  printf '%-12s %10s %8s %9.0f\n' "$target" "${executed:-?}" "$found" "$(awk "BEGIN { print $end - $start }")"
  if [ "$found" -ne 0 ]; then
    grep -m 3 -E '^kmodlint fuzz:|^==[0-9]+==ERROR|runtime error:' "$log" | sed 's/^/    /' || true
    echo "    log: $log; inputs: $crashes/" 
  fi
done
exit "$failed"
