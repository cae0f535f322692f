#!/usr/bin/env python3
"""asyncrt against tokio 1.24: the same seven workloads, in one script.

Builds the Cargo project in tokio/ offline against Debian's vendored crates
(cargo and rustc from Debian, /usr/share/cargo/registry), then runs, for each
workload and each runtime flavour (current-thread; multi-thread with two
workers), asyncrt-vs-tokio and tokio-peer one process per measurement,
alternating which goes first, --runs times. Prints the medians in ns per
operation and the ratio asyncrt/tokio (below 1: asyncrt is faster), writes
them to <out>/vs_tokio.csv and draws <out>/vs_tokio.png (gnuplot).

usage: vs_tokio.py --asyncrt BIN [--cargo-target-dir DIR] [--out DIR]
                   [--chart PNG] [--runs N] [--workloads a,b] [--smoke]
--smoke: sizes divided by 1000, one run: the benchmark builds and runs; its
figures mean nothing (the test suite runs it so that it never rots)."""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "perf"))
import barchart  # noqa: E402

# name -> (operations, what one operation is)
WORKLOADS = {
    "spawn_join": (1_000_000, "spawn + join of an empty task"),
    "channel": (10_000_000, "integer through a bounded channel (cap 100)"),
    "ping_pong": (1_000_000, "round trip between two tasks"),
    "semaphore_fanout": (100_000, "task behind a semaphore (limit 10)"),
    "select_timer": (1_000_000, "select of a receive against a 1 s timer"),
    "select_direct": (1_000_000, "select_timer with recv and sleep as operands, no wrapper"),
    "sleeps": (100_000, "one of 100k concurrent 1 ms sleeps"),
}
FLAVORS = ("current", "multi")


def build_peer(target_dir):
    """Builds tokio-peer with Debian's cargo and rustc, offline."""
    cargo = "/usr/bin/cargo" if os.path.exists("/usr/bin/cargo") else None
    rustc = "/usr/bin/rustc" if os.path.exists("/usr/bin/rustc") else None
    registry = "/usr/share/cargo/registry"
    if not cargo or not rustc or not os.path.isdir(
            os.path.join(registry, "tokio-1.24.2")):
        sys.exit("vs_tokio: needs Debian's cargo, rustc, librust-tokio-dev "
                 "and librust-futures-dev (scripts/setup-deps.sh installs "
                 "them)")
    env = dict(os.environ, RUSTC=rustc, CARGO_HOME=os.path.join(
        target_dir, "cargo-home"))
    # The project's .cargo/config.toml points crates-io at Debian's registry;
    # cargo reads it from the working directory.
    proc = subprocess.run([cargo, "build", "--release", "--offline",
                           "--quiet", "--target-dir", target_dir],
                          cwd=os.path.join(HERE, "tokio"), env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("vs_tokio: building tokio/ failed:\n" + proc.stderr)
    return os.path.join(target_dir, "release", "tokio-peer")


def run(binary, workload, flavor, size):
    """Seconds that one process reports for one workload."""
    proc = subprocess.run([binary, workload, flavor, str(size)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        sys.exit("vs_tokio: %s %s %s %d failed (exit %d):\n%s"
                 % (binary, workload, flavor, size, proc.returncode,
                    proc.stderr))
    fields = proc.stdout.split()
    if len(fields) != 4 or fields[:2] != [workload, flavor] or \
            int(fields[2]) != size:
        sys.exit("vs_tokio: %s printed an unexpected line: %r"
                 % (binary, proc.stdout))
    return float(fields[3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--asyncrt", required=True,
                    help="the asyncrt-vs-tokio binary (a release build)")
    ap.add_argument("--cargo-target-dir",
                    default=os.path.join(HERE, "..", "..", "build",
                                         "tokio-target"))
    ap.add_argument("--out", default=".")
    ap.add_argument("--chart", help="the PNG to draw (<out>/vs_tokio.png)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    chosen = args.workloads.split(",")
    for w in chosen:
        if w not in WORKLOADS:
            sys.exit("vs_tokio: unknown workload '%s' (known: %s)"
                     % (w, ", ".join(WORKLOADS)))
    if args.smoke:
        args.runs = 1
    if not shutil.which(args.asyncrt) and not os.path.exists(args.asyncrt):
        sys.exit("vs_tokio: %s not found (build the target "
                 "asyncrt-vs-tokio)" % args.asyncrt)
    peer = build_peer(os.path.abspath(args.cargo_target_dir))
    os.makedirs(args.out, exist_ok=True)
    binaries = {"asyncrt": os.path.abspath(args.asyncrt), "tokio": peer}
    times = {}
    for r in range(args.runs):
        for w in chosen:
            size = max(10, WORKLOADS[w][0] // 1000) if args.smoke \
                else WORKLOADS[w][0]
            for flavor in FLAVORS:
                order = ["asyncrt", "tokio"] if r % 2 == 0 else \
                    ["tokio", "asyncrt"]
                for rt in order:
                    seconds = run(binaries[rt], w, flavor, size)
                    times.setdefault((w, flavor, rt), []).append(
                        seconds * 1e9 / size)
    print("%d runs each, medians; ratio = asyncrt / tokio (below 1: asyncrt "
          "is faster)" % args.runs)
    print("| workload | one operation | flavour | asyncrt (ns/op) "
          "| tokio (ns/op) | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    ratios = {f: [] for f in FLAVORS}
    with open(os.path.join(args.out, "vs_tokio.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["workload", "flavour", "asyncrt_ns_per_op",
                      "tokio_ns_per_op", "ratio"])
        for w in chosen:
            for flavor in FLAVORS:
                a = statistics.median(times[(w, flavor, "asyncrt")])
                t = statistics.median(times[(w, flavor, "tokio")])
                ratios[flavor].append(a / t)
                out.writerow([w, flavor, "%.1f" % a, "%.1f" % t,
                              "%.3f" % (a / t)])
                print("| %s | %s | %s | %.1f | %.1f | %.2f |"
                      % (w, WORKLOADS[w][1], flavor, a, t, a / t))
    barchart.draw(args.chart or os.path.join(args.out, "vs_tokio.png"),
                  "asyncrt time / tokio 1.24 time (lower is better)",
                  "median ns per op, asyncrt / tokio", chosen,
                  [("current-thread", ratios["current"]),
                   ("multi-thread, 2 workers", ratios["multi"])])


if __name__ == "__main__":
    main()
