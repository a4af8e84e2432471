# Shared helpers for the CLI tests: each test counts its checks and ends with "N passed, M failed".
passed=0
failed=0
work=$(mktemp -d /tmp/kmodlint-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; shift; for line in "$@"; do echo "    $line"; done; }

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# make_module DIR NAME: a small clean module with init, exit and license.
make_module() {
  mkdir -p "$1"
  echo "obj-m := $2.o" > "$1/Kbuild"
  cat > "$1/$2.c" <<EOC
#include <linux/init.h>
#include <linux/module.h>
static int __init $2_init(void) { return 0; }
static void __exit $2_exit(void) { }
module_init($2_init);
module_exit($2_exit);
MODULE_LICENSE("GPL");
EOC
}
