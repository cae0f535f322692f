// RUN: not %corolint --checks='-*,async-dangling-reference' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-dangling-reference' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "coro.h"
#include <asyncrt/asyncrt.hpp>
#include <array>
#include <atomic>
#include <span>
#include <string>
#include <string_view>
#include <vector>

using asyncrt::task;

task<int> count_words(const std::string &text) { co_return (int)text.size(); }
task<int> count_view(std::string_view text) { co_return (int)text.size(); }
task<int> sum(std::span<const int> values) {
  int s = 0;
  for (int v : values)
    s += v;
  co_return s;
}
task<void> process(std::vector<int> &items) { co_return; }
task<int> by_value(std::string text) { co_return (int)text.size(); }
std::string make_text();
task<void> process_later();
task<int> twice(const int &v) { co_return v * 2; }
task<int> consume(std::string &&s) { co_return (int)s.size(); }
int length_of(const std::string &s);
int block_on(task<int> t);
struct holder {
  task<int> pending;
};
struct server {
  int port = 0;
  task<int> start() {
    auto t = [this]() -> task<int> { co_return port; }();
    // CHECK: :[[@LINE-1]]:14: warning: the captures of this temporary lambda live in its closure
    co_return co_await t;
  }
};

struct client {
  int port = 0;
  task<int> run() { co_return port; }
};
client make_client();

// An eager coroutine that copies its argument before it first suspends.
eager_task<int> copies_first(const std::string &text) {
  std::string own = text;
  co_await timer_awaiter{};
  co_return (int)own.size();
}
eager_task<int> reads_later(const std::string &text) {
  co_await timer_awaiter{};
  co_return (int)text.size();
}

// ===== Positive: a temporary the task outlives =====

task<int> p_stored_task() {
  auto t = count_words("hello");
  // CHECK: :[[@LINE-1]]:24: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame, but the temporary is destroyed at the end of the full-expression while the task lives on; await the task in the same expression, or take the parameter by value [async-dangling-reference]
  // CHECK: async-dangling-reference.cpp:17:42: note: parameter 'text' refers to the caller's object
  co_return co_await t;
}

task<int> p_view_of_temporary_string() {
  auto t = count_view(make_text());
  // CHECK: :[[@LINE-1]]:23: warning: the coroutine 'count_view' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<int> p_span_of_temporary_vector() {
  auto t = sum(std::vector<int>{1, 2, 3});
  // CHECK: :[[@LINE-1]]:16: warning: the coroutine 'sum' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<void> p_spawned_with_temporary() {
  auto handle = asyncrt::spawn(count_words(make_text()));
  // CHECK: :[[@LINE-1]]:44: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  co_await handle;
}

task<int> p_returned(int n) { return count_words(std::to_string(n)); }
// CHECK: :[[@LINE-1]]:50: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame

task<int> p_eager_reads_after_suspending() {
  auto t = reads_later(std::string("x"));
  // CHECK: :[[@LINE-1]]:24: warning: the coroutine 'reads_later' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<void> p_pushed_into_a_container(std::vector<task<int>> &pending) {
  pending.push_back(count_words("queued"));
  // CHECK: :[[@LINE-1]]:33: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  co_return;
}

task<int> p_passed_on_into_a_join() {
  auto both = asyncrt::join(count_words("a"), count_words(make_text()));
  // CHECK: :[[@LINE-1]]:41: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  // CHECK: :[[@LINE-2]]:59: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  auto [a, b] = co_await std::move(both);
  co_return a + b;
}

task<int> p_const_int_reference() {
  auto t = twice(21);
  // CHECK: :[[@LINE-1]]:18: warning: the coroutine 'twice' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<int> p_rvalue_reference() {
  auto t = consume(make_text());
  // CHECK: :[[@LINE-1]]:20: warning: the coroutine 'consume' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<int> p_assigned() {
  task<int> t = by_value("fine");
  t = count_words("assigned");
  // CHECK: :[[@LINE-1]]:19: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<void> p_emplaced(std::vector<task<int>> &pending) {
  pending.emplace_back(count_words("emplaced"));
  // CHECK: :[[@LINE-1]]:36: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  co_return;
}

task<int> p_returned_view() { return count_view(std::string("abc")); }
// CHECK: :[[@LINE-1]]:49: warning: the coroutine 'count_view' keeps a reference to this temporary in its frame

