#!/usr/bin/env python3
"""Helpers for bench/run-bench.sh: derive per-file Clang commands, select the corpus, write the
timed loops, and print the report. run-bench.sh is the entry point; this file holds no policy."""

import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

# What the kernel's Makefile passes to sparse for x86_64 (CHECKFLAGS, as for `make C=1`).
SPARSE_CHECKFLAGS = ["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-Wbitwise",
                     "-Wno-return-void", "-Wno-unknown-attribute", "--arch=x86", "-mlittle-endian",
                     "-m64", "-D__x86_64__"]


class Template:
    """The command kmodlint printed for one reference file, with the words that name the file."""

    def __init__(self, template_path, ref_file):
        words = shlex.split(Path(template_path).read_text())
        if len(words) < 5 or words[0] != "cd" or words[2] != "&&":
            sys.exit(f"bench.py: unexpected --print-compile-command output: {' '.join(words[:4])} ...")
        self.directory = words[1]
        self.argv = words[3:]
        ref = os.path.realpath(ref_file)
        self.slots = {}
        for i, word in enumerate(self.argv):
            if word.startswith("-DKBUILD_BASENAME="):
                self.slots["basename"] = i
            elif word.startswith("-DKBUILD_MODNAME="):
                self.slots["modname"] = i
            elif word.startswith("-D__KBUILD_MODNAME="):
                self.slots["kmodname"] = i
            elif word == "-I" + os.path.dirname(ref):
                self.slots["dir"] = i
            elif word == ref:
                self.slots["file"] = i
        others = [w for i, w in enumerate(self.argv) if w.endswith(".c") and i != self.slots.get("file")
                  and not self.argv[i - 1] in ("-include", "-o", "-MF", "-MT")]
        if others:
            sys.exit(f"bench.py: kmodlint's command for {ref_file} compiles other source files too: "
                     + ", ".join(f"{w} ({'exists' if os.path.exists(w) else 'does not exist'})" for w in others)
                     + "; Clang cannot parse that as one unit (a kmodlint bug)")
        missing = {"basename", "modname", "kmodname", "dir", "file"} - set(self.slots)
        if missing:
            sys.exit("bench.py: the printed command has no " + ", ".join(sorted(missing)) +
                     " word; kmodlint no longer treats the reference file as a single-file module")

    def clang_argv(self, file):
        """kmodlint's single-file instantiation: KBUILD_BASENAME is the file's stem, the module
        name is the stem with '-' turned into '_', and the file's own directory is on -I."""
        path = os.path.realpath(file)
        stem = Path(path).stem
        modname = stem.replace("-", "_")
        argv = list(self.argv)
        argv[self.slots["basename"]] = f'-DKBUILD_BASENAME="{stem}"'
        argv[self.slots["modname"]] = f'-DKBUILD_MODNAME="{modname}"'
        argv[self.slots["kmodname"]] = f"-D__KBUILD_MODNAME=kmod_{modname}"
        argv[self.slots["dir"]] = "-I" + os.path.dirname(path)
        argv[self.slots["file"]] = path
        return argv

    def shell_line(self, file):
        return "cd " + shlex.quote(self.directory) + " && " + " ".join(shlex.quote(w) for w in self.clang_argv(file))

    def sparse_argv(self, file):
        argv = self.clang_argv(file)[1:]
        out = ["sparse"] + SPARSE_CHECKFLAGS
        skip = False
        for word in argv:
            if skip:
                skip = False
            elif word == "-resource-dir":
                skip = True
            elif word in ("-fsyntax-only", "-Qunused-arguments"):
                pass
            else:
                out.append(word)
        return out


def read_list(path):
    return [line for line in Path(path).read_text().splitlines() if line]


def cmd_verify(args):
    """Compares the derived command with the one kmodlint printed for another file."""
    template = Template(args.template, args.ref)
    printed = shlex.split(Path(args.printed).read_text())
    derived = shlex.split(template.shell_line(args.file))
    if printed != derived:
        print(f"bench.py: derived command for {args.file} differs from kmodlint's:", file=sys.stderr)
        for a, b in zip(printed + [""] * len(derived), derived + [""] * len(printed)):
            if a != b:
                print(f"  kmodlint: {a!r}\n  derived:  {b!r}", file=sys.stderr)
        return 1
    return 0


def first_error(text):
    for line in text.splitlines():
        if ": error:" in line or "fatal error:" in line:
            return line.strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no message)"


