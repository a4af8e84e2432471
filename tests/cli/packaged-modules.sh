#!/usr/bin/env bash
# A module packaged for DKMS: dkms.conf's BUILT_MODULE_LOCATION and MAKE locate its module
# directories (also when the Makefile there hides obj-m from a literal reading), and a
# BUILT_MODULE_NAME no Kbuild file builds is pointed out.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }

pkg="$work/hello-dkms"
mkdir -p "$pkg/src"
cp "$fixtures/missing-module-exit/init-without-exit/noexit.c" "$pkg/src/hello.c"
# The module's Makefile takes obj-m from an included file: a literal reading of it sees no
# objects, only make (the dry run) knows; dkms.conf says the module is built there.
printf 'include $(dir $(lastword $(MAKEFILE_LIST)))objects.mk\n' > "$pkg/src/Makefile"
printf 'obj-m := hello.o\n' > "$pkg/src/objects.mk"

cat > "$pkg/dkms.conf" <<'EOC'
PACKAGE_NAME="hello"
PACKAGE_VERSION="1.0"
BUILT_MODULE_NAME[0]="$PACKAGE_NAME"
BUILT_MODULE_LOCATION[0]="src/"
DEST_MODULE_LOCATION[0]="/updates/dkms"
MAKE[0]="make -C ${kernel_source_dir} M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build/src modules"
CLEAN="make -C ${kernel_source_dir} M=${dkms_tree}/${PACKAGE_NAME}/${PACKAGE_VERSION}/build/src clean"
AUTOINSTALL="yes"
EOC
mv "$pkg/dkms.conf" "$pkg/dkms.conf.off"
run "$pkg"
if grep -q "hello.c: no Kbuild file builds it; linted as the single-file module" "$work/err"; then pass "without dkms.conf: not recognised (control)"
else fail "without dkms.conf (control)" "$(cat "$work/err")"; fi
mv "$pkg/dkms.conf.off" "$pkg/dkms.conf"
run "$pkg"
if [ $status -eq 1 ] && grep -q "src/hello.c:11:1: warning: module 'hello' can never be unloaded" "$work/out" &&
   ! grep -q "single-file module" "$work/err"
then pass "dkms.conf locates the module built in src/"; else fail "dkms.conf locates the module" "exit $status" "$(cat "$work/out" "$work/err")"; fi

sed -i 's/BUILT_MODULE_NAME\[0\]="$PACKAGE_NAME"/BUILT_MODULE_NAME[0]="hellp"/' "$pkg/dkms.conf"
run "$pkg"
if grep -q "dkms.conf: BUILT_MODULE_NAME hellp is not a module that .*src's Kbuild file builds" "$work/err"
then pass "a BUILT_MODULE_NAME no Kbuild file builds is pointed out"; else fail "wrong BUILT_MODULE_NAME" "$(cat "$work/err")"; fi
sed -i 's/BUILT_MODULE_NAME\[0\]="hellp"/BUILT_MODULE_NAME[0]="$PACKAGE_NAME"/' "$pkg/dkms.conf"

# dahdi's shape: the built directory's Kbuild also builds a module of another directory
# (`obj-m += ../lib/echo/echo.o`, whose own Kbuild DKMS never runs), and a legacy directory has a
# Makefile with obj-m that no build enters, and that does not compile: it is not linted.
mkdir -p "$pkg/lib/echo" "$pkg/legacy"
cp "$fixtures/missing-module-exit/init-without-exit/noexit.c" "$pkg/lib/echo/echo.c"
printf 'obj-m := echo.o\n' > "$pkg/lib/echo/Kbuild"
printf 'obj-m += ../lib/echo/echo.o\n' >> "$pkg/src/objects.mk"
printf 'obj-m := old.o\nall:\n\t@echo build from the top\n' > "$pkg/legacy/Makefile"
printf '#include <linux/module.h>\nint old_value(void) { return undeclared_in_6_1; }\n' > "$pkg/legacy/old.c"
run -v "$pkg"
if [ $status -eq 1 ] && grep -q "src/hello.c:11:1: warning: module 'hello' can never be unloaded" "$work/out" &&
   grep -q "lib/echo/echo.c:11:1: warning: module 'echo' can never be unloaded" "$work/out" &&
   ! grep -q "could not be parsed" "$work/err" &&
   grep -q "legacy/Makefile: skipped: DKMS does not build here (.*/dkms.conf builds the top directory, src/, and no Kbuild file there enters this directory)" "$work/err"
