#!/usr/bin/env python3
"""Runs corolint over examples/ and holds each file to its promise:

- examples/pitfalls/<name>/bad.cpp must be flagged by the check named in
  examples/pitfalls/<name>/CHECK, when that check exists. A check that is not
  implemented yet is reported as `expected-missing`, so the gap stays visible.
- every other example (the good forms and the pattern programs) is clean
  under every check.

usage: check_examples.py <corolint> <build dir> <examples dir>"""
import json
import os
import subprocess
import sys


def run(corolint, build, path):
    proc = subprocess.run([corolint, "-p", build, "--checks=-*,async-*",
                           "--format=json", "--quiet", path],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit("check_examples: corolint failed on %s (exit %d):\n%s%s"
                 % (path, proc.returncode, proc.stdout, proc.stderr))
    return json.loads(proc.stdout)["diagnostics"]


def main():
    corolint, build, examples = sys.argv[1:4]
    listed = subprocess.run([corolint, "--list-checks", "--checks=-*,async-*"],
                            capture_output=True, text=True, check=True).stdout
    available = {line.split()[0] for line in listed.splitlines() if line.strip()}
    failures, missing, checked = [], [], 0
    pitfalls = os.path.join(examples, "pitfalls")
    for root, _, files in sorted(os.walk(examples)):
        for name in sorted(f for f in files if f.endswith(".cpp")):
            path = os.path.join(root, name)
            diags = run(corolint, build, path)
            checked += 1
            is_bad = name == "bad.cpp" and root.startswith(pitfalls)
            if not is_bad:
                for d in diags:
                    failures.append("%s:%d: unexpected %s: %s"
                                    % (path, d["line"], d["check"], d["message"]))
                continue
            with open(os.path.join(root, "CHECK")) as f:
                wanted = f.read().strip()
            if wanted not in available:
                missing.append("%s (%s is not implemented yet)" % (path, wanted))
                continue
            if not any(d["check"] == wanted for d in diags):
                failures.append("%s: not flagged by %s" % (path, wanted))
            for d in diags:
                if d["check"] != wanted:
                    failures.append("%s:%d: %s fires on a pitfall meant for %s"
                                    % (path, d["line"], d["check"], wanted))
    for m in missing:
        print("expected-missing: " + m)
    for f in failures:
        print("FAIL: " + f)
    print("examples: %d files, %d failed, %d expected-missing"
          % (checked, len(failures), len(missing)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
