// asyncrt::mutex: an async mutex whose guard may be held across co_await.
//
//   asyncrt::mutex m;
//   {
//     auto guard = co_await m.lock();   // suspends, never blocks the worker
//     co_await write_to_log(state);     // fine: other tasks keep running
//   }                                   // unlocked here
//
// The cure for corolint's async-lock-across-suspend when the critical
// section really must await; a std::mutex is faster when it does not.
// Fair: lockers are served in arrival order (it is a one-permit semaphore).
//
// Thread safety: all members are thread-safe; a guard may be released on any
// thread. Cancellation: lock() is cancel-safe; a task cancelled while it
// waits leaves the queue without the lock and its co_await throws
// asyncrt::cancelled.
#ifndef ASYNCRT_MUTEX_HPP
#define ASYNCRT_MUTEX_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/semaphore.hpp>

#include <optional>
#include <utility>

namespace asyncrt {

class mutex {
public:
  /// Holds the lock until destroyed (or unlock()).
  class ASYNCRT_SUSPEND_SAFE_GUARD guard : public detail::permit_guard {
    friend class mutex;
    friend class detail::guard_awaiter<guard>;
    using permit_guard::permit_guard;
  };

  using lock_awaiter = detail::guard_awaiter<guard>;

  mutex() = default;
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  /// Waits for the lock. Cancel-safe.
  ASYNCRT_CANCEL_SAFE lock_awaiter lock() { return {permits_, 1}; }

  /// The lock now, if it is free and nobody waits.
  std::optional<guard> try_lock() {
    if (std::optional<semaphore::permit> p = permits_.try_acquire())
      return guard(std::move(*p));
    return std::nullopt;
  }

private:
  semaphore permits_{1};
};

} // namespace asyncrt

#endif // ASYNCRT_MUTEX_HPP
