// timeout, and a user-initiated abort of a looping task with a
// cancellation token (from another thread, as a signal handler would).
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <atomic>
#include <cstdio>
#include <thread>

namespace example {

using namespace std::chrono_literals;

asyncrt::task<int> slow_lookup() {
  co_await asyncrt::sleep(2s);
  co_return 42;
}

asyncrt::task<int> poll_forever(std::atomic<int> &polls) {
  for (;;) {
    ++polls;
    co_await asyncrt::sleep(1ms); // a suspension: cancellation can land here
  }
}

} // namespace example

int main() {
  using namespace std::chrono_literals;
  asyncrt::runtime rt;
  auto quick = rt.block_on([]() -> asyncrt::task<std::optional<int>> {
    asyncrt::testing::pause_time();
    co_return co_await asyncrt::timeout(500ms, example::slow_lookup());
  }());
  auto patient = rt.block_on([]() -> asyncrt::task<std::optional<int>> {
    asyncrt::testing::pause_time();
    co_return co_await asyncrt::timeout(5s, example::slow_lookup());
  }());

  asyncrt::cancellation_token stop;
  std::atomic<int> polls = 0;
  std::thread user([&] {
    while (polls < 20)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    stop.cancel(); // the user pressed Ctrl-C
  });
  auto looped = rt.block_on(
      asyncrt::run_until_cancelled(stop, example::poll_forever(polls)));
  user.join();

  bool ok = !quick && patient == 42 && !looped && polls >= 20;
  std::printf("timeout_and_abort: %s\n", ok ? "ok" : "FAILED");
  if (!ok) // what it got, against: none, 42, none, at least 20
    std::printf("quick %d, patient %d, looped %d, polls %d\n",
                quick.value_or(-1), patient.value_or(-1), looped ? 1 : 0,
                polls.load());
  return ok ? 0 : 1;
}
