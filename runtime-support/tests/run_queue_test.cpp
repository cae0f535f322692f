// A worker's run queue: FIFO order, half of a full ring sent on to the
// global queue, thieves taking the older half, and every job taken exactly
// once while the owner pushes and pops and two thieves steal. The global
// queue: FIFO order while its ring wraps and grows, and a ring kept when
// the queue empties.
#include <asyncrt/detail/run_queue.hpp>

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using asyncrt::detail::job;
using asyncrt::detail::local_queue;

constexpr std::size_t capacity = local_queue::capacity;

// Jobs named by an index: their handles point into `names` and are never
// resumed.
struct jobs {
  explicit jobs(std::size_t count) : names(count) {}
  job make(std::size_t i) {
    return {std::coroutine_handle<>::from_address(&names[i]), nullptr};
  }
  std::size_t index_of(const job &j) const {
    return static_cast<std::size_t>(static_cast<char *>(j.handle.address()) -
                                    names.data());
  }
  std::vector<char> names;
};

// The global queue a full ring overflows into.
struct global_queue {
  void operator()(const job *first, std::size_t count) {
    std::lock_guard lock(mutex);
    batches.push_back(count);
    received.insert(received.end(), first, first + count);
  }
  std::mutex mutex;
  std::vector<std::size_t> batches;
  std::vector<job> received;
};

TEST(RunQueue, PopsInTheOrderPushed) {
  jobs named(10);
  global_queue global;
  local_queue queue(0);
  EXPECT_TRUE(queue.empty());
  for (std::size_t i = 0; i < 10; ++i)
    queue.push_back(named.make(i), global);
  EXPECT_EQ(queue.size(), 10u);
  job out;
  for (std::size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(queue.pop_front(out));
    EXPECT_EQ(named.index_of(out), i);
  }
  EXPECT_FALSE(queue.pop_front(out));
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(global.batches.empty());
}

TEST(RunQueue, AFullRingSendsItsOlderHalfAndTheNewJobOnInOrder) {
  jobs named(3 * capacity);
  global_queue global;
  local_queue queue(0);
  // Wrap the positions around the ring first.
  job out;
  for (std::size_t i = 0; i < capacity + 7; ++i) {
    queue.push_back(named.make(0), global);
    ASSERT_TRUE(queue.pop_front(out));
  }
  for (std::size_t i = 0; i <= capacity; ++i)
    queue.push_back(named.make(i), global);
  ASSERT_EQ(global.batches, std::vector<std::size_t>{capacity / 2 + 1});
  for (std::size_t i = 0; i < capacity / 2; ++i)
    EXPECT_EQ(named.index_of(global.received[i]), i);
  EXPECT_EQ(named.index_of(global.received.back()), capacity);
  EXPECT_EQ(queue.size(), capacity / 2);
  for (std::size_t i = capacity / 2; i < capacity; ++i) {
    ASSERT_TRUE(queue.pop_front(out));
    EXPECT_EQ(named.index_of(out), i);
  }
  EXPECT_TRUE(queue.empty());
}

TEST(RunQueue, AThiefTakesTheOlderHalfRoundedUpOldestFirst) {
  jobs named(5);
  global_queue global;
  local_queue victim(0), thief(1);
  for (std::size_t i = 0; i < 5; ++i)
    victim.push_back(named.make(i), global);
  job out;
  ASSERT_TRUE(victim.steal_half_into(thief, out));
  EXPECT_EQ(named.index_of(out), 0u);
  EXPECT_EQ(thief.size(), 2u);
  for (std::size_t expected : {1u, 2u}) {
    ASSERT_TRUE(thief.pop_front(out));
    EXPECT_EQ(named.index_of(out), expected);
  }
  for (std::size_t expected : {3u, 4u}) {
    ASSERT_TRUE(victim.pop_front(out));
    EXPECT_EQ(named.index_of(out), expected);
  }
  EXPECT_FALSE(victim.steal_half_into(thief, out));
}

TEST(RunQueue, AThiefMoreThanHalfFullDoesNotSteal) {
  jobs named(capacity);
  global_queue global;
  local_queue victim(0), thief(1);
  for (std::size_t i = 0; i <= capacity / 2; ++i)
    thief.push_back(named.make(i), global);
  victim.push_back(named.make(0), global);
  job out;
  EXPECT_FALSE(victim.steal_half_into(thief, out));
  ASSERT_TRUE(thief.pop_front(out));
  EXPECT_TRUE(victim.steal_half_into(thief, out));
}

