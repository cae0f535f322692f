// The fix: the awaiter registers a waker with the sensor, which wakes the
// task when it publishes a reading; the task sleeps until then. The
// registration and the final "is a reading there?" test happen under the
// sensor's lock, so a reading published in between is not missed.
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <coroutine>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace example {

class sensor {
public:
  void publish(int reading) {
    asyncrt::waker parked;
    {
      std::lock_guard lock(mutex_);
      readings_.push_back(reading);
      parked = std::move(parked_);
    }
    std::move(parked).wake(); // outside the lock: the task may run at once
  }
  bool has_reading() const {
    std::lock_guard lock(mutex_);
    return !readings_.empty();
  }
  // Keeps the waker unless a reading is there already (then false: the
  // awaiter resumes without suspending).
  bool park(asyncrt::waker w) {
    std::lock_guard lock(mutex_);
    if (!readings_.empty())
      return false;
    parked_ = std::move(w);
    return true;
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
  asyncrt::waker parked_; // one reader
};

class next_reading {
public:
  explicit next_reading(sensor &s) : sensor_(s) {}
  bool await_ready() const { return sensor_.has_reading(); }
  bool await_suspend(std::coroutine_handle<> self) {
    return sensor_.park(asyncrt::waker(self));
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

asyncrt::task<int> read_three(sensor &s) {
  int sum = 0;
  for (int i = 0; i < 3; ++i)
    sum += co_await read_one(s);
  co_return sum;
}

} // namespace example

int main() {
  example::sensor s;
  std::thread device([&s] {
    for (int reading = 1; reading <= 3; ++reading) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      s.publish(reading);
    }
  });
  asyncrt::runtime rt;
  int sum = rt.block_on(example::read_three(s));
  device.join();
  std::printf("busy-rewake (good): sum of readings %d\n", sum);
  return sum == 6 ? 0 : 1;
}
