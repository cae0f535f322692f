// Stand-in for concurrencpp's results/result.h, lazy_result.h,
// when_result.h, resume_on.h and executors/executor.h. A coroutine
// returning null_result runs detached by design.
#pragma once
#include "shapes.h"

namespace concurrencpp {
template <class T> class result {
public:
  using promise_type = shapes::promise<result, std::suspend_never, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
  T get();
};
struct null_result {
  using promise_type = shapes::promise<null_result, std::suspend_never, void>;
};
template <class... Ts> result<void> when_all(Ts &&...results);
template <class T> result<void> when_all(std::vector<result<T>> results);
template <class... Ts> result<void> when_any(Ts &&...results);
class executor {
public:
  template <class F> result<void> submit(F &&) { return {}; }
  template <class F> void post(F &&) {}
};
shapes::ready resume_on(executor &e);
} // namespace concurrencpp
