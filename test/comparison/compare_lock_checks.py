#!/usr/bin/env python3
"""Runs clang-tidy 19's two upstream lock checks and async-lock-across-suspend
over lock-cases.cpp and prints, case by case, which of them is right.

usage: compare_lock_checks.py --clang-tidy CT --plugin SO --corolint C
                              --cases FILE -- <compiler args>
Exits 1 if corolint is wrong on any case. The markdown table it prints is
the one in docs/checks/async-lock-across-suspend.md."""
import argparse
import os
import re
import subprocess
import sys

TOOLS = [
    ("misc-coroutine-hostile-raii", "misc-coroutine-hostile-raii"),
    ("cppcoreguidelines-no-suspend-with-lock", "cppcoreguidelines-no-suspend-with-lock"),
    ("async-lock-across-suspend", "async-lock-across-suspend"),
]


def cases(path):
    spans, current = [], None
    with open(path) as f:
        for number, line in enumerate(f, 1):
            m = re.match(r"task<int> ((bug|ok)_\w+)\(", line)
            if m:
                if current:
                    spans.append((current[0], current[1], number - 1))
                current = (m.group(1), number)
    if current:
        spans.append((current[0], current[1], 10**9))
    return spans


def warned_lines(cmd, check, path):
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    lines = set()
    for line in out.splitlines():
        m = re.match(r"(.*):(\d+):\d+: warning: .*\[(.+)\]$", line)
        if not m or os.path.abspath(m.group(1)) != os.path.abspath(path):
            continue
        m = re.match(r".*:(\d+):\d+: warning: .*\[(.+)\]$", line)
        if m and check in m.group(2).split(","):
            lines.add(int(m.group(1)))
    return lines


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang-tidy", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--cases", required=True)
    args = ap.parse_args(argv)
    results = {}
    for name, check in TOOLS:
        if check.startswith("async-"):
            cmd = [args.corolint, "--checks=-*," + check, args.cases, "--"] + extra
        else:
            cmd = [args.clang_tidy, "--load=" + args.plugin, "--checks=-*," + check,
                   args.cases, "--"] + extra
        results[name] = warned_lines(cmd, check, args.cases)
    spans = cases(args.cases)
    header = "| case | " + " | ".join("`%s`" % n for n, _ in TOOLS) + " |"
    print(header)
    print("|" + " --- |" * (len(TOOLS) + 1))
    right = {n: 0 for n, _ in TOOLS}
    corolint_wrong = []
    for case, first, last in spans:
        expect_bug = case.startswith("bug_")
        cells = []
        for name, _ in TOOLS:
            reported = any(first <= l <= last for l in results[name])
            ok = reported == expect_bug
            right[name] += ok
            if not ok and name.startswith("async-"):
                corolint_wrong.append(case)
            verdict = ("reported" if reported else "silent")
            cells.append(("right: " if ok else "**wrong**: ") + verdict)
        print("| %s | %s |" % (case, " | ".join(cells)))
    print("| **right** | " + " | ".join("%d of %d" % (right[n], len(spans))
                                        for n, _ in TOOLS) + " |")
    if corolint_wrong:
        print("async-lock-across-suspend is wrong on: " + ", ".join(corolint_wrong),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