then pass "dkms.conf: a module another directory's Kbuild builds; a directory DKMS never builds is skipped"
else fail "dkms.conf: a module another directory's Kbuild builds; a directory DKMS never builds is skipped" "exit $status" "$(cat "$work/out" "$work/err")"; fi
rm -r "$pkg/lib" "$pkg/legacy"
sed -i '$d' "$pkg/src/objects.mk"

# ovpn-dco's shape: DKMS runs MAKE in the package directory, whose Makefile is the Kbuild file
# that adds an include directory and enters the module directory dkms.conf names (obj-y += drv/).
dco="$work/dco"
mkdir -p "$dco/include/dco" "$dco/drv"
printf '#define DCO_MAGIC 7\n' > "$dco/include/dco/api.h"
printf 'PWD:=$(shell pwd)\nNOSTDINC_FLAGS += -I$(PWD)/include/\nobj-y += drv/\nall:\n\t$(MAKE) -C $(KERNEL_SRC) M=$(PWD) modules\n' > "$dco/Makefile"
printf 'obj-m += dcomod.o\n' > "$dco/drv/Makefile"
sed 's|#include <linux/module.h>|#include <linux/module.h>\n#include <dco/api.h>|' \
  "$fixtures/missing-module-exit/init-without-exit/noexit.c" > "$dco/drv/dcomod.c"
printf 'PACKAGE_NAME="dco"\nPACKAGE_VERSION="1"\nMAKE="make KERNEL_SRC=${kernel_source_dir}"\nBUILT_MODULE_NAME[0]="dcomod"\nBUILT_MODULE_LOCATION[0]="drv"\n' > "$dco/dkms.conf"
run "$dco"
if [ $status -eq 1 ] && grep -q "drv/dcomod.c:12:1: warning: module 'dcomod' can never be unloaded" "$work/out" && ! grep -q "could not be parsed" "$work/err"
then pass "dkms.conf: MAKE in the package directory, whose Makefile enters the module directory"
else fail "dkms.conf: MAKE in the package directory, whose Makefile enters the module directory" "exit $status" "$(cat "$work/out" "$work/err")"; fi

# openafs's shape after its documented step (dkms.conf's MAKE: ./configure && make): the top
# Makefile that configure made is not a Kbuild file, and the build made the module's Kbuild in a
# directory dkms.conf does not name. The top directory is skipped, the generated one is linted.
afs="$work/afs"
mkdir -p "$afs/src/libafs/MODLOAD-x"
printf '#!/bin/sh\n' > "$afs/configure"
printf 'include src/config/Makefile.config\nall:\n\t$(MAKE) -C src/libafs\n' > "$afs/Makefile"
printf 'obj-m := afsmod.o\n' > "$afs/src/libafs/MODLOAD-x/Makefile"
cp "$fixtures/missing-module-exit/init-without-exit/noexit.c" "$afs/src/libafs/MODLOAD-x/afsmod.c"
printf 'PACKAGE_NAME="afs"\nPACKAGE_VERSION="1"\nMAKE[0]="(./configure && make)"\nBUILT_MODULE_NAME[0]="afsmod"\n' > "$afs/dkms.conf"
run -v "$afs"
if [ $status -eq 1 ] && grep -q "MODLOAD-x/afsmod.c:11:1: warning: module 'afsmod' can never be unloaded" "$work/out" &&
   grep -q "afs: skipped: dkms.conf builds here, but its Makefile is not a Kbuild file" "$work/err" && ! grep -q "make rejected it" "$work/err"
then pass "dkms.conf: after a configure step, the generated module directory is linted, the top Makefile skipped"
else fail "dkms.conf: after a configure step, the generated module directory is linted, the top Makefile skipped" "exit $status" "$(cat "$work/out" "$work/err")"; fi

