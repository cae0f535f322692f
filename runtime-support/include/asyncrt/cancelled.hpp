// asyncrt::cancelled: what a cancelled task sees.
//
// Cancellation is cooperative. abort() on a join handle marks the task; the
// task notices at its next suspension on a runtime awaitable (sleep,
// yield_now, awaiting a join handle), where that co_await throws
// asyncrt::cancelled. The exception unwinds the task's frames, so RAII
// cleanup runs. A task that never suspends cannot be cancelled.
#ifndef ASYNCRT_CANCELLED_HPP
#define ASYNCRT_CANCELLED_HPP

#include <exception>

namespace asyncrt {

class cancelled : public std::exception {
public:
  const char *what() const noexcept override {
    return "asyncrt: the task was cancelled";
  }
};

} // namespace asyncrt

#endif // ASYNCRT_CANCELLED_HPP
