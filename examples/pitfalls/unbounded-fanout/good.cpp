// The fix: bound how many run at once. A permit is taken in the loop before
// each spawn, so the loop itself waits while ten requests are in flight;
// the permit travels with the task and is released when it ends.
// (Streams' buffer_unordered(n) and a task group with max_concurrency are
// the other two shapes of the same fix.)
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <vector>

namespace example {

constexpr std::size_t max_in_flight = 10;

asyncrt::task<int> fetch(int id, std::atomic<int> &in_flight,
                         std::atomic<int> &peak) {
  int now = ++in_flight;
  int seen = peak;
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
  co_await asyncrt::sleep(std::chrono::milliseconds(10)); // the backend call
  --in_flight;
  co_return id * 2;
}

asyncrt::task<int> with_permit([[maybe_unused]] asyncrt::semaphore::permit held,
                               asyncrt::task<int> work) {
  int value = co_await std::move(work);
  co_return value; // the permit is released here, with the task
}

asyncrt::task<long> fetch_all(std::vector<int> ids, std::atomic<int> &in_flight,
                              std::atomic<int> &peak) {
  asyncrt::testing::pause_time();
  asyncrt::semaphore limit{max_in_flight};
  std::vector<asyncrt::join_handle<int>> pending;
  for (int id : ids) {
    auto permit = co_await limit.acquire(); // waits while ten are in flight
    pending.push_back(asyncrt::spawn(
        with_permit(std::move(permit), fetch(id, in_flight, peak))));
  }
  long total = 0;
  for (auto &h : pending)
    total += co_await std::move(h);
  co_return total;
}

} // namespace example

int main() {
  asyncrt::runtime rt;
  std::vector<int> ids(1000);
  for (int i = 0; i < 1000; ++i)
    ids[i] = i;
  std::atomic<int> in_flight = 0, peak = 0;
  long total = rt.block_on(example::fetch_all(ids, in_flight, peak));
  bool ok = total == 999L * 1000 && peak <= 10;
  std::printf("unbounded-fanout/good: peak %d in flight: %s\n", peak.load(),
              ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
