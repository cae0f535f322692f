#!/usr/bin/env python3
"""Checks a corolint --format=json report against the documented shape.

usage: validate_json.py report.json [--diagnostics N] [--errors N]
                        [--expect check:file-basename:line:column ...]"""
import argparse
import json
import os
import sys


def fail(msg):
    print("validate_json: " + msg, file=sys.stderr)
    sys.exit(1)


def check_position(obj, what):
    for key, kind in (("file", str), ("line", int), ("column", int)):
        if not isinstance(obj.get(key), kind):
            fail("%s: '%s' missing or not a %s" % (what, key, kind.__name__))
    if obj["file"] and not os.path.isabs(obj["file"]):
        fail("%s: path %r is not absolute" % (what, obj["file"]))
    if obj["file"] and (obj["line"] < 1 or obj["column"] < 1):
        fail("%s: line and column must be 1-based" % what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--diagnostics", type=int)
    ap.add_argument("--errors", type=int)
    ap.add_argument("--expect", action="append", default=[])
    args = ap.parse_args()
    with open(args.report) as f:
        report = json.load(f)
    if report.get("version") != 1:
        fail("version must be 1")
    diags, errors = report.get("diagnostics"), report.get("errors")
    if not isinstance(diags, list) or not isinstance(errors, list):
        fail("diagnostics and errors must be arrays")
    for i, d in enumerate(diags):
        for key in ("check", "severity", "message"):
            if not isinstance(d.get(key), str) or not d[key]:
                fail("diagnostics[%d].%s missing" % (i, key))
        if d["severity"] not in ("warning", "error"):
            fail("diagnostics[%d].severity is %r" % (i, d["severity"]))
        check_position(d, "diagnostics[%d]" % i)
        if not isinstance(d.get("notes"), list):
            fail("diagnostics[%d].notes must be an array" % i)
        for j, n in enumerate(d["notes"]):
            check_position(n, "diagnostics[%d].notes[%d]" % (i, j))
            if not isinstance(n.get("message"), str):
                fail("diagnostics[%d].notes[%d].message missing" % (i, j))
    for i, e in enumerate(errors):
        if not isinstance(e.get("message"), str):
            fail("errors[%d].message missing" % i)
    if args.diagnostics is not None and len(diags) != args.diagnostics:
        fail("expected %d diagnostics, got %d" % (args.diagnostics, len(diags)))
    if args.errors is not None and len(errors) != args.errors:
        fail("expected %d errors, got %d" % (args.errors, len(errors)))
    for spec in args.expect:
        check, base, line, col = spec.split(":")
        if not any(d["check"] == check and os.path.basename(d["file"]) == base
                   and d["line"] == int(line) and d["column"] == int(col)
                   for d in diags):
            fail("no diagnostic %s" % spec)
    print("validate_json: ok (%d diagnostics, %d errors)" % (len(diags), len(errors)))


if __name__ == "__main__":
    main()