task<int> p_span_of_temporary_array() {
  auto t = sum(std::array<int, 2>{1, 2});
  // CHECK: :[[@LINE-1]]:16: warning: the coroutine 'sum' keeps a reference to this temporary in its frame
  co_return co_await t;
}

task<void> p_stored_in_a_member(holder &h) {
  h.pending = count_words("member");
  // CHECK: :[[@LINE-1]]:27: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  co_return;
}

task<int> p_passed_on_into_try_join() {
  auto both = asyncrt::try_join(count_words("a"), by_value("b"));
  // CHECK: :[[@LINE-1]]:45: warning: the coroutine 'count_words' keeps a reference to this temporary in its frame
  auto [a, b] = co_await std::move(both);
  co_return a + b;
}

void p_eager_dropped() {
  reads_later(std::string("dropped"));
  // CHECK: :[[@LINE-1]]:15: warning: the coroutine 'reads_later' keeps a reference to this temporary in its frame
}

// ===== Positive: a temporary lambda's captures =====

task<int> p_lambda_capturing_by_value(int base) {
  auto t = [base]() -> task<int> { co_return base; }();
  // CHECK: :[[@LINE-1]]:12: warning: the captures of this temporary lambda live in its closure
  co_return co_await t;
}

void p_spawned_lambda(std::vector<int> &items) {
  (void)asyncrt::spawn([&items]() -> task<void> {
    items.clear();
    co_return;
  }());
  // CHECK: :[[@LINE-4]]:24: warning: the captures of this temporary lambda live in its closure
}


task<int> p_capturing_lambda(int base) {
  auto t = [&base]() -> task<int> { co_return base + 1; }();
  // CHECK: :[[@LINE-1]]:12: warning: the captures of this temporary lambda live in its closure, which the coroutine it starts refers to, but the closure is destroyed at the end of the full-expression while the task lives on; await the task in the same expression, or pass what it needs as parameters taken by value [async-dangling-reference]
  co_return co_await t;
}

// ===== Positive: a member coroutine on a temporary =====

task<int> p_member_on_temporary() {
  auto t = make_client().run();
  // CHECK: :[[@LINE-1]]:12: warning: 'run' is a coroutine called on this temporary object, which its frame refers to, but the object is destroyed at the end of the full-expression while the task lives on; await the task in the same expression, or call it on an object that outlives the task [async-dangling-reference]
  co_return co_await t;
}

void p_member_on_temporary_spawned() {
  (void)asyncrt::spawn(make_client().run());
  // CHECK: :[[@LINE-1]]:24: warning: 'run' is a coroutine called on this temporary object
}

task<void> p_member_on_temporary_pushed(std::vector<task<int>> &pending) {
  pending.push_back(client{}.run());
  // CHECK: :[[@LINE-1]]:21: warning: 'run' is a coroutine called on this temporary object
  co_return;
}

// ===== Positive: a local given to a spawned task =====

void p_spawn_with_local_string() {
  std::string name = make_text();
  (void)asyncrt::spawn(count_words(name));
  // CHECK: :[[@LINE-1]]:36: warning: 'count_words' is spawned with a reference to 'name'
}

void p_spawn_with_local() {
  std::vector<int> items{1, 2};
  (void)asyncrt::spawn(process(items));
  // CHECK: :[[@LINE-1]]:32: warning: 'process' is spawned with a reference to 'items', a local of 'p_spawn_with_local' that is destroyed when it returns, while the spawned task may still run; pass it by value, or await the task before 'items' goes out of scope [async-dangling-reference]
}


// ===== Positive: a local the spawned task reads while it changes =====

struct connection {
  task<bool> read_into(std::string &buffer);
  task<std::string> read_line();
};
task<int> parse(const char *bytes) { co_return bytes[0]; }
task<int> bump(int *counter) { co_return ++*counter; }

task<void> p_view_of_a_reused_buffer(connection &conn) {
  std::string buffer;
  while (co_await conn.read_into(buffer))
    (void)asyncrt::spawn(count_view(buffer));
  // CHECK: :[[@LINE-1]]:37: warning: 'count_view' is spawned with a view of 'buffer', which is changed while the spawned task may still read it; give the task its own copy (take the parameter by value), or await the task before 'buffer' changes [async-dangling-reference]
  // CHECK: :[[@LINE-3]]:34: note: 'buffer' is changed here, on the loop's next iteration at the latest
}

