// The runtime's clock: steady_clock, or a paused clock that only moves when
// told to (asyncrt::testing) or when the scheduler finds every worker idle
// and jumps it to the next deadline. Not a public API.
#ifndef ASYNCRT_DETAIL_TEST_CLOCK_HPP
#define ASYNCRT_DETAIL_TEST_CLOCK_HPP

#include <asyncrt/detail/task_context.hpp>

#include <atomic>
#include <mutex>

namespace asyncrt::detail {

// Thread-safe. Once paused, it stays paused for the runtime's life.
class runtime_clock {
public:
  clock::time_point now() const {
    if (paused_.load(std::memory_order_acquire))
      return clock::time_point(clock::duration(paused_now_.load()));
    return clock::now();
  }
  bool paused() const noexcept { return paused_.load(); }
  /// Stops the clock at the current time (idempotent).
  void pause() {
    std::lock_guard lock(pausing_);
    if (!paused_.load()) {
      paused_now_.store(clock::now().time_since_epoch().count());
      paused_.store(true, std::memory_order_release);
    }
  }
  /// Pauses the clock and moves it forward by \p d.
  void advance(clock::duration d) {
    pause();
    paused_now_.fetch_add(d.count());
  }
  /// Moves the paused clock forward to \p when, if it is earlier.
  void jump_to(clock::time_point when) {
    if (now() < when)
      paused_now_.store(when.time_since_epoch().count());
  }

private:
  std::mutex pausing_;
  std::atomic<bool> paused_{false};
  std::atomic<clock::rep> paused_now_{0};
};

} // namespace asyncrt::detail

#endif // ASYNCRT_DETAIL_TEST_CLOCK_HPP