# xtables-addons' shape: the Kbuild file includes the package's mconfig through a variable that
# dkms.conf's MAKE line sets to DKMS's build tree (the dkms.conf directory); west-chamber's sets it
# to the installed source, /usr/src/NAME-VERSION.
xa="$work/xa"
mkdir -p "$xa/extensions"
cp "$fixtures/missing-module-exit/init-without-exit/noexit.c" "$xa/extensions/xt_hello.c"
printf 'build_hello=m\n' > "$xa/mconfig"
printf 'include ${XA_ABSTOPSRCDIR}/mconfig\nobj-${build_hello} += xt_hello.o\n' > "$xa/extensions/Kbuild"
cat > "$xa/dkms.conf" <<'EOC'
PACKAGE_VERSION="3.23"
PACKAGE_NAME="xa"
BDIR="$dkms_tree/${PACKAGE_NAME}/${PACKAGE_VERSION}/build"
MAKEARGS="-C $kernel_source_dir M=${BDIR}/extensions XA_ABSTOPSRCDIR=${BDIR} V=1"
MAKE="make ${MAKEARGS} modules ; find ${BDIR} -name '*.ko' -exec mv -v {} ${BDIR} \;"
BUILT_MODULE_LOCATION[0]=""
BUILT_MODULE_NAME[0]="xt_hello"
EOC
run "$xa"
if [ $status -eq 1 ] && grep -q "extensions/xt_hello.c:11:1: warning: module 'xt_hello' can never be unloaded" "$work/out"
then pass "dkms.conf: a MAKE variable that names DKMS's build tree"; else fail "dkms.conf: a MAKE variable that names DKMS's build tree" "exit $status" "$(cat "$work/out" "$work/err")"; fi
sed -i 's|^BDIR=.*|BDIR="/usr/src/${PACKAGE_NAME}-${PACKAGE_VERSION}"|' "$xa/dkms.conf"
run "$xa"
if [ $status -eq 1 ] && grep -q "extensions/xt_hello.c:11:1: warning: module 'xt_hello' can never be unloaded" "$work/out"
then pass "dkms.conf: a MAKE variable that names the installed source"; else fail "dkms.conf: a MAKE variable that names the installed source" "exit $status" "$(cat "$work/out" "$work/err")"; fi
# A source a step before the build creates (west-chamber links compat_xtables.c in its MAKE line).
printf 'obj-m += compat_xtables.o\n' >> "$xa/extensions/Kbuild"
run "$xa"
if grep -q "compat_xtables.c does not exist: the step that creates it (a configure script, or a command of dkms.conf's MAKE line) has not been run" "$work/err" &&
   grep -q "xt_hello.c:11:1: warning" "$work/out"
then pass "a source made by a step before the build: one line, the other modules linted"
else fail "a source made by a step before the build" "exit $status" "$(cat "$work/out" "$work/err")"; fi
# A header the tree's configure step sets up (openafs's afsconfig.h, ipt-netflow's compat_def.h):
# one line that names the step, not one parse failure per file; -v still lists them.
cfg="$work/needs-configure"
mkdir -p "$cfg/config"
printf '#!/bin/sh\n# generates config/mcfg.h\n' > "$cfg/configure"
printf '#define MCFG_VERSION 1\n' > "$cfg/config/mcfg.h.in"
printf 'obj-m := one.o two.o\n' > "$cfg/Kbuild"
for f in one two; do
  printf '#include <linux/module.h>\n#include "mcfg.h"\nMODULE_LICENSE("GPL");\n' > "$cfg/$f.c"
done
run "$cfg"
expected="kmodlint: $cfg: 2 files could not be parsed: 'mcfg.h' is missing until the tree's configure step has run (./configure, which makes mcfg.h from config/mcfg.h.in); run it as the build does (dkms.conf's MAKE, or the README), then lint again (-v lists each file's errors)"
if [ $status -eq 2 ] && [ "$(grep -c "could not be parsed" "$work/err")" = 1 ] && ! grep -q "error:" "$work/err" &&
   grep -qxF "$expected" "$work/err"
then pass "a header from a configure step: one line"
else fail "a header from a configure step: one line" "exit $status" "$(cat "$work/err")"; fi
run -v "$cfg"
if [ $status -eq 2 ] && grep -q "one.c:2:10: error: 'mcfg.h' file not found" "$work/err" && grep -qF "could not be parsed: 'mcfg.h' is missing" "$work/err"
then pass "a header from a configure step: -v lists the errors"
else fail "a header from a configure step: -v lists the errors" "exit $status" "$(cat "$work/err")"; fi
# Without the Kbuild file the configure step generates (openafs), no file is a module yet: the files
# that parse are not linted as guessed single-file modules (a version stub with no license).
rm "$cfg/Kbuild"
mkdir -p "$cfg/lib"
printf 'const char *mcfg_version = "1";\n' > "$cfg/lib/version.c"
run "$cfg"
if [ $status -eq 2 ] && [ ! -s "$work/out" ] && ! grep -q "single-file module [a-z]*.ko" "$work/err" &&
   grep -qF "(-v lists each file's errors); until then the 3 files no Kbuild file names are not linted as single-file modules" "$work/err"
then pass "a configure step not run: no guessed single-file modules"
else fail "a configure step not run: no guessed single-file modules" "exit $status" "$(cat "$work/out" "$work/err")"; fi
finish
