#!/bin/sh
# vm-tests.sh SCENARIO -- runs inside the kmodlint test VM (busybox sh), started by /init.
# Writes one line per check to fd 3 (the results channel, /dev/ttyS1):
#   PASS <scenario>: <check>      FAIL <scenario>: <check>      INFO <scenario>: <text>
# Scenarios:
#   reference                    kernel-module-example, refchar (twice), exporter + consumer
#   refchar-keeps-chrdev-region  seeded-bug variants of refchar: each one checks the runtime
#   refchar-keeps-class          consequence of its bug (leftover kernel state, failing reload,
#   refchar-keeps-proc-entry     refused unload) rather than treating it as a failure
#   refchar-no-exit
scenario=$1
KVER=$(uname -r)
MODDIR=/lib/modules/$KVER

# Kernel log lines that must never appear while the reference modules are exercised.
FORBIDDEN='BUG|WARNING|Oops|general protection|refcount_t|list_add corruption|sleeping function called from invalid context'
# The subset a seeded-bug variant must not trigger either (its expected WARNINGs aside).
CRASHES='BUG:|kernel BUG|Oops|general protection|refcount_t|list_add corruption|sleeping function called from invalid context'

# kmod's tools, as on a Debian system: busybox sh runs its own applets in preference to PATH,
# so name them explicitly (busybox's applets when the initramfs has no kmod).
KMOD_TOOLS=/sbin
[ -x $KMOD_TOOLS/kmod ] || KMOD_TOOLS=/bin
modprobe() { $KMOD_TOOLS/modprobe "$@"; }
insmod() { $KMOD_TOOLS/insmod "$@"; }
rmmod() { $KMOD_TOOLS/rmmod "$@"; }

say() { echo "$*" >&3; }
pass() { say "PASS $scenario: $*"; }
fail() { say "FAIL $scenario: $*"; }
info() { say "INFO $scenario: $*"; }
# info_lines PREFIX TEXT: one INFO line per line of TEXT
info_lines() {
  printf '%s\n' "$2" | while IFS= read -r l; do [ -n "$l" ] && info "$1$l"; done
}
# check DESCRIPTION COMMAND...: PASS when COMMAND succeeds.
check() {
  d=$1; shift
  if "$@" >/dev/null 2>&1; then pass "$d"; else fail "$d"; return 1; fi
}
# check_not DESCRIPTION COMMAND...: PASS when COMMAND fails.
check_not() {
  d=$1; shift
  if "$@" >/dev/null 2>&1; then fail "$d"; return 1; else pass "$d"; fi
}
# run COMMAND...: runs it, leaving its combined output in $out and its exit status in $rc.
run() {
  out=$("$@" 2>&1)
  rc=$?
}
ok() { [ "$rc" -eq 0 ]; }
notok() { [ "$rc" -ne 0 ]; }
# check_rc DESCRIPTION: PASS when the last run succeeded; shows its output otherwise.
check_rc() {
  if ok; then pass "$1"; else fail "$1 (exit status $rc)"; info_lines "  " "$out"; fi
}
# check_rc_fails DESCRIPTION: PASS when the last run failed; shows its output either way.
check_rc_fails() {
  if notok; then pass "$1"; else fail "$1 (it succeeded)"; fi
  info_lines "  output: " "$out"
}

