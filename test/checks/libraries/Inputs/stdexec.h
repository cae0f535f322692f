// Stand-in for stdexec's exec/task.hpp, exec/when_any.hpp,
// exec/async_scope.hpp and stdexec/execution.hpp. Its algorithms are
// customisation-point objects, as in the real headers.
#pragma once
#include "shapes.h"

namespace exec {
template <class T> class task {
public:
  using promise_type = shapes::promise<task, std::suspend_always, T>;
  shapes::ready operator co_await() const noexcept { return {}; }
};
struct when_any_t {
  template <class... S> task<void> operator()(S &&...senders) const;
};
inline constexpr when_any_t when_any{};
class async_scope {
public:
  template <class S> void spawn(S &&sender);
  task<void> on_empty();
};
} // namespace exec
namespace stdexec {
struct sync_wait_t {
  template <class S> void operator()(S &&sender) const;
};
inline constexpr sync_wait_t sync_wait{};
} // namespace stdexec
