#!/usr/bin/env python3
"""The table of bench/dkms-corpus.sh, from the files it leaves in a run directory.

usage: dkms_corpus.py report --run RUN [--table FILE] [--seconds S]

RUN/info.tsv and RUN/skipped.tsv describe the run; RUN/rows/<package>/ holds one row each:
info.tsv, conf.tsv (dkms.conf as dkms evaluates it), build.rc, make.rc, make.log, ko.txt,
missing.txt (the build), lint.rc, lint.time, lint.err, lint.json (kmodlint).
"""

import argparse
import collections
import json
import os
import re
import sys

REASON_WIDTH = 100
SUMMARY = re.compile(r"^kmodlint: .* in (\d+) files? of (\d+) modules? \([0-9.]+ s\)$")
NOT_PARSED = re.compile(r"^kmodlint: (.*): could not be parsed;")
ERROR_LINE = re.compile(r"^(.*?):(?:\d+:\d+:)? (?:fatal )?error: (.*)$")


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def read_tsv(path):
    """KEY<TAB>VALUE... lines: {key: [[values], ...]}."""
    table = collections.defaultdict(list)
    for line in read(path).splitlines():
        if line:
            key, *values = line.split("\t")
            table[key].append(values)
    return table


def first(table, key, default=""):
    values = table.get(key)
    return values[0][0] if values and values[0] else default


def read_int(path):
    text = read(path).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def trim(text, width=REASON_WIDTH):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cell(text):
    return text.replace("|", "\\|")


def make_failure_reason(log, build_dir):
    """The first `error:` line of make's output, else make's own first `***` line, else its last line."""
    lines = [line for line in log.splitlines()[2:] if line.strip()]  # two lines of dkms's header
    if build_dir:
        lines = [line.replace(build_dir + "/", "").replace(build_dir, ".") for line in lines]
    for pattern in (r"\berror:", r"\*\*\* "):
        for line in lines:
            if re.search(pattern, line):
                return trim(line)
    return trim(lines[-1]) if lines else "no output"


def parse_cause(message):
    """A short class for a Clang error message."""
    rules = [
        (r"'([^']+)' file not found", "missing header '{}'"),
        (r"unknown type name '([^']+)'", "unknown type '{}'"),
        (r"(?:call to undeclared function|implicit declaration of function) '([^']+)'", "undeclared function '{}'"),
        (r"use of undeclared identifier '([^']+)'", "undeclared identifier '{}'"),
        (r"no member named '([^']+)'", "no member '{}'"),
        (r"incomplete (?:definition of )?type '([^']+)'", "incomplete type '{}'"),
        (r"too (?:few|many) arguments to function call", "wrong number of arguments"),
        (r"conflicting types for '([^']+)'", "conflicting types for '{}'"),
        (r"redefinition of '([^']+)'", "redefinition of '{}'"),
        (r"#error (.*)", "#error {}"),
    ]
    for pattern, label in rules:
        match = re.search(pattern, message)
        if match:
            return label.format(*[trim(g, 40) for g in match.groups()])
    return "other: " + trim(message, 40)


def parse_failures(stderr):
    """The cause of each file kmodlint could not parse: its first error line."""
    causes = []
    pending = []
    for line in stderr.splitlines():
        if NOT_PARSED.match(line):
            causes.append(parse_cause(pending[0]) if pending else "no error shown")
            pending = []
        else:
            match = ERROR_LINE.match(line)
            if match and not line.startswith("kmodlint:"):
                pending.append(match.group(2))
    return causes


