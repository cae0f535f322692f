// Test helpers, as tokio's time::pause: a paused clock makes long sleeps and
// timeouts run instantly and deterministically.
//
// Both must be called inside a runtime. Once paused, the runtime's clock
// stands still while tasks are runnable and jumps straight to the next
// timer's deadline when every task waits.
#ifndef ASYNCRT_TESTING_HPP
#define ASYNCRT_TESTING_HPP

#include <asyncrt/detail/scheduler.hpp>

namespace asyncrt::testing {

inline void pause_time() { detail::current_scheduler().pause_time(); }

/// Moves the paused clock forward (pausing it first if needed).
template <class Rep, class Period>
void advance(std::chrono::duration<Rep, Period> d) {
  detail::current_scheduler().advance(
      std::chrono::duration_cast<detail::clock::duration>(d));
}

} // namespace asyncrt::testing

#endif // ASYNCRT_TESTING_HPP
