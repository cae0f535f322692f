// select multiplexing a channel receive against a periodic health check,
// exiting when the channel closes. Both branches are cancel-safe (recv and a
// timer), so a message is never lost when the health check wins.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <cstdio>
#include <optional>

namespace example {

using namespace std::chrono_literals;

struct stats {
  int messages = 0;
  int checks = 0;
};

asyncrt::task<stats> serve(asyncrt::mpsc::receiver<int> rx) {
  stats s;
  auto next_check = asyncrt::now() + 100ms;
  for (;;) {
    auto event =
        co_await asyncrt::select(rx.recv(), asyncrt::sleep_until(next_check));
    if (event.index() == 1) {
      ++s.checks; // report health; the pending message stays queued
      next_check += 100ms;
      continue;
    }
    if (!std::get<0>(event))
      co_return s; // every sender is gone
    ++s.messages;
  }
}

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time();
  auto [tx, rx] = asyncrt::mpsc::channel<int>(16);
  auto server = asyncrt::spawn(serve(std::move(rx)));
  for (int i = 0; i < 20; ++i) {
    co_await asyncrt::sleep(30ms);
    co_await tx.send(i);
  }
  { auto closing = std::move(tx); } // the channel closes
  stats s = co_await std::move(server);
  std::printf("select: %d messages, %d health checks\n", s.messages, s.checks);
  // Six checks are due in 600 ms; the last one ties with the closing.
  co_return s.messages == 20 && s.checks >= 5 && s.checks <= 6;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("select_health_check: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
