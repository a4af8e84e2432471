#!/usr/bin/env bash
# The real pre-commit (Debian's package) in a throwaway repository: a clean commit passes, a
# commit introducing a bug is refused with the finding printed, a staged header is linted through
# the module that includes it. Nothing is fetched: the hook is `repo: local`, `language: system`.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v pre-commit >/dev/null && [ "$(id -u)" -eq 0 ]; then
  "$root/scripts/ensure-deps.sh" "$root/scripts/debian-packages.txt" >/dev/null 2>&1  # Debian's pre-commit
fi
if ! command -v pre-commit >/dev/null; then
  fail "pre-commit is installed" "scripts/debian-packages.txt lists it: run scripts/ensure-deps.sh as root"
  finish; exit
fi
export PRE_COMMIT_HOME="$work/pre-commit-home" HOME="$work/home"
mkdir -p "$HOME"
repo="$work/repo"
make_module "$repo/drv" hello
cd "$repo"
git init -q . && git config user.email t@example.invalid && git config user.name test
# The hook definition of this checkout's .pre-commit-hooks.yaml, with entry = the built binary.
python3 - "$root/.pre-commit-hooks.yaml" "$kmodlint" > .pre-commit-config.yaml <<'EOP'
import sys
hooks = open(sys.argv[1]).read()
body = "\n".join("      " + line if line.strip() else line for line in hooks.splitlines() if not line.startswith("#"))
body = body.replace("entry: kmodlint", "entry: " + sys.argv[2])
print("repos:\n  - repo: local\n    hooks:\n" + body)
EOP
if ! pre-commit install >"$work/install.log" 2>&1; then fail "pre-commit install" "$(cat "$work/install.log")"; finish; exit; fi

git add -A
if git commit -qm "a clean module" >"$work/commit1.log" 2>&1; then pass "a clean commit passes the hook"
else fail "a clean commit passes the hook" "$(cat "$work/commit1.log" .pre-commit-config.yaml)"; fi

sed -i '/module_exit/d' drv/hello.c
git add drv/hello.c
if git commit -qm "drop module_exit" >"$work/commit2.log" 2>&1; then
  fail "a commit introducing a bug is refused" "the commit went through" "$(cat "$work/commit2.log")"
elif grep -q "kmodlint.*Failed" "$work/commit2.log" &&
     grep -q "drv/hello.c:5:1: warning: module 'hello' can never be unloaded.*\[missing-module-exit\]" "$work/commit2.log"; then
  pass "a commit introducing a bug is refused, with the finding printed"
else fail "a commit introducing a bug is refused" "$(cat "$work/commit2.log")"; fi
if [ "$(git log --oneline | wc -l)" -eq 1 ]; then pass "the refused commit is not recorded"; else fail "the refused commit is not recorded"; fi
git checkout -q drv/hello.c

# A header staged alone: the module including it is analysed, findings in the header are shown.
sed -i -e '/^module_init/d' -e '/^module_exit/d' drv/hello.c
printf '#include "hello.h"\n' >> drv/hello.c
printf '/* registration of the module */\nmodule_init(hello_init);\nmodule_exit(hello_exit);\n' > drv/hello.h
git add -A
if git commit -qm "registration in a header" >"$work/commit3.log" 2>&1; then pass "a clean header passes"
else fail "a clean header passes" "$(cat "$work/commit3.log")"; fi
sed -i '/^module_exit/d' drv/hello.h
echo "/* unstaged edit */" >> drv/hello.c
git add drv/hello.h
if git commit -qm "drop module_exit from the header" >"$work/commit4.log" 2>&1; then
  fail "a staged header is linted with its module" "the commit went through" "$(cat "$work/commit4.log")"
elif grep -q "drv/hello.h:2:1: warning: .*\[missing-module-exit\]" "$work/commit4.log"; then
  pass "a staged header is linted with the module that includes it"
else fail "a staged header is linted with its module" "$(cat "$work/commit4.log")"; fi

finish
