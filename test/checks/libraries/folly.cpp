// folly::coro, recognised with no configuration
// (model/libraries/FollyCoro.cpp): Task, AsyncScope::add, collectAll,
// collectAny, blockingWait and a SemiFuture's get, with advice in folly's
// terms; collectAllWindowed bounds itself.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "folly.h"
#include <thread>

folly::coro::Task<int> fetch(int key);
folly::coro::Task<void> handle(int item);
void work();

// ===== Positive =====

folly::coro::Task<void> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return;
}

folly::coro::Task<void> sleeps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; use 'co_await folly::coro::sleep(...)' [async-blocking-call]
  co_return;
}

folly::coro::Task<int> waits_on_a_future(folly::SemiFuture<int> f) {
  int v = std::move(f).get();
  // CHECK: :[[@LINE-1]]:11: warning: 'get' blocks the thread that runs this coroutine; 'co_await' the future instead of blocking on it ('co_await std::move(future)') [async-blocking-call]
  co_return v;
}

folly::coro::Task<void> blocks_inside() {
  folly::coro::blockingWait(fetch(1));
  // CHECK: :[[@LINE-1]]:3: warning: 'blockingWait' blocks the thread that runs this coroutine; 'co_await' the task instead: 'folly::coro::blockingWait' from inside a coroutine blocks the executor's thread that should resume it [async-blocking-call]
  co_return;
}

folly::coro::Task<void> adds_per_item(folly::coro::AsyncScope &scope,
                                      const std::vector<int> &items) {
  for (int item : items)
    scope.add(handle(item));
  // CHECK: :[[@LINE-1]]:5: warning: 'folly::coro::AsyncScope::add' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; bound the tasks: 'co_await folly::coro::collectAllWindowed(tasks, n)', or wait on a 'folly::fibers::Semaphore' before each add [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_return;
}

folly::coro::Task<void> collects_all(const std::vector<int> &items) {
  std::vector<folly::coro::Task<void>> tasks;
  for (int item : items)
    tasks.push_back(handle(item));
  co_await folly::coro::collectAllRange(std::move(tasks));
  // CHECK: :[[@LINE-1]]:12: warning: 'folly::coro::collectAllRange' runs one operation per input item at once and nothing bounds how many run together; use 'folly::coro::collectAllWindowed(std::move(tasks), n)' instead [async-unbounded-fanout]
  // CHECK: :[[@LINE-4]]:3: note: the operations are added here
}

folly::coro::Task<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

folly::coro::Task<void> selects(shapes::queue &q) {
  co_await folly::coro::collectAny(read_two(q), folly::coro::sleep(
                                                    std::chrono::seconds(1)));
  // CHECK: :[[@LINE-2]]:36: warning: this branch of 'folly::coro::collectAny' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

folly::coro::Task<void> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await folly::coro::co_reschedule_on_current_executor' inside it, or move the work to a CPU executor [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true
  co_return;
}

// ===== Negative =====

folly::coro::Task<void> awaits() { co_await fetch(1); }

folly::coro::Task<void> sleeps_on_the_executor() {
  co_await folly::coro::sleep(std::chrono::milliseconds(5));
}

folly::coro::Task<void> collects_windowed(const std::vector<int> &items) {
  std::vector<folly::coro::Task<void>> tasks;
  for (int item : items)
    tasks.push_back(handle(item));
  co_await folly::coro::collectAllWindowed(std::move(tasks), 8);
}

folly::coro::Task<void> collects_a_few() {
  co_await folly::coro::collectAll(handle(1), handle(2));
}

folly::coro::Task<void> selects_safely(shapes::queue &q) {
  co_await folly::coro::collectAny(q.pop(), folly::coro::sleep(
                                                std::chrono::seconds(1)));
}

folly::coro::Task<void> yields() {
  while (true) {
    work();
    co_await folly::coro::co_reschedule_on_current_executor;
  }
}

int main() {
  folly::coro::blockingWait(fetch(1));
  return 0;
}