def cmd_select(args):
    """Runs clang-19 -fsyntax-only on each file (in parallel; this is not timed) and keeps those
    that parse. With --limit, stops once that many parsed (in list order)."""
    template = Template(args.template, args.ref)
    files = read_list(args.files)

    def check(file):
        run = subprocess.run(template.clang_argv(file), cwd=template.directory, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, errors="replace")
        return file, run.returncode, "" if run.returncode == 0 else first_error(run.stderr)

    results = []
    selected = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        batch = max(args.jobs * 4, 8)
        for start in range(0, len(files), batch):
            results.extend(pool.map(check, files[start:start + batch]))
            selected = sum(1 for _, rc, _ in results if rc == 0)
            print(f"\r  selecting: {len(results)}/{len(files)} tried, {selected} parse", end="", file=sys.stderr)
            if args.limit and selected >= args.limit:
                break
    print(file=sys.stderr)
    out = Path(args.out)
    ok = [f for f, rc, _ in results if rc == 0]
    if args.limit:
        ok = ok[:args.limit]
    (out / "tried.txt").write_text("".join(f + "\n" for f, _, _ in results))
    (out / "selected.txt").write_text("".join(f + "\n" for f in ok))
    (out / "excluded.tsv").write_text("".join(f"{f}\t{msg}\n" for f, rc, msg in results if rc != 0))
    return 0


def cmd_scripts(args):
    """Writes the two timed loops: one clang-19 (or sparse) process per file, sequentially."""
    template = Template(args.template, args.ref)
    files = read_list(args.files)
    run = Path(args.run)
    for tool, make_argv in (("clang", template.clang_argv), ("sparse", template.sparse_argv)):
        log, failed = shlex.quote(str(run / f"{tool}.log")), shlex.quote(str(run / f"{tool}.failed"))
        lines = ["# generated by bench/bench.py: one process per corpus file, in order",
                 "cd " + shlex.quote(template.directory) + " || exit 2",
                 f": > {log}; : > {failed}"]
        for file in files:
            argv = " ".join(shlex.quote(w) for w in make_argv(file))
            lines.append(f"{argv} >/dev/null 2>>{log} || echo {shlex.quote(file)} >>{failed}")
        (run / f"{tool}.sh").write_text("\n".join(lines) + "\n")
    return 0


def read_time(path):
    """The '%e %M %U %S' line GNU time wrote last (a 'Command exited with non-zero status' line may
    precede it): wall seconds, peak MB, CPU seconds (user + system)."""
    try:
        lines = [l.split() for l in Path(path).read_text().splitlines()]
    except FileNotFoundError:
        return None
    for words in reversed(lines):
        if len(words) in (2, 4):
            try:
                cpu = float(words[2]) + float(words[3]) if len(words) == 4 else None
                return float(words[0]), int(words[1]) / 1024.0, cpu
            except ValueError:
                continue
    return None


def best(run, name, repeat):
    """Best wall time of the repeats; peak memory is the largest of them (the conservative figure)."""
    times = [t for t in (read_time(run / f"{name}.{i}.time") for i in range(1, repeat + 1)) if t]
    if not times:
        return None
    fastest = min(times, key=lambda t: t[0])
    return fastest[0], max(t[1] for t in times), fastest[2]


