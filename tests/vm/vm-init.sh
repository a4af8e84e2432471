#!/bin/busybox sh
# /init of the kmodlint test VM's initramfs (busybox-static). Runs one scenario, named on the
# kernel command line as kmodlint.scenario=NAME, then powers the VM off.
#   /dev/ttyS0  kernel console (the host keeps it as the console log)
#   /dev/ttyS1  results channel: PASS/FAIL/INFO lines written by /vm-tests.sh, then DONE
# The modules come from /stages/NAME/lib/modules/<version> (made on the host with
# `make modules_install INSTALL_MOD_PATH=...` and `depmod -b`); /lib/modules points there.
/bin/busybox --install -s /bin
export PATH=/sbin:/bin   # /sbin: kmod's modprobe, insmod, rmmod, lsmod (not busybox's)
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

scenario=
for arg in $(cat /proc/cmdline); do
  case $arg in kmodlint.scenario=*) scenario=${arg#kmodlint.scenario=} ;; esac
done

exec 3>/dev/ttyS1
if [ -z "$scenario" ] || [ ! -d "/stages/$scenario/lib/modules" ]; then
  echo "FAIL init: no stage for scenario '$scenario'" >&3
else
  ln -s "/stages/$scenario/lib/modules" /lib/modules
  echo "INFO $scenario: kernel $(uname -r), modules: $(cd /lib/modules/$(uname -r) && find . -name '*.ko' | tr '\n' ' ')" >&3
  echo "INFO $scenario: module tools: $(/sbin/modprobe --version 2>&1 | head -n 1)" >&3
  /bin/sh /vm-tests.sh "$scenario"
  rc=$?
  [ "$rc" -eq 0 ] || echo "FAIL $scenario: the test script ended abnormally (exit status $rc)" >&3
fi
echo "DONE $scenario" >&3
exec 3>&-
sync
poweroff -f
# Not reached unless poweroff failed.
echo o > /proc/sysrq-trigger
sleep 10