task<void> p_handles_kept_while_the_buffer_is_reused(connection &conn) {
  std::string buffer;
  std::vector<asyncrt::join_handle<int>> handles;
  for (int i = 0; i < 4; ++i) {
    co_await conn.read_into(buffer);
    handles.push_back(asyncrt::spawn(count_words(buffer)));
    // CHECK: :[[@LINE-1]]:50: warning: 'count_words' is spawned with a reference to 'buffer', which is changed
  }
  for (auto &h : handles)
    co_await std::move(h);
}

task<void> p_bounded_group_with_a_reused_buffer(connection &conn) {
  co_await asyncrt::with_task_group(
      2, [&](asyncrt::bounded_task_group &g) -> task<void> {
        std::string buffer;
        while (co_await conn.read_into(buffer))
          co_await g.spawn(count_words(buffer));
        // CHECK: :[[@LINE-1]]:40: warning: 'count_words' is spawned with a reference to 'buffer', which is changed
        co_await g.join_all();
      });
}

task<void> p_handle_dropped_in_the_iteration(connection &conn,
                                             asyncrt::bounded_task_group &g) {
  std::string buffer;
  while (co_await conn.read_into(buffer)) {
    auto handle = co_await g.spawn(count_view(buffer));
    // CHECK: :[[@LINE-1]]:47: warning: 'count_view' is spawned with a view of 'buffer', which is changed
    (void)handle;
  }
}

task<void> p_changed_after_the_spawn() {
  std::vector<int> items{1, 2};
  auto h = asyncrt::spawn(process(items));
  // CHECK: :[[@LINE-1]]:35: warning: 'process' is spawned with a reference to 'items', which is changed
  items.clear();
  // CHECK: :[[@LINE-1]]:3: note: 'items' is changed here{{$}}
  co_await std::move(h);
}

task<void> p_line_destroyed_each_iteration(connection &conn) {
  for (int i = 0; i < 3; ++i) {
    std::string line = co_await conn.read_line();
    (void)asyncrt::spawn(count_words(line));
    // CHECK: :[[@LINE-1]]:38: warning: 'count_words' is spawned with a reference to 'line', a local of 'p_line_destroyed_each_iteration' that is destroyed at the end of its block
  }
  co_await asyncrt::sleep(std::chrono::milliseconds(1));
}

void p_pointer_to_a_local() {
  int counter = 0;
  (void)asyncrt::spawn(bump(&counter));
  // CHECK: :[[@LINE-1]]:29: warning: 'bump' is spawned with a pointer to 'counter', a local of 'p_pointer_to_a_local' that is destroyed when it returns
}

void p_local_array() {
  char bytes[16] = "GET /";
  (void)asyncrt::spawn(parse(bytes));
  // CHECK: :[[@LINE-1]]:30: warning: 'parse' is spawned with a pointer to 'bytes'
}

void p_view_of_a_local_string_data() {
  std::string text = make_text();
  (void)asyncrt::spawn(count_view(std::string_view(text.data(), 3)));
  // CHECK: :[[@LINE-1]]:35: warning: 'count_view' is spawned with a view of 'text'
}

// ===== Positive: a task that escapes the function holding its local =====

task<int> p_returned_with_a_local() {
  std::string text = make_text();
  return count_words(text);
  // CHECK: :[[@LINE-1]]:22: warning: the coroutine 'count_words' keeps a reference to 'text' in its frame, but the task is returned and outlives 'text', a local of 'p_returned_with_a_local' destroyed when it returns; take the parameter by value [async-dangling-reference]
  // CHECK: async-dangling-reference.cpp:17:42: note: parameter 'text' refers to the caller's object
}

// The wrapper that forwards its by-value parameter: the parameter dies
// when the wrapper returns.
task<int> p_forwards_its_parameter(std::string text) {
  return count_words(text);
  // CHECK: :[[@LINE-1]]:22: warning: the coroutine 'count_words' keeps a reference to 'text' in its frame, but the task is returned
}

task<int> p_returned_through_a_variable() {
  std::string text = make_text();
  auto t = count_view(text);
  // CHECK: :[[@LINE-1]]:23: warning: the coroutine 'count_view' keeps a view of 'text' in its frame, but the task is returned
  return t;
}

