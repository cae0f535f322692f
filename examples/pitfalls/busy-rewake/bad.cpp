// Pitfall: a hand-written readiness awaiter that, when no reading is
// there yet, wakes its own task at once instead of registering it with the
// sensor. Nothing else will ever wake it, so the caller's "await until a
// reading arrives" loop spins, holding a worker for as long as the sensor
// is quiet (the C++ form of `cx.waker().wake_by_ref(); Poll::Pending`).
// corolint: async-awaiter-contract
#include <asyncrt/asyncrt.hpp>

#include <coroutine>
#include <deque>
#include <mutex>
#include <optional>

namespace example {

// Readings published by a device thread.
class sensor {
public:
  void publish(int reading) {
    std::lock_guard lock(mutex_);
    readings_.push_back(reading);
  }
  bool has_reading() const {
    std::lock_guard lock(mutex_);
    return !readings_.empty();
  }
  std::optional<int> take() {
    std::lock_guard lock(mutex_);
    if (readings_.empty())
      return std::nullopt;
    int reading = readings_.front();
    readings_.pop_front();
    return reading;
  }

private:
  mutable std::mutex mutex_;
  std::deque<int> readings_;
};

class next_reading {
public:
  explicit next_reading(sensor &s) : sensor_(s) {}
  bool await_ready() const { return sensor_.has_reading(); }
  void await_suspend(std::coroutine_handle<> self) {
    asyncrt::waker(self).wake(); // runs again at once: a spin
  }
  std::optional<int> await_resume() { return sensor_.take(); }

private:
  sensor &sensor_;
};

asyncrt::task<int> read_one(sensor &s) {
  while (true)
    if (std::optional<int> reading = co_await next_reading(s))
      co_return *reading;
}

} // namespace example
