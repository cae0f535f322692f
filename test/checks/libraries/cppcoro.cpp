// cppcoro, recognised with no configuration (model/libraries/Cppcoro.cpp):
// its task type, async_scope::spawn, when_all, sync_wait, its timer and
// its cancellation check, with advice in cppcoro's terms.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "cppcoro.h"
#include <thread>

cppcoro::task<int> fetch(int key);
cppcoro::task<void> handle(int item);
void work();

// ===== Positive =====

cppcoro::task<void> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return;
}

cppcoro::task<void> sleeps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK: :[[@LINE-1]]:3: warning: 'sleep_for' blocks the thread that runs this coroutine; use 'co_await io_service.schedule_after(...)' (a 'cppcoro::io_service') [async-blocking-call]
  co_return;
}

cppcoro::task<void> spawns_per_item(cppcoro::async_scope &scope,
                                    const std::vector<int> &items) {
  for (int item : items)
    scope.spawn(handle(item));
  // CHECK: :[[@LINE-1]]:5: warning: 'cppcoro::async_scope::spawn' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; spawn at most n at a time into the 'cppcoro::async_scope' and 'co_await scope.join()' per batch, or await batches with 'cppcoro::when_all' [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_await scope.join();
}

cppcoro::task<void> joins_all(const std::vector<int> &items) {
  std::vector<cppcoro::task<void>> tasks;
  for (int item : items)
    tasks.push_back(handle(item));
  co_await cppcoro::when_all(std::move(tasks));
  // CHECK: :[[@LINE-1]]:12: warning: 'cppcoro::when_all' runs one operation per input item at once and nothing bounds how many run together; await batches of at most n tasks, one 'cppcoro::when_all' per batch [async-unbounded-fanout]
  // CHECK: :[[@LINE-4]]:3: note: the operations are added here, once per input item
}

cppcoro::task<void> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; 'co_await' a scheduler's 'schedule()' inside it (a 'cppcoro::static_thread_pool' or 'cppcoro::io_service'), or move the work to a thread pool [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true and the body has no break, return or throw
  co_return;
}

// ===== Negative =====

cppcoro::task<void> awaits() { co_await fetch(1); }

cppcoro::task<void> sleeps_on_the_timer(cppcoro::io_service &io) {
  co_await io.schedule_after(std::chrono::milliseconds(5));
}

cppcoro::task<void> spawns_a_few(cppcoro::async_scope &scope) {
  for (int i = 0; i < 4; ++i)
    scope.spawn(handle(i));
  co_await scope.join();
}

cppcoro::task<void> joins_a_few() {
  co_await cppcoro::when_all(handle(1), handle(2));
}

cppcoro::task<void> yields(cppcoro::static_thread_pool &pool) {
  while (true) {
    work();
    co_await pool.schedule();
  }
}

cppcoro::task<void> checks_cancellation(cppcoro::cancellation_token token) {
  while (true) {
    token.throw_if_cancellation_requested();
    work();
  }
  co_return;
}

int main() {
  cppcoro::sync_wait(fetch(1));
  return 0;
}
