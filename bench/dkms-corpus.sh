#!/usr/bin/env bash
# DKMS corpus: builds every Debian *-dkms source package with Kbuild the way dkms would, lints it
# the way a user would (cd /usr/src/NAME-VERSION && kmodlint .), and prints one markdown table.
#
# usage: bench/dkms-corpus.sh [--kmodlint PATH] [--only PKG[,PKG...]] [--no-build] [--table FILE]
#                             [--cache DIR] [--timeout S]
# exit: 0 done, 1 kmodlint crashed or timed out on a package, 2 setup error.
#
# Packages: `apt-cache search -- -dkms`, names ending in -dkms, sorted (LC_ALL=C). Each is fetched
# with `apt-get download` into CACHE/debs and unpacked with `dpkg -x` into CACHE/src/<deb name>/
# (both skipped when already there). Its DKMS sources are usr/src/NAME-VERSION/dkms.conf;
# packages without one (dh-dkms) are listed under the table, not in it.
#
# Build, as Debian 12's dkms 3.0.10 does it (`dkms build`), for the newest installed kernel
# headers (those of `uname -r` when installed, else the newest /lib/modules/*/build; kmodlint's
# own default): dkms.conf is sourced by bash in a subshell with the variables dkms has at that
# point (kernelver, arch=x86_64, kernel_source_dir=/lib/modules/$kernelver/build, kernel_config,
# dkms_tree, source_tree, install_tree, module, module_version), and only dkms's own variables
# come back, re-read inside double quotes as dkms's safe_source does (so quotes in MAKE[0] are
# evaluated twice, as in dkms). Then, in CACHE/work: the tree is copied to
# $dkms_tree/$module/$module_version/build, PATCH[] applied (patch -p1), CC exported from
# CONFIG_CC_VERSION_TEXT, PRE_BUILD run (its status ignored, as dkms does), CC taken from the
# headers' .kernelvariables, CLEAN run, then MAKE[0] (or the MAKE[i] whose MAKE_MATCH[i] matches,
# default `make -C $kernel_source_dir M=<build dir>`) with its leading `make` replaced by
# `make -j1 KERNELRELEASE=$kernelver` (dkms uses -j<cores>; this script never builds in parallel),
# under --timeout (default 900 s). The build succeeds when that command exits 0 and every
# BUILT_MODULE_LOCATION[i]BUILT_MODULE_NAME[i].ko exists (dkms's two checks).
# BUILD_EXCLUSIVE_KERNEL/ARCH/CONFIG that exclude the kernel make it "no: excluded", unbuilt.
#
# Lint: the pristine tree is copied to CACHE/work/usr/src/NAME-VERSION, and there
#     kmodlint -j1 --format json -o OUT.json .
# runs under /usr/bin/time and --timeout. The table takes its exit status, the summary line's
# module count, the "could not be parsed" lines with the first error of each, the findings per
# check, wall seconds and peak RSS. Logs of every step: CACHE/runs/<date>-<pid>/rows/<package>/.
# CACHE: --cache, else $KMODLINT_DKMS_CACHE, else ~/.cache/kmodlint-dkms. Installed when missing
# (root only then): linux-headers-amd64 build-essential patch time python3; not dkms, and not the
# packages' own Depends (e.g. another *-dkms package, -dev libraries): those missing are noted.
set -uo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
here=$(dirname "$self")

# ---------------------------------------------------------------------------------------------
# Internal mode, run under timeout by the main part below:
#     dkms-corpus.sh __dkms conf|build SRC DKMS_TREE SOURCE_TREE KERNELVER KERNEL_SOURCE_DIR OUT
# conf: evaluates SRC/dkms.conf and writes OUT/conf.tsv; build: also builds (OUT/make.rc).

