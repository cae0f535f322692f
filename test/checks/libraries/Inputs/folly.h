// Stand-in for folly's coro/Task.h, coro/Collect.h, coro/BlockingWait.h,
// coro/Sleep.h, coro/AsyncScope.h, coro/CurrentExecutor.h and
// futures/Future.h.
#pragma once
#include "shapes.h"

namespace folly {
template <class T> class SemiFuture {
public:
  T get() &&;
};
namespace coro {
template <class T = void> class Task {
public:
  using promise_type = shapes::promise<Task, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
template <class A> void blockingWait(A &&awaitable);
template <class... Ts> Task<void> collectAll(Ts &&...tasks);
template <class T> Task<void> collectAllRange(std::vector<Task<T>> tasks);
template <class T>
Task<void> collectAllWindowed(std::vector<Task<T>> tasks, int window);
template <class... Ts> Task<void> collectAny(Ts &&...tasks);
Task<void> sleep(std::chrono::milliseconds d);
struct co_reschedule_on_current_executor_ {
  shapes::ready operator co_await() const noexcept { return {}; }
};
inline constexpr co_reschedule_on_current_executor_
    co_reschedule_on_current_executor{};
class AsyncScope {
public:
  template <class A> void add(A &&task);
};
} // namespace coro
} // namespace folly
