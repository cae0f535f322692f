// Options: SelectFunctions, CancelUnsafeFunctions, CancelSafeFunctions and
// UnknownIsUnsafe, for a library without annotations.
// RUN: not %corolint --checks='-*,async-cancel-unsafe-select' \
// RUN:   --config="{CheckOptions: {async-cancel-unsafe-select.SelectFunctions: 'net::first_of;net::with_deadline', async-cancel-unsafe-select.CancelUnsafeFunctions: 'net::stream::read_exactly;net::stream::write_all', async-cancel-unsafe-select.CancelSafeFunctions: 'net::stream::read_some;net::sleep_for', async-cancel-unsafe-select.UnknownIsUnsafe: true}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-cancel-unsafe-select' \
// RUN:   --config="{CheckOptions: {async-cancel-unsafe-select.SelectFunctions: 'net::first_of;net::with_deadline', async-cancel-unsafe-select.CancelUnsafeFunctions: 'net::stream::read_exactly;net::stream::write_all', async-cancel-unsafe-select.CancelSafeFunctions: 'net::stream::read_some;net::sleep_for', async-cancel-unsafe-select.UnknownIsUnsafe: true}}" \
// RUN:   %s -- -std=c++20 -I %S/Inputs | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"

namespace net {
struct stream {
  lazy_task<int> read_exactly(int);
  lazy_task<int> write_all(int);
  lazy_task<int> read_some(int);
  lazy_task<int> flush();
};
lazy_task<int> sleep_for(int);
template <class A, class B> lazy_task<int> first_of(A, B);
template <class A> lazy_task<int> with_deadline(int, A);
template <class A, class B> lazy_task<int> not_a_select(A, B);
} // namespace net

lazy_task<int> read_twice(net::stream &s) {
  int a = co_await s.read_some(1);
  int b = co_await s.read_some(1);
  co_return a + b;
}

// ===== Positive cases =====

lazy_task<int> p_read_exactly(net::stream &s) {
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'net::first_of' is not cancel-safe: when another branch wins, 'net::stream::read_exactly' is cancelled part-way and loses what it had taken (it is not cancel-safe)
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  co_await net::first_of(s.read_exactly(4), net::sleep_for(10));
  co_return 0;
}

lazy_task<int> p_deadline_write(net::stream &s) {
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'net::with_deadline' is not cancel-safe: when another branch wins, 'net::stream::write_all' is cancelled part-way
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  co_await net::with_deadline(10, s.write_all(4));
  co_return 0;
}

lazy_task<int> p_loop(net::stream &s) {
  for (int i = 0; i < 100; ++i) {
    // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'net::first_of' is not cancel-safe and is started afresh on every iteration
    // CHECK: :[[@LINE+2]]:{{[0-9]+}}: note: the losing branches are cancelled here
    // CHECK: :[[@LINE-3]]:3: note: inside this loop
    co_await net::first_of(net::sleep_for(1), s.read_exactly(i));
  }
  co_return 0;
}

lazy_task<int> p_unknown_reported(net::stream &s) {
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'net::first_of' may not be cancel-safe: corolint cannot tell what cancelling it loses
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  co_await net::first_of(s.flush(), net::sleep_for(1));
  co_return 0;
}

lazy_task<int> p_unknown_both(net::stream &a, net::stream &b) {
  // CHECK: :[[@LINE+4]]:{{[0-9]+}}: warning: this branch of 'net::first_of' may not be cancel-safe
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: note: the losing branches are cancelled here
  // CHECK: :[[@LINE+2]]:{{[0-9]+}}: warning: this branch of 'net::first_of' may not be cancel-safe
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  co_await net::first_of(a.flush(), b.flush());
  co_return 0;
}

lazy_task<int> p_holds_data(net::stream &s) {
  // CHECK: :[[@LINE+3]]:{{[0-9]+}}: warning: this branch of 'net::with_deadline' is not cancel-safe: when another branch wins, 'read_twice' still holds data it received when it suspends again
  // CHECK: :26:{{[0-9]+}}: note: data received here is dropped
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: the losing branches are cancelled here
  co_await net::with_deadline(5, read_twice(s));
  co_return 0;
}

// ===== Negative cases =====

lazy_task<int> n_safe_by_option(net::stream &s) {
  for (;;)
    co_await net::first_of(s.read_some(4), net::sleep_for(10));
}

lazy_task<int> n_not_listed(net::stream &s) {
  co_await net::not_a_select(s.read_exactly(4), net::sleep_for(10));
  co_return 0;
}

lazy_task<int> n_deadline_read_some(net::stream &s) {
  co_await net::with_deadline(10, s.read_some(4));
  co_return 0;
}
