// Stand-in for cppcoro's task.hpp, sync_wait.hpp, when_all.hpp,
// async_scope.hpp, static_thread_pool.hpp, io_service.hpp and
// cancellation_token.hpp.
#pragma once
#include "shapes.h"

namespace cppcoro {
template <class T = void> class task {
public:
  using promise_type = shapes::promise<task, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
template <class T> void sync_wait(T &&awaitable);
template <class... Ts> task<void> when_all(Ts &&...awaitables);
template <class T> task<void> when_all(std::vector<task<T>> tasks);
class async_scope {
public:
  template <class A> void spawn(A &&awaitable);
  task<void> join();
};
class static_thread_pool {
public:
  shapes::ready schedule();
};
class io_service {
public:
  shapes::ready schedule_after(std::chrono::milliseconds delay);
};
class cancellation_token {
public:
  void throw_if_cancellation_requested() const;
};
} // namespace cppcoro
