// Time and cooperative scheduling: sleep, sleep_until, yield_now, now.
//
// Both awaitables are cancellation points: a cancelled task's co_await on
// them throws asyncrt::cancelled. Both are cancel-safe: dropping them loses
// nothing. They must be awaited inside a runtime.
#ifndef ASYNCRT_TIME_HPP
#define ASYNCRT_TIME_HPP

#include <asyncrt/annotations.hpp>
#include <asyncrt/detail/cancellable_wait.hpp>
#include <asyncrt/detail/scheduler.hpp>

#include <chrono>
#include <coroutine>
#include <ratio>

namespace asyncrt {

using clock = detail::clock;

/// The runtime's time: steady_clock, or the paused test clock
/// (asyncrt::testing::pause_time).
inline clock::time_point now() { return detail::current_scheduler().now(); }

namespace detail {

/// \p d in the clock's unit, saturated: a duration too long to represent
/// (std::chrono::hours::max()) becomes clock::duration::max(), a far future,
/// as tokio treats Duration::MAX.
template <class Rep, class Period>
clock::duration saturated(std::chrono::duration<Rep, Period> d) {
  using given = std::chrono::duration<Rep, Period>;
  if constexpr (std::ratio_greater_equal_v<Period, clock::period>) {
    // Coarser than the clock (hours): compare in the coarser unit, where the
    // clock's range converts without overflow.
    if (d >= std::chrono::duration_cast<given>(clock::duration::max()))
      return clock::duration::max();
    if (d <= std::chrono::duration_cast<given>(clock::duration::min()))
      return clock::duration::min();
  }
  return std::chrono::duration_cast<clock::duration>(d);
}

/// now + d without overflow: past the clock's end is its end.
inline clock::time_point deadline_after(clock::time_point now,
                                        clock::duration d) {
  if (d > clock::time_point::max() - now)
    return clock::time_point::max();
  return now + d;
}

class sleep_awaiter : public cancellable_wait<sleep_awaiter> {
public:
  /// Sleeps for \p d from the moment it is awaited.
  explicit sleep_awaiter(clock::duration d) : duration_(d) {}
  /// Sleeps until \p deadline of the runtime's clock.
  explicit sleep_awaiter(clock::time_point deadline)
      : deadline_(deadline), absolute_(true) {}
  // Copied (moved) only before it is awaited.
  sleep_awaiter(const sleep_awaiter &other)
      : cancellable_wait(other), duration_(other.duration_),
        deadline_(other.deadline_), absolute_(other.absolute_) {}
  ~sleep_awaiter() { abandon(); }

  bool await_ready() {
    if (self_cancelled())
      return true;
    bool due = absolute_ ? deadline_ <= current_scheduler().now()
                         : duration_ <= clock::duration::zero();
    return due && completed_now();
  }
  bool await_suspend(std::coroutine_handle<> h) { return park(h); }
  void await_resume() {
    resumed();
    throw_if_cancelled();
  }

private:
  friend class cancellable_wait<sleep_awaiter>;
  bool publish() {
    scheduler &s = current_scheduler();
    timers_ = &s;
    s.add_timer(entry_,
                absolute_ ? deadline_ : deadline_after(s.now(), duration_),
                node());
    return true;
  }
  // A timer that has not fired is taken back.
  bool withdraw() { return timers_ && timers_->cancel_timer(entry_); }
  void give_back() {}

  clock::duration duration_{};
  clock::time_point deadline_{};
  bool absolute_ = false;
  scheduler *timers_ = nullptr; // set once armed
  timer_entry entry_;           // in the heap while armed
};

class yield_awaiter {
public:
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const { yield_task(h); }
  void await_resume() const { throw_if_cancelled(); }
};
} // namespace detail

/// Suspends the task for at least \p d of the runtime's time; other tasks run
/// meanwhile. A duration past the clock's range (hours::max()) sleeps until
/// cancelled. Cancel-safe.
template <class Rep, class Period>
ASYNCRT_CANCEL_SAFE detail::sleep_awaiter
sleep(std::chrono::duration<Rep, Period> d) {
  return detail::sleep_awaiter(detail::saturated(d));
}

/// Suspends the task until \p deadline of the runtime's clock (now(), the
/// paused test clock included); a deadline already past completes at once.
/// tokio's sleep_until. A cancellation point; cancel-safe.
ASYNCRT_CANCEL_SAFE inline detail::sleep_awaiter
sleep_until(clock::time_point deadline) {
  return detail::sleep_awaiter(deadline);
}

/// For hand-written awaitables: has the current runtime resume \p h at
/// \p deadline (of the runtime's clock). Call it from await_suspend. Not a
/// cancellation point: a task aborted while parked this way wakes at the
/// deadline, not before (sleep() wakes at once).
inline void resume_at(clock::time_point deadline, std::coroutine_handle<> h) {
  detail::scheduler &s = detail::current_scheduler();
  detail::waiter self;
  self.capture(h);
  auto *entry = new detail::timer_entry;
  entry->owned_by_heap = true;
  s.add_timer(*entry, deadline, self);
}

/// Lets every other ready task run once before this one continues, and
/// observes cancellation. The cure for a loop that would otherwise hold its
/// worker (corolint's async-loop-without-suspend). Cancel-safe.
ASYNCRT_CANCEL_SAFE inline detail::yield_awaiter yield_now() { return {}; }

} // namespace asyncrt

#endif // ASYNCRT_TIME_HPP
