// asyncrt::waker: what a hand-written awaitable keeps to resume its task
// when the event it waits for happens (tokio's Waker).
//
//   bool await_suspend(std::coroutine_handle<> h) {
//     return source.park(asyncrt::waker(h));  // the source wakes it later
//   }
//   ...
//   std::move(parked).wake();  // in the event source, from any thread
//
// A waker is made in await_suspend, on the runtime's thread, and given to
// whatever will make the awaited condition true. That code calls wake()
// once, from any thread, inside a runtime or not: the task is put back in
// its runtime's run queue (never resumed inline on the caller's stack).
// Waking at once from await_suspend, when the condition is not met, is the
// busy re-wake corolint's async-awaiter-contract reports: the task spins
// on its worker. Register the waker, then test the condition again before
// parking, or a wake between the test and the registration is lost.
//
// Thread safety: a waker is one owner's: move it between threads, do not
// share it. wake() consumes it (a moved-from or woken waker is empty and
// its wake() does nothing), so a task cannot be resumed twice through it.
// Cancellation: parking with a waker is not a cancellation point: a task
// aborted while parked stays parked until wake() (its next cancellation
// point then throws asyncrt::cancelled). Wait on notify, a channel or
// sleep when an abort must end the wait at once. A waker destroyed without
// wake() leaves its task parked for good: an awaitable that gives up a
// wait must resume the task in some other way. The runtime must outlive
// the waker's wake().
#ifndef ASYNCRT_WAKER_HPP
#define ASYNCRT_WAKER_HPP

#include <asyncrt/detail/scheduler.hpp>

#include <coroutine>
#include <utility>

namespace asyncrt {

class waker {
public:
  /// An empty waker: wake() does nothing.
  waker() = default;

  /// Takes the task that is suspending through \p h. Call it from
  /// await_suspend, on the runtime's thread; throws std::logic_error
  /// outside a runtime.
  explicit waker(std::coroutine_handle<> h) {
    detail::current_scheduler();
    wakeup_.capture(h);
  }

  waker(waker &&other) noexcept
      : wakeup_(std::exchange(other.wakeup_, detail::waiter{})) {}
  waker &operator=(waker &&other) noexcept {
    wakeup_ = std::exchange(other.wakeup_, detail::waiter{});
    return *this;
  }
  waker(const waker &) = delete;
  waker &operator=(const waker &) = delete;

  /// Puts the task back in its runtime's run queue; the waker is empty
  /// afterwards. Thread-safe with respect to the runtime; call it from any
  /// thread.
  void wake() && {
    detail::waiter wakeup = std::exchange(wakeup_, detail::waiter{});
    if (wakeup.handle)
      wakeup.wake();
  }

  /// Whether this waker still has a task to wake.
  explicit operator bool() const noexcept {
    return static_cast<bool>(wakeup_.handle);
  }

private:
  detail::waiter wakeup_;
};

} // namespace asyncrt

#endif // ASYNCRT_WAKER_HPP