# The variables dkms 3.0.10 keeps from a dkms.conf (dkms_conf_variables in /usr/sbin/dkms).
dkms_conf_variables="CLEAN PACKAGE_NAME PACKAGE_VERSION POST_ADD POST_BUILD POST_INSTALL POST_REMOVE
  PRE_BUILD PRE_INSTALL BUILD_DEPENDS BUILD_EXCLUSIVE_KERNEL BUILD_EXCLUSIVE_ARCH BUILD_EXCLUSIVE_CONFIG
  build_exclude OBSOLETE_BY MAKE MAKE_MATCH PATCH PATCH_MATCH patch_array BUILT_MODULE_NAME
  built_module_name BUILT_MODULE_LOCATION built_module_location DEST_MODULE_NAME dest_module_name
  DEST_MODULE_LOCATION dest_module_location STRIP strip AUTOINSTALL NO_WEAK_MODULES SIGN_FILE
  MOK_SIGNING_KEY MOK_CERTIFICATE REMAKE_INITRD MODULES_CONF MODULES_CONF_OBSOLETES
  MODULES_CONF_ALIAS_TYPE MODULES_CONF_OBSOLETE_ONLY"

# Sources FILE in a subshell and brings back only dkms's variables, the way dkms's safe_source
# does: each element is printed by an unquoted `echo NAME[i]=\"value\"` (blanks collapse, globs
# expand against the working directory) and that text is sourced again, so a value is expanded a
# second time inside double quotes (MAKE[0]="... V=\"${PACKAGE_VERSION}\"" loses its inner
# quotes, as with dkms). The caller's variables (kernelver, ...) are visible to the file.
conf_source() {  # FILE
  local tmp
  tmp=$(mktemp) || return 2
  (
    exec >"$tmp"
    # shellcheck disable=SC1090
    . "$1" >/dev/null
    for _v in $dkms_conf_variables; do
      for _i in $(eval echo "\${!${_v}[@]}"); do
        # shellcheck disable=SC2016  # expanded by eval, on purpose
        eval echo '$_v[$_i]=\"${'"$_v"'[$_i]}\"'
      done
    done
  )
  # shellcheck disable=SC1090
  . "$tmp"
  rm -f "$tmp"
}

# KEY<TAB>VALUE...: one line, tabs and newlines of the values made blanks.
tsv() {
  local line=$1 a
  shift
  for a in "$@"; do line+=$'\t'$(printf '%s' "$a" | tr '\n\t' '  '); done
  printf '%s\n' "$line"
}

