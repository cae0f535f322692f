// Fairness on every runtime shape: what keeps one task from starving the
// others (timers polled at a bounded interval, the cooperative budget).
#include "test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <optional>
#include <vector>

using namespace std::chrono_literals;

namespace {

using asyncrt_test::AllShapes;
class Fairness : public AllShapes {};

// Yields until told to stop; gives up after a few seconds so that a starved
// timer fails the test instead of hanging it.
asyncrt::task<void> spin(const std::atomic<bool> &stop) {
  auto give_up = std::chrono::steady_clock::now() + 3s;
  while (!stop.load() && std::chrono::steady_clock::now() < give_up)
    co_await asyncrt::yield_now();
}

// The seed's own pattern: a loop of yield_now() keeps its worker's queue
// non-empty. A sleeper on the same worker(s) must still wake on time.
TEST_P(Fairness, TimersFireWhileTasksKeepYielding) {
  asyncrt::runtime rt{options()};
  auto body = [](std::size_t workers) -> asyncrt::task<double> {
    std::atomic<bool> stop{false};
    std::vector<asyncrt::join_handle<void>> spinners;
    for (std::size_t i = 0; i < workers; ++i)
      // One per worker of the runtime (at most two here).
      // NOLINTNEXTLINE(async-unbounded-fanout)
      spinners.push_back(asyncrt::spawn(spin(stop)));
    auto start = std::chrono::steady_clock::now();
    co_await asyncrt::sleep(5ms);
    std::chrono::duration<double> slept =
        std::chrono::steady_clock::now() - start;
    stop = true;
    for (auto &s : spinners)
      co_await std::move(s);
    co_return slept.count();
  };
  double slept = rt.block_on(body(rt.worker_threads()));
  EXPECT_LT(slept, 1.0) << "a 5 ms sleep took " << slept << " s";
}

// Receives until the channel ends, counting.
asyncrt::task<void> count_all(asyncrt::mpsc::receiver<int> in,
                              std::atomic<int> &count) {
  while (std::optional<int> v = co_await in.recv())
    count.fetch_add(1, std::memory_order_relaxed);
}

// A consumer of an always-ready channel never has to suspend; its budget
// makes it yield now and then, so that a due timer on its worker fires
// long before the channel is drained.
TEST_P(Fairness, AnAlwaysReadyChannelDoesNotHoldTheWorker) {
  asyncrt::runtime rt{options()};
  constexpr int items = 1'000'000;
  auto body = []() -> asyncrt::task<int> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(items);
    for (int i = 0; i < items; ++i)
      (void)tx.try_send(i);
    { auto done = std::move(tx); }
    std::atomic<int> consumed{0};
    auto consumer = asyncrt::spawn(count_all(std::move(rx), consumed));
    co_await asyncrt::sleep(1ms);
    int seen = consumed.load();
    co_await std::move(consumer);
    co_return seen;
  };
  int seen_at_wake = rt.block_on(body());
  EXPECT_LT(seen_at_wake, items);
}

// The budget can be turned off; the consumer then drains the channel in
// one turn on a single worker, as before there was a budget.
TEST(FairnessOptOut, ZeroBudgetLetsATaskKeepItsWorker) {
  auto opts = asyncrt_test::current_thread();
  opts.cooperative_budget = 0;
  asyncrt::runtime rt{opts};
  auto body = []() -> asyncrt::task<int> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(100'000);
    for (int i = 0; i < 100'000; ++i)
      (void)tx.try_send(i);
    { auto done = std::move(tx); }
    std::atomic<int> consumed{0};
    auto consumer = asyncrt::spawn(count_all(std::move(rx), consumed));
    co_await asyncrt::yield_now(); // the consumer runs its whole turn
    int seen = consumed.load();
    co_await std::move(consumer);
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), 100'000);
}

// A select's branches run one at a time, but a branch woken while its
// sibling runs must not block the worker it was woken on: here one branch
// holds a worker for 300 ms, and a ticker on the other worker must keep
// running meanwhile. (Two workers: with one, the long branch holds the only
// worker by design.)
TEST(FairnessTwoWorkers, ASelectBranchWaitingForItsSiblingBlocksNoWorker) {
  auto opts = asyncrt_test::options_for(asyncrt_test::shape::two_workers);
  opts.long_poll_threshold = std::chrono::milliseconds(0);
  asyncrt::runtime rt{opts};
  auto body = []() -> asyncrt::task<double> {
    std::atomic<bool> done{false};
    auto ticker = asyncrt::spawn(
        [](const std::atomic<bool> &stop) -> asyncrt::task<double> {
          std::chrono::duration<double> worst{0};
          while (!stop) {
            auto start = std::chrono::steady_clock::now();
            co_await asyncrt::sleep(1ms);
            worst = std::max<std::chrono::duration<double>>(
                worst, std::chrono::steady_clock::now() - start);
          }
          co_return worst.count();
        }(done));
    auto hog = []() -> asyncrt::task<int> {
      co_await asyncrt::sleep(1ms);
      auto until = std::chrono::steady_clock::now() + 300ms;
      while (std::chrono::steady_clock::now() < until) {
        // Holds its worker without suspending: the point of the test.
      }
      co_return 1;
    };
    auto late = []() -> asyncrt::task<int> {
      co_await asyncrt::sleep(20ms); // wakes while the hog runs
      co_return 2;
    };
    co_await asyncrt::select(hog(), late());
    done = true;
    co_return co_await std::move(ticker);
  };
  double worst = rt.block_on(body());
  EXPECT_LT(worst, 0.1) << "a 1 ms sleep took " << worst << " s";
}

} // namespace

ASYNCRT_ON_ALL_SHAPES(Fairness);
