#!/usr/bin/env python3
"""What the flow-sensitive checks cost on a real corpus, as a ratio against a
peer run of the same tool in the same script.

Runs corolint over the corpus with only async-unawaited-task enabled (the
peer) and with every async-* check (the candidate), alternating the two so
that drift in the machine's load hits both alike, and prints the median wall
time of each and their ratio. Also records peak memory (ru_maxrss of the
child). With --profile it adds clang-tidy's per-check profile of one run.

usage: check_cost.py --corolint BIN --corpus DIR [--runs N] [-j N]
                     [--files GLOB] [--smoke] -- <compiler args>
--smoke runs once on one file and only checks that everything works (the
test suite uses it so the script does not rot); it asserts no ratio.
--instructions FILE counts the instructions of one run on FILE under
valgrind's callgrind, which repeats exactly, for a ratio free of timing
noise."""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

import perfrun

CONFIGS = [("async-unawaited-task only", "-*,async-unawaited-task"),
           ("all async-* checks", "-*,async-*")]


def run_once(args, checks, files, extra, profile_dir=None):
    cmd = [args.corolint, "--quiet", "-j", str(args.jobs), "--checks=" + checks]
    if profile_dir:
        cmd += ["--enable-check-profile", "--store-check-profile=" + profile_dir]
    cmd += files + ["--"] + extra
    wall, cpu, rss = perfrun.run(cmd, "check_cost", args.corpus, (0, 1))
    return wall, rss, cpu


def main():
    argv, extra = perfrun.split_compiler_args(sys.argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--files", default="**/*.cpp")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--instructions", metavar="FILE")
    args = ap.parse_args(argv)
    # Runs happen in the corpus's folder: a relative path must not break.
    args.corolint = os.path.abspath(args.corolint)
    files = sorted(os.path.relpath(f, args.corpus) for f in
                   glob.glob(os.path.join(args.corpus, args.files), recursive=True))
    if not files:
        sys.exit("check_cost: no files match %s in %s" % (args.files, args.corpus))
    if args.smoke:
        files, args.runs = files[:1], 1
    times = {name: [] for name, _ in CONFIGS}
    cpu = {name: [] for name, _ in CONFIGS}
    for _ in range(args.runs):
        for name, checks in CONFIGS:
            wall, _, used = run_once(args, checks, files, extra)
            times[name].append(wall)
            cpu[name].append(used)
    if args.runs > 0:
        print("corpus: %s (%d files), -j %d, %d runs each, alternating"
              % (args.corpus, len(files), args.jobs, args.runs))
        print("| configuration | median wall (s) | median CPU (s) | runs (wall) |")
        print("| --- | --- | --- | --- |")
        for name, _ in CONFIGS:
            print("| %s | %.2f | %.2f | %s |" % (
                name, statistics.median(times[name]), statistics.median(cpu[name]),
                ", ".join("%.2f" % t for t in times[name])))
        base, full = (statistics.median(times[n]) for n, _ in CONFIGS)
        base_cpu, full_cpu = (statistics.median(cpu[n]) for n, _ in CONFIGS)
        print("ratio all/unawaited-only: wall %.3f, CPU %.3f"
              % (full / base, full_cpu / base_cpu))
    if args.instructions:
        counts = {}
        for name, checks in CONFIGS:
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "callgrind.out")
                subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                                args.corolint, "--quiet", "-j", "1", "--checks=" + checks,
                                args.instructions, "--"] + extra,
                               cwd=args.corpus, capture_output=True, text=True)
                with open(out) as f:
                    for line in f:
                        if line.startswith("summary:") or line.startswith("totals:"):
                            counts[name] = int(line.split()[1])
        print("instructions on %s: %s" % (args.instructions, ", ".join(
            "%s %d" % (name, counts[name]) for name, _ in CONFIGS)))
        print("ratio all/unawaited-only: instructions %.4f"
              % (counts[CONFIGS[1][0]] / counts[CONFIGS[0][0]]))
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            run_once(args, CONFIGS[1][1], files, extra, profile_dir=tmp)
            total = {}
            for path in glob.glob(os.path.join(tmp, "*.json")):
                with open(path) as f:
                    for key, value in json.load(f)["profile"].items():
                        if key.endswith(".wall"):
                            check = key.split(".")[2]
                            total[check] = total.get(check, 0.0) + value
            print("clang-tidy check profile (wall s, includes the profiler's own timers):")
            for check, value in sorted(total.items(), key=lambda kv: -kv[1]):
                print("  %-30s %.2f" % (check, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
