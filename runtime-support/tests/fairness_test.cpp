// Fairness on every runtime shape: what keeps one task from starving the
// others (timers polled at a bounded interval, the cooperative budget).
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
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

} // namespace

ASYNCRT_ON_ALL_SHAPES(Fairness);
