// The same expectations through the corolint CLI and through the stock
// clang-tidy-19 loading the plugin.
// RUN: not %corolint --checks='-*,async-unawaited-task' %s -- -std=c++20 -I %S/Inputs -isystem %S/Inputs/system \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-unawaited-task' %s -- -std=c++20 -I %S/Inputs -isystem %S/Inputs/system \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"
#include "sys_coro.h"

lazy_task<int> fetch(int);
eager_task<int> start(int);
custom_task custom();
opaque_task opaque();
timer_awaiter sleep_for(int);
member_op_awaitable member_op();
net::free_op_awaitable free_op();
net::future<int> future_of();
net::friend_awaitable friendly();
lib::traits_task<int> traits();
attr_task<int> attributed();
detach_handle detach();
plain_value compute();
int count();
lazy_task<int> &cached();
using my_task = lazy_task<int>;
my_task aliased();
template <class T> using task_of = lazy_task<T>;
task_of<long> templated_alias();

struct client {
  lazy_task<int> request(int);
  static lazy_task<int> connect();
  lazy_task<int> pending;
};

bool flag();

// ===== Positive cases =====

lazy_task<int> positive_statement_in_coroutine() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  co_return 0;
}

void positive_statement_in_plain_function() {
  fetch(2);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_eager() {
  start(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'start' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
}

void positive_custom_initial_awaiter() {
  custom();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'custom' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_unknown_laziness() {
  opaque();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'opaque' is never awaited [async-unawaited-task]
}

void positive_awaiter_members() {
  sleep_for(10);
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'sleep_for' is never awaited [async-unawaited-task]
}

void positive_member_operator_co_await() {
  member_op();
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'member_op' is never awaited [async-unawaited-task]
}

void positive_free_operator_co_await() {
  free_op();
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'free_op' is never awaited [async-unawaited-task]
}

void positive_free_operator_co_await_template() {
  future_of();
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'future_of' is never awaited [async-unawaited-task]
}

void positive_hidden_friend_co_await() {
  friendly();
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'friendly' is never awaited [async-unawaited-task]
}

void positive_coroutine_traits() {
  traits();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'traits' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_coro_return_type_attribute() {
  attributed();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'attributed' is never awaited [async-unawaited-task]
}

void positive_comma() {
  fetch(3), count();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  count(), fetch(4);
  // CHECK: :[[@LINE-1]]:12: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_void_casts() {
  (void)fetch(5);
  // CHECK: :[[@LINE-1]]:9: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  static_cast<void>(fetch(6));
  // CHECK: :[[@LINE-1]]:21: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_conditional() {
  flag() ? fetch(7) : fetch(8);
  // CHECK: :[[@LINE-1]]:12: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  // CHECK: :[[@LINE-2]]:23: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_member_calls(client &c) {
  c.request(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'request' is never awaited; the coroutine never runs [async-unawaited-task]
  client::connect();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'connect' is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_inside_coroutine_lambda() {
  auto body = []() -> lazy_task<int> {
    fetch(9);
    // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
    co_return 1;
  };
  (void)body;
}

void positive_lambda_call() {
  []() -> lazy_task<int> { co_return 1; }();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by the lambda is never awaited; the coroutine never runs [async-unawaited-task]
}

void positive_typedefs() {
  aliased();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'aliased' is never awaited; the coroutine never runs [async-unawaited-task]
  templated_alias();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'templated_alias' is never awaited; the coroutine never runs [async-unawaited-task]
}

template <class T> void positive_template_non_dependent(T) {
  fetch(10);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
}
template void positive_template_non_dependent(int);
template void positive_template_non_dependent(long);

struct task_maker {
  static lazy_task<int> make();
};
template <class T> void positive_template_dependent() {
  T::make();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'make' is never awaited; the coroutine never runs [async-unawaited-task]
}
template void positive_template_dependent<task_maker>();

template <class T> struct positive_class_template {
  void run() {
    fetch(11);
    // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  }
};
template struct positive_class_template<int>;

void positive_unused_variable() {
  auto t = fetch(12);
  // CHECK: :[[@LINE-1]]:12: warning: coroutine task returned by 'fetch' is stored in 't' and never awaited; the coroutine never runs [async-unawaited-task]
  lazy_task<int> typed = fetch(13);
  // CHECK: :[[@LINE-1]]:26: warning: coroutine task returned by 'fetch' is stored in 'typed' and never awaited; the coroutine never runs [async-unawaited-task]
  auto &&bound = start(2);
  // CHECK: :[[@LINE-1]]:18: warning: coroutine task returned by 'start' is stored in 'bound' and never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
}

void positive_unbraced_branches(int n) {
  if (flag())
    fetch(14);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  else
    fetch(15);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  while (flag())
    fetch(16);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  for (int i = 0; i < n; ++i)
    fetch(i);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
  switch (n) {
  case 1:
    fetch(17);
    // CHECK: :[[@LINE-1]]:5: warning: coroutine task returned by 'fetch' is never awaited; the coroutine never runs [async-unawaited-task]
    break;
  default:
    break;
  }
}

void positive_function_pointer(lazy_task<int> (*factory)()) {
  factory();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by this call is never awaited; the coroutine never runs [async-unawaited-task]
}

lazy_task<int> positive_nested_block_in_coroutine() {
  {
    if (flag()) {
      start(3);
      // CHECK: :[[@LINE-1]]:7: warning: coroutine task returned by 'start' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
    }
  }
  co_return 0;
}

void positive_awaitable_operator(lazy_task<int> a, lazy_task<int> b);
member_op_awaitable operator||(const lazy_task<int> &, const lazy_task<int> &);
void positive_operator_call(lazy_task<int> &a, lazy_task<int> &b) {
  a || b;
  // CHECK: :[[@LINE-1]]:3: warning: awaitable returned by 'operator||' is never awaited [async-unawaited-task]
}

// ===== Negative cases =====

lazy_task<int> negative_awaited() {
  co_await fetch(20);
  int v = co_await fetch(21);
  co_await (flag() ? fetch(22) : fetch(23));
  co_await sleep_for(1);
  co_await member_op();
  co_await free_op();
  co_await friendly();
  co_await traits();
  co_return v;
}

lazy_task<int> negative_returned() { return fetch(24); }

lazy_task<int> negative_co_returned_value() { co_return co_await fetch(25); }

void negative_passed_on(vec<lazy_task<int>> &pending) {
  spawn(fetch(26));
  pending.push_back(fetch(27));
}

void negative_stored_in_member(client &c) { c.pending = fetch(28); }

lazy_task<int> negative_variable_awaited() {
  auto t = fetch(29);
  co_return co_await std::move(t);
}

void negative_variable_moved(vec<lazy_task<int>> &pending) {
  auto t = fetch(30);
  pending.push_back(std::move(t));
}

lazy_task<int> negative_variable_returned() {
  auto t = fetch(31);
  return t;
}

void negative_variable_used_in_lambda() {
  auto t = fetch(32);
  auto later = [&] { spawn(std::move(t)); };
  later();
}

void negative_variable_member_call() {
  auto t = fetch(33);
  t.start();
}

void negative_maybe_unused() { [[maybe_unused]] auto t = fetch(34); }

void negative_unevaluated() {
  using T = decltype(fetch(35));
  static_assert(sizeof(fetch(36)) > 0);
  T *p = nullptr;
  (void)p;
}

void negative_discardable() { detach(); }

void negative_not_awaitable() {
  compute();
  count();
}

void negative_reference_result() { cached(); }

void negative_system_header() { sys_drop(); }

void negative_nolint() {
  fetch(37); // NOLINT(async-unawaited-task)
  // NOLINTNEXTLINE(async-unawaited-task)
  fetch(38);
  // NOLINTBEGIN(async-unawaited-task)
  fetch(39);
  start(4);
  // NOLINTEND(async-unawaited-task)
}

void negative_assignment() {
  lazy_task<int> t = fetch(40);
  t = fetch(41);
  spawn(std::move(t));
}

template <class T> void negative_dependent_not_task() { T::make(); }
struct int_maker {
  static int make();
};
template void negative_dependent_not_task<int_maker>();

void negative_lambda_returns_task() {
  auto make = [] { return fetch(42); };
  spawn(make());
}

struct holder {
  lazy_task<int> task_;
  holder() : task_(fetch(43)) {}
};

void negative_plain_lambda_value() {
  auto make = [] { return 1; };
  make();
}

eager_task<int> negative_eager_awaited() { co_return co_await start(5); }

void negative_variable_in_later_statement() {
  auto t = fetch(44);
  if (flag())
    spawn(std::move(t));
}

void negative_custom_awaited_in_lambda() {
  auto run = []() -> custom_task { co_await custom(); };
  spawn(run());
}

// An eager coroutine type with no awaiter interface exists to be dropped
// (cppwinrt's fire_and_forget, a detached task): its body has started, and
// nothing could await it. Never "unawaited", never a co_await fix-it.
struct fire_and_forget {
  struct promise_type {
    fire_and_forget get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
fire_and_forget log_later(int);

void negative_fire_and_forget_dropped() { log_later(1); }

void negative_fire_and_forget_stored() { auto ignored = log_later(2); }

namespace worker {
template <class T> struct detached_task {
  struct promise_type {
    detached_task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
};
detached_task<int> report_in_background();
} // namespace worker

lazy_task<int> negative_detached_task_from_a_coroutine() {
  worker::report_in_background();
  co_return 0;
}
