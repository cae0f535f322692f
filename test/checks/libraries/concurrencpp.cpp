// concurrencpp, recognised with no configuration
// (model/libraries/Concurrencpp.cpp): result (eager: dropping it detaches),
// null_result (fire-and-forget by design: never reported), an executor's
// submit, when_all, when_any, a result's blocking get.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -I %S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "concurrencpp.h"
#include <thread>

using concurrencpp::result;
result<int> fetch(int key);
result<void> handle(int item);
concurrencpp::null_result log_later(int item);
void work();

// ===== Positive =====

result<void> drops_a_result() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
  co_return;
}

result<int> blocks_on_a_result() {
  int v = fetch(1).get();
  // CHECK: :[[@LINE-1]]:11: warning: 'get' blocks the thread that runs this coroutine; 'co_await' the result instead of blocking on it [async-blocking-call]
  co_return v;
}

result<void> submits_per_item(concurrencpp::executor &ex,
                              const std::vector<int> &items) {
  for (int item : items)
    ex.post([item] { (void)item; });
  // CHECK: :[[@LINE-1]]:5: warning: 'concurrencpp::executor::post' starts a task on every iteration of a loop over input data and nothing bounds how many run at once; submit at most n at a time and await each batch with 'concurrencpp::when_all' [async-unbounded-fanout]
  // CHECK: :[[@LINE-3]]:3: note: the loop runs once per input item
  co_return;
}

result<void> joins_all(const std::vector<int> &items) {
  std::vector<result<void>> results;
  for (int item : items)
    results.push_back(handle(item));
  co_await concurrencpp::when_all(std::move(results));
  // CHECK: :[[@LINE-1]]:12: warning: 'concurrencpp::when_all' runs one operation per input item at once and nothing bounds how many run together; await batches of at most n results, one 'concurrencpp::when_all' per batch [async-unbounded-fanout]
  // CHECK: :[[@LINE-4]]:3: note: the operations are added here
}

result<int> read_two(shapes::queue &q) {
  int first = co_await q.pop();
  int second = co_await q.pop();
  co_return first + second;
}

result<void> selects(shapes::queue &q) {
  co_await concurrencpp::when_any(read_two(q), handle(0));
  // CHECK: :[[@LINE-1]]:35: warning: this branch of 'concurrencpp::when_any' is not cancel-safe: when another branch wins, 'read_two' still holds data it received when it suspends again, and that data is dropped with it [async-cancel-unsafe-select]
}

result<void> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; 'co_await concurrencpp::resume_on(executor)' inside it, or submit the work to the background executor [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true
  co_return;
}

result<void> drops_a_submitted_result(concurrencpp::executor &ex) {
  ex.submit([] {});
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'submit' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
  co_return;
}

// ===== Negative =====

result<void> awaits() { co_await fetch(1); }

result<void> fires_and_forgets(const std::vector<int> &items) {
  log_later(1);
  for (int item : items)
    log_later(item);
  co_return;
}

result<void> submits_a_few(concurrencpp::executor &ex) {
  for (int i = 0; i < 4; ++i)
    ex.post([i] { (void)i; });
  co_return;
}

result<void> joins_a_few() { co_await concurrencpp::when_all(handle(1), handle(2)); }

result<void> moves_to_an_executor(concurrencpp::executor &ex) {
  while (true) {
    work();
    co_await concurrencpp::resume_on(ex);
  }
}

int main() {
  fetch(1).get();
  return 0;
}
