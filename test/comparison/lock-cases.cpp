// Cases for comparing async-lock-across-suspend with clang-tidy 19's
// misc-coroutine-hostile-raii and cppcoreguidelines-no-suspend-with-lock.
// A function named bug_* holds a synchronous lock across a suspension point
// and must be reported; one named ok_* does not and must not be.
// (Not a lit test itself: compare_lock_checks.py reads it.)
#include "locks.h"
#include <utility>

std::mutex m;

task<int> bug_lock_guard_in_scope() {
  std::lock_guard<std::mutex> g(m);
  co_await fetch(1);
  co_return 0;
}

task<int> bug_unique_lock_in_scope() {
  std::unique_lock<std::mutex> lk(m);
  co_await fetch(2);
  co_return 0;
}

task<int> bug_plain_lock_call() {
  m.lock();
  co_await fetch(3);
  m.unlock();
  co_return 0;
}

task<int> bug_try_lock_success() {
  if (m.try_lock()) {
    co_await fetch(4);
    m.unlock();
  }
  co_return 0;
}

task<int> bug_guard_in_if_initializer() {
  if (std::lock_guard<std::mutex> g(m); flag())
    co_await fetch(5);
  co_return 0;
}

task<int> bug_guard_in_for_initializer() {
  for (std::unique_lock<std::mutex> lk(m); flag();)
    co_await fetch(6);
  co_return 0;
}

task<int> bug_relocked_after_unlock() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  lk.lock();
  co_await fetch(7);
  co_return 0;
}

task<int> bug_unlocked_on_one_path() {
  std::unique_lock<std::mutex> lk(m);
  if (flag())
    lk.unlock();
  co_await fetch(8);
  co_return 0;
}

task<int> ok_scope_closed() {
  {
    std::lock_guard<std::mutex> g(m);
  }
  co_await fetch(9);
  co_return 0;
}

task<int> ok_unlocked_before() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  co_await fetch(10);
  co_return 0;
}

task<int> ok_released_before() {
  std::unique_lock<std::mutex> lk(m);
  lk.release()->unlock();
  co_await fetch(11);
  co_return 0;
}

task<int> ok_moved_away() {
  std::unique_lock<std::mutex> lk(m);
  consume(std::move(lk));
  co_await fetch(12);
  co_return 0;
}

task<int> ok_defer_lock() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  co_await fetch(13);
  co_return 0;
}

task<int> ok_lock_then_unlock_call() {
  m.lock();
  m.unlock();
  co_await fetch(14);
  co_return 0;
}

task<int> ok_async_mutex_guard(async_mutex &am) {
  async_mutex::guard g(am);
  co_await fetch(15);
  co_return 0;
}

task<int> ok_awaitable_never_suspends() {
  std::lock_guard<std::mutex> g(m);
  co_await std::suspend_never{};
  co_return 0;
}
