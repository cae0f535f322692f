#!/usr/bin/env python3
"""Runs every async-* check, with no configuration, over real code that uses
an async library, and holds it to the findings read and confirmed real.

One corpus, printing what it finds (the first look at a new corpus):
  run_corpus.py COROLINT NAME ROOT [--files GLOB...] [-- COMPILER ARGS]

The corpora of docs/precision.md, from test/corpus/corpora.json:
  run_corpus.py COROLINT --manifest corpora.json [--corpora DIR]
                [--only NAME] [--clang-tidy BIN]
Each corpus is a public snapshot (a checkout of <owner>+<name> at the
manifest's commit) under DIR (default: $COROLINT_CORPORA); one that is not
there is skipped with a message saying where it was looked for. For each
present corpus every unit is analysed (one that does not compile is an
error, never skipped), and the findings must be exactly the manifest's
expected ones, each of which was read and confirmed real (its reason is
beside it): a new finding, a missing one, or a crash fails the run. With
--clang-tidy, stock clang-tidy's coroutine checks are counted on the same
units, for the comparison in docs/precision.md.

The corpus's own headers are part of it (--header-filter is its root);
system headers are not.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

STOCK_CHECKS = ("-*,misc-coroutine-hostile-raii,"
                "cppcoreguidelines-no-suspend-with-lock,"
                "cppcoreguidelines-avoid-capturing-lambda-coroutines,"
                "cppcoreguidelines-avoid-reference-coroutine-parameters")


def fail(message):
    sys.exit("run_corpus: " + message)


def corpus_files(root, patterns, exclude=()):
    files = sorted({f for p in patterns
                    for f in glob.glob(os.path.join(root, p), recursive=True)})
    excluded = {os.path.join(root, e) for e in exclude}
    return [f for f in files if f not in excluded]


def lint(corolint, name, root, files, args):
    """The findings of every async-* check, as JSON diagnostics."""
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        run = subprocess.run(
            [corolint, "--checks=-*,async-*", "--format=json",
             "--header-filter=^" + re.escape(root) + "/",
             "--output=" + report, "-j", str(os.cpu_count() or 2),
             "--quiet"] + files + ["--", "-std=c++20"] + args,
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        if run.returncode == 2 or not os.path.exists(report):
            sys.stderr.write(run.stderr)
            fail("%s: corolint could not analyse every unit (exit status %d)"
                 % (name, run.returncode))
        with open(report) as f:
            return json.load(f)["diagnostics"]


def stock_warnings(clang_tidy, root, files, args):
    """How many warnings stock clang-tidy's coroutine checks give (each
    place once, though a header is seen by several units)."""
    places = set()
    for f in files:
        run = subprocess.run(
            [clang_tidy, "--checks=" + STOCK_CHECKS, "--quiet",
             "--header-filter=^" + re.escape(root) + "/", f, "--",
             "-std=c++20"] + args,
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        places.update(re.findall(r"^(\S+:\d+:\d+): warning:", run.stdout,
                                 re.M))
    return len(places)


def summary(name, files, findings):
    by_check = {}
    for finding in findings:
        by_check.setdefault(finding["check"], []).append(finding)
    return "%s: %d files, %d findings%s" % (
        name, len(files), len(findings),
        "".join("; %s %d" % (c, len(v)) for c, v in sorted(by_check.items())))


def show(finding, root):
    print("  %s:%d:%d: %s [%s]" % (
        os.path.relpath(finding["file"], root), finding["line"],
        finding["column"], finding["message"], finding["check"]))
    for note in finding.get("notes", []):
        print("    note: %s:%d: %s" % (os.path.relpath(note["file"], root),
                                    note["line"], note["message"]))


def one_corpus(argv):
    args, compiler = argv, []
    if "--" in args:
        split = args.index("--")
        args, compiler = args[:split], args[split + 1:]
    if len(args) < 3:
        sys.exit(__doc__)
    corolint, name, root = (os.path.abspath(args[0]), args[1],
                            os.path.abspath(args[2]))
    patterns = args[args.index("--files") + 1:] if "--files" in args else [
        "**/*.cpp"]
    files = corpus_files(root, patterns)
    if not files:
        fail("no files match %s under %s" % (patterns, root))
    findings = lint(corolint, name, root, files, compiler)
    print(summary(name, files, findings))
    for finding in findings:
        show(finding, root)


def manifest_mode(argv):
    corolint = os.path.abspath(argv[0])
    opts = dict(zip(argv[1::2], argv[2::2]))
    with open(opts["--manifest"]) as f:
        corpora = json.load(f)
    base = opts.get("--corpora", os.environ.get("COROLINT_CORPORA", ""))
    failed = False
    for corpus in corpora:
        if "--only" in opts and corpus["name"] != opts["--only"]:
            continue
        root = os.path.abspath(os.path.join(base, corpus["snapshot"])) \
            if base else ""
        if not root or not os.path.isdir(root):
            print("%s: skipped: no snapshot of %s at %s (put a checkout of it "
                  "at commit %s there, or set COROLINT_CORPORA)" % (
                      corpus["name"], corpus["snapshot"].replace("+", "/"),
                      root or "$COROLINT_CORPORA/" + corpus["snapshot"],
                      corpus["commit"]))
            continue
        files = corpus_files(root, corpus["files"], corpus.get("exclude", ()))
        with tempfile.TemporaryDirectory() as generated:
            # Headers the project's build generates (an export macro).
            for path, text in corpus.get("generated", {}).items():
                os.makedirs(os.path.dirname(os.path.join(generated, path)),
                            exist_ok=True)
                with open(os.path.join(generated, path), "w") as f:
                    f.write(text)
            args = [a.replace("{generated}", generated) for a in corpus["args"]]
            findings = lint(corolint, corpus["name"], root, files, args)
            stock = (stock_warnings(opts["--clang-tidy"], root, files, args)
                     if "--clang-tidy" in opts else None)
        print(summary(corpus["name"], files, findings) +
              ("; stock clang-tidy coroutine checks: %d warnings" % stock
               if stock is not None else ""))
        found = {(os.path.relpath(f["file"], root), f["line"], f["check"]): f
                 for f in findings}
        expected = {(e["file"], e["line"], e["check"]): e
                    for e in corpus["expected"]}
        for key in sorted(set(found) - set(expected)):
            failed = True
            print("  NEW (not confirmed real yet):")
            show(found[key], root)
        for key in sorted(set(expected) - set(found)):
            failed = True
            print("  MISSING: %s:%d [%s] (%s)" % (key[0], key[1], key[2],
                                                  expected[key]["why"]))
        confirmed = len(set(found) & set(expected))
        print("  %d of %d findings confirmed real" % (confirmed, len(found)))
    if failed:
        fail("findings differ from test/corpus/corpora.json")


def main():
    if len(sys.argv) > 2 and sys.argv[2] == "--manifest":
        manifest_mode(sys.argv[1:])
    else:
        one_corpus(sys.argv[1:])


if __name__ == "__main__":
    main()
