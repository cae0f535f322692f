#!/usr/bin/env python3
"""Validates a corolint SARIF report: first with the official SARIF validator
(@microsoft/sarif-multitool, SARIF and GitHub rule sets; any error or warning
fails), then the fields GitHub code scanning relies on.

usage: check_sarif.py --validator PATH report.sarif [--results N] [--uri U]
                      [--notifications N] [--same-fingerprints other.sarif]
                      [--baseline-states new=N,unchanged=N,absent=N]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("check_sarif: " + msg, file=sys.stderr)
    sys.exit(1)


def validate(validator, path):
    # The npm wrapper passes arguments through a shell; call the binary it
    # wraps so that the semicolon lists arrive intact.
    binary = os.path.join(os.path.dirname(os.path.realpath(validator)), "..",
                          "sarif-multitool-linux", "Sarif.Multitool")
    if not os.path.exists(binary):
        binary = validator
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "validation.sarif")
        proc = subprocess.run([binary, "validate", path, "-o", log,
                               "--level", "Error;Warning;Note",
                               "--rule-kind", "Gh;Sarif"],
                              capture_output=True, text=True)
        if not os.path.exists(log):
            fail("validator produced no log:\n" + proc.stdout + proc.stderr)
        with open(log) as f:
            results = json.load(f)["runs"][0].get("results", [])
    problems = [r for r in results if r.get("level") in ("error", "warning")]
    for r in problems:
        print("validator: %s %s %s" % (r.get("level"), r.get("ruleId"),
                                       r.get("message")), file=sys.stderr)
    if problems:
        fail("%d validation problems in %s" % (len(problems), path))


def fingerprints(run):
    return sorted(r["partialFingerprints"]["corolintFingerprint/v1"]
                  for r in run.get("results", []))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--validator", required=True)
    ap.add_argument("--results", type=int)
    ap.add_argument("--uri")
    ap.add_argument("--notifications", type=int)
    ap.add_argument("--same-fingerprints")
    ap.add_argument("--baseline-states")
    args = ap.parse_args()

    validate(args.validator, args.report)
    with open(args.report) as f:
        sarif = json.load(f)
    if sarif.get("version") != "2.1.0":
        fail("version must be 2.1.0")
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    for key in ("name", "version", "informationUri", "rules"):
        if not driver.get(key):
            fail("tool.driver.%s missing" % key)
    rule_ids = set()
    for rule in driver["rules"]:
        for key in ("id", "shortDescription", "fullDescription", "help", "helpUri"):
            if not rule.get(key):
                fail("rule %s: %s missing" % (rule.get("id"), key))
        rule_ids.add(rule["id"])
    if "SRCROOT" not in run.get("originalUriBaseIds", {}):
        fail("originalUriBaseIds.SRCROOT missing")
    results = run.get("results", [])
    for r in results:
        if r["ruleId"] not in rule_ids:
            fail("result with unknown rule %s" % r["ruleId"])
        if r["level"] not in ("warning", "error", "note"):
            fail("bad level %s" % r["level"])
        if not r["message"]["text"]:
            fail("empty message")
        loc = r["locations"][0]["physicalLocation"]
        art = loc["artifactLocation"]
        if art.get("uriBaseId") != "SRCROOT" or art["uri"].startswith("/"):
            fail("uri %r is not relative to SRCROOT" % art["uri"])
        if args.uri and art["uri"] != args.uri:
            fail("uri %r, expected %r" % (art["uri"], args.uri))
        if r.get("baselineState") == "absent":
            if "region" in loc:
                fail("an absent result has no line any more")
        else:
            region = loc["region"]
            if region.get("startLine", 0) < 1 or region.get("startColumn", 0) < 1:
                fail("region without 1-based start line and column")
        if not r.get("partialFingerprints", {}).get("corolintFingerprint/v1"):
            fail("partialFingerprints missing")
    if args.results is not None and len(results) != args.results:
        fail("expected %d results, got %d" % (args.results, len(results)))
    if args.baseline_states is not None:
        want = dict((k, int(v)) for k, v in
                    (item.split("=") for item in args.baseline_states.split(",")))
        got = {}
        for r in results:
            if "baselineState" not in r:
                fail("a result without baselineState in a baseline run")
            got[r["baselineState"]] = got.get(r["baselineState"], 0) + 1
        for state, count in want.items():
            if got.get(state, 0) != count:
                fail("expected %d %s results, got %d" % (count, state, got.get(state, 0)))
    if args.notifications is not None:
        notes = run["invocations"][0].get("toolExecutionNotifications", [])
        if len(notes) < args.notifications:
            fail("expected %d notifications, got %d" % (args.notifications, len(notes)))
    if args.same_fingerprints:
        with open(args.same_fingerprints) as f:
            other = json.load(f)["runs"][0]
        if fingerprints(run) != fingerprints(other):
            fail("fingerprints changed: %s vs %s" % (fingerprints(run), fingerprints(other)))
        lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results)
        other_lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                             for r in other.get("results", []))
        if lines == other_lines:
            fail("the findings did not move; the fingerprint test proves nothing")
    print("check_sarif: ok (%d results)" % len(results))


if __name__ == "__main__":
    main()