def cmd_report(args):
    run = Path(args.run)
    files = read_list(args.files)
    n, jobs, repeat = len(files), args.jobs, args.repeat
    rows = [("kmodlint -j1", "kml1"), (f"kmodlint -j{jobs}", "kmlN"), ("clang-19 -fsyntax-only", "clang"),
            ("sparse", "sparse")]
    measured = {key: best(run, key, repeat) for _, key in rows}
    out = []
    p = out.append
    p(f"corpus: {n} files (drivers/watchdog, drivers/char, drivers/misc of linux-source-6.1); "
      f"best of {repeat} run(s); peak = largest over runs (per-file loops: largest single process)")
    p("")
    p(f"{'tool':<24} {'files':>6} {'wall s':>9} {'files/s':>9} {'peak MB':>9} {'CPU s':>9}")
    for label, key in rows:
        m = measured[key]
        if m is None:
            p(f"{label:<24} {n:>6} {'-':>9} {'-':>9} {'-':>9} {'-':>9}")
        else:
            p(f"{label:<24} {n:>6} {m[0]:>9.2f} {n / m[0] if m[0] else 0:>9.1f} {m[1]:>9.1f} {'-' if m[2] is None else f'{m[2]:.1f}':>9}")
    p("(CPU s = user + system time of the run: on a busy machine it shows the work done, which wall time hides)")
    p("")

    def ratio(a, b):
        return measured[a][0] / measured[b][0] if measured[a] and measured[b] and measured[b][0] else None

    def fmt(x, suffix="x"):
        return "-" if x is None else f"{x:.2f}{suffix}"

    r_clang, r_sparse, speedup = ratio("kml1", "clang"), ratio("kml1", "sparse"), ratio("kml1", "kmlN")
    p(f"{'kmodlint -j1 / clang-19 -fsyntax-only time:':<45}{fmt(r_clang)}")
    p(f"{'kmodlint -j1 / sparse time:':<45}{fmt(r_sparse)}")
    p(f"{f'speedup kmodlint -j1 / -j{jobs}:':<45}{fmt(speedup)}")
    p("")

    failures = 0

    def goal(text, ok):
        nonlocal failures
        if ok is None:
            p(f"  SKIP  {text}")
        else:
            failures += 0 if ok else 1
            p(f"  {'PASS' if ok else 'FAIL'}  {text}")

    p("goals:")
    goal(f"kmodlint -j1 at most 1.2x clang-19 -fsyntax-only time (is {fmt(r_clang)})",
         None if r_clang is None else r_clang <= 1.2)
    if jobs >= 2:
        goal(f"kmodlint -j{jobs} at least 1.7x faster than -j1 (is {fmt(speedup)})"
             + ("" if jobs == 2 else " [goal is stated for -j2]"), None if speedup is None else speedup >= 1.7)
    else:
        goal("kmodlint -j2 at least 1.7x faster than -j1 (one core: not measurable)", None)
    peaks = [measured[k][1] for k in ("kml1", "kmlN") if measured[k]]
    goal(f"kmodlint peak memory under 400 MB (is {max(peaks):.0f} MB)" if peaks else "kmodlint peak memory under 400 MB",
         max(peaks) < 400 if peaks else None)
    p("")

    # Findings per check, from the -j1 run's JSON; the -jN run must report the same.
    reports = {}
    for key in ("kml1", "kmlN"):
        try:
            reports[key] = json.loads((run / f"{key}.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            reports[key] = None
    main = reports["kml1"] or reports["kmlN"]
    if main is None:
        p("findings: no JSON report (kmodlint did not finish)")
        failures += 1
    else:
        counts = Counter(f.get("check", "?") for f in main.get("findings", []))
        p(f"kmodlint findings: {sum(counts.values())} in {len({f.get('file') for f in main.get('findings', [])})} files")
        for check, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            p(f"  {count:>6}  {check}")
        if reports["kml1"] is not None and reports["kmlN"] is not None:
            same = reports["kml1"].get("findings") == reports["kmlN"].get("findings")
            p(f"  -j1 and -j{jobs} reports identical: {'yes' if same else 'NO (nondeterminism)'}")
            failures += 0 if same else 1
    p("")

    # Files clang parsed (the whole corpus) that kmodlint could not.
    unparsed = set()
    for key in ("kml1", "kmlN"):
        err = run / f"{key}.err"
        if err.exists():
            for line in err.read_text(errors="replace").splitlines():
                if line.startswith("kmodlint: ") and line.endswith("to reproduce with clang-19") and ": could not be parsed;" in line:
                    unparsed.add(line[len("kmodlint: "):line.index(": could not be parsed;")])
    p(f"files clang-19 parsed that kmodlint could not parse: {len(unparsed)}  {'PASS' if not unparsed else 'FAIL'}")
    failures += 1 if unparsed else 0
    for f in sorted(unparsed):
        p(f"  {f}")

    crashes = [line for line in Path(run / "crashes.txt").read_text().splitlines() if line] \
        if (run / "crashes.txt").exists() else []
    for line in crashes:
        p(f"CRASH: {line}")
    failures += len(crashes)

    for tool in ("clang", "sparse"):
        failed = run / f"{tool}.failed"
        bad = read_list(failed) if failed.exists() else []
        if bad and tool == "clang":
            p(f"WARNING: clang-19 failed on {len(bad)} corpus files during the timed loop: {', '.join(bad[:5])}")
        if tool == "sparse" and (run / "sparse.log").exists():
            log = (run / "sparse.log").read_text(errors="replace").splitlines()
            errors = sum(1 for l in log if ": error:" in l)
            warnings = sum(1 for l in log if ": warning:" in l)
            p(f"sparse (info): {warnings} warning and {errors} error lines over the corpus"
              + (f"; nonzero exit on {len(bad)} files" if bad else ""))
    text = "\n".join(out) + "\n"
    print(text, end="")
    (run / "report.txt").write_text(text)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("verify", "select", "scripts", "report"):
        sp = sub.add_parser(name)
        if name != "report":
            sp.add_argument("--template", required=True)
            sp.add_argument("--ref", required=True)
        if name == "verify":
            sp.add_argument("--file", required=True)
            sp.add_argument("--printed", required=True)
        else:
            sp.add_argument("--files", required=True)
        if name == "select":
            sp.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
            sp.add_argument("--limit", type=int, default=0)
            sp.add_argument("--out", required=True)
        if name in ("scripts", "report"):
            sp.add_argument("--run", required=True)
        if name == "report":
            sp.add_argument("--jobs", type=int, required=True)
            sp.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    return {"verify": cmd_verify, "select": cmd_select, "scripts": cmd_scripts, "report": cmd_report}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
