// Pitfall: a blocking sleep inside a coroutine. The worker thread sleeps,
// and every other task queued on it waits too.
// corolint: async-blocking-call
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <thread>

namespace example {

asyncrt::task<int> poll_until_ready(const int &ready_at, int &polls) {
  while (polls < ready_at) {
    ++polls;
    std::this_thread::sleep_for(std::chrono::milliseconds(10)); // blocks
  }
  co_return polls;
}

} // namespace example
