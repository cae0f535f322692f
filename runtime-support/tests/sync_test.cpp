// asyncrt::mutex, and the semaphore under contention on several workers.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Sync : public asyncrt_test::AllShapes {};

TEST_P(Sync, SemaphoreNeverOverAdmitsUnderContention) {
  asyncrt::runtime rt{options()};
  asyncrt::semaphore sem{4};
  asyncrt_test::gauge inside;
  std::atomic<int> done = 0;
  auto worker = [&]() -> asyncrt::task<void> {
    for (int round = 0; round < 20; ++round) {
      auto permit = co_await sem.acquire();
      inside.enter();
      co_await asyncrt::yield_now();
      inside.leave();
    }
    ++done;
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 64; ++i)
      // Contention is the point. NOLINTNEXTLINE(async-unbounded-fanout)
      handles.push_back(asyncrt::spawn(worker()));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_LE(inside.peak, 4);
  EXPECT_EQ(done, 64);
  EXPECT_EQ(sem.available_permits(), 4u);
}

// Acquires of one to three permits, some through try_acquire, some held
// without suspending (so that releases race with waiters queueing), and a
// thread outside the runtime taking and dropping permits all along: the
// lock-free paths and the queue never admit more than the permits.
TEST_P(Sync, FastAndQueuedAcquiresNeverOverAdmit) {
  asyncrt::runtime rt{options()};
  constexpr int permits = 4;
  asyncrt::semaphore sem{permits};
  std::atomic<int> in_use = 0, peak = 0;
  auto hold = [&](int count) {
    int now = in_use += count;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now))
      ;
  };
  std::atomic<bool> stop = false;
  std::thread outsider([&] {
    while (!stop.load()) {
      if (auto p = sem.try_acquire(1)) {
        hold(1);
        in_use -= 1;
      }
      std::this_thread::yield();
    }
  });
  auto worker = [&](int id) -> asyncrt::task<void> {
    for (int round = 0; round < 200; ++round) {
      int count = 1 + (id + round) % 3;
      std::optional<asyncrt::semaphore::permit> permit;
      if (round % 4 == 0)
        permit = sem.try_acquire(static_cast<std::size_t>(count));
      if (!permit)
        permit = co_await sem.acquire(static_cast<std::size_t>(count));
      hold(count);
      if (round % 2 == 0)
        co_await asyncrt::yield_now();
      in_use -= count;
    }
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 32; ++i)
      // Contention is the point. NOLINTNEXTLINE(async-unbounded-fanout)
      handles.push_back(asyncrt::spawn(worker(i)));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  stop = true;
  outsider.join();
  EXPECT_LE(peak.load(), permits);
  EXPECT_GE(peak.load(), 2);
  EXPECT_EQ(sem.available_permits(), static_cast<std::size_t>(permits));
  EXPECT_EQ(sem.try_acquire(permits)->count(),
            static_cast<std::size_t>(permits));
}

TEST(Semaphore, RefusesMoreThanMaxPermits) {
  EXPECT_THROW(asyncrt::semaphore(asyncrt::semaphore::max_permits + 1),
               std::length_error);
  asyncrt::semaphore most(asyncrt::semaphore::max_permits);
  EXPECT_EQ(most.available_permits(), asyncrt::semaphore::max_permits);
}

TEST_P(Sync, MutexGuardMayBeHeldAcrossAwaits) {
  asyncrt::runtime rt{options()};
  asyncrt::mutex m;
  long counter = 0; // guarded by m
  std::atomic<int> inside = 0;
  std::atomic<bool> overlapped = false;
  auto worker = [&]() -> asyncrt::task<void> {
    for (int i = 0; i < 50; ++i) {
      auto guard = co_await m.lock();
      if (++inside > 1)
        overlapped = true;
      long seen = counter;
      co_await asyncrt::yield_now(); // other tasks run meanwhile
      counter = seen + 1;
      --inside;
    }
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 8; ++i)
      handles.push_back(asyncrt::spawn(worker()));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(counter, 400);
}

TEST_P(Sync, MutexTryLockAndUnlock) {
  asyncrt::runtime rt{options()};
  asyncrt::mutex m;
  auto body = [&]() -> asyncrt::task<bool> {
    auto guard = co_await m.lock();
    bool busy = !m.try_lock();
    guard.unlock();
    auto again = m.try_lock();
    co_return busy &&again && again->owns_lock() && !guard.owns_lock();
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST_P(Sync, CancelledLockerTakesNothingAndIsUnwound) {
  asyncrt::runtime rt{options()};
  asyncrt::mutex m;
  auto body = [&]() -> asyncrt::task<bool> {
    auto held = co_await m.lock();
    auto waiting =
        asyncrt::spawn([](asyncrt::mutex &mx) -> asyncrt::task<void> {
          auto g = co_await mx.lock();
        }(m));
    co_await asyncrt::sleep(1ms);
    waiting.abort();
    bool cancelled = false;
    try {
      co_await std::move(waiting);
    } catch (const asyncrt::cancelled &) {
      cancelled = true;
    }
    held.unlock();
    co_return cancelled &&m.try_lock().has_value();
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST(Mutex, ServesLockersInArrivalOrder) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::mutex m;
  std::vector<int> order;
  auto body = [&]() -> asyncrt::task<void> {
    auto held = co_await m.lock();
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 5; ++i)
      handles.push_back(
          asyncrt::spawn([](asyncrt::mutex &mx, std::vector<int> &out,
                            int id) -> asyncrt::task<void> {
            auto g = co_await mx.lock();
            out.push_back(id);
          }(m, order, i)));
    co_await asyncrt::yield_now();
    held.unlock();
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

ASYNCRT_ON_ALL_SHAPES(Sync);

} // namespace
