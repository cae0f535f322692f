// The fix: sleep through the runtime. The task suspends; other tasks run.
// Here a heartbeat keeps ticking while the poller waits, which the blocking
// version would have frozen.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <chrono>
#include <cstdio>

namespace example {

using namespace std::chrono_literals;

asyncrt::task<int> poll_until_ready(int ready_at) {
  int polls = 0;
  while (polls < ready_at) {
    ++polls;
    co_await asyncrt::sleep(10ms);
  }
  co_return polls;
}

asyncrt::task<int> heartbeat(int beats) {
  int count = 0;
  for (int i = 0; i < beats; ++i) {
    co_await asyncrt::sleep(5ms);
    ++count;
  }
  co_return count;
}

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time(); // the example runs instantly
  auto beats = asyncrt::spawn(heartbeat(10));
  int polls = co_await poll_until_ready(5);
  co_return polls == 5 && co_await std::move(beats) == 10;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("blocking-sleep/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