task<int> p_pointer_returned() {
  int counter = 0;
  return bump(&counter);
  // CHECK: :[[@LINE-1]]:15: warning: the coroutine 'bump' keeps a pointer to 'counter' in its frame
}

struct batch {
  std::vector<task<int>> tasks;
};

struct session {
  task<int> pending;
  void p_stored_in_a_member() {
    std::string greeting = make_text();
    pending = count_words(greeting);
    // CHECK: :[[@LINE-1]]:27: warning: the coroutine 'count_words' keeps a reference to 'greeting' in its frame, but the task is stored in 'pending' and outlives 'greeting'
  }
};

void p_stored_in_a_caller_object(batch &out) {
  std::string text = make_text();
  out.tasks.push_back(count_words(text));
  // CHECK: :[[@LINE-1]]:35: warning: the coroutine 'count_words' keeps a reference to 'text' in its frame, but the task is stored in 'tasks'
}

task<int> p_moved_into_a_returned_task() {
  std::string text = make_text();
  return consume(std::move(text));
  // CHECK: :[[@LINE-1]]:18: warning: the coroutine 'consume' keeps a reference to 'text' in its frame, but the task is returned
}

// A task type whose every coroutine's reference parameters are bound to
// its lifetime; only declared, it is still known to be a coroutine.
template <class T>
struct [[clang::coro_return_type, clang::coro_lifetimebound]] bound_task
    : task<T> {};
bound_task<int> bound_count(const std::string &text);
[[clang::coro_disable_lifetimebound]] bound_task<int>
bound_copy(const std::string &text);

task<int> p_lifetimebound_task_stored() {
  auto t = bound_count("x");
  // CHECK: :[[@LINE-1]]:24: warning: the coroutine 'bound_count' keeps a reference to this temporary
  co_return 0;
}

// ===== Negative =====

task<void> n_buffer_reused_after_the_task_is_joined(connection &conn) {
  std::string buffer;
  while (co_await conn.read_into(buffer)) {
    auto h = asyncrt::spawn(count_view(buffer));
    co_await std::move(h);
  }
}

task<void> n_buffer_reused_by_an_awaited_spawn(connection &conn) {
  std::string buffer;
  while (co_await conn.read_into(buffer))
    co_await asyncrt::spawn(count_view(buffer));
}

task<void> n_line_per_iteration_joined(connection &conn) {
  for (int i = 0; i < 3; ++i) {
    std::string line = co_await conn.read_line();
    auto h = asyncrt::spawn(count_words(line));
    co_await std::move(h);
  }
}

task<void> n_changed_after_the_join() {
  std::vector<int> items{1, 2};
  auto h = asyncrt::spawn(process(items));
  co_await std::move(h);
  items.clear();
}

task<void> n_read_while_the_task_runs() {
  std::string text = make_text();
  auto h = asyncrt::spawn(count_view(text));
  int n = (int)text.size();
  (void)n;
  co_await std::move(h);
}

task<void> n_unchanged_in_the_loop(std::string config) {
  std::vector<asyncrt::join_handle<int>> handles;
  for (int i = 0; i < 3; ++i)
    handles.push_back(asyncrt::spawn(count_view(config)));
  for (auto &h : handles)
    co_await std::move(h);
}

task<void> watch(std::atomic<bool> &stop);
task<void> n_atomic_changed_on_purpose() {
  std::atomic<bool> stop{false};
  auto h = asyncrt::spawn(watch(stop));
  stop = true;
  co_await std::move(h);
}

void n_pointer_to_a_static() {
  static int counter = 0;
  (void)asyncrt::spawn(bump(&counter));
}

int *shared_counter();
void n_pointer_that_points_elsewhere() {
  int *p = shared_counter();
  (void)asyncrt::spawn(bump(p));
}

void n_view_that_views_elsewhere() {
  std::string_view v = "static storage";
  (void)asyncrt::spawn(count_view(v));
}

task<int> n_forwards_a_reference(const std::string &text) {
  return count_words(text);
}

struct named {
  std::string name;
  task<int> n_returns_a_member_task() { return count_words(name); }
};

task<int> n_forwards_a_static() {
  static const std::string greeting = "hello";
  return count_words(greeting);
}

int n_runs_the_task_before_returning(asyncrt::runtime &rt) {
  std::string text = make_text();
  auto t = count_words(text);
  return rt.block_on(std::move(t));
}

