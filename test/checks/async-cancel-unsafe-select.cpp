// RUN: not %corolint --checks='-*,async-cancel-unsafe-select' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-cancel-unsafe-select' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"
#include <asyncrt/asyncrt.hpp>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using asyncrt::mpsc::receiver;
using asyncrt::mpsc::sender;

asyncrt::task<void> tick();
asyncrt::task<int> opaque();
void log_line(const std::string &);

// Branch coroutines whose bodies the check reads.
asyncrt::task<void> forward(sender<int> tx, int v) { co_await tx.send(v); }
asyncrt::task<std::optional<int>> next(receiver<int> &rx) {
  co_return co_await rx.recv();
}
asyncrt::task<void> wait_a_bit() { co_await asyncrt::sleep(5ms); }
asyncrt::task<int> read_pair(receiver<int> &rx) {
  auto first = co_await rx.recv();
  auto second = co_await rx.recv();
  co_return *first + *second;
}
asyncrt::task<void> copy_two(receiver<int> &rx, std::vector<int> &out) {
  co_await asyncrt::sleep(1ms);
  out.push_back(1);
  co_await asyncrt::sleep(1ms);
}
asyncrt::task<void> nested_send(sender<int> tx) { co_await forward(tx, 1); }
asyncrt::task<void> reserve_then_send(sender<int> tx, int v) {
  if (auto permit = co_await tx.reserve())
    permit->send(v);
}
asyncrt::task<void> recv_into(receiver<int> &rx, std::vector<int> &out) {
  if (auto v = co_await rx.recv())
    out.push_back(*v);
}
asyncrt::task<void> sleeps_twice() {
  co_await asyncrt::sleep(1ms);
  co_await asyncrt::sleep(1ms);
}

// A hand-written select for a hand-written task type, and a library
// operation declared cancel-unsafe.
template <class A, class B>
[[clang::annotate("corolint::select_like")]] lazy_task<int> race(A, B);
[[clang::annotate("corolint::cancel_unsafe")]] lazy_task<int> read_exact(int);
[[clang::annotate("corolint::cancel_safe")]] lazy_task<int> read_some(int);
lazy_task<int> unknown_op(int);

// ===== Positive cases =====

asyncrt::task<void> p_send_in_select(sender<int> tx) {
  // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, 'forward' awaits an operation that is not cancel-safe [async-cancel-unsafe-select]
  // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe: 'asyncrt::mpsc::sender::send' is cancelled part-way and loses what it had taken (it is not cancel-safe)
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(
      forward(tx, 1), tick());
}

asyncrt::task<void> p_send_in_loop(sender<int> tx, std::vector<int> items) {
  for (int v : items) {
    // CHECK: :[[@LINE+5]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe and is started afresh on every iteration: when another branch wins, 'forward' awaits an operation that is not cancel-safe; create the operation once outside the loop and keep awaiting it, or move the work behind a channel [async-cancel-unsafe-select]
    // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-4]]:3: note: inside this loop
    auto w = co_await asyncrt::select(
        forward(tx, v), tick());
  }
}

asyncrt::task<void> p_timeout_send(sender<int> tx) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::timeout' is not cancel-safe
  // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await asyncrt::timeout(1s, forward(tx, 1));
}

asyncrt::task<void> p_biased(sender<int> tx) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select_biased' is not cancel-safe
  // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select_biased(forward(tx, 2), tick());
}

asyncrt::task<void> p_holds_data(receiver<int> &rx) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, 'read_pair' still holds data it received when it suspends again, and that data is dropped with it
  // CHECK: :26:{{[0-9]+}}: note: data received here is dropped if the operation is cancelled at a later suspension
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(read_pair(rx), tick());
}

asyncrt::task<void> p_half_written(receiver<int> &rx, std::vector<int> &out) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, 'copy_two' changes state outside its frame between two suspensions, and cancelling it at the later one leaves that change half done
  // CHECK: :32:{{[0-9]+}}: note: this change happens between two suspensions
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(copy_two(rx, out), tick());
}

asyncrt::task<void> p_nested(sender<int> tx) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, 'nested_send' awaits an operation that is not cancel-safe
  // CHECK: :35:{{[0-9]+}}: note: this operation is not cancel-safe: 'forward' awaits an operation that is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(nested_send(tx), tick());
}

asyncrt::task<void> p_lambda_branch(sender<int> tx) {
  // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, the lambda awaits an operation that is not cancel-safe
  // CHECK: :[[@LINE+4]]:{{[0-9]+}}: note: this operation is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(
      [](sender<int> out) -> asyncrt::task<void> {
        co_await out.send(3);
      }(tx),
      tick());
}

