#!/usr/bin/env python3
"""Findings of a crash-sweep run, per check, and random samples of them for triage.

usage: bench/findings.py RUN... [--compare OTHER_RUN] [--sample CHECK --count N --seed S]

A RUN is a run of bench/crash-sweep.sh (~/.cache/kmodlint-sweep/runs/<date>-...), whose every
batches/*/report.json is read (a module re-run alone after a batch failure counts once), or one
kmodlint JSON report (`--format json -o FILE`, e.g. of a DKMS package); several RUNs are read as
one. --compare takes one RUN.
Prints one line per check: "<check> <count>", sorted by check id, then the total. With --compare,
prints the counts of both runs side by side and the findings only one of them has, per check.
With --sample, prints N findings of CHECK drawn with random.Random(S) from the run's findings
sorted by (file, line, column, message), each as file:line:col, the function, the message and
its notes: the same seed on the same run draws the same findings.
"""
import argparse
import collections
import glob
import json
import os
import random
import sys


def reports_of(run):
    if os.path.isfile(run):
        return [run]
    return sorted(glob.glob(os.path.join(run, "batches", "**", "report.json"), recursive=True))


def load(*runs):
    findings = {}
    for report in [r for run in runs for r in reports_of(run)]:
        try:
            with open(report, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as error:
            print(f"findings.py: skipping {report}: {error}", file=sys.stderr)
            continue
        for finding in data.get("findings", []):
            key = (finding.get("module", ""), finding["file"], finding["line"], finding["column"], finding["check"],
                   finding["message"])
            findings[key] = finding
    return [findings[k] for k in sorted(findings)]


def counts(findings):
    return collections.Counter(f["check"] for f in findings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--compare")
    parser.add_argument("--sample")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    findings = load(*args.runs)
    if args.sample:
        pool = [f for f in findings if f["check"] == args.sample]
        drawn = random.Random(args.seed).sample(pool, min(args.count, len(pool)))
        print(f"{len(drawn)} of {len(pool)} {args.sample} findings, seed {args.seed}")
        for i, f in enumerate(drawn, 1):
            print(f"\n[{i}] {f['file']}:{f['line']}:{f['column']} in {f.get('function', '')}() [module {f.get('module', '')}]")
            print(f"    {f['message']}")
            for note in f.get("notes", []):
                print(f"    note {os.path.basename(note['file'])}:{note['line']}: {note['message']}")
        return 0
    mine = counts(findings)
    if not args.compare:
        for check in sorted(mine):
            print(f"{check} {mine[check]}")
        print(f"total {sum(mine.values())}")
        return 0
    other_findings = load(args.compare)
    other = counts(other_findings)
    print(f"{'check':32} {'run':>6} {'compare':>8}")
    for check in sorted(set(mine) | set(other)):
        print(f"{check:32} {mine[check]:>6} {other[check]:>8}")
    print(f"{'total':32} {sum(mine.values()):>6} {sum(other.values()):>8}")
    key = lambda f: (f["file"], f["line"], f["check"], f["message"])
    a, b = {key(f) for f in findings}, {key(f) for f in other_findings}
    for label, only in (("only in run", a - b), ("only in compare", b - a)):
        per_check = collections.Counter(k[2] for k in only)
        if per_check:
            print(f"{label}: " + ", ".join(f"{c} {n}" for c, n in sorted(per_check.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