# Kernel log helpers. mark NAME writes a marker line into the kernel log; log_since NAME
# prints the kernel log from that marker on.
mark() { echo "kmodlint-vm: mark $1" > /dev/kmsg; }
log_since() { dmesg | sed -n "/kmodlint-vm: mark $1\$/,\$p"; }
kmsg_has() { log_since "$1" | grep -qF -- "$2"; }
kmsg_count() { log_since "$1" | grep -cF -- "$2"; }
# kmsg_before MARK FIRST SECOND: FIRST is logged, and before SECOND.
kmsg_before() {
  a=$(log_since "$1" | grep -nF -- "$2" | head -n 1 | cut -d: -f1)
  b=$(log_since "$1" | grep -nF -- "$3" | head -n 1 | cut -d: -f1)
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
# check_log_clean MARK PATTERN WHAT: PASS when no kernel log line since MARK matches PATTERN.
check_log_clean() {
  bad=$(log_since "$1" | grep -E "$2")
  if [ -z "$bad" ]; then
    pass "no $3 in the kernel log since '$1'"
  else
    fail "no $3 in the kernel log since '$1'"
    info_lines "  kernel: " "$bad"
  fi
}

# State helpers.
loaded() { grep -q "^$1 " /proc/modules; }
refcnt() { awk -v m="$1" '$1 == m { print $3 }' /proc/modules; }
users() { awk -v m="$1" '$1 == m { print $4 }' /proc/modules; }
chrdev_majors() { awk -v n="$1" '$2 == n { print $1 }' /proc/devices; }
# In the /proc directory listing. Only readdir: a stale entry left by an unloaded module
# points into freed module memory, so never stat or open it.
in_proc_dir() { ls /proc | grep -qx "$1"; }
words() { echo $# ; }
eq() { [ "$1" = "$2" ]; }
chardev_major() { printf '%d' "0x$(stat -c %t "$1")"; }
proc_field() { awk -F': ' -v k="$2" '$1 == k { print $2 }' "$1"; }
gt0() { [ -n "$1" ] && [ "$1" -gt 0 ] 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# reference scenario

test_example() {
  r=$1 p="kernel-module-example round $r"
  mark "example-$r"
  run modprobe kernel-module-example
  check_rc "$p: modprobe kernel-module-example"
  check "$p: listed in /proc/modules (as kernel_module_example)" loaded kernel_module_example
  check "$p: dmesg has 'Example Module Initialized'" kmsg_has "example-$r" "Example Module Initialized"
  run modprobe -r kernel-module-example
  check_rc "$p: modprobe -r kernel-module-example"
  check_not "$p: gone from /proc/modules" loaded kernel_module_example
  check_not "$p: /sys/module/kernel_module_example gone" test -e /sys/module/kernel_module_example
  check "$p: dmesg has 'Example Module Cleaned'" kmsg_has "example-$r" "Example Module Cleaned"
}

test_refchar() {
  r=$1 p="refchar round $r"
  m="refchar-$r"
  attr=/sys/class/refchar/refchar/period_ms
  mark "$m"
  run modprobe refchar
  check_rc "$p: modprobe refchar" || return
  check "$p: listed in /proc/modules" loaded refchar
  check "$p: dmesg has 'refchar: loaded'" kmsg_has "$m" "refchar: loaded"

  majors=$(chrdev_majors refchar)
  info "$p: /proc/devices: $(grep ' refchar$' /proc/devices | tr '\n' ' ')"
  check "$p: exactly one 'refchar' major in /proc/devices" eq "$(words $majors)" 1
  major=$(echo $majors | cut -d' ' -f1)
  check "$p: /dev/refchar is a character device" test -c /dev/refchar
  check "$p: /dev/refchar has major $major" eq "$(chardev_major /dev/refchar)" "$major"
  check "$p: /sys/class/refchar/refchar exists" test -d /sys/class/refchar/refchar
  check "$p: sysfs dev attribute is $major:0" eq "$(cat /sys/class/refchar/refchar/dev)" "$major:0"
  check "$p: /proc/refchar is listed" in_proc_dir refchar

  # sysfs attribute: show/store with validation
  check "$p: period_ms reads 100" eq "$(cat $attr)" 100
  check "$p: period_ms accepts 50" sh -c "echo 50 > $attr"
  check "$p: period_ms reads back 50" eq "$(cat $attr)" 50
  check_not "$p: period_ms rejects 5 (below the minimum)" sh -c "echo 5 > $attr"
  check_not "$p: period_ms rejects 'abc'" sh -c "echo abc > $attr"
  check "$p: period_ms still 50" eq "$(cat $attr)" 50

  # character device: write, read back, in-place overwrite, capacity
  msg="hello refchar round $r"
  check "$p: write to /dev/refchar" sh -c "echo '$msg' > /dev/refchar"
  check "$p: read back from /dev/refchar" eq "$(cat /dev/refchar)" "$msg"
  check "$p: /proc/refchar buffer_len is $((${#msg} + 1))" eq "$(proc_field /proc/refchar buffer_len)" "$((${#msg} + 1))"
  check "$p: overwrite 3 bytes in place (no O_TRUNC)" sh -c "printf XYZ | dd of=/dev/refchar conv=notrunc"
  check "$p: read back the overwritten buffer" eq "$(cat /dev/refchar)" "XYZ${msg#???}"
  run sh -c "head -c 5000 /dev/zero | tr '\\000' r > /dev/refchar"
  check "$p: a 5000-byte write stores 4096 bytes" eq "$(cat /dev/refchar | wc -c)" 4096
  check "$p: /proc/refchar buffer_len is 4096" eq "$(proc_field /proc/refchar buffer_len)" 4096
  run sh -c "printf x | dd of=/dev/refchar bs=1 seek=4096 conv=notrunc"
  check_rc_fails "$p: writing at offset 4096 fails (ENOSPC)"

  # let the timer, the work item and the kthread run
  sleep 2
  procstate=$(cat /proc/refchar)
  info_lines "$p: /proc/refchar: " "$procstate"
  check "$p: /proc/refchar period_ms is 50" eq "$(proc_field /proc/refchar period_ms)" 50
  check "$p: timer ticked" gt0 "$(proc_field /proc/refchar timer_ticks)"
  check "$p: work item ran" gt0 "$(proc_field /proc/refchar work_runs)"
  check "$p: kthread ticked" gt0 "$(proc_field /proc/refchar thread_ticks)"
  check "$p: dmesg has 'refchar: timer tick'" kmsg_has "$m" "refchar: timer tick"
  check "$p: dmesg has 'refchar: work run'" kmsg_has "$m" "refchar: work run"
  check "$p: dmesg has 'refchar: kthread tick'" kmsg_has "$m" "refchar: kthread tick"
  check "$p: dmesg has 'refchar: timer period set to 50 ms'" kmsg_has "$m" "refchar: timer period set to 50 ms"

  # an open /dev/refchar pins the module (fops.owner = THIS_MODULE)
  exec 4</dev/refchar
  check "$p: open_count is 1 while /dev/refchar is open" eq "$(proc_field /proc/refchar open_count)" 1
  info "$p: /proc/modules while open: $(grep '^refchar ' /proc/modules)"
  # chrdev_open() takes two module references: cdev_get() (cdev.owner) and fops_get() (fops.owner)
  check "$p: refcount is 2 in /proc/modules while /dev/refchar is open (cdev.owner + fops.owner)" \
    eq "$(refcnt refchar)" 2
  run modprobe -r refchar
  check_rc_fails "$p: modprobe -r refchar refuses while /dev/refchar is open"
  check "$p: still loaded" loaded refchar
  exec 4<&-
  check "$p: refcount back to 0" eq "$(refcnt refchar)" 0

  run modprobe -r refchar
  check_rc "$p: modprobe -r refchar"
  check_not "$p: gone from /proc/modules" loaded refchar
  check_not "$p: /sys/module/refchar gone" test -e /sys/module/refchar
  check "$p: major gone from /proc/devices" eq "$(chrdev_majors refchar)" ""
  check_not "$p: /sys/class/refchar gone" test -e /sys/class/refchar
  check_not "$p: /proc/refchar gone" in_proc_dir refchar
  check_not "$p: /dev/refchar gone" test -e /dev/refchar
  check "$p: dmesg has 'refchar: kthread stopping'" kmsg_has "$m" "refchar: kthread stopping"
  check "$p: dmesg has 'refchar: unloaded'" kmsg_has "$m" "refchar: unloaded"
  info_lines "$p: kernel: " "$(log_since "$m" | grep -E 'refchar: (loaded|unloaded)')"
}

pair_unload() {
  loaded consumer && modprobe -r consumer >/dev/null 2>&1
  loaded exporter && modprobe -r exporter >/dev/null 2>&1
}

test_pair() {
  p="exporter/consumer"
  mark pair-1
  run insmod "$MODDIR/extra/consumer.ko"
  check_rc_fails "$p: insmod consumer.ko without exporter loaded fails"
  check "$p: dmesg has 'consumer: Unknown symbol exporter_counter_add'" \
    kmsg_has pair-1 "consumer: Unknown symbol exporter_counter_add"
  check_not "$p: consumer not in /proc/modules" loaded consumer

  run modprobe exporter
  check_rc "$p: modprobe exporter"
  check "$p: exporter listed, refcount 0" eq "$(refcnt exporter)" 0
  run modprobe consumer
  check_rc "$p: modprobe consumer (exporter loaded first)"
  check "$p: consumer listed in /proc/modules" loaded consumer
  info "$p: /proc/modules: $(grep -E '^(exporter|consumer) ' /proc/modules | tr '\n' ';')"
  check "$p: exporter refcount is 1" eq "$(refcnt exporter)" 1
  check "$p: exporter is used by consumer" eq "$(users exporter)" "consumer,"
  check "$p: dmesg has 'exporter: loaded'" kmsg_has pair-1 "exporter: loaded"
  check "$p: dmesg has 'consumer: loaded (exporter counter 1)'" kmsg_has pair-1 "consumer: loaded (exporter counter 1)"

  run modprobe -r exporter
  check_rc_fails "$p: modprobe -r exporter refuses while consumer is loaded"
  run rmmod exporter
  check_rc_fails "$p: rmmod exporter refuses while consumer is loaded"
  check "$p: exporter still loaded" loaded exporter

  run modprobe -r consumer
  check_rc "$p: modprobe -r consumer"
  check_not "$p: consumer gone from /proc/modules" loaded consumer
  check "$p: dmesg has 'consumer: unloaded (exporter counter 0)'" kmsg_has pair-1 "consumer: unloaded (exporter counter 0)"
  if loaded exporter; then
    info "$p: modprobe -r consumer left exporter loaded; removing it"
    run modprobe -r exporter
    check_rc "$p: modprobe -r exporter after consumer"
  else
    info "$p: modprobe -r consumer also removed the now unused exporter"
  fi
  check_not "$p: exporter gone from /proc/modules" loaded exporter
  check "$p: dmesg has 'exporter: unloaded'" kmsg_has pair-1 "exporter: unloaded"

  # Second round: modprobe resolves the dependency from modules.dep and loads exporter first.
  mark pair-2
  run modprobe consumer
  check_rc "$p round 2: modprobe consumer alone"
  check "$p round 2: modprobe loaded exporter as a dependency" loaded exporter
  check "$p round 2: consumer loaded" loaded consumer
  check "$p round 2: exporter used by consumer" eq "$(users exporter)" "consumer,"
  check "$p round 2: exporter loaded before consumer" kmsg_before pair-2 "exporter: loaded" "consumer: loaded"
  run modprobe -r consumer
  check_rc "$p round 2: modprobe -r consumer"
  pair_unload
  check_not "$p round 2: both gone from /proc/modules" sh -c "grep -qE '^(exporter|consumer) ' /proc/modules"
  check_not "$p round 2: both gone from /sys/module" sh -c "test -e /sys/module/exporter || test -e /sys/module/consumer"
}

scenario_reference() {
  mark reference
  test_example 1
  test_example 2
  test_refchar 1
  test_refchar 2
  test_pair
  check_log_clean reference "$FORBIDDEN" "BUG/WARNING/Oops/refcount/list corruption/atomic-sleep line"
  info "taint: $(cat /proc/sys/kernel/tainted) ($(dmesg | grep -c 'module verification failed') 'module verification failed' line(s): expected for unsigned modules)"
}

# ---------------------------------------------------------------------------------------------
# seeded-bug variants of refchar: each first loads and unloads the variant once, then checks
# the consequence of its bug.

# variant_load_unload: load the variant, check it works, unload it (the unload succeeds:
# only the exit function is wrong). Sets $major to the major it got.
variant_load_unload() {
  mark variant-1
  run modprobe refchar
  check_rc "modprobe refchar" || return 1
  check "dmesg has 'refchar: loaded'" kmsg_has variant-1 "refchar: loaded"
  major=$(chrdev_majors refchar)
  info "while loaded: /proc/devices: $(grep ' refchar$' /proc/devices | tr '\n' ' ')"
  check "write/read /dev/refchar works while loaded" \
    sh -c "echo variant > /dev/refchar && [ \"\$(cat /dev/refchar)\" = variant ]"
  run modprobe -r refchar
  check_rc "modprobe -r refchar (exit function runs)"
  check_not "refchar gone from /proc/modules" loaded refchar
  check "dmesg has 'refchar: unloaded'" kmsg_has variant-1 "refchar: unloaded"
}

scenario_refchar_keeps_chrdev_region() {
  variant_load_unload || return
  left=$(grep ' refchar$' /proc/devices)
  info "CONSEQUENCE after unload: /proc/devices still has: $(echo $left)"
  check "CONSEQUENCE: major $major still registered as 'refchar' in /proc/devices after unload" \
    eq "$(chrdev_majors refchar)" "$major"
  check_not "class and /proc entry were released (only the region and cdev leak)" \
    sh -c "test -e /sys/class/refchar || ls /proc | grep -qx refchar"
  # Reload: alloc_chrdev_region() picks a free major, so the leaked region does not clash;
  # the module loads again and a second 'refchar' major is leaked on the next unload.
  mark variant-2
  run modprobe refchar
  info "CONSEQUENCE on reload: modprobe refchar exit status $rc; /proc/devices: $(grep ' refchar$' /proc/devices | tr '\n' ' ')"
  check_rc "reload: modprobe refchar succeeds with a dynamic major"
  check "CONSEQUENCE on reload: /proc/devices lists 'refchar' twice (the stale major and a new one)" \
    eq "$(words $(chrdev_majors refchar))" 2
  run modprobe -r refchar
  check_rc "reload: modprobe -r refchar"
  info "CONSEQUENCE after the second unload: /proc/devices: $(grep ' refchar$' /proc/devices | tr '\n' ' ')"
  check "CONSEQUENCE: two stale 'refchar' majors after two load/unload cycles" \
    eq "$(words $(chrdev_majors refchar))" 2
  check_log_clean variant-1 "$CRASHES" "BUG/Oops/refcount/list corruption line"
}

scenario_refchar_keeps_class() {
  variant_load_unload || return
  info "CONSEQUENCE after unload: /sys/class/refchar: $(ls /sys/class/refchar 2>&1 | tr '\n' ' ')"
  check "CONSEQUENCE: /sys/class/refchar still exists after unload" test -d /sys/class/refchar
  check "CONSEQUENCE: /sys/class/refchar/refchar (the device) still exists after unload" \
    test -e /sys/class/refchar/refchar
  check "major released from /proc/devices (only class and device leak)" eq "$(chrdev_majors refchar)" ""
  mark variant-2
  # The init fails with -EEXIST, which plain modprobe takes for "module already loaded" and
  # reports as success (exit status 0): so check /proc/modules and the kernel log, and use
  # modprobe --first-time, which does report the failure.
  run modprobe refchar
  info "CONSEQUENCE on reload: plain modprobe refchar exit status $rc (init's -EEXIST reads as 'already loaded')"
  info_lines "  output: " "$out"
  check_not "CONSEQUENCE: reload fails: refchar not in /proc/modules after modprobe refchar" loaded refchar
  run modprobe --first-time refchar
  check_rc_fails "CONSEQUENCE: reload fails: modprobe --first-time refchar exits non-zero"
  check_not "refchar not loaded after the failed reloads" loaded refchar
  info_lines "CONSEQUENCE kernel: " "$(log_since variant-2 | grep -E 'duplicate filename|refchar: init failed|kobject_add_internal failed' )"
  check "CONSEQUENCE: dmesg has 'refchar: init failed (-17)' (EEXIST)" kmsg_has variant-2 "refchar: init failed (-17)"
  check "CONSEQUENCE: sysfs reports the duplicate '/class/refchar'" \
    kmsg_has variant-2 "sysfs: cannot create duplicate filename '/class/refchar'"
  check_log_clean variant-1 "$CRASHES" "BUG/Oops/refcount/list corruption line"
}

scenario_refchar_keeps_proc_entry() {
  variant_load_unload || return
  info "CONSEQUENCE after unload: /proc listing: $(ls /proc | grep -x refchar)"
  check "CONSEQUENCE: /proc/refchar still listed after unload" in_proc_dir refchar
  check_not "class released (only the /proc entry leaks)" test -e /sys/class/refchar
  check "major released from /proc/devices" eq "$(chrdev_majors refchar)" ""
  mark variant-2
  run modprobe refchar
  check_rc_fails "CONSEQUENCE: reload fails (proc_create: /proc/refchar exists)"
  check_not "refchar not loaded after the failed reload" loaded refchar
  info_lines "CONSEQUENCE kernel: " "$(log_since variant-2 | grep -E 'already registered|refchar: init failed|WARNING')"
  check "CONSEQUENCE: the kernel WARNs \"proc_dir_entry '/proc/refchar' already registered\"" \
    kmsg_has variant-2 "proc_dir_entry '/proc/refchar' already registered"
  check "CONSEQUENCE: ... with a 'WARNING: CPU' backtrace (expected for this variant)" kmsg_has variant-2 "WARNING: CPU"
  check "CONSEQUENCE: dmesg has 'refchar: init failed (-12)'" kmsg_has variant-2 "refchar: init failed (-12)"
  check "the failed init unwound: no 'refchar' major left" eq "$(chrdev_majors refchar)" ""
  check "the failed init unwound: no /sys/class/refchar left" test ! -e /sys/class/refchar
  check_log_clean variant-1 "$CRASHES" "BUG/Oops/refcount/list corruption line"
}

scenario_refchar_no_exit() {
  mark variant-1
  run modprobe refchar
  check_rc "modprobe refchar" || return
  check "dmesg has 'refchar: loaded'" kmsg_has variant-1 "refchar: loaded"
  info "CONSEQUENCE /proc/modules: $(grep '^refchar ' /proc/modules)"
  check "CONSEQUENCE: /proc/modules marks refchar [permanent]" eq "$(users refchar)" "[permanent],"
  run rmmod refchar
  check_rc_fails "CONSEQUENCE: rmmod refchar refuses"
  check "CONSEQUENCE: rmmod says 'Device or resource busy'" sh -c "echo \"\$0\" | grep -q 'Device or resource busy'" "$out"
  run modprobe -r refchar
  check_rc_fails "CONSEQUENCE: modprobe -r refchar refuses"
  check "CONSEQUENCE: refchar still loaded" loaded refchar
  check "CONSEQUENCE: its /proc/refchar, /sys/class/refchar and major stay" \
    sh -c "ls /proc | grep -qx refchar && test -d /sys/class/refchar && grep -q ' refchar$' /proc/devices"
  check_not "no 'refchar: unloaded' in dmesg" kmsg_has variant-1 "refchar: unloaded"
  sleep 1
  check "still working: the timer keeps ticking" gt0 "$(proc_field /proc/refchar timer_ticks)"
  check_log_clean variant-1 "$CRASHES" "BUG/Oops/refcount/list corruption line"
}

case $scenario in
  reference) scenario_reference ;;
  refchar-keeps-chrdev-region) scenario_refchar_keeps_chrdev_region ;;
  refchar-keeps-class) scenario_refchar_keeps_class ;;
  refchar-keeps-proc-entry) scenario_refchar_keeps_proc_entry ;;
  refchar-no-exit) scenario_refchar_no_exit ;;
  *) fail "unknown scenario '$scenario'" ;;
esac
exit 0