asyncrt::task<void> p_both_branches(sender<int> a, sender<int> b) {
  // CHECK: :[[@LINE+5]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe
  // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: note: the losing branches are cancelled here
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto w = co_await asyncrt::select(forward(a, 1), forward(b, 2));
}

asyncrt::task<void> p_run_until_cancelled(sender<int> tx, asyncrt::cancellation_token t) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::run_until_cancelled' is not cancel-safe
  // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await asyncrt::run_until_cancelled(t, forward(tx, 1));
}

asyncrt::task<void> p_while_loop(sender<int> tx, receiver<int> &rx) {
  while (true) {
    // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe and is started afresh on every iteration
    // CHECK: :26:{{[0-9]+}}: note: data received here
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-4]]:3: note: inside this loop
    auto w = co_await asyncrt::select(read_pair(rx), tick());
    if (w.index() == 1)
      break;
  }
}

lazy_task<int> p_handwritten_race() {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'race' is not cancel-safe: when another branch wins, 'read_exact' is cancelled part-way and loses what it had taken (it is not cancel-safe)
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
  // CHECK-NOT: note: inside this loop
  co_await race(read_exact(4), read_some(1));
  co_return 0;
}

lazy_task<int> p_handwritten_loop() {
  for (int i = 0; i < 10; ++i) {
    // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'race' is not cancel-safe and is started afresh on every iteration
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-3]]:3: note: inside this loop
    co_await race(read_exact(i), read_some(i));
  }
  co_return 0;
}

// ===== Negative cases =====

asyncrt::task<void> n_recv_vs_tick(receiver<int> &rx) {
  for (;;) {
    auto w = co_await asyncrt::select(next(rx), tick());
    if (w.index() == 0 && !std::get<0>(w))
      co_return;
  }
}

asyncrt::task<void> n_sleep(receiver<int> &rx) {
  auto w = co_await asyncrt::select(next(rx), wait_a_bit());
}

asyncrt::task<void> n_reserve_then_send(sender<int> tx) {
  for (int i = 0; i < 3; ++i)
    auto w = co_await asyncrt::select(reserve_then_send(tx, i), tick());
}

asyncrt::task<void> n_recv_then_hand_on(receiver<int> &rx, std::vector<int> &out) {
  auto w = co_await asyncrt::select(recv_into(rx, out), wait_a_bit());
}

asyncrt::task<void> n_two_sleeps() {
  auto w = co_await asyncrt::select(sleeps_twice(), wait_a_bit());
}

asyncrt::task<void> n_timeout_recv(receiver<int> &rx) {
  auto r = co_await asyncrt::timeout(1s, next(rx));
}

asyncrt::task<void> n_unknown_branch() {
  // Unknown branches are reported only with UnknownIsUnsafe.
  auto w = co_await asyncrt::select(opaque(), tick());
}

asyncrt::task<void> n_token(receiver<int> &rx, asyncrt::cancellation_token t) {
  auto w = co_await asyncrt::select(t.cancelled(), next(rx));
}

asyncrt::task<void> n_join_is_not_select(sender<int> tx) {
  auto [a, b] = co_await asyncrt::join(forward(tx, 1), tick());
}

asyncrt::task<void> n_try_join(sender<int> tx) {
  auto [a, b] = co_await asyncrt::try_join(forward(tx, 1), tick());
}

asyncrt::task<void> n_send_not_in_select(sender<int> tx) {
  co_await tx.send(1);
  co_await forward(tx, 2);
}

asyncrt::task<void> n_join_handle(receiver<int> &rx) {
  auto h = asyncrt::spawn(next(rx));
  auto w = co_await asyncrt::select(
      [](asyncrt::join_handle<std::optional<int>> handle)
          -> asyncrt::task<std::optional<int>> { co_return co_await std::move(handle); }(
          std::move(h)),
      tick());
}

asyncrt::task<void> n_mutex_and_semaphore(asyncrt::mutex &m, asyncrt::semaphore &s) {
  auto w = co_await asyncrt::select(
      [](asyncrt::mutex &mx) -> asyncrt::task<void> { auto g = co_await mx.lock(); }(m),
      [](asyncrt::semaphore &sem) -> asyncrt::task<void> {
        auto p = co_await sem.acquire();
      }(s));
}

asyncrt::task<void> n_local_state_only() {
  auto w = co_await asyncrt::select(
      []() -> asyncrt::task<int> {
        int count = 0;
        co_await asyncrt::sleep(1ms);
        ++count;
        co_await asyncrt::yield_now();
        co_return count;
      }(),
      tick());
}

