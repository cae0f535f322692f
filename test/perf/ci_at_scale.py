#!/usr/bin/env python3
"""The CI-at-scale figures, each against a peer measured in the same run:

  floor     clang++-19 -fsyntax-only over every unit, one at a time;
  whole     corolint over every unit with -j 1 (no cache);
  cold      corolint with an empty --cache-dir, -j 1 (analyses and stores);
  warm      the same again: every unit from the cache (target: under 5 % of
            the floor);
  shard K/2 corolint --shard=K/2, -j 1, against whole;
  diff unit   corolint --diff=- given a one-line change of one unit, -j 1,
              against whole;
  diff header the same for a one-line change of a header (--diff-header),
              which adds a preprocessor pass over every unit to find those
              that read it.

Prints the median CPU time (user + sys) of each over --runs rotations and
the ratios, with each run's ratio so that the noise shows.

usage: ci_at_scale.py --corolint BIN --build DIR [--only SUBSTR...]
                      [--runs N] [--diff-header FILE] [--smoke]
--build: a build directory with compile_commands.json; --only keeps the
units whose path contains one of the strings (default: every unit).
--smoke: two units, one run (the suite runs it so the script does not rot)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import perfrun


def units(build, only):
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    chosen = []
    for e in entries:
        if only and not any(s in e["file"] for s in only):
            continue
        chosen.append((e["directory"], e["file"], perfrun.compile_flags(e)))
    return sorted(chosen, key=lambda u: u[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--diff-header")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    corolint = os.path.abspath(args.corolint)
    build = os.path.abspath(args.build)
    chosen = units(build, args.only)
    if args.smoke:
        chosen, args.runs = chosen[:2], 1
    if not chosen:
        sys.exit("ci_at_scale: no unit selected in %s" % build)
    files = [f for _, f, _ in chosen]
    lint = [corolint, "--quiet", "-j", "1", "-p", build]
    cache = tempfile.mkdtemp(prefix="corolint-cache-")
    measured = {}

    def record(name, cmd, cwd=None, stdin=None):
        _, cpu, _ = perfrun.run(cmd, "ci_at_scale", cwd, (0, 1), stdin)
        measured.setdefault(name, []).append(cpu)

    # A one-line change, as a diff on standard input: nothing in the tree is
    # modified (corolint does not check that the diff applies).
    def one_line_diff(path):
        name = os.path.join(cache, os.path.basename(path) + ".diff")
        with open(name, "w") as f:
            f.write("--- %s\n+++ %s\n@@ -1 +1 @@\n-old\n+new\n" % (path, path))
        return name
    unit_diff = one_line_diff(files[len(files) // 2])
    header_diff = (one_line_diff(os.path.abspath(args.diff_header))
                   if args.diff_header else None)

    try:
        for _ in range(args.runs):
            floor = 0.0
            for cwd, f, flags in chosen:
                _, cpu, _ = perfrun.run([args.clang, "-fsyntax-only"] + flags +
                                        [f], "ci_at_scale", cwd)
                floor += cpu
            measured.setdefault("floor", []).append(floor)
            record("whole", lint + files)
            store = os.path.join(cache, "store")
            shutil.rmtree(store, ignore_errors=True)
            record("cold", lint + ["--cache-dir=" + store] + files)
            record("warm", lint + ["--cache-dir=" + store] + files)
            record("diff unit", lint + ["--diff=-"] + files, stdin=unit_diff)
            if header_diff:
                record("diff header", lint + ["--diff=-"] + files,
                       stdin=header_diff)
            for k in (1, 2):
                record("shard %d/2" % k, lint + ["--shard=%d/2" % k] + files)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    def ratios(name, base):
        return [a / b for a, b in zip(measured[name], measured[base])]

    print("%d units, %d runs, CPU seconds (user + sys)" % (len(chosen),
                                                           args.runs))
    print("| run | median CPU (s) | against | median ratio | ratio, each run |")
    print("| --- | --- | --- | --- | --- |")
    rows = [("floor", None), ("whole", "floor"), ("cold", "floor"),
            ("warm", "floor"), ("diff unit", "whole")]
    if header_diff:
        rows.append(("diff header", "whole"))
    rows += [("shard 1/2", "whole"), ("shard 2/2", "whole")]
    for name, base in rows:
        row = "| %s | %.2f |" % (name, statistics.median(measured[name]))
        if base:
            each = ratios(name, base)
            row += " %s | %.3f | %s |" % (base, statistics.median(each),
                                          " ".join("%.3f" % r for r in each))
        else:
            row += " | | |"
        print(row)


if __name__ == "__main__":
    main()
