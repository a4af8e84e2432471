#!/usr/bin/env python3
"""externs-corpus.py KMODLINT SRC_ROOT MAKEFILE_ROOT OUT_DIR [DIR...]

Measures the symbol checks on real drivers of Debian's linux-source-6.1. Every .c file under
SRC_ROOT/drivers/DIR (default: watchdog char misc) is classified with the Makefile of its
directory (read from MAKEFILE_ROOT, the same tree with its Makefiles):
  multi-object   part of a module Kbuild composes from several objects (foo-objs, foo-y), or
                 itself such a composite: linted alone, its siblings' functions would look undefined
  not-a-module   named by no obj-* line of its Makefile
  single-object  obj-$(CONFIG_..) += foo.o: a module of its own (or built in)
Single-object files that Debian ships as modules (/lib/modules/<version>/kernel/drivers/...)
are linted together, each as a single-file module, against the Debian Module.symvers.
With CORPUS_SET=not-shipped in the environment, the single-object files Debian does not ship as
modules (other architectures, built-in only, disabled) are linted instead: parse failures are
expected there. Writes OUT_DIR/classification.tsv, OUT_DIR/report.json, OUT_DIR/summary.txt.
"""
import collections
import glob
import json
import os
import re
import subprocess
import sys

kmodlint, src_root, make_root, out_dir = sys.argv[1:5]
dirs = sys.argv[5:] or ["watchdog", "char", "misc"]
module_roots = sorted(glob.glob("/lib/modules/*/kernel"))
module_root = module_roots[-1]
os.makedirs(out_dir, exist_ok=True)

SKIP_NAMES = {"obj", "ccflags", "subdir-ccflags", "asflags", "ldflags", "always", "extra", "targets",
              "hostprogs", "clean-files", "lib", "subdir", "userprogs", "userccflags"}
assign = re.compile(r"^([A-Za-z0-9_.-]+?)-(objs|y|m|\$\([A-Za-z0-9_]+\))\s*[:+]?=(.*)$")


def read_makefile(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    text = text.replace("\\\n", " ")
    composites, members, module_objects = set(), set(), set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        m = assign.match(line)
        if not m:
            continue
        name, objects = m.group(1), m.group(3).split()
        if name == "obj":
            module_objects.update(o for o in objects if o.endswith(".o"))
        elif name not in SKIP_NAMES and not name.startswith("CFLAGS_"):
            composites.add(name)
            members.update(o for o in objects if o.endswith(".o"))
    return composites, members, module_objects


classes = collections.Counter()
rows, lint = [], []
for d in dirs:
    for path in sorted(glob.glob(os.path.join(src_root, "drivers", d, "**", "*.c"), recursive=True)):
        rel = os.path.relpath(path, src_root)
        rel_dir, base = os.path.split(rel)
        stem = base[:-2]
        parsed = read_makefile(os.path.join(make_root, rel_dir, "Makefile"))
        if parsed is None:
            kind = "no-makefile"
        else:
            composites, members, module_objects = parsed
            if stem in composites or stem + ".o" in members:
                kind = "multi-object"
            elif stem + ".o" in module_objects:
                kind = "single-object"
            else:
                kind = "not-a-module"
        shipped = any(os.path.exists(os.path.join(module_root, rel_dir, stem + ext)) for ext in (".ko", ".ko.xz"))
        classes[kind] += 1
        if kind == "single-object":
            classes["single-object, shipped as .ko" if shipped else "single-object, not shipped as .ko"] += 1
        rows.append((rel, kind, "ko" if shipped else "-"))
        wanted = os.environ.get("CORPUS_SET", "shipped") == "shipped"
        if kind == "single-object" and shipped == wanted:
            lint.append(path)

with open(os.path.join(out_dir, "classification.tsv"), "w") as f:
    for row in rows:
        f.write("\t".join(row) + "\n")

run = subprocess.run([kmodlint, "--format", "json", "-q", "--color", "never", "-j", "2"] + lint,
                     capture_output=True, text=True)
report = json.loads(run.stdout)
json.dump(report, open(os.path.join(out_dir, "report.json"), "w"), indent=1)
with open(os.path.join(out_dir, "stderr.txt"), "w") as f:
    f.write(run.stderr)
per_check = collections.Counter(f["check"] for f in report["findings"])
files_with = collections.defaultdict(set)
for f in report["findings"]:
    files_with[f["check"]].add(f["file"])
unparsed = sorted(set(re.findall(r"kmodlint: (\S+): could not be parsed", run.stderr)))
with open(os.path.join(out_dir, "summary.txt"), "w") as out:
    out.write(f"files: {len(rows)}\n")
    for kind, n in sorted(classes.items()):
        out.write(f"  {kind}: {n}\n")
    which = os.environ.get("CORPUS_SET", "shipped")
    out.write(f"linted (single-object, {which}): {len(lint)}; did not parse: {len(unparsed)}\n")
    out.write(f"kmodlint exit status: {run.returncode}\n")
    for check, n in sorted(per_check.items()):
        out.write(f"  {check}: {n} findings in {len(files_with[check])} files\n")
    for u in unparsed:
        out.write(f"  unparsed: {u}\n")
print(open(os.path.join(out_dir, "summary.txt")).read())
