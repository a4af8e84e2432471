#!/usr/bin/env python3
"""Helpers for bench/crash-sweep.sh: select the module sources Debian builds, plan the kmodlint
batches, collect what each kmodlint process said, re-check files with clang-19, and print the
summary. crash-sweep.sh is the entry point and runs kmodlint; see its header for the method."""

import argparse
import bisect
import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter, OrderedDict
from pathlib import Path

# One module's object list in `make -n` output of Kbuild 6.1 (scripts/Makefile.build, cmd_mod):
#   printf '%s\n'   a.o b.o | awk '!x[$0]++ { print("DIR/"$0) }' > DIR/foo.mod
MOD_LINE = re.compile(r"""printf '%s\\n'\s+([^|']*?)\s*\| awk '!x\[\$0\]\+\+ \{ print\("([^"]*)"\$0\) \}' > (\S+\.mod)(?=[;\s]|$)""")
# Kbuild descending into a directory: make -f .../scripts/Makefile.build obj=DIR ...
DESCENT = re.compile(r"Makefile\.build obj=(\S+)")
OBJ_ASSIGNMENT = re.compile(r"^\s*(?:override\s+|export\s+)?obj-\S*?\s*(?::=|::=|\+=|\?=|=)", re.M)


def die(message):
    print(f"crash_sweep.py: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# select: parse the dry runs of the top directories into modules and their .c files

def cmd_select(args):
    src = os.path.realpath(args.src)
    kdir = os.path.realpath(args.kdir)
    modules = OrderedDict()   # module file (relative) -> list of objects (relative)
    descended = set()
    errors = []
    for dry in args.dry_runs:
        for line in open(dry, errors="replace"):
            for match in MOD_LINE.finditer(line):
                objdir = os.path.normpath(os.path.join(kdir, match.group(2)))
                mod = os.path.normpath(os.path.join(kdir, match.group(3)))
                objects = [os.path.normpath(os.path.join(objdir, o)) for o in match.group(1).split()]
                modules[os.path.relpath(mod, src)] = [os.path.relpath(o, src) for o in objects]
            for match in DESCENT.finditer(line):
                descended.add(os.path.relpath(os.path.normpath(os.path.join(kdir, match.group(1))), src))
        err = dry[:-len(".out")] + ".err" if dry.endswith(".out") else dry + ".err"
        if os.path.exists(err):
            errors += [l.rstrip("\n") for l in open(err, errors="replace") if "***" in l or "No such file" in l]
    if not modules:
        die("the dry runs name no module; see " + " ".join(args.dry_runs))
    out = Path(args.out)
    rows, files, generated = [], [], []
    for mod in sorted(modules, key=lambda m: (os.path.dirname(m), os.path.basename(m))):
        sources = []
        for obj in modules[mod]:
            c = obj[:-2] + ".c"
            if os.path.isfile(os.path.join(src, c)):
                if c not in sources:
                    sources.append(c)
            elif not os.path.isfile(os.path.join(src, obj[:-2] + ".S")):
                generated.append(f"{mod}\t{obj}")
        if not sources:
            continue
        rows.append(f"{os.path.dirname(mod)}\t{os.path.basename(mod)[:-4]}\t{' '.join(sources)}")
        files += sources
    duplicates = [f for f, n in Counter(files).items() if n > 1]
    seen = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]
    (out / "modules.tsv").write_text("\n".join(rows) + "\n")
    (out / "files.txt").write_text("\n".join(unique) + "\n")
    (out / "make-errors.txt").write_text("".join(e + "\n" for e in errors))
    (out / "generated-objects.tsv").write_text("".join(g + "\n" for g in generated))
    (out / "descended-dirs.txt").write_text("".join(d + "\n" for d in sorted(descended)))
    all_c = sum(1 for top in args.tops for _ in Path(src, top).rglob("*.c"))
    (out / "counts.txt").write_text(
        f"modules {len(rows)}\nfiles {len(unique)}\nall_c {all_c}\nshared {len(duplicates)}\n"
        f"generated {len(generated)}\nmake_errors {len(errors)}\n")
    print(f"crash-sweep: selection: {len(unique)} .c files of {len(rows)} modules "
          f"(of {all_c} .c files under {' '.join(args.tops)}); {len(generated)} objects have a generated "
          f"source (not linted); {len(errors)} make error lines (see {out}/make-errors.txt)", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# plan: batches of whole modules, each with the exclude globs that keep kmodlint to its modules

def names_objects(directory, cache):
    if directory not in cache:
        found = False
        for name in ("Kbuild", "Makefile"):
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                text = open(path, errors="replace").read().replace("\\\n", " ")
                found = bool(OBJ_ASSIGNMENT.search(text))
                break
        cache[directory] = found
    return cache[directory]


def kmodlint_root(src, rel_file, cache):
    """The directory whose Kbuild dry run kmodlint runs for a named file: the nearest one up that names objects."""
    directory = os.path.dirname(rel_file)
    while directory:
        if names_objects(os.path.join(src, directory), cache):
            return directory
        directory = os.path.dirname(directory)
    return ""


def glob_escape(path):
    return re.sub(r"([\[\]*?])", r"[\1]", path)


def exclude_globs(keep, excluded_sorted, root):
    """Directory globs (or single files) covering every selected file under root outside `keep`."""
    keep_dirs = set()
    for f in keep:
        d = os.path.dirname(f)
        while d and d not in keep_dirs:
            keep_dirs.add(d)
            d = os.path.dirname(d)
    prefix = root + "/" if root else ""
    lo = bisect.bisect_left(excluded_sorted, prefix)
    globs = set()
    for f in excluded_sorted[lo:]:
        if not f.startswith(prefix):
            break
        if f in keep:
            continue
        # the highest directory below root holding no kept file, else the file itself
        parts = f[len(prefix):].split("/")
        chosen = f
        d = root
        for part in parts[:-1]:
            d = f"{d}/{part}" if d else part
            if d not in keep_dirs:
                chosen = d
                break
        globs.add(chosen)
    return sorted(globs)


def cmd_plan(args):
    src = os.path.realpath(args.src)
    sel = Path(args.selection)
    modules = []
    for line in (sel / "modules.tsv").read_text().splitlines():
        moddir, name, sources = line.split("\t")
        modules.append((moddir, name, sources.split()))
    every_file = sorted({f for _, _, s in modules for f in s})
    counted = (sel / "files.txt").read_text().split()
    if args.limit:
        counted = counted[:args.limit]
    counted_set = set(counted)
    wanted = [m for m in modules if any(f in counted_set for f in m[2])]
    cache = {}
    batches, current = [], []
    for module in wanted:
        top = module[0].split("/")[0]
        if current and (sum(len(m[2]) for m in current) >= args.batch_files or current[0][0].split("/")[0] != top):
            batches.append(current)
            current = []
        current.append(module)
    if current:
        batches.append(current)
    run = Path(args.run)
    for index, batch in enumerate(batches, 1):
        write_unit(run / "batches" / f"{index:04d}", batch, counted_set, every_file, src, cache)
    (run / "counted.txt").write_text("\n".join(counted) + "\n")
    print(len(batches))


def write_unit(unit, modules, counted_set, every_file, src, cache):
    unit.mkdir(parents=True, exist_ok=True)
    keep = {f for m in modules for f in m[2]}
    roots = sorted({kmodlint_root(src, f, cache) for f in keep})
    globs = set()
    for root in roots:
        globs.update(exclude_globs(keep, every_file, root))
    (unit / "modules.tsv").write_text("".join(f"{d}\t{n}\t{' '.join(s)}\n" for d, n, s in modules))
    (unit / "files.txt").write_text("".join(f + "\n" for f in sorted(keep)))
    (unit / "counted.txt").write_text("".join(f + "\n" for f in sorted(keep & counted_set)))
    items = "".join(f"  - {json.dumps(glob_escape(g))}\n" for g in sorted(globs))
    (unit / "config.yaml").write_text("# written by bench/crash-sweep.sh: keep kmodlint to this unit's modules\n" +
                                      ("exclude:\n" + items if globs else "exclude: []\n"))


def cmd_split(args):
    """Write one unit per module of a batch (to find the module that crashes or that kmodlint refuses)."""
    src = os.path.realpath(args.src)
    sel = Path(args.selection)
    every_file = sorted({f for line in (sel / "modules.tsv").read_text().splitlines() for f in line.split("\t")[2].split()})
    counted_set = set(Path(args.run, "counted.txt").read_text().split())
    batch = Path(args.batch)
    cache = {}
    n = 0
    for line in (batch / "modules.tsv").read_text().splitlines():
        moddir, name, sources = line.split("\t")
        n += 1
        write_unit(batch / "modules" / f"{n:03d}", [(moddir, name, sources.split())], counted_set, every_file, src, cache)
    print(n)


# ---------------------------------------------------------------------------------------------
# collect: what each kmodlint process said about each counted file

PARSE_FAIL = re.compile(r"^kmodlint: (.+?): could not be parsed;")
ERROR_LINE = re.compile(r"^(.+?):(\d+):(\d+): (?:fatal )?error: (.*)$")
SINGLE_FILE = re.compile(r"^kmodlint: note: (.+?): no Kbuild file builds it; linted as the single-file module")


def read_unit_stderr(path, src):
    """(not parsed: file -> first error, crashed: file -> line, single-file remarks, other lines)"""
    not_parsed, crashed, single = {}, {}, set()
    pending = []
    text = Path(path).read_text(errors="replace") if Path(path).exists() else ""
    for line in text.splitlines():
        def rel(p):
            return os.path.relpath(os.path.normpath(os.path.join(src, p)), src)
        m = SINGLE_FILE.match(line)
        if m:
            single.add(rel(m.group(1)))
            continue
        if "crashed" in line:   # "FILE[:L:C]: error: Clang crashed ..." or "kmodlint: FILE: Clang crashed ..."
            body = line[len("kmodlint: "):] if line.startswith("kmodlint: ") else line
            if ": " in body:
                crashed[rel(re.sub(r":\d+(:\d+)?$", "", body.split(": ", 1)[0]))] = line
        m = PARSE_FAIL.match(line)
        if m:
            f = rel(m.group(1))
            not_parsed[f] = pending[0] if pending else line
            pending = []
            continue
        if ERROR_LINE.match(line):
            pending.append(line)
    return not_parsed, crashed, single


def first_message(path):
    text = Path(path).read_text(errors="replace") if Path(path).exists() else ""
    for line in text.splitlines():
        if line.startswith("kmodlint: ") and not line.startswith("kmodlint: note:") and " in " not in line[:40]:
            return line
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else "(no output)"


def cmd_collect(args):
    """Reads run/units.tsv (unit dir, status, rc) and writes run/files.tsv: file, state, detail."""
    src = os.path.realpath(args.src)
    run = Path(args.run)
    state = {}
    crashes = []
    single_all = set()
    for line in (run / "units.tsv").read_text().splitlines():
        unit, status, rc = line.split("\t")
        unit = Path(unit)
        counted = (unit / "counted.txt").read_text().split()
        if status == "split":       # its modules were run one by one: their own lines count
            continue
        if status == "crash":
            why = {"124": "timed out", "137": "timed out (killed)"}.get(rc, f"exit {rc}")
            detail = f"kmodlint {why}: {first_message(unit / 'stderr.txt')}"
            if rc.isdigit() and int(rc) > 128 and rc != "137":
                detail = f"kmodlint died by signal {int(rc) - 128}"
            crashes.append(f"{unit.relative_to(run)}\t{detail}\t{' '.join(counted)}")
            for f in counted:
                state[f] = ("crash", detail)
            continue
        if status == "refused":
            detail = first_message(unit / "stderr.txt")
            for f in counted:
                state[f] = ("refused", detail)
            continue
        not_parsed, crashed, single = read_unit_stderr(unit / "stderr.txt", src)
        single_all |= single & set(counted)
        for f, message in crashed.items():
            crashes.append(f"{unit.relative_to(run)}\t{message}\t{f}")
        for f in counted:
            if f in crashed:
                state[f] = ("crash", crashed[f])
            elif f in not_parsed:
                state[f] = ("not-parsed", not_parsed[f])
            else:
                state[f] = ("parsed", "")
    counted_all = (run / "counted.txt").read_text().split()
    with open(run / "files.tsv", "w") as out:
        for f in counted_all:
            s, detail = state.get(f, ("not-linted", "no kmodlint run covered it"))
            out.write(f"{f}\t{s}\t{detail}\n")
    (run / "crashes.tsv").write_text("".join(c + "\n" for c in crashes))
    (run / "single-file.txt").write_text("".join(f + "\n" for f in sorted(single_all)))


# ---------------------------------------------------------------------------------------------
# recheck: each file kmodlint did not parse, with clang-19 and kmodlint's own command for it

def recheck_one(args, src, f, detail):
    """(file, verdict, kmodlint's error, clang-19's error or why there is no command, missing -I dirs), refused?"""
    try:
        printed = subprocess.run([args.kmodlint, *(["--kdir", args.kdir] if args.kdir else []), "--print-compile-command", f],
                                 cwd=src, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return (f, "only-kmodlint", detail, "kmodlint --print-compile-command timed out", ""), True
    if printed.returncode != 0 or not printed.stdout.startswith("cd "):
        why = "no clang command: " + (printed.stderr.strip().splitlines() or ["(no output)"])[-1]
        return (f, "only-kmodlint", detail, why, ""), True
    command = printed.stdout.strip()
    words = shlex.split(command)
    cwd = words[1] if len(words) > 1 else "/"
    includes = [w[2:] or (words[k + 1] if k + 1 < len(words) else "") for k, w in enumerate(words) if w.startswith("-I")]
    missing = " ".join(sorted({d for d in includes if d and not os.path.isdir(os.path.join(cwd, d))}))
    try:
        clang = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return (f, "clang-fails-too", detail, f"clang-19 did not finish in {args.timeout} s", missing), False
    if clang.returncode == 0:
        return (f, "only-kmodlint", detail, "clang-19 -fsyntax-only parses it", missing), False
    errors = [l for l in clang.stderr.splitlines() if ": error: " in l or ": fatal error: " in l]
    return (f, "clang-fails-too", detail, errors[0] if errors else f"clang-19 exit {clang.returncode}", missing), False


def cmd_recheck(args):
    """Each file kmodlint did not parse or lint, through the command kmodlint prints for it, with clang-19.
    Files of the same Kbuild root share kmodlint's refusal: one file per root is asked first."""
    import concurrent.futures
    src = os.path.realpath(args.src)
    args.kmodlint = os.path.abspath(args.kmodlint)
    run = Path(args.run)
    rows = [l.split("\t") for l in (run / "files.tsv").read_text().splitlines()]
    todo = [(r[0], r[2]) for r in rows if r[1] in ("not-parsed", "refused")]
    cache = {}
    by_root = OrderedDict()
    for f, detail in todo:
        by_root.setdefault(kmodlint_root(src, f, cache), []).append((f, detail))
    results = {}
    done = [0]

    def check(item):
        result = recheck_one(args, src, *item)
        done[0] += 1
        print(f"crash-sweep: clang-19 re-check {done[0]}/{len(todo)}: {item[0]}", file=sys.stderr)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        firsts = dict(zip(by_root, pool.map(check, [files[0] for files in by_root.values()])))
        rest = []
        for root, files in by_root.items():
            result, refused = firsts[root]
            results[files[0][0]] = result
            if refused:   # the same dry run fails for every file of this root
                for f, detail in files[1:]:
                    results[f] = (f, result[1], detail, result[3], "")
            else:
                rest += files[1:]
        for result, _ in pool.map(check, rest):
            results[result[0]] = result
    out = [results[f] for f, _ in todo]
    (run / "not-parsed.tsv").write_text("".join("\t".join(r) + "\n" for r in out))


# ---------------------------------------------------------------------------------------------
# report

def cmd_report(args):
    run = Path(args.run)
    rows = [l.split("\t") for l in (run / "files.tsv").read_text().splitlines()]
    states = Counter(r[1] for r in rows)
    rechecked = [l.split("\t") for l in (run / "not-parsed.tsv").read_text().splitlines()] \
        if (run / "not-parsed.tsv").exists() else []
    clang_too = sum(1 for r in rechecked if r[1] == "clang-fails-too")
    only = sum(1 for r in rechecked if r[1] == "only-kmodlint")
    crashes = [l for l in (run / "crashes.tsv").read_text().splitlines() if l]
    peak_kb, cpu = 0, 0.0
    for t in run.rglob("time.txt"):   # GNU time: "%M %e %U %S" (after a "Command ..." line, if any)
        for line in t.read_text().splitlines():
            fields = line.split()
            if len(fields) == 4 and fields[0].isdigit():
                peak_kb = max(peak_kb, int(fields[0]))
                cpu += float(fields[2]) + float(fields[3])
    single = (run / "single-file.txt").read_text().split()
    refused = states.get("refused", 0)
    not_parsed = states.get("not-parsed", 0) + refused
    if states.get("not-linted"):
        print(f"crash-sweep: note: {states['not-linted']} selected files were in no kmodlint run (see {run}/files.tsv)")
    if refused:
        print(f"crash-sweep: note: {refused} of the files not parsed are in modules kmodlint refused before "
              f"parsing (e.g. Kbuild's dry run failed); they count as 'only kmodlint'")
    if single:
        print(f"crash-sweep: note: kmodlint's own Kbuild dry run did not build {len(single)} selected files; it linted "
              f"them as single-file modules (see {run}/single-file.txt)")
    if only:
        print("crash-sweep: files only kmodlint fails on, by kmodlint's message (all in not-parsed.tsv):")
        groups = OrderedDict()
        for r in rechecked:
            if r[1] == "only-kmodlint":
                groups.setdefault(r[2], []).append(r[0])
        for message, files in sorted(groups.items(), key=lambda g: -len(g[1])):
            shown = " ".join(files[:3]) + (f" ... (+{len(files) - 3})" if len(files) > 3 else "")
            print(f"  {len(files):5d}  {message[:400]}\n         {shown}")
    if crashes:
        print("crash-sweep: crashes:")
        for c in crashes:
            unit, detail, files = c.split("\t")
            print(f"  {unit}: {detail[:300]} ({len(files.split())} files: {files[:200]})")
    missing_i = [r for r in rechecked if r[1] == "clang-fails-too" and len(r) > 4 and r[4]]
    if missing_i:
        print(f"crash-sweep: note: {len(missing_i)} of the files clang-19 rejects too have an -I directory in kmodlint's "
              f"command that does not exist (e.g. {missing_i[0][4].split()[0]}): kmodlint's flags, not the code, are "
              f"the likely cause (column 5 of not-parsed.tsv)")
    if clang_too:
        firsts = Counter(re.sub(r"^.*?(fatal )?error: ", "", r[3])[:100] for r in rechecked if r[1] == "clang-fails-too")
        print("crash-sweep: most common first clang-19 errors of the files clang-19 rejects too:")
        for message, n in firsts.most_common(5):
            print(f"  {n:5d}  {message}")
    print(f"crash-sweep: note: kmodlint used {cpu:.0f} s of CPU time (user + system, with its make children), "
          f"{cpu / max(len(rows), 1):.2f} s per counted file")
    print(f"crash-sweep: files: {len(rows)}")
    print(f"crash-sweep: parsed: {states.get('parsed', 0)}")
    print(f"crash-sweep: not parsed: {not_parsed} (clang-19 fails too: {clang_too}, only kmodlint: {only})")
    print(f"crash-sweep: crashes: {len(crashes)}")
    print(f"crash-sweep: peak MB: {round(peak_kb / 1024)}")
    print(f"crash-sweep: seconds: {args.seconds}")
    bad = bool(crashes) or only > 0
    sys.exit(1 if bad else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("select")
    p.add_argument("--src", required=True)
    p.add_argument("--kdir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tops", nargs="+", required=True)
    p.add_argument("dry_runs", nargs="+")
    p = sub.add_parser("plan")
    p.add_argument("--src", required=True)
    p.add_argument("--selection", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--batch-files", type=int, default=40)
    p = sub.add_parser("split")
    p.add_argument("--src", required=True)
    p.add_argument("--selection", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--batch", required=True)
    p = sub.add_parser("collect")
    p.add_argument("--src", required=True)
    p.add_argument("--run", required=True)
    p = sub.add_parser("recheck")
    p.add_argument("--src", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--kmodlint", required=True)
    p.add_argument("--timeout", type=int, default=300)
    p.add_argument("--kdir", default="")
    p.add_argument("--jobs", type=int, default=2)
    p = sub.add_parser("report")
    p.add_argument("--run", required=True)
    p.add_argument("--seconds", type=int, required=True)
    args = parser.parse_args()
    globals()["cmd_" + args.command](args)


if __name__ == "__main__":
    main()
