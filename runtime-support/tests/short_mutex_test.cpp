// The short-section mutex: mutual exclusion under contention, and a waiter
// that has gone to sleep on a long hold is woken by the unlock.
#include <asyncrt/detail/short_mutex.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <gtest/gtest.h>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using asyncrt::detail::short_mutex;

TEST(ShortMutex, TryLockFailsWhileHeld) {
  short_mutex mutex;
  ASSERT_TRUE(mutex.try_lock());
  EXPECT_FALSE(mutex.try_lock());
  mutex.unlock();
  EXPECT_TRUE(mutex.try_lock());
  mutex.unlock();
}

// Four threads increment a plain counter under the lock, now and then
// holding it long enough that the others stop spinning and sleep: every
// increment counts (and TSan sees no race).
TEST(ShortMutex, ExcludesUnderContentionAndAfterSleeping) {
  constexpr int threads = 4, rounds = 20000;
  short_mutex mutex;
  long counter = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        std::lock_guard lock(mutex);
        long seen = counter;
        if ((i + t) % 5000 == 0) // long enough for the others to sleep
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        counter = seen + 1;
      }
    });
  for (std::thread &w : workers)
    w.join();
  EXPECT_EQ(counter, long{threads} * rounds);
}

// A thread that waits longer than the spin sleeps on the lock; the holder's
// unlock must wake it (were the wake-up missing, it would sleep for ever).
TEST(ShortMutex, AnUnlockWakesAWaiterThatWentToSleep) {
  // Leaked if the waiter never wakes: it still sleeps on the lock.
  auto *mutex = new short_mutex;
  mutex->lock();
  auto acquired = std::make_shared<std::atomic<bool>>(false);
  std::thread waiter([mutex, acquired] {
    std::lock_guard lock(*mutex);
    *acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(acquired->load());
  mutex->unlock();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!acquired->load() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!acquired->load()) {
    waiter.detach();
    FAIL() << "the waiter was not woken within 5 s of the unlock";
  }
  waiter.join();
  delete mutex;
}

} // namespace
