// libcoro, recognised with no configuration (model/libraries/Libcoro.cpp):
// coro::task, io_scheduler::spawn, when_all, when_any, the semaphore that
// bounds fan-out, with advice in libcoro's terms.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "libcoro.h"
#include <thread>

coro::task<int> fetch(int key);
coro::task<void> handle(int item);
void work();

// ===== Positive =====

coro::task<void> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return;
}

coro::task<void> sleeps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; use 'co_await scheduler->yield_for(...)' (a 'coro::scheduler') [async-blocking-call]
  co_return;
}

coro::task<void> waits_inside(coro::io_scheduler &scheduler) {
  coro::sync_wait(fetch(1));
  // CHECK: :[[@LINE-1]]:3: warning: 'sync_wait' blocks the thread that runs this coroutine; 'co_await' the task instead: 'coro::sync_wait' from inside a coroutine blocks a thread of the scheduler that should resume it [async-blocking-call]
  co_await scheduler.yield();
}

coro::task<void> spawns_per_item(coro::io_scheduler &scheduler,
                                 const std::vector<int> &items) {
  for (int item : items)
    scheduler.spawn(handle(item));
  // CHECK: :[[@LINE-1]]:5: warning: 'coro::io_scheduler::spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; take a 'coro::semaphore' permit ('co_await sem.acquire()') before each spawn and release it when the task ends, or await batches with 'coro::when_all' [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_return;
}

coro::task<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

coro::task<void> selects(shapes::queue &q, coro::io_scheduler &scheduler) {
  co_await coro::when_any(read_two(q),
                          scheduler.yield_for(std::chrono::seconds(1)));
  // CHECK: :[[@LINE-2]]:27: warning: this branch of 'coro::when_any' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

coro::task<void> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; 'co_await scheduler->yield()' inside it (a 'coro::thread_pool' or 'coro::scheduler'), or move the work to a thread pool [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true
  co_return;
}

// ===== Negative =====

coro::task<void> awaits() { co_await fetch(1); }

coro::task<void> sleeps_on_the_scheduler(coro::io_scheduler &scheduler) {
  co_await scheduler.yield_for(std::chrono::milliseconds(5));
}

coro::task<void> spawns_bounded(coro::io_scheduler &scheduler,
                                coro::semaphore &sem,
                                const std::vector<int> &items) {
  for (int item : items) {
    co_await sem.acquire();
    scheduler.spawn(handle(item));
  }
}

coro::task<void> joins_a_few() { co_await coro::when_all(handle(1), handle(2)); }

coro::task<void> yields(coro::thread_pool &pool) {
  while (true) {
    work();
    co_await pool.yield();
  }
}

int main() {
  coro::sync_wait(fetch(1));
  return 0;
}
