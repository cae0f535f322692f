// Pitfall: a hand-written awaiter that uses itself after handing its
// coroutine's handle to another thread. The thread may resume the
// coroutine at once; by the time `armed_ = true` runs, the coroutine may
// have finished and its frame, which holds this awaiter, be freed.
// corolint: async-awaiter-contract
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <coroutine>
#include <thread>

namespace example {

class after {
public:
  explicit after(std::chrono::milliseconds d) : delay_(d) {}
  bool await_ready() const noexcept { return delay_.count() <= 0; }
  void await_suspend(std::coroutine_handle<> self) {
    std::thread([self, d = delay_] {
      std::this_thread::sleep_for(d);
      self.resume(); // on a thread the runtime does not know, too
    }).detach();
    armed_ = true; // use after a possible free
  }
  bool await_resume() const noexcept { return armed_; }

private:
  std::chrono::milliseconds delay_;
  bool armed_ = false;
};

asyncrt::task<bool> wait_a_bit() {
  co_return co_await after(std::chrono::milliseconds(10));
}

} // namespace example
