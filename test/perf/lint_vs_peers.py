#!/usr/bin/env python3
"""corolint against its peers on one corpus, in one run, same files and flags.

For every file of the corpus, one at a time (so that each tool gets the same
single core), and --runs times in rotation so that drift in the machine's
load hits all alike:
  floor   clang++-19 -fsyntax-only: the parse every AST-based tool pays;
  tidy    stock clang-tidy-19 with its coroutine checks;
  corolint with every async-* check.
Prints per-tool medians of the corpus total, wall and CPU time (user + sys:
steadier on a shared machine), their ratios to the floor, the largest peak
RSS of any single file's process, then corolint over the whole
corpus with -j 1 and with -j 2 (the speed-up).

usage: lint_vs_peers.py --corolint BIN --corpus DIR [--corpus DIR...]
                        [--compile-commands FILE] [--runs N] [--chart PNG]
                        [--also LABEL=BIN ...] [--smoke] -- <compiler args>
A file listed in --compile-commands is checked with its own flags (from the
build: asyncrt's tests and examples); any other file with the compiler args
after `--`, from its corpus directory (Boost.Asio's examples).
--chart: a PNG bar chart of the ratios to the floor (gnuplot).
--also: another corolint build in the same rotation (e.g. the commit before
a change, for a before/after table measured back to back).
--smoke: one file per corpus, one run, no -j comparison; asserts nothing
(the test suite runs it so that the script does not rot)."""
import argparse
import glob
import json
import os
import statistics
import sys
import time

import barchart
import perfrun

TIDY_CHECKS = ("-*,misc-coroutine-hostile-raii,"
               "cppcoreguidelines-no-suspend-with-lock,"
               "cppcoreguidelines-avoid-capturing-lambda-coroutines,"
               "cppcoreguidelines-avoid-reference-coroutine-parameters")


def database_flags(path):
    """file -> compiler flags (no compiler, output, -c or file) from a
    compile_commands.json."""
    flags = {}
    with open(path) as f:
        for entry in json.load(f):
            flags[os.path.realpath(entry["file"])] = (
                entry["directory"], perfrun.compile_flags(entry))
    return flags


def collect(corpora, database, extra, smoke):
    """[(corpus, cwd, file, flags)] for every .cpp file of the corpora."""
    files = []
    for corpus in corpora:
        found = sorted(glob.glob(os.path.join(corpus, "**/*.cpp"),
                                 recursive=True))
        if not found:
            sys.exit("lint_vs_peers: no .cpp file under %s" % corpus)
        for path in found[:1] if smoke else found:
            real = os.path.realpath(path)
            if real in database:
                cwd, flags = database[real]
                files.append((corpus, cwd, real, flags))
            else:
                files.append((corpus, corpus, os.path.relpath(path, corpus),
                              extra))
    return files


