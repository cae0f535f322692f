// Boost.Cobalt, recognised with no configuration
// (model/libraries/BoostCobalt.cpp): task (lazy), promise (eager),
// detached (fire-and-forget: never reported), spawn, race, join, run.
// Boost 1.81 (Debian 12) predates Cobalt, so its API is stood in for here.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "cobalt.h"
#include <thread>

namespace cobalt = boost::cobalt;
cobalt::task<int> fetch(int key);
cobalt::promise<int> fetch_now(int key);
cobalt::task<void> handle(int item);
cobalt::detached log_later(int item);
void work();

// ===== Positive =====

cobalt::task<void> drops_tasks() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  fetch_now(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch_now' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
  co_return;
}

cobalt::task<void> runs_inside() {
  cobalt::run(fetch(1));
  // CHECK: :[[@LINE-1]]:3: warning: 'run' blocks the thread that runs this coroutine; 'co_await' the task instead: 'boost::cobalt::run' runs a new event loop on this thread [async-blocking-call]
  co_return;
}

cobalt::task<void> spawns_per_item(cobalt::executor ex,
                                   const std::vector<int> &items) {
  for (int item : items)
    cobalt::spawn(ex, handle(item), cobalt::detached_token{});
  // CHECK: :[[@LINE-1]]:5: warning: 'boost::cobalt::spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; spawn in batches joined with 'boost::cobalt::join', or bound them with a 'boost::cobalt::channel' of capacity n [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_return;
}

cobalt::task<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

cobalt::task<void> races(shapes::queue &q) {
  co_await cobalt::race(read_two(q), handle(0));
  // CHECK: :[[@LINE-1]]:25: warning: this branch of 'boost::cobalt::race' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

// ===== Negative =====

cobalt::task<void> awaits() {
  co_await fetch(1);
  co_await fetch_now(2);
}

cobalt::task<void> logs(const std::vector<int> &items) {
  log_later(0);
  for (int item : items)
    log_later(item);
  co_return;
}

cobalt::task<void> spawns_a_few(cobalt::executor ex) {
  for (int i = 0; i < 4; ++i)
    cobalt::spawn(ex, handle(i), cobalt::detached_token{});
  co_return;
}

cobalt::task<void> joins_a_few() { co_await cobalt::join(handle(1), handle(2)); }

int main() {
  cobalt::run(fetch(1));
  return 0;
}
