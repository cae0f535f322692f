#!/usr/bin/env python3
"""corolint against its peers on one corpus, in one run, same files and flags.

For every file of the corpus, one at a time (so that each tool gets the same
single core), and --runs times in rotation so that drift in the machine's
load hits all alike:
  floor   clang++-19 -fsyntax-only: the parse every AST-based tool pays;
  tidy    stock clang-tidy-19 with its coroutine checks;
  corolint with every async-* check.
Prints per-tool medians of the corpus total, their ratios to the floor, the
largest peak RSS of any single file's process, then corolint over the whole
corpus with -j 1 and with -j 2 (the speed-up).

usage: lint_vs_peers.py --corolint BIN --corpus DIR [--runs N] [--smoke]
                        -- <compiler args>
--smoke: one file, one run, no -j comparison; asserts nothing (the test suite
runs it so that the script does not rot)."""
import argparse
import glob
import os
import resource
import statistics
import subprocess
import sys
import time

TIDY_CHECKS = ("-*,misc-coroutine-hostile-raii,"
               "cppcoreguidelines-no-suspend-with-lock,"
               "cppcoreguidelines-avoid-capturing-lambda-coroutines,"
               "cppcoreguidelines-avoid-reference-coroutine-parameters")


def measure(cmd, cwd):
    """Wall seconds and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit("lint_vs_peers: %s failed (exit %d):\n%s"
                 % (cmd[0], proc.returncode, proc.stderr[-2000:]))
    rss = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, rss


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--clang-tidy", default="clang-tidy-19")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args(argv)
    files = sorted(os.path.relpath(p, args.corpus) for p in glob.glob(
        os.path.join(args.corpus, "**/*.cpp"), recursive=True))
    if args.smoke:
        files, args.runs = files[:1], 1
    tools = [
        ("clang++ -fsyntax-only (floor)",
         lambda f: [args.clang, "-fsyntax-only"] + extra + [f]),
        ("clang-tidy-19, coroutine checks",
         lambda f: [args.clang_tidy, "--quiet", "--checks=" + TIDY_CHECKS, f,
                    "--"] + extra),
        ("corolint, all async-* checks",
         lambda f: [args.corolint, "--quiet", "-j", "1",
                    "--checks=-*,async-*", f, "--"] + extra),
    ]
    totals = {name: [] for name, _ in tools}
    peaks = {name: 0 for name, _ in tools}
    for _ in range(args.runs):
        for name, command in tools:
            total = 0.0
            for f in files:
                elapsed, rss = measure(command(f), args.corpus)
                total += elapsed
                peaks[name] = max(peaks[name], rss)
            totals[name].append(total)
    floor = statistics.median(totals[tools[0][0]])
    print("corpus: %s (%d files), %d runs each, one file per process"
          % (args.corpus, len(files), args.runs))
    print("| tool | median total wall (s) | ratio to floor | peak RSS (MiB) |")
    print("| --- | --- | --- | --- |")
    for name, _ in tools:
        median = statistics.median(totals[name])
        print("| %s | %.2f | %.3f | %.0f |"
              % (name, median, median / floor, peaks[name] / 1024))
    if args.smoke:
        return
    jobs = {}
    for _ in range(args.runs):
        for j in (1, 2):
            elapsed, _ = measure([args.corolint, "--quiet", "-j", str(j),
                                  "--checks=-*,async-*"] + files + ["--"] +
                                 extra, args.corpus)
            jobs.setdefault(j, []).append(elapsed)
    one, two = statistics.median(jobs[1]), statistics.median(jobs[2])
    print("corolint whole corpus: -j 1 %.2f s, -j 2 %.2f s, speed-up %.2f"
          % (one, two, one / two))


if __name__ == "__main__":
    main()