// The owner pushes and pops (overflowing now and then), two thieves steal
// and drain their own rings: each job is taken exactly once, and each
// taker sees the owner's jobs in the order pushed.
TEST(RunQueue, EveryJobIsTakenOnceWhileThievesSteal) {
  constexpr std::size_t count = 200000;
  jobs named(count);
  global_queue global;
  local_queue owner(0);
  std::vector<std::atomic<int>> taken(count);
  std::atomic<bool> done{false};
  std::atomic<bool> out_of_order{false};

  auto take = [&](const job &j, std::size_t &last) {
    std::size_t i = named.index_of(j);
    taken[i].fetch_add(1, std::memory_order_relaxed);
    if (last != SIZE_MAX && i <= last)
      out_of_order = true;
    last = i;
  };
  auto thief_loop = [&](std::size_t index) {
    local_queue mine(index);
    std::size_t last = SIZE_MAX;
    job out;
    while (!done.load(std::memory_order_acquire) || !owner.empty()) {
      if (!owner.steal_half_into(mine, out))
        continue;
      // One steal's jobs are consecutive and in order; across steals too.
      take(out, last);
      while (mine.pop_front(out))
        take(out, last);
    }
  };
  std::thread first(thief_loop, 1), second(thief_loop, 2);
  std::size_t last = SIZE_MAX;
  job out;
  for (std::size_t i = 0; i < count; ++i) {
    owner.push_back(named.make(i), global);
    if (i % 3 == 0 && owner.pop_front(out))
      take(out, last);
  }
  done.store(true, std::memory_order_release);
  while (owner.pop_front(out))
    take(out, last);
  first.join();
  second.join();
  for (const job &j : global.received)
    taken[named.index_of(j)].fetch_add(1, std::memory_order_relaxed);

  std::size_t missing = 0, twice = 0;
  for (std::size_t i = 0; i < count; ++i) {
    int n = taken[i].load();
    missing += n == 0;
    twice += n > 1;
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(twice, 0u);
  EXPECT_FALSE(out_of_order.load());
}

TEST(GlobalQueue, KeepsTheOrderWhileItsRingWrapsAndGrows) {
  jobs named(100);
  asyncrt::detail::global_queue queue;
  std::vector<job> first(40);
  for (std::size_t i = 0; i < 40; ++i)
    first[i] = named.make(i);
  queue.push(first.data(), first.size());
  std::size_t initial_capacity = queue.capacity();
  job out;
  for (std::size_t i = 0; i < 30; ++i) {
    queue.pop_front(out);
    EXPECT_EQ(named.index_of(out), i);
  }
  // Past the end of the ring, then past its capacity while wrapped.
  std::vector<job> second(60);
  for (std::size_t i = 0; i < 60; ++i)
    second[i] = named.make(40 + i);
  queue.push(second.data(), second.size());
  EXPECT_GT(queue.capacity(), initial_capacity);
  EXPECT_EQ(queue.size(), 70u);
  EXPECT_EQ(queue.unlocked_size(), 70u);
  std::vector<job> batch(5);
  queue.pop_front_into(batch.data(), batch.size());
  for (std::size_t i = 0; i < 5; ++i)
    EXPECT_EQ(named.index_of(batch[i]), 30 + i);
  for (std::size_t i = 35; i < 100; ++i) {
    ASSERT_FALSE(queue.empty());
    queue.pop_front(out);
    EXPECT_EQ(named.index_of(out), i);
  }
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.unlocked_size(), 0u);
}

// Every spawn from outside the runtime fills the empty queue and a worker
// empties it again: the ring stays, so that costs no allocation.
TEST(GlobalQueue, AQueueThatEmptiesAndFillsAgainKeepsItsRing) {
  jobs named(1);
  asyncrt::detail::global_queue queue;
  job one = named.make(0);
  queue.push(&one, 1);
  std::size_t ring = queue.capacity();
  ASSERT_GT(ring, 0u);
  job out;
  for (int i = 0; i < 1000; ++i) {
    queue.pop_front(out);
    queue.push(&one, 1);
  }
  EXPECT_EQ(queue.capacity(), ring);
  EXPECT_EQ(queue.size(), 1u);
}

} // namespace
