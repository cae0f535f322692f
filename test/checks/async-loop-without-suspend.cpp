// RUN: not %corolint --checks='-*,async-loop-without-suspend' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-loop-without-suspend' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "locks.h"
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

void work();
void work(int);
bool more();
void update(bool &);
void spawn_task(task<int>);
struct token_t {
  bool is_cancelled() const;
  void throw_if_cancelled() const;
};
constexpr bool kForever = true;
bool global_running;

// ===== Positive cases =====

task<int> p_while_true() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:10: note: the condition is always true and the body has no break, return or throw
  co_return 0;
}

task<int> p_for_ever() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  for (;;)
    work();
  co_return 0;
}

task<int> p_do_while_true() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  do {
    work();
  } while (true);
  co_return 0;
}

task<int> p_while_one_empty() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (1) {
  }
  co_return 0;
}

task<int> p_unchanged_local() {
  bool done = false;
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (!done)
    work();
  // CHECK: :[[@LINE-2]]:10: note: 'done' does not change inside the loop
  co_return 0;
}

task<int> p_unchanged_parameter(bool running) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (running)
    work();
  co_return 0;
}

task<int> p_for_without_increment(int n) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  for (int i = 0; i < n;)
    work(i);
  co_return 0;
}

task<int> p_read_only_use(int count) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (count > 0)
    work(count);
  co_return 0;
}

task<int> p_inner_loop_of_suspending_loop() {
  for (int i = 0; i < 3; ++i) {
    co_await fetch(i);
    // CHECK: :[[@LINE+1]]:5: warning: loop in a coroutine never suspends
    while (true)
      work();
  }
  co_return 0;
}

void p_coroutine_lambda() {
  auto body = []() -> task<int> {
    // CHECK: :[[@LINE+1]]:5: warning: loop in a coroutine never suspends
    for (;;)
      work();
    co_return 0;
  };
  (void)body;
}

generator<int> p_generator_without_yield_in_loop() {
  co_yield 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true)
    work();
}

task<int> p_break_belongs_to_inner_loop() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true) {
    for (int i = 0; i < 3; ++i)
      if (more())
        break;
  }
  co_return 0;
}

task<int> p_break_belongs_to_switch(int mode) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  for (;;) {
    switch (mode) {
    case 0:
      work();
      break;
    default:
      break;
    }
  }
  co_return 0;
}

task<int> p_constexpr_condition() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (kForever)
    work();
  co_return 0;
}

task<int> p_two_unchanged_locals(bool a, bool b) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (a && b)
    work();
  co_return 0;
}

task<int> p_unchanged_pointer(int *p) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (p)
    work(*p);
  co_return 0;
}

task<int> p_continue_only() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  for (;;) {
    if (more())
      continue;
    work();
  }
  co_return 0;
}

template <class T> task<int> p_template(T) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true)
    work();
  co_return 0;
}
template task<int> p_template(int);
template task<int> p_template(long);

struct server {
  task<int> serve() {
    // CHECK: :[[@LINE+1]]:5: warning: loop in a coroutine never suspends
    while (true)
      work();
    co_return 0;
  }
};

task<int> p_lambda_not_capturing_condition(bool go) {
  int calls = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (go) {
    auto count = [&calls] { ++calls; };
    count();
  }
  co_return calls;
}

task<int> p_thread_yield_is_not_a_suspension() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true)
    std::this_thread::yield();
  co_return 0;
}

task<int> p_const_local() {
  const bool stop = false;
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (!stop)
    work();
  co_return 0;
}

task<int> p_other_variable_changes(int n) {
  int total = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (n != 0)
    total += n;
  co_return total;
}

task<int> p_do_while_unchanged(bool again) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  do
    work();
  while (again);
  co_return 0;
}

task<int> p_swallowed_exceptions() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true) {
    try {
      work();
    } catch (...) {
    }
  }
  co_return 0;
}

