#!/usr/bin/env python3
"""Checks sharded corolint JSON reports against the whole run.

usage: check_shards.py WHOLE.json MERGED.json SHARD.json...

Every unit's own findings come from exactly one shard (no unit analysed
twice, none left out), the merged report holds exactly the whole run's
findings (a header's once), and each shard analysed at least one unit."""
import json
import sys


def fail(msg):
    print("check_shards: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path) as f:
        return json.load(f)


def key(d):
    return (d["file"], d["line"], d["column"], d["check"], d["message"])


def main():
    whole, merged, shards = load(sys.argv[1]), load(sys.argv[2]), [
        load(p) for p in sys.argv[3:]]
    whole_keys = sorted(key(d) for d in whole["diagnostics"])
    merged_keys = sorted(key(d) for d in merged["diagnostics"])
    if whole_keys != merged_keys:
        fail("merged findings differ from the whole run's:\n%s\n%s" %
             (whole_keys, merged_keys))
    units = {}
    for index, shard in enumerate(shards):
        files = {d["file"] for d in shard["diagnostics"] if d["file"].endswith(".cpp")}
        if not files:
            fail("shard %d analysed no unit" % (index + 1))
        for f in files:
            if f in units:
                fail("%s analysed by shards %d and %d" % (f, units[f] + 1, index + 1))
            units[f] = index
    expected = {d["file"] for d in whole["diagnostics"] if d["file"].endswith(".cpp")}
    if set(units) != expected:
        fail("units covered %s, expected %s" % (sorted(units), sorted(expected)))
    print("check_shards: ok (%d units in %d shards, %d findings)" %
          (len(units), len(shards), len(merged_keys)))


if __name__ == "__main__":
    main()