dkms_emulate() {  # conf|build SRC DKMS_TREE SOURCE_TREE KERNELVER KERNEL_SOURCE_DIR OUT
  local mode=$1 src=$2 out=$7
  # What dkms has set when it sources a dkms.conf (read_conf, main part of /usr/sbin/dkms). dkms
  # runs under bash without -u, with extglob.
  set +u +o pipefail
  shopt -s extglob
  # shellcheck disable=SC2034  # source_tree, install_tree, tmp_location: for dkms.conf files
  dkms_tree=$3 source_tree=$4 kernelver=$5 kernel_source_dir=$6 arch=x86_64 install_tree=/lib/modules tmp_location=${TMPDIR:-/tmp}
  kernel_config="$kernel_source_dir/.config"
  PATH="$PATH:/usr/lib/dkms"
  umask 022
  unset CC CXX CFLAGS CXXFLAGS LDFLAGS MAKEFLAGS MFLAGS MAKELEVEL
  local v
  for v in $dkms_conf_variables; do unset "$v"; done
  : >"$out/conf.tsv"
  # module and module_version are the package's PACKAGE_NAME and PACKAGE_VERSION (dh_dkms's
  # postinst runs `dkms add -m NAME -v VERSION` with them): one pass to learn them, one for real.
  cd / || return 2
  module="" module_version=""
  (conf_source "$src/dkms.conf"; printf '%s\n%s\n' "${PACKAGE_NAME:-}" "${PACKAGE_VERSION:-}") >"$out/conf.names" 2>"$out/conf.err"
  { read -r module; read -r module_version; } <"$out/conf.names"
  conf_source "$src/dkms.conf" 2>>"$out/conf.err"
  tsv package_name "${PACKAGE_NAME:-}" >>"$out/conf.tsv"
  tsv package_version "${PACKAGE_VERSION:-}" >>"$out/conf.tsv"

  # read_conf's post-processing: module names and locations, its errors, the make command.
  local errors=() n=0 s i
  for s in ${#BUILT_MODULE_NAME[@]} ${#BUILT_MODULE_LOCATION[@]} ${#DEST_MODULE_NAME[@]} ${#DEST_MODULE_LOCATION[@]}; do
    ((s > n)) && n=$s
  done
  local names=() locations=()
  for ((i = 0; i < n; i++)); do
    names[i]=${BUILT_MODULE_NAME[i]:-}
    locations[i]=${BUILT_MODULE_LOCATION[i]:-}
    [ -z "${names[i]}" ] && ((${#DEST_MODULE_LOCATION[@]} == 1)) && names[i]=${PACKAGE_NAME:-}
    [ -n "${locations[i]}" ] && [ "${locations[i]: -1}" != / ] && locations[i]="${locations[i]}/"
    [ -n "${names[i]}" ] || errors+=("No 'BUILT_MODULE_NAME' directive specified for record #$i")
    case ${names[i]} in *.o|*.ko) errors+=("'BUILT_MODULE_NAME' ends in '.o' or '.ko' in record #$i") ;; esac
    case ${DEST_MODULE_LOCATION[i]:-} in
      /kernel*|/updates*|/extra*) ;;
      "") errors+=("No 'DEST_MODULE_LOCATION' directive specified for record #$i") ;;
      *) errors+=("'DEST_MODULE_LOCATION' does not begin with /kernel, /updates or /extra in record #$i") ;;
    esac
    tsv module "${names[i]}" "${locations[i]}" >>"$out/conf.tsv"
  done
  ((n == 0)) && errors+=("No 'DEST_MODULE_LOCATION' directive specified")
  [ -n "${PACKAGE_NAME:-}" ] || errors+=("No 'PACKAGE_NAME' directive specified")
  [ -n "${PACKAGE_VERSION:-}" ] || errors+=("No 'PACKAGE_VERSION' directive specified")
  for s in "${errors[@]}"; do tsv conf_error "$s" >>"$out/conf.tsv"; done

  local make_command=""
  [ -n "${MAKE_MATCH[0]:-}" ] || make_command=${MAKE[0]:-}
  for ((i = 0; i < ${#MAKE[@]}; i++)); do
    [ -n "${MAKE[i]:-}" ] && [ -n "${MAKE_MATCH[i]:-}" ] && [[ $kernelver =~ ${MAKE_MATCH[i]} ]] && make_command=${MAKE[i]}
  done
  local build_dir="$dkms_tree/$module/$module_version/build"
  [ -n "$make_command" ] || make_command="make -C $kernel_source_dir M=$build_dir"
  local clean=${CLEAN:-"make -C $kernel_source_dir M=$build_dir clean"}
  if [ -e "$kernel_config" ]; then   # dkms looks at vmlinux first; the headers have none
    grep -q CONFIG_CC_IS_CLANG=y "$kernel_config" && make_command="$make_command CC=clang"
    grep -q CONFIG_LD_IS_LLD=y "$kernel_config" && make_command="$make_command LD=ld.lld"
  fi
  local patches=()
  for ((i = 0; i < ${#PATCH[@]}; i++)); do
    if [ -n "${PATCH[i]:-}" ] && { [ -z "${PATCH_MATCH[i]:-}" ] || [[ $kernelver =~ ${PATCH_MATCH[i]} ]]; }; then
      patches+=("${PATCH[i]}")
    fi
  done
  local excluded=()
  [ -n "${BUILD_EXCLUSIVE_KERNEL:-}" ] && ! [[ $kernelver =~ $BUILD_EXCLUSIVE_KERNEL ]] \
    && excluded+=("BUILD_EXCLUSIVE_KERNEL=$BUILD_EXCLUSIVE_KERNEL")
  [ -n "${BUILD_EXCLUSIVE_ARCH:-}" ] && ! [[ $arch =~ $BUILD_EXCLUSIVE_ARCH ]] \
    && excluded+=("BUILD_EXCLUSIVE_ARCH=$BUILD_EXCLUSIVE_ARCH")
  if [ -n "${BUILD_EXCLUSIVE_CONFIG:-}" ] && [ -e "$kernel_config" ]; then
    local kconf
    for kconf in $BUILD_EXCLUSIVE_CONFIG; do
      case $kconf in
        !*) grep -q -E "^${kconf#!}=[ym]" "$kernel_config" && excluded+=("BUILD_EXCLUSIVE_CONFIG: ${kconf#!} is set") ;;
        *) grep -q -E "^${kconf}=[ym]" "$kernel_config" || excluded+=("BUILD_EXCLUSIVE_CONFIG: $kconf is not set") ;;
      esac
    done
  fi
  local the_make_command="${make_command/#make/make -j1 KERNELRELEASE=$kernelver}"
  tsv make_command "$the_make_command" >>"$out/conf.tsv"
  tsv clean "$clean" >>"$out/conf.tsv"
  [ -n "${PRE_BUILD:-}" ] && tsv pre_build "$PRE_BUILD" >>"$out/conf.tsv"
  for s in "${patches[@]}"; do tsv patch "$s" >>"$out/conf.tsv"; done
  for s in "${excluded[@]}"; do tsv excluded "$s" >>"$out/conf.tsv"; done
  tsv build_dir "$build_dir" >>"$out/conf.tsv"
  # What this emulation cannot reproduce faithfully.
  case "$the_make_command $clean ${PRE_BUILD:-}" in
    */usr/src/*|*/var/lib/dkms*) tsv note "its commands name /usr/src or /var/lib/dkms themselves; built in a scratch dkms_tree instead" >>"$out/conf.tsv" ;;
  esac
  grep -qE '^[[:space:]]*BUILD_EXCLUSIVE_KERNEL_(MIN|MAX)=' "$src/dkms.conf" \
    && tsv note "BUILD_EXCLUSIVE_KERNEL_MIN/MAX ignored (dkms 3.0.10 does not know them)" >>"$out/conf.tsv"
  [ "$mode" = build ] || return 0
  [ ${#errors[@]} -eq 0 ] && [ ${#excluded[@]} -eq 0 ] || return 0

  # prepare_build: the source link, the copy, patches, CC, PRE_BUILD.
  local log="$build_dir/make.log"
  mkdir -p "$dkms_tree/$module/$module_version" || return 2
  ln -sfn "$src" "$dkms_tree/$module/$module_version/source"
  rm -rf "$build_dir"
  cp -a "$dkms_tree/$module/$module_version/source/" "$build_dir" || return 2
  cd "$build_dir" || return 2
  {
    for s in "${patches[@]}"; do
      echo "== patch -p1 < ./patches/$s"
      patch -p1 <"./patches/$s" || { echo "error: patch $s failed"; echo 1 >"$out/make.rc"; return 0; }
    done
    if [ -e "$kernel_config" ]; then
      local cc
      cc=$(sed -n 's|^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*"|\1|p' "$kernel_config")
      command -v "$cc" >/dev/null && export CC="$cc"
    fi
    if [ -n "${PRE_BUILD:-}" ]; then
      local run="$build_dir/$PRE_BUILD"
      echo "== PRE_BUILD: $run"
      if [ -x "${run%% *}" ]; then
        # shellcheck disable=SC2086  # dkms runs `exec $run`: split on blanks, not a shell line
        (cd "$build_dir" && exec $run)
        echo "== PRE_BUILD exit status $? (dkms ignores it)"
      else
        echo "== The pre_build script is not executable (dkms warns and goes on)."
      fi
    fi
  } >>"$out/prepare.log" 2>&1

  # actual_build: CC, CLEAN, the make command; its log is make.log in the build directory.
  if [ -f "$kernel_source_dir/.kernelvariables" ]; then
    CC=$(echo -e "show-%:\n\t@echo \$(\$*)\ninclude $kernel_source_dir/.kernelvariables" | make -f - show-CC)
    export CC
  else
    unset CC
  fi
  (eval "$clean" >/dev/null 2>&1)
  { echo "DKMS make.log for $module-$module_version for kernel $kernelver ($arch)"; date; } >>"$log"
  (eval "{ $the_make_command; } >> \"\$log\" 2>&1")
  echo $? >"$out/make.rc"
  return 0
}

if [ "${1:-}" = __dkms ]; then
  shift
  [ $# -eq 7 ] || { echo "dkms-corpus: __dkms needs 7 arguments" >&2; exit 2; }
  dkms_emulate "$@"
  exit $?
fi

# ---------------------------------------------------------------------------------------------
kmodlint="$here/../build/kmodlint"
cache="${KMODLINT_DKMS_CACHE:-$HOME/.cache/kmodlint-dkms}"
only=""
build=1
table=""
timeout_s=900
started=$(date +%s)

die() { echo "dkms-corpus: $*" >&2; exit 2; }
say() { echo "dkms-corpus: $*" >&2; }
usage() { sed -n '5,7s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --kmodlint) [ $# -ge 2 ] || die "--kmodlint needs a path"; kmodlint=$2; shift 2 ;;
    --only) [ -n "${2:-}" ] || die "--only needs a comma-separated list of packages"; only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --table) [ -n "${2:-}" ] || die "--table needs a file"; table=$2; shift 2 ;;
    --cache) [ -n "${2:-}" ] || die "--cache needs a directory"; cache=$2; shift 2 ;;
    --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a number of seconds"; timeout_s=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if [ -n "$table" ]; then
  { mkdir -p "$(dirname "$table")" && touch "$table"; } || die "cannot write $table"
  table=$(cd "$(dirname "$table")" && pwd)/$(basename "$table")
fi

# 1. Debian packages (root only when something is missing), kmodlint, the kernel headers.
"$here/../scripts/ensure-deps.sh" <(printf '%s\n' linux-headers-amd64 build-essential patch time python3) \
  || die "could not install linux-headers-amd64 build-essential patch time python3"
[ -x "$kmodlint" ] || die "no kmodlint at $kmodlint; build it (scripts/build.sh) or pass --kmodlint"
kmodlint=$(cd "$(dirname "$kmodlint")" && pwd)/$(basename "$kmodlint")
version=$("$kmodlint" --version) || die "$kmodlint --version failed"

# kernelver: kmodlint's own default kernel (uname -r if its headers are installed, else the newest
# /lib/modules/*/build), so that the build and the lint see the same headers.
kdir_args=()
if [ -f "/lib/modules/$(uname -r)/build/Makefile" ]; then
  kernelver=$(uname -r)
else
  kernelver=$(for d in /lib/modules/*/build; do [ -f "$d/Makefile" ] && basename "$(dirname "$d")"; done | sort -V | tail -n 1)
fi
kernel_source_dir=/lib/modules/$kernelver/build   # dkms's kernel_source_dir
if [ -z "$kernelver" ]; then   # headers unpacked without their /lib/modules/*/build link
  kernel_source_dir=$(for d in /usr/src/linux-headers-*-amd64; do [ -f "$d/Makefile" ] && echo "$d"; done | sort -V | tail -n 1)
  [ -n "$kernel_source_dir" ] \
    || die "no kernel headers (/lib/modules/*/build or /usr/src/linux-headers-*-amd64); apt-get install linux-headers-amd64"
  kernelver=${kernel_source_dir#/usr/src/linux-headers-}
  kdir_args=(--kdir "$kernel_source_dir")
  say "note: no /lib/modules/$kernelver/build (dkms would not build); using $kernel_source_dir for the build and kmodlint"
fi

# 2. The packages.
list_dkms() { apt-cache search -- -dkms 2>/dev/null | awk '{print $1}' | grep -- '-dkms$' | LC_ALL=C sort -u; }
mapfile -t all < <(list_dkms)
if [ ${#all[@]} -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
  say "no *-dkms package known to apt; running apt-get update"
  apt-get update -q >/dev/null || die "apt-get update failed"
  mapfile -t all < <(list_dkms)
fi
[ ${#all[@]} -gt 0 ] || die "apt-cache search finds no *-dkms package (run apt-get update?)"
if [ -n "$only" ]; then
  IFS=, read -r -a wanted <<<"$only"
  pkgs=()
  for p in "${wanted[@]}"; do
    [ -n "$p" ] || continue
    printf '%s\n' "${all[@]}" | grep -qxF -- "$p" || die "--only: $p is not one of the ${#all[@]} *-dkms packages apt-cache knows"
    pkgs+=("$p")
  done
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | LC_ALL=C sort -u)
else
  pkgs=("${all[@]}")
fi

mkdir -p "$cache/debs" "$cache/src" || die "cannot create $cache"
cache=$(cd "$cache" && pwd)
run="$cache/runs/$(date +%Y%m%d-%H%M%S)-$$"
work="$cache/work/$$"
mkdir -p "$run" "$work" || die "cannot write $cache"
trap 'rm -rf "$work"' EXIT
printf 'kmodlint\t%s\nversion\t%s\nkernelver\t%s\nkernel_source_dir\t%s\nbuild\t%s\ntimeout\t%s\ndate\t%s\nall\t%s\n' \
  "$kmodlint" "$version" "$kernelver" "$kernel_source_dir" "$build" "$timeout_s" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "${#all[@]}" >"$run/info.tsv"
: >"$run/skipped.tsv"
say "$version, kernel headers $kernelver ($kernel_source_dir), ${#pkgs[@]} of ${#all[@]} *-dkms packages; logs: $run"

# fetch PKG -> sets x (the unpacked package) or returns 1 with a reason in $why
fetch() {
  local pkg=$1 file deb tmp
  why=""
  file=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Filename: //p' | head -n 1)
  [ -n "$file" ] || { why="apt-cache show has no Filename"; return 1; }
  deb=$(basename "$file")
  x="$cache/src/${deb%.deb}"
  [ -f "$x/.complete" ] && return 0
  if [ ! -s "$cache/debs/$deb" ]; then
    tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX") || { why="cannot write $cache/debs"; return 1; }
    if ! (cd "$tmp" && apt-get download -q "$pkg") >"$run/download-$pkg.log" 2>&1; then
      why="apt-get download failed: $(grep -m1 -E '^(E|W):' "$run/download-$pkg.log" | cut -c1-80)"
      rm -rf "$tmp"; return 1
    fi
    local got=("$tmp"/*.deb)
    [ -f "${got[0]}" ] || { why="apt-get download gave no .deb"; rm -rf "$tmp"; return 1; }
    mv "${got[0]}" "$cache/debs/$deb" && rm -rf "$tmp"
  fi
  rm -rf "$x" "$x.tmp"
  dpkg -x "$cache/debs/$deb" "$x.tmp" 2>"$run/extract-$pkg.log" || { why="dpkg -x failed"; rm -rf "$x.tmp"; return 1; }
  touch "$x.tmp/.complete" && mv "$x.tmp" "$x"
}

crashes=0
n=0
for pkg in "${pkgs[@]}"; do
  n=$((n + 1))
  if ! fetch "$pkg"; then
    say "[$n/${#pkgs[@]}] $pkg: $why"
    printf '%s\t%s\n' "$pkg" "$why" >>"$run/skipped.tsv"
    continue
  fi
  # The package's Depends that are not installed (dkms itself aside): a build may need them.
  missing_deps=""
  for dep in $(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 \
                 | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' | tr -d ' ' | LC_ALL=C sort -u); do
    [ "$dep" = dkms ] && continue
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$dep" 2>/dev/null)" = installed ] || missing_deps+="${missing_deps:+ }$dep"
  done
  mapfile -t srcs < <(find "$x/usr/src" -mindepth 2 -maxdepth 2 -name dkms.conf -printf '%h\n' 2>/dev/null | LC_ALL=C sort)
  if [ ${#srcs[@]} -eq 0 ]; then
    say "[$n/${#pkgs[@]}] $pkg: no usr/src/*/dkms.conf, skipped"
    printf '%s\t%s\n' "$pkg" "no usr/src/*/dkms.conf" >>"$run/skipped.tsv"
    continue
  fi
  for src in "${srcs[@]}"; do
    base=$(basename "$src")
    label=$pkg
    [ ${#srcs[@]} -gt 1 ] && label="$pkg ($base)"
    row="$run/rows/$pkg"
    [ ${#srcs[@]} -gt 1 ] && row="$run/rows/$pkg@$base"
    mkdir -p "$row" || die "cannot write $row"
    printf 'label\t%s\npackage\t%s\nsource\t%s\ndeb_dir\t%s\n' "$label" "$pkg" "$base" "$x" >"$row/info.tsv"
    [ -n "$missing_deps" ] && printf 'missing_depends\t%s\n' "$missing_deps" >>"$row/info.tsv"
    { rm -rf "$work" && mkdir -p "$work/dkms" "$work/usr/src"; } || die "cannot write $work"

    # 3. dkms.conf, and the build.
    timeout -k 10 60 bash "$self" __dkms conf "$src" "$work/dkms" "$(dirname "$src")" "$kernelver" "$kernel_source_dir" "$row" >/dev/null 2>&1
    echo $? >"$row/conf.rc"
    if [ "$build" = 1 ]; then
      say "[$n/${#pkgs[@]}] $label: building"
      timeout -k 10 "$timeout_s" bash "$self" __dkms build "$src" "$work/dkms" "$(dirname "$src")" "$kernelver" "$kernel_source_dir" "$row" >"$row/build.out" 2>&1
      echo $? >"$row/build.rc"
      build_dir=$(sed -n 's/^build_dir\t//p' "$row/conf.tsv" 2>/dev/null)
      if [ -n "$build_dir" ] && [ -d "$build_dir" ]; then
        [ -f "$build_dir/make.log" ] && cp "$build_dir/make.log" "$row/make.log"
        find "$build_dir" -name '*.ko' -printf '%P\n' | LC_ALL=C sort >"$row/ko.txt"
        : >"$row/missing.txt"
        while IFS=$'\t' read -r key name loc; do
          [ "$key" = module ] || continue
          [ -e "$build_dir/$loc$name.ko" ] || printf '%s%s.ko\n' "$loc" "$name" >>"$row/missing.txt"
        done <"$row/conf.tsv"
        printf 'build_dir_path\t%s\n' "$build_dir" >>"$row/info.tsv"
      fi
      rm -rf "$work/dkms"
    fi

    # 4. kmodlint, as a user would run it in /usr/src/NAME-VERSION.
    say "[$n/${#pkgs[@]}] $label: kmodlint"
    lintdir="$work/usr/src/$base"
    cp -a "$src" "$lintdir" || die "cannot copy $src"
    (cd "$lintdir" && /usr/bin/time -f '%e %M' -o "$row/lint.time" timeout -k 10 "$timeout_s" \
       "$kmodlint" "${kdir_args[@]}" -j1 --format json -o "$row/lint.json" . >"$row/lint.out" 2>"$row/lint.err")
    rc=$?
    echo $rc >"$row/lint.rc"
    if [ $rc -ge 124 ] || grep -q 'internal error' "$row/lint.err"; then
      crashes=$((crashes + 1))
      say "[$n/${#pkgs[@]}] $label: kmodlint exit $rc (crash or timeout); see $row/lint.err"
    fi
    rm -rf "$work"
  done
done

# 5. The table.
report_args=(--run "$run" --seconds $(( $(date +%s) - started )))
[ -n "$table" ] && report_args+=(--table "$table")
python3 "$here/dkms_corpus.py" report "${report_args[@]}" || die "the report failed"
say "logs: $run${table:+; table: $table}"
[ "$crashes" -eq 0 ] || exit 1
exit 0
