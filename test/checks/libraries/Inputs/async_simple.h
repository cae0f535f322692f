// Stand-in for async_simple's coro/Lazy.h, coro/SyncAwait.h, coro/Collect.h,
// coro/Sleep.h and coro/CountingSemaphore.h.
#pragma once
#include "shapes.h"

namespace async_simple::coro {
struct Yield {};
template <class T = void> class Lazy {
public:
  using promise_type = shapes::promise<Lazy, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
  template <class F> void start(F &&) && {}
};
template <class A> void syncAwait(A &&lazy);
template <class... Ts> Lazy<void> collectAll(Ts &&...lazies);
template <class T> Lazy<void> collectAll(std::vector<Lazy<T>> lazies);
template <class T>
Lazy<void> collectAllWindowed(unsigned window, bool yield,
                              std::vector<Lazy<T>> lazies);
// Defined, as in the real header: the check must judge it by the table,
// not by this body (which holds a value across a second suspension).
template <class... Ts> Lazy<int> collectAny(Ts &&...) {
  int first = co_await shapes::item_awaiter{};
  int second = co_await shapes::item_awaiter{};
  co_return first + second;
}
Lazy<void> sleep(std::chrono::milliseconds d);
class CountingSemaphore {
public:
  Lazy<void> acquire();
};
} // namespace async_simple::coro
