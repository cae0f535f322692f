// RUN: not %corolint --checks='-*,async-lock-across-suspend' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-lock-across-suspend' %s -- -std=c++20 -I %S/Inputs -I %repo/runtime-support/include \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include "locks.h"
#include <utility>

std::mutex m, m2;
std::recursive_mutex rm;
std::timed_mutex tm;
std::shared_mutex sm;
annotated_mutex am;
spin_flag spin;

// An async condition variable (async_simple's ConditionVariable<Lock>,
// folly's coro-aware ones): wait() releases the lock while it waits.
struct async_condition {
  template <class Lock> task<void> wait(Lock &lock, bool (*pred)());
};

// ===== Positive cases =====

task<int> p_lock_guard() {
  std::lock_guard<std::mutex> g(m);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock; a synchronous lock held across a suspension point blocks or deadlocks other tasks [async-lock-across-suspend]
  co_await fetch(1);
  // CHECK: :[[@LINE-3]]:31: note: lock acquired here; release it before the suspension
  co_return 0;
}

task<int> p_scoped_lock() {
  std::scoped_lock g(m, m2);
  // CHECK: :[[@LINE+1]]:11: warning: coroutine suspends while lock guard 'g' holds its lock
  int v = co_await fetch(2);
  co_return v;
}

task<int> p_unique_lock() {
  std::unique_lock<std::mutex> lk(m);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(3);
  co_return 0;
}

task<int> p_shared_lock() {
  std::shared_lock<std::shared_mutex> lk(sm);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(4);
  co_return 0;
}

task<int> p_mutex_lock() {
  m.lock();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'm' is locked
  co_await fetch(5);
  // CHECK: :[[@LINE-3]]:5: note: lock acquired here
  m.unlock();
  co_return 0;
}

task<int> p_lock_shared() {
  sm.lock_shared();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'sm' is locked
  co_await fetch(6);
  sm.unlock_shared();
  co_return 0;
}

task<int> p_try_lock_success_branch() {
  if (m.try_lock()) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while 'm' is locked
    co_await fetch(7);
    m.unlock();
  }
  co_return 0;
}

task<int> p_try_lock_negated_fallthrough() {
  if (!m.try_lock())
    co_return -1;
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'm' is locked
  co_await fetch(8);
  m.unlock();
  co_return 0;
}

task<int> p_recursive_and_timed() {
  rm.lock();
  tm.lock();
  // CHECK: :[[@LINE+2]]:3: warning: coroutine suspends while 'rm' is locked
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'tm' is locked
  co_await fetch(9);
  tm.unlock();
  rm.unlock();
  co_return 0;
}

task<int> p_std_lock() {
  std::lock(m, m2);
  // CHECK: :[[@LINE+2]]:3: warning: coroutine suspends while 'm' is locked
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'm2' is locked
  co_await fetch(10);
  m.unlock();
  m2.unlock();
  co_return 0;
}

task<int> p_relocked_guard() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  co_await fetch(11);
  lk.lock();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(12);
  co_return 0;
}

task<int> p_unlocked_on_one_path_only() {
  std::unique_lock<std::mutex> lk(m);
  if (flag())
    lk.unlock();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(13);
  co_return 0;
}

task<int> p_loop_back_edge() {
  for (int i = 0; i < 3; ++i) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while 'm' is locked
    co_await fetch(14);
    m.lock();
  }
  m.unlock();
  co_return 0;
}

generator<int> p_co_yield() {
  std::lock_guard<std::mutex> g(m);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_yield 1;
}

task<int> p_if_initializer() {
  if (std::lock_guard<std::mutex> g(m); flag()) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'g' holds its lock
    co_await fetch(15);
  }
  co_return 0;
}

task<int> p_for_initializer() {
  for (std::unique_lock<std::mutex> lk(m); flag();) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'lk' holds its lock
    co_await fetch(16);
  }
  co_return 0;
}

task<int> p_switch_initializer(int n) {
  switch (std::lock_guard<std::mutex> g(m); n) {
  case 1:
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'g' holds its lock
    co_await fetch(17);
    break;
  default:
    break;
  }
  co_return 0;
}

void p_lambda_coroutine() {
  auto body = []() -> task<int> {
    std::lock_guard<std::mutex> g(m);
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'g' holds its lock
    co_await fetch(18);
    co_return 0;
  };
  (void)body;
}

struct service {
  std::mutex mu_;
  task<int> member_mutex() {
    mu_.lock();
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while 'mu_' is locked
    co_await fetch(19);
    mu_.unlock();
    co_return 0;
  }
};