def main():
    argv, extra = perfrun.split_compiler_args(sys.argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--corpus", required=True, action="append")
    ap.add_argument("--compile-commands")
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--clang-tidy", default="clang-tidy-19")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chart")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--no-jobs", action="store_true",
                    help="skip the -j 1 against -j 2 run")
    ap.add_argument("--also", action="append", default=[],
                    metavar="LABEL=BIN")
    args = ap.parse_args(argv)
    args.corolint = os.path.abspath(args.corolint)
    database = (database_flags(args.compile_commands)
                if args.compile_commands else {})
    files = collect(args.corpus, database, extra, args.smoke)
    if args.smoke:
        args.runs = 1
    # (name, command, exit codes that mean it ran): the floor must compile
    # every file; the linters exit 1 on findings.
    tools = [
        ("clang++ -fsyntax-only (floor)",
         lambda f, flags: [args.clang, "-fsyntax-only"] + flags + [f], (0,)),
        ("clang-tidy-19, coroutine checks",
         lambda f, flags: [args.clang_tidy, "--quiet", "--checks=" +
                           TIDY_CHECKS, f, "--"] + flags, (0, 1)),
        ("corolint, all async-* checks",
         lambda f, flags: [args.corolint, "--quiet", "-j", "1",
                           "--checks=-*,async-*", f, "--"] + flags, (0, 1)),
    ]
    for also in args.also:
        label, _, binary = also.partition("=")
        if not binary:
            sys.exit("lint_vs_peers: --also takes LABEL=BIN, not %r" % also)
        binary = os.path.abspath(binary)
        tools.append(("corolint (%s)" % label,
                      lambda f, flags, b=binary: [b, "--quiet", "-j", "1",
                                                  "--checks=-*,async-*", f,
                                                  "--"] + flags, (0, 1)))
    # totals[kind][tool][corpus] = [total of each run], kind: wall or cpu
    totals = {k: {name: {c: [] for c in args.corpus} for name, _, _ in tools}
              for k in ("wall", "cpu")}
    peaks = {name: 0 for name, _, _ in tools}
    for _ in range(args.runs):
        for name, command, allowed in tools:
            run = {k: {c: 0.0 for c in args.corpus} for k in ("wall", "cpu")}
            for corpus, cwd, f, flags in files:
                elapsed, cpu, rss = perfrun.run(command(f, flags),
                                                "lint_vs_peers", cwd, allowed)
                run["wall"][corpus] += elapsed
                run["cpu"][corpus] += cpu
                peaks[name] = max(peaks[name], rss)
            for k in ("wall", "cpu"):
                for c in args.corpus:
                    totals[k][name][c].append(run[k][c])
    floor_name = tools[0][0]
    rows = [(c, sum(1 for f in files if f[0] == c)) for c in args.corpus]
    label = {c: os.path.basename(os.path.normpath(c)) for c in args.corpus}
    label["all"] = "all"
    if len(args.corpus) > 1:
        rows.append(("all", len(files)))

    def median_of(kind, name, corpus):
        if corpus == "all":
            return statistics.median(
                [sum(totals[kind][name][c][r] for c in args.corpus)
                 for r in range(args.runs)])
        return statistics.median(totals[kind][name][corpus])

    def run_ratios(name, corpus):
        """The CPU ratio to the floor of each run on its own: the noise."""
        def total(tool, r):
            if corpus == "all":
                return sum(totals["cpu"][tool][c][r] for c in args.corpus)
            return totals["cpu"][tool][corpus][r]
        return [total(name, r) / total(floor_name, r) for r in range(args.runs)]

    print("%d runs each, one file per process" % args.runs)
    print("| corpus | files | tool | median total wall (s) | wall ratio "
          "to floor | median total CPU (s) | CPU ratio to floor | "
          "CPU ratio, each run |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios = {name: [] for name, _, _ in tools}
    for corpus, count in rows:
        wall_floor = median_of("wall", floor_name, corpus)
        cpu_floor = median_of("cpu", floor_name, corpus)
        for name, _, _ in tools:
            wall = median_of("wall", name, corpus)
            cpu = median_of("cpu", name, corpus)
            ratios[name].append(cpu / cpu_floor)
            print("| %s | %d | %s | %.2f | %.3f | %.2f | %.3f | %s |"
                  % (label[corpus], count, name, wall, wall / wall_floor, cpu,
                     cpu / cpu_floor, " ".join(
                         "%.3f" % r for r in run_ratios(name, corpus))))
    print("peak RSS of any one process (MiB): " + ", ".join(
        "%s %.0f" % (name, peaks[name] / 1024) for name, _, _ in tools))
    if args.chart:
        barchart.draw(args.chart, "Lint CPU time relative to clang++ -fsyntax-only"
                      " (lower is better)", "median CPU time / floor",
                      [label[c] for c, _ in rows],
                      [(name, ratios[name]) for name, _, _ in tools])
    if args.smoke or args.no_jobs:
        return
    jobs = {}
    for _ in range(args.runs):
        for j in (1, 2):
            start = time.perf_counter()
            # One process per group of files that share their flags; the
            # files of the build together, with its compilation database.
            groups = {}
            for _, cwd, f, flags in files:
                in_build = os.path.isabs(f) and f in database
                key = ("-p",) if in_build else (cwd, tuple(flags))
                groups.setdefault(key, []).append(f)
            for key, names in groups.items():
                if key == ("-p",):
                    build = os.path.dirname(
                        os.path.abspath(args.compile_commands))
                    perfrun.run([args.corolint, "--quiet", "-j", str(j),
                                 "--checks=-*,async-*", "-p", build] + names,
                                "lint_vs_peers", build, (0, 1))
                else:
                    perfrun.run([args.corolint, "--quiet", "-j", str(j),
                                 "--checks=-*,async-*"] + names + ["--"] +
                                list(key[1]), "lint_vs_peers", key[0], (0, 1))
            jobs.setdefault(j, []).append(time.perf_counter() - start)
    one, two = statistics.median(jobs[1]), statistics.median(jobs[2])
    print("corolint whole corpus: -j 1 %.2f s, -j 2 %.2f s, speed-up %.2f"
          % (one, two, one / two))


if __name__ == "__main__":
    main()
