// async_simple, recognised with no configuration
// (model/libraries/AsyncSimple.cpp): Lazy, start, collectAll, collectAny,
// syncAwait, the counting semaphore, with advice in async_simple's terms.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "async_simple.h"
#include <thread>

using async_simple::coro::Lazy;
Lazy<int> fetch(int key);
Lazy<void> handle(int item);
void work();

// ===== Positive =====

Lazy<void> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return;
}

Lazy<void> sleeps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; use 'co_await async_simple::coro::sleep(...)' [async-blocking-call]
  co_return;
}

Lazy<void> blocks_inside() {
  async_simple::coro::syncAwait(fetch(1));
  // CHECK: :[[@LINE-1]]:3: warning: 'syncAwait' blocks the thread that runs this coroutine; 'co_await' the Lazy instead: 'async_simple::coro::syncAwait' from inside a coroutine blocks the executor's thread that should resume it [async-blocking-call]
  co_return;
}

Lazy<void> starts_per_item(const std::vector<int> &items) {
  for (int item : items)
    handle(item).start([](auto &&) {});
  // CHECK: :[[@LINE-1]]:5: warning: 'async_simple::coro::Lazy::start' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; take an 'async_simple::coro::CountingSemaphore' permit before each start, or use 'async_simple::coro::collectAllWindowed(n, ...)' [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_return;
}

Lazy<void> collects_all(const std::vector<int> &items) {
  std::vector<Lazy<void>> lazies;
  for (int item : items)
    lazies.push_back(handle(item));
  co_await async_simple::coro::collectAll(std::move(lazies));
  // CHECK: :[[@LINE-1]]:12: warning: 'async_simple::coro::collectAll' runs one operation per input item at once and nothing bounds how many run together; use 'async_simple::coro::collectAllWindowed(n, ...)' instead [async-unbounded-fanout]
  // CHECK: :[[@LINE-4]]:3: note: the operations are added here
}

Lazy<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

Lazy<void> selects(shapes::queue &q) {
  co_await async_simple::coro::collectAny(
      read_two(q), async_simple::coro::sleep(std::chrono::seconds(1)));
  // CHECK: :[[@LINE-1]]:7: warning: this branch of 'async_simple::coro::collectAny' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

Lazy<void> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await async_simple::coro::Yield{}' inside it, or move the work to another executor [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true
  co_return;
}

// ===== Negative =====

Lazy<void> awaits() { co_await fetch(1); }

Lazy<void> sleeps_on_the_executor() {
  co_await async_simple::coro::sleep(std::chrono::milliseconds(5));
}

Lazy<void> starts_bounded(async_simple::coro::CountingSemaphore &sem,
                          const std::vector<int> &items) {
  for (int item : items) {
    co_await sem.acquire();
    handle(item).start([](auto &&) {});
  }
}

Lazy<void> collects_windowed(const std::vector<int> &items) {
  std::vector<Lazy<void>> lazies;
  for (int item : items)
    lazies.push_back(handle(item));
  co_await async_simple::coro::collectAllWindowed(8, false, std::move(lazies));
}

// A select nested in a select: the library's own collectAny is not a
// branch to judge by its implementation.
Lazy<void> selects_nested(shapes::queue &q) {
  co_await async_simple::coro::collectAny(
      async_simple::coro::collectAny(q.pop(), handle(1)),
      async_simple::coro::sleep(std::chrono::seconds(1)));
}

Lazy<void> collects_a_few() {
  co_await async_simple::coro::collectAll(handle(1), handle(2));
}

Lazy<void> yields() {
  while (true) {
    work();
    co_await async_simple::coro::sleep(std::chrono::milliseconds(0));
  }
}

int main() {
  async_simple::coro::syncAwait(fetch(1));
  return 0;
}
