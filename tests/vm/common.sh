# Shared helpers of tests/vm/*.sh (sourced, bash).

# kmodlint_kver [need-image]: the kernel version to build for, one that has /lib/modules/<ver>/build
# (and, with need-image, /boot/vmlinuz-<ver>). The running kernel when it qualifies, else the
# newest one that does (containers run another kernel than the headers installed).
# KMODLINT_KVER in the environment overrides it.
kmodlint_kver() {
  local need_image=${1:-} v
  if [ -n "${KMODLINT_KVER:-}" ]; then echo "$KMODLINT_KVER"; return 0; fi
  _kmodlint_kver_ok() {
    [ -d "/lib/modules/$1/build" ] || return 1
    [ -z "$need_image" ] || [ -f "/boot/vmlinuz-$1" ]
  }
  v=$(uname -r)
  if _kmodlint_kver_ok "$v"; then echo "$v"; return 0; fi
  for v in $(ls -d /lib/modules/*/build 2>/dev/null | sed 's|^/lib/modules/||; s|/build$||' | sort -rV); do
    if _kmodlint_kver_ok "$v"; then echo "$v"; return 0; fi
  done
  return 1
}

# Test bookkeeping: t_pass/t_fail print one line each and count; t_summary prints the final
# "N passed, M failed" line and returns non-zero when something failed.
T_PASSED=0
T_FAILED=0
t_pass() { T_PASSED=$((T_PASSED + 1)); echo "PASS: $*"; }
t_fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL: $*"; }
t_summary() {
  echo "$T_PASSED passed, $T_FAILED failed"
  [ "$T_FAILED" -eq 0 ]
}

# t_indent FILE [PREFIX]: prints a file indented, for logs shown on failure.
t_indent() { sed -e "s/\r$//" -e "s/^/${2:-    | }/" "$1"; }
