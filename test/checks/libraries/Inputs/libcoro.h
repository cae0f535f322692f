// Stand-in for libcoro 0.12's coro/task.hpp, sync_wait.hpp, when_all.hpp,
// when_any.hpp, thread_pool.hpp, io_scheduler.hpp, semaphore.hpp.
#pragma once
#include "shapes.h"

namespace coro {
template <class T = void> class task {
public:
  using promise_type = shapes::promise<task, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
template <class A> void sync_wait(A &&awaitable);
template <class... Ts> task<void> when_all(Ts &&...awaitables);
template <class T> task<void> when_all(std::vector<task<T>> tasks);
template <class... Ts> task<void> when_any(Ts &&...awaitables);
class thread_pool {
public:
  shapes::ready schedule();
  shapes::ready yield();
};
class io_scheduler {
public:
  bool spawn(task<void> &&t);
  shapes::ready yield();
  shapes::ready yield_for(std::chrono::milliseconds amount);
};
class semaphore {
public:
  shapes::ready acquire();
  void release();
};
} // namespace coro
