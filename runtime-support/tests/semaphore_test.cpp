// semaphore: never over-admits, serves waiters in order, releases through
// RAII permits, and a cancelled waiter takes nothing. These run on the
// current-thread flavour, where the order of events is deterministic;
// sync_test.cpp covers contention on several workers.
#include "test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
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

// close() and owned permits, on every runtime shape.
class SemaphoreShapes : public asyncrt_test::AllShapes {};

// Yields until \p n tasks wait on \p sem (they park on other workers).
asyncrt::task<void> until_waiting(const std::atomic<int> &waiting, int n) {
  while (waiting.load() < n)
    co_await asyncrt::yield_now();
}

TEST_P(SemaphoreShapes, CloseWakesEveryWaiterAndKeepsHeldPermits) {
  asyncrt::runtime rt{options()};
  asyncrt::semaphore sem{1};
  std::atomic<int> waiting = 0, closed = 0;
  auto waiter = [&]() -> asyncrt::task<void> {
    ++waiting;
    try {
      auto permit = co_await sem.acquire();
    } catch (const asyncrt::semaphore_closed &) {
      ++closed;
    }
  };
  auto body = [&]() -> asyncrt::task<std::vector<int>> {
    auto held = co_await sem.acquire();
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 3; ++i)
      handles.push_back(asyncrt::spawn(waiter()));
    co_await until_waiting(waiting, 3);
    co_await asyncrt::sleep(1ms); // on the paused clock: all three parked
    sem.close();
    for (auto &h : handles)
      co_await std::move(h);
    std::vector<int> seen{closed.load(), static_cast<int>(held.count()),
                          sem.is_closed() ? 1 : 0, sem.try_acquire() ? 1 : 0};
    bool later_throws = false;
    try {
      auto late = co_await sem.acquire();
    } catch (const asyncrt::semaphore_closed &) {
      later_throws = true;
    }
    seen.push_back(later_throws ? 1 : 0);
    co_return seen;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()),
            (std::vector<int>{3, 1, 1, 0, 1}));
  // The held permit went back as usual.
  EXPECT_EQ(sem.available_permits(), 1u);
}

TEST_P(SemaphoreShapes, OwnedPermitKeepsTheSemaphoreAliveInASpawnedTask) {
  asyncrt::runtime rt{options()};
  std::weak_ptr<asyncrt::semaphore> watch;
  auto worker = [](asyncrt::owned_permit permit) -> asyncrt::task<std::size_t> {
    co_await asyncrt::yield_now();
    co_return permit.owner()->available_permits();
  };
  auto body = [&]() -> asyncrt::task<std::size_t> {
    asyncrt::join_handle<std::size_t> handle;
    {
      auto sem = std::make_shared<asyncrt::semaphore>(2);
      watch = sem;
      asyncrt::owned_permit permit = co_await asyncrt::acquire_owned(sem);
      std::optional<asyncrt::owned_permit> second =
          asyncrt::try_acquire_owned(sem);
      EXPECT_TRUE(second.has_value());
      EXPECT_FALSE(asyncrt::try_acquire_owned(sem).has_value());
      // Both gone before the spawn: on two workers the task may run before
      // this scope ends.
      second.reset();
      sem.reset();
      handle = asyncrt::spawn(worker(std::move(permit)));
    }
    co_return co_await std::move(handle);
  };
  // Inside the task one permit is held, the other was returned.
  EXPECT_EQ(rt.block_on(body()), 1u);
  EXPECT_TRUE(watch.expired());
}

TEST_P(SemaphoreShapes, AcquireOwnedIsCancelSafe) {
  asyncrt::runtime rt{options()};
  auto sem = std::make_shared<asyncrt::semaphore>(0);
  auto waiter = [&]() -> asyncrt::task<void> {
    auto permit = co_await asyncrt::acquire_owned(sem);
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto handle = asyncrt::spawn(waiter());
    co_await asyncrt::sleep(1ms);
    handle.abort();
    bool cancelled = co_await asyncrt_test::ends_cancelled(std::move(handle));
    sem->add_permits(1);
    co_return cancelled;
  };
  EXPECT_TRUE(asyncrt_test::run_paused(rt, body()));
  EXPECT_EQ(sem->available_permits(), 1u); // the aborted wait took nothing
}

ASYNCRT_ON_ALL_SHAPES(SemaphoreShapes);

} // namespace
