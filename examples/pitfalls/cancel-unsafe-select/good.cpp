// The fix: make the branch cancel-safe. reserve() waits for a slot and is
// cancel-safe (a cancelled wait takes nothing); the item is handed over only
// with a permit in hand, by a send that never waits. When the heartbeat
// wins, the item is still ours and the next turn tries again.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <cstdio>
#include <optional>
#include <vector>

namespace example {

using slot = std::optional<asyncrt::mpsc::permit<int>>;

asyncrt::task<int> pump(std::vector<int> items,
                        asyncrt::mpsc::sender<int> out) {
  int beats = 0;
  for (std::size_t next = 0; next < items.size();) {
    auto winner = co_await asyncrt::select(
        out.reserve(), asyncrt::sleep(std::chrono::milliseconds(100)));
    if (winner.index() == 1) {
      ++beats; // nothing taken: items[next] is still here
      continue;
    }
    slot &permit = std::get<0>(winner);
    if (!permit)
      break; // the consumer is gone
    permit->send(items[next++]);
  }
  co_return beats;
}

asyncrt::task<std::vector<int>> slow_consumer(asyncrt::mpsc::receiver<int> in) {
  std::vector<int> got;
  while (auto item = co_await in.recv()) {
    got.push_back(*item);
    co_await asyncrt::sleep(std::chrono::milliseconds(150)); // falls behind
  }
  co_return got;
}

asyncrt::task<bool> run() {
  asyncrt::testing::pause_time();
  auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
  auto consumer = asyncrt::spawn(slow_consumer(std::move(rx)));
  std::vector<int> items = {1, 2, 3, 4, 5}; // named: g++-12 rejects a braced
                                            // argument to a coroutine here
  int beats = co_await pump(std::move(items), std::move(tx));
  std::vector<int> got = co_await std::move(consumer);
  std::printf("cancel-unsafe-select/good: %d heartbeats, %zu of 5 items\n",
              beats, got.size());
  co_return beats > 0 && got == std::vector<int>{1, 2, 3, 4, 5};
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  bool ok = rt.block_on(example::run());
  std::printf("cancel-unsafe-select/good: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
