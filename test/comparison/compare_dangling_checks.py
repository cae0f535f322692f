#!/usr/bin/env python3
"""Counts the findings of clang-tidy 19's two definition-site checks
(cppcoreguidelines-avoid-reference-coroutine-parameters and
-avoid-capturing-lambda-coroutines) and of async-dangling-reference on the
same code: Boost.Asio's C++20 examples, asyncrt (runtime-support/) and
examples/, and prints the markdown table of docs/checks/async-dangling-reference.md.

usage: compare_dangling_checks.py --clang-tidy CT --corolint C --build DIR
                                  --repo DIR [--asio DIR] [-j N]

A finding is counted once per place (file, line, column, check), whichever
unit reports it, headers of the corpus included. Exits 1 if
async-dangling-reference reports anything on code that is meant to be
clean (Asio's examples, asyncrt, the good forms and patterns) or misses the
pitfall examples/pitfalls/dangling-reference/bad.cpp."""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

UPSTREAM = ["cppcoreguidelines-avoid-reference-coroutine-parameters",
            "cppcoreguidelines-avoid-capturing-lambda-coroutines"]
OURS = "async-dangling-reference"
WARNING = re.compile(r"^(.*?):(\d+):(\d+): warning: .*\[([\w,.-]+)\]$")


def findings(output, root):
    """The (file, line, column, check) of every warning under root."""
    found = set()
    for line in output.splitlines():
        m = WARNING.match(line)
        if not m:
            continue
        path = os.path.realpath(m.group(1))
        if not path.startswith(root + os.sep):
            continue
        for check in m.group(4).split(","):
            found.add((os.path.relpath(path, root), int(m.group(2)),
                       int(m.group(3)), check))
    return found


def run_units(commands, jobs):
    """Runs each command (argv, cwd); returns their joined stdout."""
    def one(cmd):
        argv, cwd = cmd
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        if re.search(r": (fatal )?error: ", proc.stdout + proc.stderr):
            sys.exit("compare_dangling_checks: %s failed in %s:\n%s%s"
                     % (" ".join(argv[:3]), cwd, proc.stdout, proc.stderr))
        return proc.stdout
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return "\n".join(pool.map(one, commands))


def corpus_counts(units, root, args, tidy_args, corolint_args):
    """Findings per check over the units (source paths)."""
    header_filter = "--header-filter=^" + re.escape(root) + "/"
    upstream = [([args.clang_tidy, "--quiet", "--checks=-*," + ",".join(UPSTREAM),
                  header_filter, unit] + tidy_args, root) for unit in units]
    out = run_units(upstream, args.jobs)
    ours = run_units([([args.corolint, "--quiet", "--checks=-*," + OURS,
                        header_filter, "-j", str(args.jobs)] + units + corolint_args,
                       root)], 1)
    found = findings(out, root) | findings(ours, root)
    return {check: sorted(f for f in found if f[3] == check)
            for check in UPSTREAM + [OURS]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--asio")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    for tool in ("clang_tidy", "corolint"):
        path = getattr(args, tool)
        if os.sep in path:
            setattr(args, tool, os.path.abspath(path))
    repo = os.path.realpath(args.repo)
    rows = []
    if args.asio:
        asio = os.path.realpath(args.asio)
        units = sorted(os.path.relpath(p, asio) for p in
                       glob.glob(os.path.join(asio, "**", "*.cpp"), recursive=True))
        flags = ["-std=c++20", "-I", "type_erasure"]
        rows.append(("Boost.Asio 1.81 C++20 examples", len(units),
                     corpus_counts(units, asio, args, ["--"] + flags, ["--"] + flags),
                     "clean"))
    with open(os.path.join(args.build, "compile_commands.json")) as f:
        database = sorted({os.path.realpath(os.path.join(e["directory"], e["file"]))
                           for e in json.load(f)})
    groups = [
        ("asyncrt: runtime-support/ (headers, tests, benchmarks)",
         lambda p: p.startswith(os.path.join(repo, "runtime-support") + os.sep), "clean"),
        ("examples/: patterns and good forms",
         lambda p: p.startswith(os.path.join(repo, "examples") + os.sep)
         and not p.endswith(os.sep + "bad.cpp"), "clean"),
        ("examples/pitfalls/*/bad.cpp",
         lambda p: p.startswith(os.path.join(repo, "examples", "pitfalls") + os.sep)
         and p.endswith(os.sep + "bad.cpp"), "pitfall"),
    ]
    db = ["-p", os.path.realpath(args.build)]
    for title, member, kind in groups:
        units = [p for p in database if member(p)]
        rows.append((title, len(units), corpus_counts(units, repo, args, db, db), kind))

    print("| code | units | `%s` | `%s` | `%s` |" % tuple(c.replace("cppcoreguidelines-", "")
                                                    if c != OURS else c
                                                    for c in UPSTREAM + [OURS]))
    print("| --- | --- | --- | --- | --- |")
    wrong = []
    for title, count, found, kind in rows:
        print("| %s | %d | %s |" % (title, count,
                                    " | ".join(str(len(found[c])) for c in UPSTREAM + [OURS])))
        ours = found[OURS]
        if kind == "clean" and ours:
            wrong += ["%s: %s:%d:%d" % (title, f[0], f[1], f[2]) for f in ours]
        if kind == "pitfall":
            if not any(f[0] == "examples/pitfalls/dangling-reference/bad.cpp" for f in ours):
                wrong.append("examples/pitfalls/dangling-reference/bad.cpp not reported")
            wrong += ["%s: unexpected %s:%d" % (title, f[0], f[1]) for f in ours
                      if f[0] != "examples/pitfalls/dangling-reference/bad.cpp"]
    if wrong:
        print("async-dangling-reference is wrong on:\n  " + "\n  ".join(wrong),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
