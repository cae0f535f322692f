// A hand-written awaitable: a delay that registers its deadline with the
// runtime's timer and is resumed once, when it is due. (The broken version
// re-schedules itself with yield until the time has passed: it keeps a
// worker spinning for the whole delay.)
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <coroutine>
#include <cstdio>

namespace example {

class delay {
public:
  explicit delay(asyncrt::clock::duration d) : duration_(d) {}
  bool await_ready() const noexcept {
    return duration_ <= asyncrt::clock::duration::zero();
  }
  void await_suspend(std::coroutine_handle<> self) const {
    asyncrt::resume_at(asyncrt::now() + duration_, self); // one wake-up
  }
  void await_resume() const noexcept {}

private:
  asyncrt::clock::duration duration_;
};

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time();
  auto start = asyncrt::now();
  co_await delay(std::chrono::minutes(5));
  co_await delay(std::chrono::milliseconds(0)); // ready at once
  co_return asyncrt::now() - start == std::chrono::minutes(5);
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("delay_awaitable: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
