#!/usr/bin/env python3
"""Runs every async-* check, with no configuration, over a corpus of real
code that uses one async library, and prints what it found per check as a
row of docs/precision.md. A unit that does not compile is an error of the
run (corolint's exit status 2), never skipped.

usage: run_corpus.py COROLINT NAME ROOT [--files GLOB...] [-- COMPILER ARGS]

Each finding is printed in full: precision is measured by reading them and
confirming each real or false, and docs/precision.md records the verdicts.
"""
import glob
import re
import json
import os
import subprocess
import sys
import tempfile


def main():
    args = sys.argv[1:]
    compiler = []
    if "--" in args:
        split = args.index("--")
        args, compiler = args[:split], args[split + 1:]
    if len(args) < 3:
        sys.exit(__doc__)
    corolint, name, root = (os.path.abspath(args[0]), args[1],
                            os.path.abspath(args[2]))
    patterns = args[args.index("--files") + 1:] if "--files" in args else [
        "**/*.cpp"]
    files = sorted({f for p in patterns
                    for f in glob.glob(os.path.join(root, p), recursive=True)})
    if not files:
        sys.exit("run_corpus: no files match %s under %s" % (patterns, root))
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        run = subprocess.run(
            # The corpus's own headers (a library's awaiters, its task
            # types) are part of it; system headers are not.
            [corolint, "--checks=-*,async-*", "--format=json",
             "--header-filter=^" + re.escape(root) + "/",
             "--output=" + report, "-j", str(os.cpu_count() or 2),
             "--quiet"] + files + ["--", "-std=c++20"] + compiler,
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        if run.returncode == 2 or not os.path.exists(report):
            sys.stderr.write(run.stderr)
            sys.exit("run_corpus: %s: corolint could not analyse every unit "
                     "(exit status %d)" % (name, run.returncode))
        with open(report) as f:
            data = json.load(f)
    findings = data["diagnostics"]
    by_check = {}
    for finding in findings:
        by_check.setdefault(finding["check"], []).append(finding)
    print("%s: %d files, %d findings%s" % (
        name, len(files), len(findings),
        "".join("; %s %d" % (c, len(v)) for c, v in sorted(by_check.items()))))
    for finding in findings:
        print("  %s:%d:%d: %s [%s]" % (
            os.path.relpath(finding["file"], root), finding["line"],
            finding["column"], finding["message"], finding["check"]))
        for note in finding.get("notes", []):
            print("    note: %s:%d: %s" % (os.path.relpath(note["file"], root),
                                        note["line"], note["message"]))


if __name__ == "__main__":
    main()
