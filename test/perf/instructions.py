#!/usr/bin/env python3
"""corolint against the parse, counted in instructions instead of seconds.

On a shared virtual machine the CPU-time ratios of lint_vs_peers.py move by
several per cent between runs; valgrind's callgrind counts the instructions
each process executes, which repeat exactly for the same binary and input.
For each file, in its own directory, it runs clang++-19 -fsyntax-only (the
floor), corolint with every async-* check, and each --also build, under
callgrind, two files at a time, and prints the instruction counts and their
ratios to the floor, per file and in total.

valgrind 3.19 cannot read DWARF 5: pass binaries without debug information
(strip --strip-debug a copy).

usage: instructions.py --corolint BIN [--also LABEL=BIN ...] [--jobs N]
                       FILE ... -- <compiler args>
A file is given as DIR:PATH (PATH relative to DIR, where it is compiled)."""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

import perfrun


def instructions(command, cwd):
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] +
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, errors="replace")
    if proc.returncode not in (0, 1):
        sys.exit("instructions: %s failed (exit %d):\n%s" %
                 (command[0], proc.returncode, proc.stderr[-2000:]))
    found = re.findall(r"Collected : (\d+)", proc.stderr)
    if not found:
        sys.exit("instructions: no count from callgrind for %s" % command)
    return int(found[-1])


def main():
    argv, extra = perfrun.split_compiler_args(sys.argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--also", action="append", default=[], metavar="LABEL=BIN")
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("files", nargs="+", metavar="DIR:PATH")
    args = ap.parse_args(argv)
    tools = [("floor", lambda f: [args.clang, "-fsyntax-only"] + extra + [f]),
             ("corolint", lambda f, b=os.path.abspath(args.corolint):
              [b, "--quiet", "-j", "1", "--checks=-*,async-*", f, "--"] +
              extra)]
    for also in args.also:
        label, _, binary = also.partition("=")
        if not binary:
            sys.exit("instructions: --also takes LABEL=BIN, not %r" % also)
        tools.append(("corolint (%s)" % label,
                      lambda f, b=os.path.abspath(binary):
                      [b, "--quiet", "-j", "1", "--checks=-*,async-*", f,
                       "--"] + extra))
    jobs = []
    for spec in args.files:
        directory, _, path = spec.partition(":")
        if not path:
            sys.exit("instructions: give files as DIR:PATH, not %r" % spec)
        for name, command in tools:
            jobs.append((spec, name, command(path), directory))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        counts = list(pool.map(lambda j: instructions(j[2], j[3]), jobs))
    table = {}
    for (spec, name, _, _), count in zip(jobs, counts):
        table.setdefault(spec, {})[name] = count
    names = [name for name, _ in tools]
    print("| file | " + " | ".join("%s (Ir)" % n for n in names) + " | " +
          " | ".join("%s / floor" % n for n in names[1:]) + " |")
    print("|" + " --- |" * (2 * len(names)))
    totals = {n: 0 for n in names}
    for spec, row in table.items():
        for n in names:
            totals[n] += row[n]
        print("| %s | " % spec.partition(":")[2] +
              " | ".join("%d" % row[n] for n in names) + " | " +
              " | ".join("%.4f" % (row[n] / row["floor"]) for n in names[1:])
              + " |")
    print("| all | " + " | ".join("%d" % totals[n] for n in names) + " | " +
          " | ".join("%.4f" % (totals[n] / totals["floor"])
                     for n in names[1:]) + " |")


if __name__ == "__main__":
    main()