task<int> p_mutex_through_pointer(std::mutex *p) {
  p->lock();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'p' is locked
  co_await fetch(20);
  p->unlock();
  co_return 0;
}

task<int> p_capability_mutex() {
  am.lock();
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while 'am' is locked
  co_await fetch(21);
  am.unlock();
  co_return 0;
}

task<int> p_scoped_lockable_guard() {
  annotated_guard g(am);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await fetch(22);
  co_return 0;
}

template <class Mutex> task<int> p_template(Mutex &mx) {
  std::lock_guard<Mutex> g(mx);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await fetch(23);
  co_return 0;
}
template task<int> p_template(std::mutex &);
template task<int> p_template(std::recursive_mutex &);

task<int> p_guard_before_loop() {
  std::lock_guard<std::mutex> g(m);
  while (flag()) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'g' holds its lock
    co_await fetch(24);
  }
  co_return 0;
}

task<int> p_await_in_condition() {
  std::lock_guard<std::mutex> g(m);
  // CHECK: :[[@LINE+1]]:7: warning: coroutine suspends while lock guard 'g' holds its lock
  if (co_await fetch(25))
    co_return 1;
  co_return 0;
}

task<int> p_nested_block() {
  std::lock_guard<std::mutex> g(m);
  {
    {
      // CHECK: :[[@LINE+1]]:7: warning: coroutine suspends while lock guard 'g' holds its lock
      co_await fetch(26);
    }
  }
  co_return 0;
}

task<int> p_adopt_lock() {
  m.lock();
  std::lock_guard<std::mutex> g(m, std::adopt_lock);
  // CHECK: :[[@LINE+2]]:3: warning: coroutine suspends while 'm' is locked
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'g' holds its lock
  co_await fetch(27);
  co_return 0;
}

task<int> p_moved_into_new_guard() {
  std::unique_lock<std::mutex> a(m);
  std::unique_lock<std::mutex> b(std::move(a));
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'b' holds its lock
  co_await fetch(28);
  co_return 0;
}

task<int> p_try_to_lock_guard() {
  std::unique_lock<std::mutex> lk(m, std::try_to_lock);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await fetch(29);
  co_return 0;
}

task<int> p_co_return_await() {
  std::lock_guard<std::mutex> g(m);
  // CHECK: :[[@LINE+1]]:13: warning: coroutine suspends while lock guard 'g' holds its lock
  co_return co_await fetch(30);
}

task<int> p_guard_try_lock() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  if (lk.try_lock()) {
    // CHECK: :[[@LINE+1]]:5: warning: coroutine suspends while lock guard 'lk' holds its lock
    co_await fetch(31);
  }
  co_return 0;
}

// An async condition variable's wait is handed a lock, but not the one held.
task<int> p_wait_given_another_lock(async_condition &cv) {
  std::unique_lock<std::mutex> lk(m);
  // CHECK: :[[@LINE+1]]:3: warning: coroutine suspends while lock guard 'lk' holds its lock
  co_await cv.wait(m2, [] { return true; });
  co_return 0;
}

// ===== Negative cases =====

// An async condition variable's wait is handed the lock (the mutex or the
// guard): it releases it while the coroutine is suspended and takes it back
// before it resumes.
task<int> n_condition_wait_given_the_mutex(async_condition &cv) {
  std::unique_lock<std::mutex> lk(m);
  co_await cv.wait(m, [] { return true; });
  co_return 0;
}

task<int> n_condition_wait_given_the_guard(async_condition &cv) {
  std::unique_lock<std::mutex> lk(m);
  co_await cv.wait(lk, [] { return true; });
  co_return 0;
}

task<int> n_condition_wait_locked_mutex(async_condition &cv) {
  m.lock();
  co_await cv.wait(m, [] { return true; });
  m.unlock();
  co_return 0;
}


task<int> n_scope_closed() {
  {
    std::lock_guard<std::mutex> g(m);
  }
  co_await fetch(100);
  co_return 0;
}

task<int> n_unlocked_before() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  co_await fetch(101);
  co_return 0;
}

task<int> n_released_before() {
  std::unique_lock<std::mutex> lk(m);
  lk.release()->unlock();
  co_await fetch(102);
  co_return 0;
}

task<int> n_moved_away() {
  std::unique_lock<std::mutex> lk(m);
  consume(std::move(lk));
  co_await fetch(103);
  co_return 0;
}

task<int> n_defer_lock() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  co_await fetch(104);
  co_return 0;
}

