// stdexec, recognised with no configuration (model/libraries/Stdexec.cpp):
// exec::task, async_scope::spawn, and its customisation-point objects
// (exec::when_any, stdexec::sync_wait) known by the object's name.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "stdexec.h"

exec::task<int> fetch(int key);
exec::task<void> handle(int item);

// ===== Positive =====

exec::task<void> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return;
}

exec::task<void> waits_inside() {
  stdexec::sync_wait(fetch(1));
  // CHECK: :[[@LINE-1]]:3: warning: 'sync_wait' blocks the thread that runs this coroutine; 'co_await' the sender instead: 'stdexec::sync_wait' from inside a coroutine blocks the thread that should complete it [async-blocking-call]
  co_return;
}

exec::task<void> spawns_per_item(exec::async_scope &scope,
                                 const std::vector<int> &items) {
  for (int item : items)
    scope.spawn(handle(item));
  // CHECK: :[[@LINE-1]]:5: warning: 'exec::async_scope::spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; spawn at most n at a time into the 'exec::async_scope' and 'co_await scope.on_empty()' per batch [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_await scope.on_empty();
}

exec::task<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

exec::task<void> selects(shapes::queue &q) {
  co_await exec::when_any(read_two(q), handle(0));
  // CHECK: :[[@LINE-1]]:27: warning: this branch of 'exec::when_any' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

// ===== Negative =====

exec::task<void> awaits() { co_await fetch(1); }

exec::task<void> spawns_a_few(exec::async_scope &scope) {
  for (int i = 0; i < 4; ++i)
    scope.spawn(handle(i));
  co_await scope.on_empty();
}

exec::task<void> selects_safely(shapes::queue &q) {
  co_await exec::when_any(q.pop(), handle(0));
}

int main() {
  stdexec::sync_wait(fetch(1));
  return 0;
}
