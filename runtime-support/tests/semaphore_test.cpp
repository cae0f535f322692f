// semaphore: never over-admits, serves waiters in order, releases through
// RAII permits, and a cancelled waiter takes nothing. These run on the
// current-thread flavour, where the order of events is deterministic;
// sync_test.cpp covers contention on several workers.
#include "test_support.hpp"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <optional>
#include <vector>

using namespace std::chrono_literals;

namespace {

TEST(Semaphore, NeverAdmitsMoreHoldersThanPermits) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::semaphore sem{3};
  int inside = 0, peak = 0, done = 0;
  auto worker = [&]() -> asyncrt::task<void> {
    auto permit = co_await sem.acquire();
    peak = std::max(peak, ++inside);
    co_await asyncrt::yield_now();
    co_await asyncrt::yield_now();
    --inside;
    ++done;
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 100; ++i)
      // The fan-out under test: the semaphore inside bounds it.
      // NOLINTNEXTLINE(async-unbounded-fanout)
      handles.push_back(asyncrt::spawn(worker()));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_EQ(peak, 3);
  EXPECT_EQ(done, 100);
  EXPECT_EQ(sem.available_permits(), 3u);
}

TEST(Semaphore, ServesWaitersInArrivalOrder) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::semaphore sem{1};
  std::vector<int> order;
  auto worker = [&](int id) -> asyncrt::task<void> {
    auto permit = co_await sem.acquire();
    order.push_back(id);
    co_await asyncrt::yield_now();
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 5; ++i)
      handles.push_back(asyncrt::spawn(worker(i)));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Semaphore, TryAcquireDoesNotJumpTheQueue) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::semaphore sem{2};
  auto body = [&]() -> asyncrt::task<bool> {
    auto first = sem.try_acquire();
    if (!first)
      co_return false;
    auto big = asyncrt::spawn([](asyncrt::semaphore &s) -> asyncrt::task<void> {
      auto p = co_await s.acquire(2); // waits: only one is free
    }(sem));
    co_await asyncrt::yield_now();
    bool jumped = sem.try_acquire().has_value(); // one is free, but big waits
    first.reset();                               // now big can go
    co_await std::move(big);
    co_return !jumped && sem.available_permits() == 2;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST(Semaphore, CancelledWaiterTakesNothing) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::semaphore sem{1};
  auto body = [&]() -> asyncrt::task<bool> {
    std::optional<asyncrt::semaphore::permit> held = co_await sem.acquire();
    auto waiting =
        asyncrt::spawn([](asyncrt::semaphore &s) -> asyncrt::task<void> {
          auto p = co_await s.acquire();
        }(sem));
    co_await asyncrt::yield_now(); // the waiter is now queued
    waiting.abort();
    bool cancelled = false;
    try {
      co_await std::move(waiting);
    } catch (const asyncrt::cancelled &) {
      cancelled = true;
    }
    bool none_taken_while_held = sem.available_permits() == 0;
    held.reset();
    // The cancelled waiter left the queue: the permit comes back whole.
    co_return cancelled &&none_taken_while_held &&sem.available_permits() ==
            1 &&
        sem.try_acquire().has_value();
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST(Semaphore, BoundsAFanOutWithTheTestClock) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::semaphore sem{10};
  auto body = [&]() -> asyncrt::task<asyncrt::clock::duration> {
    asyncrt::testing::pause_time();
    auto start = asyncrt::now();
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 100; ++i)
      handles.push_back(
          // The fan-out under test: the semaphore inside bounds it.
          // NOLINTNEXTLINE(async-unbounded-fanout)
          asyncrt::spawn([](asyncrt::semaphore &s) -> asyncrt::task<void> {
            auto p = co_await s.acquire();
            co_await asyncrt::sleep(10ms);
          }(sem)));
    for (auto &h : handles)
      co_await std::move(h);
    co_return asyncrt::now() - start;
  };
  EXPECT_EQ(rt.block_on(body()), 100ms); // 100 tasks, 10 at a time, 10 ms each
}

} // namespace
