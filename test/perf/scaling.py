#!/usr/bin/env python3
"""How corolint's added time grows with the size of what it checks.

Generates translation units that include asyncrt (real headers) and hold
  - N coroutines (N = 1, 10, 100, 1000, 3000), each with a loop, a semaphore, a
    channel receive, a short std::mutex section, a yield and a timeout: every
    check has something to look at;
  - one coroutine of S statements (S = 1000 ... 16000), alternating awaits,
    plain statements, lock scopes and small loops: the per-function analyses
    (the lock dataflow over the CFG, the loop and select walks) at size.
For each file, clang++-19 -fsyntax-only (the floor) and corolint with every
async-* check run --runs times in alternation; the table gives the medians
of their CPU time (user + sys),
corolint's added time (corolint - floor), and the added time per coroutine
or per statement. Linear growth shows as a flat last column.

usage: scaling.py --corolint BIN --include DIR [--runs N] [--smoke] [--keep DIR]
--smoke: the two smallest sizes of each kind, one run; asserts nothing."""
import argparse
import os
import statistics
import tempfile

import perfrun

HEADER = """#include <asyncrt/asyncrt.hpp>
#include <chrono>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;
asyncrt::task<int> helper(int i) { co_return i; }
"""

COROUTINE = """
asyncrt::task<int> worker_{k}(asyncrt::mpsc::receiver<int> &rx,
                              asyncrt::semaphore &limit, std::mutex &m,
                              int &shared) {{
  int total = 0;
  for (int i = 0; i < 10; ++i) {{
    auto permit = co_await limit.acquire();
    std::optional<int> v = co_await rx.recv();
    if (!v)
      break;
    {{
      std::lock_guard lock(m);
      shared += *v;
    }}
    total += *v;
    co_await asyncrt::yield_now();
  }}
  auto r = co_await asyncrt::timeout(10ms, helper({k}));
  co_return total + r.value_or(0);
}}
"""


def many_coroutines(n):
    return HEADER + "".join(COROUTINE.format(k=k) for k in range(n))


def long_coroutine(statements):
    body = []
    for i in range(statements // 4):
        body.append("  total += co_await helper(%d);" % i)
        body.append("  total ^= %d;" % i)
        body.append("  { std::lock_guard lock(m); shared += total; }")
        body.append("  for (int j = 0; j < 3; ++j) total += j * %d;" % i)
    return (HEADER +
            "asyncrt::task<int> long_one(std::mutex &m, int &shared) {\n"
            "  int total = 0;\n" + "\n".join(body) +
            "\n  co_return total;\n}\n")


def cpu_seconds(cmd, allowed=(0,)):
    """CPU time (user + sys) of one run: steadier than wall time on a shared
    machine, and both tools are single-threaded here."""
    return perfrun.run(cmd, "scaling", allowed=allowed)[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corolint", required=True)
    ap.add_argument("--include", required=True,
                    help="asyncrt's include directory")
    ap.add_argument("--clang", default="clang++-19")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--keep", help="write the generated files here")
    args = ap.parse_args()
    counts, lengths = [1, 10, 100, 1000, 3000], [1000, 2000, 4000, 8000, 16000]
    if args.smoke:
        counts, lengths, args.runs = counts[:2], lengths[:1], 1
    cases = [("coroutines", n, many_coroutines(n)) for n in counts]
    cases += [("statements", s, long_coroutine(s)) for s in lengths]
    flags = ["-std=c++20", "-I", args.include]
    workdir = args.keep or tempfile.mkdtemp(prefix="corolint-scaling-")
    os.makedirs(workdir, exist_ok=True)
    print("| kind | size | floor CPU (s) | corolint CPU (s) | added (s) "
          "| added per unit (ms) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind, size, text in cases:
        path = os.path.join(workdir, "%s_%d.cpp" % (kind, size))
        with open(path, "w") as f:
            f.write(text)
        floor, lint = [], []
        for _ in range(args.runs):
            floor.append(cpu_seconds([args.clang, "-fsyntax-only"] + flags + [path]))
            lint.append(cpu_seconds([args.corolint, "--quiet", "-j", "1",
                               "--checks=-*,async-*", path, "--"] + flags,
                              allowed=(0, 1)))
        f_med, l_med = statistics.median(floor), statistics.median(lint)
        added = l_med - f_med
        print("| %s | %d | %.3f | %.3f | %.3f | %.3f |"
              % (kind, size, f_med, l_med, added, 1000 * added / size))


if __name__ == "__main__":
    main()