task<int> p_nested_in_branch(bool serve) {
  if (serve) {
    // CHECK: :[[@LINE+1]]:5: warning: loop in a coroutine never suspends
    for (;;)
      work();
  }
  co_return 0;
}

task<int> p_spawning_is_not_suspending() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (true)
    spawn_task(fetch(1));
  co_return 0;
}

task<int> p_creating_a_task_is_not_awaiting_it() {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  for (;;) {
    auto t = fetch(2);
    (void)t;
  }
  co_return 0;
}

task<int> p_nested_plain_lambda_returns(bool go) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (go) {
    auto f = [] { return 1; };
    work(f());
  }
  co_return 0;
}

task<int> p_unchanged_enum_compare(int state) {
  enum { Idle, Busy };
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends
  while (state == Busy)
    work();
  co_return 0;
}

// Busy waits: the only ways out depend on an atomic that another thread
// must change.
task<int> p_atomic_condition(std::atomic<bool> &running) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  while (running)
    work();
  // CHECK: :[[@LINE-2]]:10: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
  co_return 0;
}

task<int> p_spin_until_flag_then_break(std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  while (true) {
    if (ready.load())
      // CHECK: :[[@LINE-1]]:9: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
      break;
  }
  co_return 1;
}

task<int> p_spin_on_load_compared(std::atomic<int> &state) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  while (state.load(std::memory_order_acquire) != 2) {
    // CHECK: :[[@LINE-1]]:10: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
  }
  co_return 1;
}

struct spinning_service {
  std::atomic<bool> stop_{false};
  task<int> run() {
    // CHECK: :[[@LINE+1]]:5: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
    while (!stop_)
      work();
    // CHECK: :[[@LINE-2]]:13: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
    co_return 0;
  }
};

task<int> p_spin_then_co_return(std::atomic<bool> &done) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  for (;;) {
    work();
    if (done.load())
      // CHECK: :[[@LINE-1]]:9: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
      co_return 1;
  }
}

task<int> p_spin_lock(std::atomic_flag &lock) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; add 'co_await asyncrt::yield_now()' inside it, or move the work to 'asyncrt::spawn_blocking' [async-loop-without-suspend]
  while (lock.test_and_set(std::memory_order_acquire)) {
    // CHECK: :[[@LINE-1]]:10: note: the loop ends only when another thread changes this atomic: spinning on it holds the worker; wait for an event instead (an awaitable the writer completes)
  }
  lock.clear(std::memory_order_release);
  co_return 0;
}

// ===== Negative cases =====

task<int> n_await_in_loop() {
  while (true) {
    co_await fetch(1);
  }
}

generator<int> n_yield_in_loop() {
  for (int i = 0;; ++i)
    co_yield i;
}

task<int> n_range_for(std::vector<int> items) {
  for (int x : items)
    work(x);
  co_return 0;
}

task<int> n_counted_for(int n) {
  for (int i = 0; i < n; ++i)
    work(i);
  co_return 0;
}

task<int> n_break() {
  while (true) {
    if (more())
      break;
    work();
  }
  co_return 0;
}

task<int> n_return_and_co_return() {
  for (;;) {
    if (more())
      co_return 1;
  }
}

task<int> n_throw() {
  while (true) {
    if (more())
      throw 1;
  }
  co_return 0;
}

task<int> n_goto() {
  for (;;) {
    if (more())
      goto out;
  }
out:
  co_return 0;
}

task<int> n_call_in_condition() {
  while (more())
    work();
  co_return 0;
}

task<int> n_cancellation_in_condition(token_t &token) {
  while (!token.is_cancelled())
    work();
  co_return 0;
}

task<int> n_cancellation_check_in_body(token_t &token) {
  for (;;) {
    token.throw_if_cancelled();
    work();
  }
  co_return 0;
}

task<int> n_flag_changes() {
  bool done = false;
  while (!done)
    done = more();
  co_return 0;
}

task<int> n_decrement(int n) {
  while (n > 0)
    --n;
  co_return 0;
}

task<int> n_passed_by_reference() {
  bool go = true;
  while (go)
    update(go);
  co_return 0;
}

