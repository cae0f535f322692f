// Stand-in for Boost.Cobalt's task.hpp, promise.hpp, detached.hpp,
// spawn.hpp, race.hpp, join.hpp and run.hpp.
#pragma once
#include "shapes.h"

namespace boost::cobalt {
template <class T> class task {
public:
  using promise_type = shapes::promise<task, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
template <class T> class promise {
public:
  using promise_type = shapes::promise<promise, std::suspend_never, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
struct detached {
  using promise_type = shapes::promise<detached, std::suspend_never, void>;
};
struct executor {};
template <class T, class Token> void spawn(executor ex, task<T> &&t, Token);
template <class... Ts> task<void> race(Ts &&...awaitables);
template <class... Ts> task<void> join(Ts &&...awaitables);
template <class T> task<void> join(std::vector<task<T>> tasks);
template <class T> T run(task<T> t);
struct detached_token {};
} // namespace boost::cobalt
