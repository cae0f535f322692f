// The fix: finish with the awaiter before the handle leaves it, and hand
// the handle to the runtime's timer, which resumes the coroutine once, on a
// worker, when it is due.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <chrono>
#include <coroutine>
#include <cstdio>

namespace example {

class after {
public:
  explicit after(asyncrt::clock::duration d) : delay_(d) {}
  bool await_ready() const noexcept {
    return delay_ <= asyncrt::clock::duration::zero();
  }
  void await_suspend(std::coroutine_handle<> self) {
    armed_ = true;                                     // before the hand-off
    asyncrt::resume_at(asyncrt::now() + delay_, self); // nothing after it
  }
  bool await_resume() const noexcept { return armed_; }

private:
  asyncrt::clock::duration delay_;
  bool armed_ = false;
};

asyncrt::task<bool> wait_a_bit() {
  asyncrt::testing::pause_time();
  co_return co_await after(std::chrono::milliseconds(10));
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool armed = rt.block_on(example::wait_a_bit());
  std::printf("broken-awaiter (good): %s\n", armed ? "ok" : "FAILED");
  return armed ? 0 : 1;
}