struct node {
  node *next;
};
task<int> n_walk_list(node *p) {
  while (p)
    p = p->next;
  co_return 0;
}

task<int> n_volatile_flag() {
  volatile bool stop = false;
  while (!stop)
    work();
  co_return 0;
}


struct worker_state {
  bool running_ = true;
  task<int> run() {
    while (running_)
      work();
    co_return 0;
  }
};

task<int> n_global_flag() {
  while (global_running)
    work();
  co_return 0;
}

int n_not_a_coroutine() {
  while (true)
    work();
}

task<int> n_plain_lambda_in_coroutine() {
  auto spin = [] {
    while (true)
      work();
  };
  (void)spin;
  co_return 0;
}

task<int> n_noreturn_exit() {
  while (true) {
    if (more())
      std::exit(0);
  }
  co_return 0;
}

task<int> n_lambda_captures_condition() {
  bool go = true;
  while (go) {
    auto stop = [&go] { go = false; };
    stop();
  }
  co_return 0;
}

task<int> n_address_taken() {
  int left = 3;
  while (left > 0) {
    int *p = &left;
    --*p;
  }
  co_return 0;
}

task<int> n_do_while_false() {
  do {
    work();
  } while (false);
  co_return 0;
}

task<int> n_while_false() {
  while (false)
    work();
  co_return 0;
}

task<int> n_increment_in_condition() {
  int i = 0;
  while (i++ < 10)
    work();
  co_return 0;
}

task<int> n_nolint() {
  while (true) // NOLINT(async-loop-without-suspend)
    work();
  co_return 0;
}

task<int> n_await_in_condition() {
  while (co_await fetch(2))
    work();
  co_return 0;
}

task<int> n_flag_set_in_body() {
  bool done = false;
  while (!done) {
    work();
    done = true;
  }
  co_return 0;
}

task<int> n_for_increment_modifies(int n) {
  int i = 0;
  for (; i < n; i += 2)
    work(i);
  co_return 0;
}

task<int> n_break_in_nested_block() {
  for (;;) {
    {
      if (more())
        break;
    }
  }
  co_return 0;
}

// Changed through an alias taken before the loop.
task<int> n_alias_pointer_before_loop() {
  int left = 3;
  int *p = &left;
  while (left > 0)
    --*p;
  co_return 0;
}

task<int> n_alias_reference_before_loop() {
  int left = 3;
  int &r = left;
  while (left > 0)
    r -= 1;
  co_return 0;
}

void keep_address(int *);
void poke();
task<int> n_address_escaped_before_loop() {
  int left = 3;
  keep_address(&left);
  while (left > 0)
    poke();
  co_return 0;
}

// Atomics with an end this coroutine can see, or with a suspension.
task<int> n_spin_with_await(std::atomic<bool> &ready) {
  while (!ready.load())
    co_await fetch(1);
  co_return 0;
}

task<int> n_flag_written_in_body(std::atomic<bool> &done) {
  while (!done.load())
    done.store(more());
  co_return 0;
}

void reset(std::atomic<bool> &);
task<int> n_flag_passed_on_in_body(std::atomic<bool> &done) {
  while (!done.load())
    reset(done);
  co_return 0;
}

task<int> n_exit_also_on_a_budget(std::atomic<bool> &ready) {
  int budget = 1000;
  while (true) {
    if (ready.load() || --budget == 0)
      break;
  }
  co_return budget;
}

task<int> n_counted_spin(std::atomic<bool> &ready) {
  for (int i = 0; i < 100 && !ready.load(); ++i)
    work(i);
  co_return 0;
}

task<int> n_unguarded_break_after_atomic_test(std::atomic<bool> &ready) {
  while (true) {
    if (ready.load())
      work();
    break;
  }
  co_return 0;
}

task<int> n_spin_checks_cancellation(std::atomic<bool> &ready,
                                     token_t &token) {
  while (!ready.load())
    token.throw_if_cancelled();
  co_return 0;
}