task<int> n_lock_unlock() {
  m.lock();
  m.unlock();
  co_await fetch(105);
  co_return 0;
}

task<int> n_try_lock_released_in_branch() {
  if (m.try_lock())
    m.unlock();
  co_await fetch(106);
  co_return 0;
}

task<int> n_try_lock_failure_branch() {
  if (!m.try_lock()) {
    co_await fetch(107);
    co_return 0;
  }
  m.unlock();
  co_return 1;
}

task<int> n_async_mutex_guard(async_mutex &am2) {
  async_mutex::guard g(am2);
  co_await fetch(108);
  co_return 0;
}

task<int> n_never_suspends() {
  std::lock_guard<std::mutex> g(m);
  co_await already_done{};
  co_await std::suspend_never{};
  co_return 0;
}

int n_not_a_coroutine() {
  std::lock_guard<std::mutex> g(m);
  return 1;
}

task<int> n_lock_after_last_await() {
  int v = co_await fetch(109);
  std::lock_guard<std::mutex> g(m);
  co_return v;
}

task<int> n_plain_lambda_holds_lock() {
  auto critical = [] {
    std::lock_guard<std::mutex> g(m);
    return 1;
  };
  int v = critical();
  co_await fetch(110);
  co_return v;
}

task<int> n_both_branches_unlock() {
  std::unique_lock<std::mutex> lk(m);
  if (flag())
    lk.unlock();
  else
    lk.unlock();
  co_await fetch(111);
  co_return 0;
}

task<int> n_loop_unlocks_each_iteration() {
  for (int i = 0; i < 3; ++i) {
    m.lock();
    m.unlock();
    co_await fetch(112);
  }
  co_return 0;
}

task<int> n_await_before_guard() {
  co_await fetch(113);
  std::lock_guard<std::mutex> g(m);
  co_return 0;
}

task<int> n_two_mutexes_released() {
  m.lock();
  m2.lock();
  m2.unlock();
  m.unlock();
  co_await fetch(114);
  co_return 0;
}

task<int> n_default_constructed_guard() {
  std::unique_lock<std::mutex> lk;
  co_await fetch(115);
  co_return 0;
}

task<int> n_moved_then_unlocked() {
  std::unique_lock<std::mutex> a(m);
  std::unique_lock<std::mutex> b(std::move(a));
  b.unlock();
  co_await fetch(116);
  co_return 0;
}

task<int> n_unknown_lock_type() {
  spin.lock();
  co_await fetch(117);
  spin.unlock();
  co_return 0;
}

task<int> n_inner_coroutine_lambda() {
  std::unique_lock<std::mutex> lk(m);
  auto inner = []() -> task<int> { co_return co_await fetch(118); };
  lk.unlock();
  co_return co_await inner();
}

task<int> n_break_out_of_locked_scope() {
  while (flag()) {
    std::lock_guard<std::mutex> g(m);
    if (flag())
      break;
  }
  co_await fetch(119);
  co_return 0;
}

task<int> n_co_return_while_locked() {
  if (flag()) {
    std::lock_guard<std::mutex> g(m);
    co_return 1;
  }
  co_await fetch(120);
  co_return 0;
}

task<int> n_scoped_lock_block() {
  {
    std::scoped_lock g(m, m2);
  }
  co_await fetch(121);
  co_return 0;
}

task<int> n_nolint() {
  std::lock_guard<std::mutex> g(m);
  co_await fetch(122); // NOLINT(async-lock-across-suspend)
  co_return 0;
}

task<int> n_copy_value_out(service &s) {
  int value;
  {
    std::lock_guard<std::mutex> g(s.mu_);
    value = 1;
  }
  co_await fetch(value);
  co_return value;
}

task<int> n_return_in_locked_scope() {
  {
    std::unique_lock<std::mutex> lk(m);
    if (flag())
      co_return 1;
  }
  co_await fetch(123);
  co_return 0;
}

task<int> n_unlock_then_yield_in_loop() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  for (int i = 0; i < 2; ++i) {
    lk.lock();
    lk.unlock();
    co_await fetch(124);
  }
  co_return 0;
}

task<int> n_other_guard_unlocked() {
  std::unique_lock<std::mutex> a(m);
  std::unique_lock<std::mutex> b(m2);
  a.unlock();
  b.unlock();
  co_await fetch(125);
  co_return 0;
}

task<int> n_exchange_moves_guard() {
  std::unique_lock<std::mutex> a(m);
  std::unique_lock<std::mutex> b;
  b.swap(a);
  b.unlock();
  co_await fetch(126);
  co_return 0;
}