asyncrt::task<void> n_write_after_last_suspension(receiver<int> &rx, int &total) {
  auto w = co_await asyncrt::select(
      [](receiver<int> &in, int &t) -> asyncrt::task<void> {
        co_await asyncrt::sleep(1ms);
        if (auto v = co_await in.recv())
          t += *v;
      }(rx, total),
      tick());
}

asyncrt::task<void> n_write_before_first_suspension(int &counter) {
  auto w = co_await asyncrt::select(
      [](int &c) -> asyncrt::task<void> {
        ++c;
        co_await asyncrt::sleep(1ms);
      }(counter),
      tick());
}

lazy_task<int> n_handwritten_safe() {
  for (int i = 0; i < 3; ++i)
    co_await race(read_some(i), read_some(i + 1));
  co_return 0;
}

lazy_task<int> n_handwritten_unknown() {
  co_await race(unknown_op(1), read_some(2));
  co_return 0;
}

lazy_task<int> n_not_a_select() {
  co_await read_exact(4);
  co_return 0;
}

asyncrt::task<void> n_nolint(sender<int> tx) {
  auto w = co_await asyncrt::select(forward(tx, 1), tick()); // NOLINT(async-cancel-unsafe-select)
}

asyncrt::task<void> n_oneshot(asyncrt::oneshot::receiver<int> &rx) {
  auto w = co_await asyncrt::select(
      [](asyncrt::oneshot::receiver<int> &r) -> asyncrt::task<std::optional<int>> {
        co_return co_await r;
      }(rx),
      tick());
}

asyncrt::task<void> n_empty_branch() {
  auto w = co_await asyncrt::select(
      []() -> asyncrt::task<int> { co_return 1; }(), tick());
}

asyncrt::task<void> n_yield_loop() {
  auto w = co_await asyncrt::select(
      []() -> asyncrt::task<void> {
        for (int i = 0; i < 3; ++i)
          co_await asyncrt::yield_now();
      }(),
      tick());
}

// ===== More positive cases =====

struct counter_service {
  std::vector<int> seen;
  asyncrt::task<void> record(receiver<int> &rx) {
    co_await asyncrt::sleep(1ms);
    seen.push_back(0);
    co_await asyncrt::yield_now();
  }
  asyncrt::task<void> serve(receiver<int> &rx) {
    // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe: when another branch wins, 'counter_service::record' changes state outside its frame
    // CHECK: :[[@LINE-5]]:{{[0-9]+}}: note: this change happens between two suspensions
    // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
    auto w = co_await asyncrt::select(record(rx), tick());
  }
};

asyncrt::task<void> p_timeout_in_range_loop(sender<int> tx, std::vector<int> items) {
  for (int v : items) {
    // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'asyncrt::timeout' is not cancel-safe and is started afresh on every iteration
    // CHECK: :20:{{[0-9]+}}: note: this operation is not cancel-safe
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-4]]:3: note: inside this loop
    auto r = co_await asyncrt::timeout(10ms, forward(tx, v));
  }
}

// ===== The direct form: asyncrt's operations as operands =====

asyncrt::task<void> p_direct_send_in_select_loop(sender<int> tx) {
  while (true) {
    // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'asyncrt::select' is not cancel-safe and is started afresh on every iteration: when another branch wins, 'asyncrt::mpsc::sender::send' is cancelled part-way and loses what it had taken (it is not cancel-safe)
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-3]]:3: note: inside this loop
    auto w = co_await asyncrt::select(tx.send(1), asyncrt::sleep(5s));
    if (w.index() == 1)
      break;
  }
}

asyncrt::task<void> p_direct_send_in_timeout(sender<int> tx) {
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'asyncrt::timeout' is not cancel-safe: when another branch wins, 'asyncrt::mpsc::sender::send' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  auto r = co_await asyncrt::timeout(5s, tx.send(2));
}

// The seed's Pattern 3, line for line: recv and sleep, both cancel-safe.
asyncrt::task<void> n_direct_recv_or_sleep_loop(receiver<int> &rx) {
  while (true) {
    auto w = co_await asyncrt::select(rx.recv(), asyncrt::sleep(5s));
    if (w.index() == 1)
      break;
  }
}

asyncrt::task<void> n_direct_reserve_in_timeout(sender<int> tx) {
  if (auto permit = co_await asyncrt::timeout(5s, tx.reserve()))
    if (*permit)
      (*permit)->send(3);
}

asyncrt::task<void> n_direct_acquire_and_handle(asyncrt::semaphore &sem) {
  auto handle = asyncrt::spawn(tick());
  auto w = co_await asyncrt::select(sem.acquire(), std::move(handle));
}

asyncrt::task<void> n_direct_join_of_operations(receiver<int> &rx) {
  auto both = co_await asyncrt::join(rx.recv(), asyncrt::sleep(1ms));
}