task<int> n_coroutine_keeps_its_locals() {
  std::string text = make_text();
  auto t = count_words(text);
  co_return co_await t;
}

task<int> n_lambda_forwards_what_it_captured() {
  std::string text = make_text();
  auto make = [&text] { return count_words(text); };
  co_return co_await make();
}

void n_task_kept_in_a_local_container() {
  std::string text = make_text();
  std::vector<task<int>> pending;
  pending.push_back(count_words(text));
}

void n_stored_in_a_member_of_a_local() {
  batch b;
  std::string text = make_text();
  b.tasks.push_back(count_words(text));
}

task<int> n_lifetimebound_disabled() {
  auto t = bound_copy("copied by a wrapper");
  co_return 0;
}

task<int> n_lifetimebound_awaited_at_once() {
  co_return co_await bound_count("x");
}


task<int> n_awaited_in_the_same_expression() {
  int a = co_await count_words("hello");
  int b = co_await count_view(make_text());
  int c = co_await sum(std::vector<int>{1, 2});
  co_return a + b + c;
}

task<int> n_awaited_through_a_join() {
  auto [a, b] = co_await asyncrt::join(count_words("a"), count_words("b"));
  co_return a + b;
}

task<int> n_lvalue_outlives(std::string text) {
  auto t = count_words(text);
  co_return co_await t;
}

task<int> n_by_value_parameter() {
  auto t = by_value("copied into the frame");
  co_return co_await t;
}

task<int> n_view_of_a_literal() {
  auto t = count_view("static storage");
  co_return co_await t;
}

task<int> n_eager_copies_before_suspending() {
  auto t = copies_first(std::string("x"));
  co_return co_await t;
}

task<int> n_lambda_without_captures() {
  auto t = []() -> task<int> { co_return 1; }();
  co_return co_await t;
}

task<int> n_capturing_lambda_awaited_at_once(int base) {
  co_return co_await [&base]() -> task<int> { co_return base; }();
}

task<int> n_member_on_an_object_that_lives() {
  client c = make_client();
  auto t = c.run();
  co_return co_await t;
}

task<void> n_spawn_joined(std::vector<int> items) {
  auto handle = asyncrt::spawn(process(items));
  co_await handle;
}

task<void> n_spawn_awaited_at_once() {
  std::vector<int> items{1};
  co_await asyncrt::spawn(process(items));
}

task<int> n_const_int_awaited() { co_return co_await twice(21); }

task<int> n_lambda_awaited_through_a_join(int base) {
  auto [a, b] = co_await asyncrt::join(
      [&base]() -> task<int> { co_return base; }(), count_words("x"));
  co_return a + b;
}

task<int> n_view_of_a_named_string() {
  std::string text = make_text();
  auto t = count_view(text);
  co_return co_await t;
}

int n_temporary_to_a_plain_function() { return length_of(make_text()); }

int n_user_block_on() { return block_on(count_words("run here")); }

task<int> n_member_on_a_reference(client &c) {
  auto t = c.run();
  co_return co_await t;
}

void n_spawn_by_value(std::string name) {
  (void)asyncrt::spawn(by_value(name));
}

std::vector<int> shared_items;
void n_spawn_with_a_global() { (void)asyncrt::spawn(process(shared_items)); }

task<void> n_spawn_then_waits(std::vector<int> items) {
  auto h = asyncrt::spawn(process(items));
  co_await std::move(h);
}

task<int> n_moved_string_awaited() {
  std::string text = make_text();
  co_return co_await consume(std::move(text));
}

// Given to a function that may run it to completion before it returns:
// corolint cannot tell, so it says nothing.
int run_now(task<int> t);
int n_given_to_a_function() { return run_now(count_words("x")); }

// Only declared, and its return type does not say it is a coroutine: it
// may be a wrapper that moves its argument into a coroutine of its own.
task<void> wraps(task<void> &&inner);
task<void> n_declared_wrapper() {
  auto joined = wraps(process_later());
  co_await joined;
}

int n_block_on_runs_it_here(asyncrt::runtime &rt) {
  return rt.block_on(count_words("hello"));
}

// Not a coroutine: a plain function taking a reference.
int length(const std::string &s) { return (int)s.size(); }
int n_plain_function() { return length("x"); }
