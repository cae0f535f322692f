#!/usr/bin/env python3
"""Checks that a JSON and a SARIF report of corolint on non-UTF-8 input are
valid UTF-8 JSON and carry the replacement character (or, in URIs, percent
encoding) where the input had bytes that are not UTF-8.

usage: check_utf8_reports.py report.json report.sarif"""
import json
import sys


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")  # raises on anything that is not UTF-8
    return json.loads(text)


def main():
    report = load(sys.argv[1])
    sarif = load(sys.argv[2])
    files = [d["file"] for d in report["diagnostics"]]
    assert any(f.endswith("bad\ufffd\ufffd.cpp") for f in files), files
    errors = [e["message"] for e in report["errors"]]
    assert any("Gr" in m for m in errors), errors
    run = sarif["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]]
    assert any(u.endswith("bad%FF%FE.cpp") for u in uris), uris
    snippets = [r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
                for r in run["results"]]
    assert any("Gr\ufffd\ufffde" in s for s in snippets), snippets
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "Gr" in notes[0]["message"]["text"], notes
    return 0


if __name__ == "__main__":
    sys.exit(main())