def compact_counts(counter):
    return ", ".join(f"{key} {n}" for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def top_cause(causes):
    if not causes:
        return "0"
    counts = collections.Counter(causes)
    cause, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return f"{len(causes)}: {cause}" + (f" ({n})" if len(counts) > 1 else "")


def build_cell(row_dir, conf, built):
    """(text, ok or None when not built)."""
    if not built:
        return "— (--no-build)", None
    errors = conf.get("conf_error")
    if read_int(os.path.join(row_dir, "conf.rc")) not in (0, None) and not conf.get("package_name"):
        return "no: dkms.conf could not be evaluated", False
    if errors:
        return "no: dkms.conf: " + trim(errors[0][0], 80), False
    excluded = conf.get("excluded")
    if excluded:
        return "no: excluded, " + trim(excluded[0][0], 80), False
    rc = read_int(os.path.join(row_dir, "build.rc"))
    if rc == 124:
        return "no: timeout", False
    make_rc = read_int(os.path.join(row_dir, "make.rc"))
    if make_rc is None:
        return f"no: the build stopped before make (exit {rc}); see build.out", False
    info = read_tsv(os.path.join(row_dir, "info.tsv"))
    build_dir = first(info, "build_dir_path")
    if make_rc != 0:
        return "no: " + make_failure_reason(read(os.path.join(row_dir, "make.log")), build_dir), False
    missing = read(os.path.join(row_dir, "missing.txt")).split()
    if missing:
        text = f"no: {len(missing)} of {len(conf.get('module', []))} .ko missing"
        log = read(os.path.join(row_dir, "make.log"))
        if any(re.search(r"\berror:|\*\*\* ", line) for line in log.splitlines()[2:]):
            return trim(text + "; " + make_failure_reason(log, build_dir)), False
        return trim(text + ": " + ", ".join(missing)), False
    return "yes", True


def lint_exit_cell(rc, stderr, summary):
    if rc is None:
        return "—"
    if rc == 124:
        return "124 (timeout)"
    if rc > 128:
        return f"crash (signal {rc - 128})"
    if "internal error" in stderr:
        return f"{rc} (internal error)"
    if rc == 2 and not summary and not NOT_PARSED.search(stderr):
        lines = [line for line in stderr.splitlines() if line.startswith("kmodlint:")] or stderr.splitlines()
        return f"2: {trim(lines[0].removeprefix('kmodlint: '), 60)}" if lines else "2"
    return str(rc)


def report(args):
    run = args.run
    info = read_tsv(os.path.join(run, "info.tsv"))
    built = first(info, "build") == "1"
    rows_dir = os.path.join(run, "rows")
    names = sorted(os.listdir(rows_dir)) if os.path.isdir(rows_dir) else []
    out = []
    totals = collections.Counter()
    all_checks = collections.Counter()
    all_causes = []
    exits = collections.Counter()
    peak = 0.0
    notes = []
    for name in names:
        d = os.path.join(rows_dir, name)
        row_info = read_tsv(os.path.join(d, "info.tsv"))
        conf = read_tsv(os.path.join(d, "conf.tsv"))
        expected = len(conf.get("module", []))
        build_text, ok = build_cell(d, conf, built)
        if ok:
            totals["builds"] += 1
        if built:
            ko = len(read(os.path.join(d, "ko.txt")).split())
            ko_text = f"{ko}/{expected}"
            totals["ko"] += ko
        else:
            ko_text = f"—/{expected}"
        totals["expected"] += expected

        rc = read_int(os.path.join(d, "lint.rc"))
        stderr = read(os.path.join(d, "lint.err"))
        summary = None
        for line in stderr.splitlines():
            match = SUMMARY.match(line)
            if match:
                summary = match
        exit_text = lint_exit_cell(rc, stderr, summary)
        if rc is None:
            exits["not run"] += 1
        else:
            exits["crash/timeout" if rc >= 124 or "internal error" in stderr else str(rc)] += 1
        modules = int(summary.group(2)) if summary else 0
        totals["modules"] += modules
        modules_text = f"{modules if summary else '—'}/{expected}"
        causes = parse_failures(stderr)
        all_causes += causes
        try:
            with open(os.path.join(d, "lint.json"), encoding="utf-8") as f:
                checks = collections.Counter(finding["check"] for finding in json.load(f).get("findings", []))
            findings_text = compact_counts(checks) or "none"
            all_checks.update(checks)
        except (OSError, ValueError, KeyError, TypeError):
            findings_text = "— (no report)"
        times = read(os.path.join(d, "lint.time")).strip().splitlines()
        fields = times[-1].split() if times else []
        if len(fields) == 2 and re.fullmatch(r"[0-9.]+", fields[0]) and fields[1].isdigit():
            seconds, mb = float(fields[0]), int(fields[1]) / 1024
            totals["seconds"] += seconds
            peak = max(peak, mb)
            seconds_text, mb_text = f"{seconds:.1f}", f"{mb:.0f}"
        else:
            seconds_text = mb_text = "—"
        label = first(row_info, "label", name)
        row_notes = [values[0] for values in conf.get("note", []) if values]
        missing_depends = first(row_info, "missing_depends")
        if missing_depends and built:
            row_notes.append("Depends not installed here (not installed by this script): " + missing_depends)
        if row_notes and built:
            notes.append(f"{label}: " + "; ".join(row_notes))
            build_text += " (see notes)"
        out.append([label, build_text, ko_text, exit_text, modules_text,
                    top_cause(causes), findings_text, seconds_text, mb_text])

    n = len(out)
    exit_summary = ", ".join(f"{k} ×{v}" for k, v in sorted(exits.items()))
    out.append([f"**total ({n})**",
                f"{totals['builds']} yes of {n}" if built else "—",
                f"{totals['ko']}/{totals['expected']}" if built else f"—/{totals['expected']}",
                exit_summary or "—",
                f"{totals['modules']}/{totals['expected']}",
                top_cause(all_causes),
                compact_counts(all_checks) or "none",
                f"{totals['seconds']:.1f}",
                f"{peak:.0f}"])

    header = ["package", "builds", ".ko built / dkms.conf modules", "kmodlint exit",
              "modules found / dkms.conf modules", "parse failures (count: top cause)",
              "findings per check", "seconds", "peak MB"]
    lines = [
        f"DKMS corpus: {first(info, 'version')} ({first(info, 'kmodlint')}), kernel headers "
        f"{first(info, 'kernelver')}, {n} of {first(info, 'all')} Debian *-dkms packages' sources, "
        f"{first(info, 'date')}" + (f", {args.seconds} s in all" if args.seconds is not None else ""),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in out]
    skipped = [line.split("\t", 1) for line in read(os.path.join(run, "skipped.tsv")).splitlines() if line]
    if skipped:
        lines += ["", "Not in the table: " + "; ".join(f"{p} ({why})" for p, why in sorted(skipped)) + "."]
    if notes:
        lines += ["", "Notes on the dkms.conf evaluation:"] + [f"- {note}" for note in notes]
    if built:
        lines += ["", "Builds: as Debian 12's dkms 3.0.10 (`dkms build`) with `make -j1`; "
                  "\"yes\" when the make command exits 0 and every BUILT_MODULE_NAME[] .ko exists. "
                  "Lint: `kmodlint -j1 --format json -o OUT.json .` in a copy of /usr/src/NAME-VERSION."]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.table:
        tmp = args.table + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, args.table)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report")
    p.add_argument("--run", required=True)
    p.add_argument("--table")
    p.add_argument("--seconds", type=int)
    args = parser.parse_args()
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
