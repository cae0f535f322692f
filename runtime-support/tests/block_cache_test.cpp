// The per-thread block cache that frames, join states and timer entries
// come from: what it keeps, for whom, how much, that a thread's blocks go
// back to the heap when it exits, and the depot through which a thread's
// surplus reaches the threads that run short.
#include "test_support.hpp"

#include <asyncrt/detail/block_cache.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <gtest/gtest.h>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace {

using asyncrt::detail::block_cache;
using asyncrt::detail::block_depot;
using asyncrt::detail::free_block;
using asyncrt::detail::shared_block_depot;

class BlockCache : public ::testing::Test {
protected:
  void SetUp() override {
    if (!ASYNCRT_RECYCLE_BLOCKS)
      GTEST_SKIP()
          << "blocks are not recycled in this build (AddressSanitizer)";
    block_cache::release_this_thread();
    shared_block_depot.release();
  }
  void TearDown() override {
    block_cache::release_this_thread();
    shared_block_depot.release();
  }
};

// Takes \p count blocks of \p size at once, then frees them all: the
// lists fill to their bounds and the rest goes on toward the depot.
void allocate_then_free(std::size_t count, std::size_t size) {
  std::vector<void *> blocks;
  for (std::size_t i = 0; i < count; ++i)
    blocks.push_back(block_cache::allocate(size));
  for (void *block : blocks)
    block_cache::deallocate(block, size);
}

TEST_F(BlockCache, AFreedBlockServesTheNextRequestOfItsClass) {
  void *first = block_cache::allocate(40);
  block_cache::deallocate(first, 40);
  EXPECT_EQ(block_cache::cached_on_this_thread(), 1u);
  // 33..48 bytes are one class.
  void *again = block_cache::allocate(48);
  EXPECT_EQ(again, first);
  EXPECT_EQ(block_cache::cached_on_this_thread(), 0u);
  block_cache::deallocate(again, 48);
}

TEST_F(BlockCache, ABlockIsNotHandedToAnotherClass) {
  void *small = block_cache::allocate(40);
  block_cache::deallocate(small, 40);
  void *larger = block_cache::allocate(49);
  EXPECT_NE(larger, small);
  EXPECT_EQ(block_cache::cached_on_this_thread(), 1u);
  block_cache::deallocate(larger, 49);
}

TEST_F(BlockCache, LargeBlocksGoStraightBackToTheHeap) {
  std::size_t large = block_cache::size_classes * block_cache::granule + 1;
  block_cache::deallocate(block_cache::allocate(large), large);
  EXPECT_EQ(block_cache::cached_on_this_thread(), 0u);
}

TEST_F(BlockCache, AClassKeepsABoundedNumberOfBlocks) {
  allocate_then_free(block_cache::max_cached_per_class + 10, 64);
  EXPECT_EQ(block_cache::cached_on_this_thread(),
            block_cache::max_cached_per_class);
  // The rest wait to make up a batch for the depot.
  EXPECT_EQ(block_cache::spilled_on_this_thread(), 10u);
}

TEST_F(BlockCache, BlocksBeyondTheBoundGoToTheDepotInWholeBatches) {
  allocate_then_free(
      block_cache::max_cached_per_class + block_depot::batch_blocks + 3, 64);
  EXPECT_EQ(block_cache::spilled_on_this_thread(), 3u);
  EXPECT_EQ(shared_block_depot.bytes(), block_depot::batch_blocks * 64);
}

// A thread that only frees (a worker running tasks spawned elsewhere) sends
// its surplus to the thread that only allocates, instead of each going to
// the heap.
TEST_F(BlockCache, AThreadThatRunsShortTakesABatchAnotherThreadFreed) {
  std::vector<void *> blocks;
  for (std::uint32_t i = 0;
       i < block_cache::max_cached_per_class + block_depot::batch_blocks; ++i)
    blocks.push_back(block_cache::allocate(100));
  std::thread freer([&blocks] {
    for (void *block : blocks)
      block_cache::deallocate(block, 100);
  });
  freer.join();
  std::uint64_t heap_before = block_cache::heap_allocations_on_this_thread();
  std::vector<void *> again;
  for (std::uint32_t i = 0; i < block_depot::batch_blocks; ++i)
    again.push_back(block_cache::allocate(100));
  EXPECT_EQ(block_cache::heap_allocations_on_this_thread(), heap_before);
  // The last blocks freed, the ones the freeing thread had no room for.
  for (void *block : again)
    EXPECT_NE(std::find(blocks.end() - block_depot::batch_blocks, blocks.end(),
                        block),
              blocks.end());
  for (void *block : again)
    block_cache::deallocate(block, 100);
}

TEST_F(BlockCache, AThreadKeepsABoundedNumberOfBytes) {
  // Four classes of nearly 2 KiB, each filled to its count: twice the bound.
  std::vector<std::pair<void *, std::size_t>> blocks;
  for (std::size_t size : {2048, 2032, 2016, 2000})
    for (std::uint32_t i = 0; i < block_cache::max_cached_per_class; ++i)
      blocks.emplace_back(block_cache::allocate(size), size);
  for (auto [block, size] : blocks)
    block_cache::deallocate(block, size);
  // Caching stops once the bound is reached; the block that reached it stays.
  EXPECT_GE(block_cache::cached_bytes_on_this_thread(),
            block_cache::max_cached_bytes);
  EXPECT_LE(block_cache::cached_bytes_on_this_thread(),
            block_cache::max_cached_bytes + 2048);
  EXPECT_LT(block_cache::cached_on_this_thread(), blocks.size() / 2 + 2);
}

TEST_F(BlockCache, ABlockFreedOnAnotherThreadServesThatThread) {
  void *block = block_cache::allocate(100);
  std::thread other([block] {
    block_cache::deallocate(block, 100);
    EXPECT_EQ(block_cache::cached_on_this_thread(), 1u);
    void *reused = block_cache::allocate(100);
    EXPECT_EQ(reused, block);
    block_cache::deallocate(reused, 100);
  });
  other.join();
  EXPECT_EQ(block_cache::cached_on_this_thread(), 0u);
}

// Constructed before the thread's first cached block, so destroyed after
// the cache's closer: sees what the cache holds once the thread is exiting.
// (Block scope: a namespace-scope thread_local would be constructed with
// the header's, in declaration order, and destroyed first.)
struct exit_observer {
  std::size_t *cached_at_exit = nullptr;
  bool *cached_after_exit = nullptr;
  ~exit_observer() {
    if (!cached_at_exit)
      return;
    *cached_at_exit = block_cache::cached_on_this_thread() +
                      block_cache::spilled_on_this_thread();
    block_cache::deallocate(block_cache::allocate(100), 100);
    *cached_after_exit = block_cache::cached_on_this_thread() != 0 ||
                         block_cache::spilled_on_this_thread() != 0;
  }
};
exit_observer &this_threads_observer() {
  thread_local exit_observer observer;
  return observer;
}

TEST_F(BlockCache, AThreadsBlocksGoBackToTheHeapWhenItExits) {
  // A batch of the observer's class in the depot: an exiting thread must
  // not take it, since nothing would give its blocks back.
  allocate_then_free(
      block_cache::max_cached_per_class + block_depot::batch_blocks, 100);
  std::size_t depot_before = shared_block_depot.bytes();
  ASSERT_GT(depot_before, 0u);

  std::size_t cached_at_exit = 99;
  bool cached_after_exit = true;
  std::thread worker([&] {
    exit_observer &observer = this_threads_observer();
    observer.cached_at_exit = &cached_at_exit;
    observer.cached_after_exit = &cached_after_exit;
    allocate_then_free(block_cache::max_cached_per_class + 5, 200);
    EXPECT_EQ(block_cache::spilled_on_this_thread(), 5u);
  });
  worker.join();
  EXPECT_EQ(cached_at_exit, 0u);
  EXPECT_FALSE(cached_after_exit);
  EXPECT_EQ(shared_block_depot.bytes(), depot_before);
}

asyncrt::task<int> child() { co_return 7; }

asyncrt::task<int> parent() {
  int sum = 0;
  for (int i = 0; i < 3; ++i)
    sum += co_await child();
  co_return sum;
}

TEST_F(BlockCache, TaskFramesComeFromTheCacheOfTheThreadRunningThem) {
  asyncrt::runtime rt(asyncrt_test::current_thread());
  block_cache::release_this_thread();
  EXPECT_EQ(rt.block_on(parent()), 21);
  // The child's frame, freed and taken again each turn, and the parent's.
  EXPECT_GE(block_cache::cached_on_this_thread(), 2u);
}

// A spawn takes two blocks, the task's frame and the join state (the
// runtime drives the frame itself, with no coroutine of its own around it):
// both are back in this thread's cache once the task has been awaited.
TEST_F(BlockCache, ASpawnTakesTheTasksFrameAndItsJoinStateOnly) {
  asyncrt::runtime rt(asyncrt_test::current_thread());
  rt.block_on([]() -> asyncrt::task<void> {
    block_cache::release_this_thread();
    EXPECT_EQ(co_await asyncrt::spawn(child()), 7);
    EXPECT_EQ(block_cache::cached_on_this_thread(), 2u);
  }());
}

// A channel's queue takes its blocks from the cache: values passing
// through it make and free a block every so many values, which the
// thread's list serves from the second round on. (try_send and try_recv run
// no coroutine, so every block counted here is the queue's.)
TEST_F(BlockCache, AChannelsQueueTakesItsBlocksFromTheCache) {
  auto [tx, rx] = asyncrt::mpsc::channel<std::uint64_t>(1000);
  std::uint64_t before = block_cache::heap_allocations_on_this_thread();
  std::vector<std::uint64_t> after_round;
  for (int round = 0; round < 10; ++round) {
    for (std::uint64_t i = 0; i < 1000; ++i)
      ASSERT_EQ(tx.try_send(i), asyncrt::try_send_status::sent);
    for (std::uint64_t i = 0; i < 1000; ++i)
      ASSERT_EQ(rx.try_recv(), std::optional<std::uint64_t>(i));
    after_round.push_back(block_cache::heap_allocations_on_this_thread());
  }
  EXPECT_GT(after_round.front(), before);
  // The deque's map of blocks grows once more in the second round, as the
  // values move along it; nothing after that.
  EXPECT_EQ(after_round.back(), after_round[1]);
}

// A task spawned from outside the runtime has its frame and join state made
// on the spawning thread and freed on the worker. Once the worker's lists
// are full, its surplus comes back through the depot, and the spawning
// thread stops asking the heap.
TEST_F(BlockCache, SpawnsFromOutsideTheRuntimeReuseTheBlocksTheWorkerFreed) {
  asyncrt::runtime rt(
      asyncrt_test::options_for(asyncrt_test::shape::one_worker));
  auto spawn_and_wait = [&rt](int times) {
    for (int i = 0; i < times; ++i) {
      // One task at a time: the loop spins until it has finished, a join
      // that async-unbounded-fanout cannot see (no co_await outside a
      // coroutine).
      // NOLINTNEXTLINE(async-unbounded-fanout)
      asyncrt::join_handle<int> handle = rt.spawn(child());
      while (!handle.is_finished())
        std::this_thread::yield();
    }
  };
  // Without the depot every window of 200 spawns asked the heap for at
  // least 200 blocks (206 seen). With it, the first windows ask for a few
  // (0 to 16 seen), while the worker's lists fill and blocks in transit
  // between the threads add up; then none.
  std::uint64_t fewest = ~std::uint64_t{0};
  for (int window = 0; window < 20 && fewest != 0; ++window) {
    std::uint64_t before = block_cache::heap_allocations_on_this_thread();
    spawn_and_wait(200);
    fewest = std::min(fewest,
                      block_cache::heap_allocations_on_this_thread() - before);
  }
  EXPECT_EQ(fewest, 0u);
}

// The depot on its own, in every build: batches go in and out whole, it
// holds a bounded number of bytes, and threads may use it at once.
std::vector<free_block *> make_batches(std::size_t count,
                                       std::size_t block_bytes) {
  std::vector<free_block *> batches;
  for (std::size_t b = 0; b < count; ++b) {
    free_block *head = nullptr;
    for (std::uint32_t i = 0; i < block_depot::batch_blocks; ++i)
      head = new (::operator new(block_bytes)) free_block{head, nullptr};
    batches.push_back(head);
  }
  return batches;
}

TEST(BlockDepot, ABatchComesBackWholeToATakerOfItsClass) {
  block_depot depot;
  free_block *batch = make_batches(1, 48).front();
  ASSERT_TRUE(depot.give(2, batch, 48));
  EXPECT_EQ(depot.bytes(), block_depot::batch_blocks * 48);
  EXPECT_EQ(depot.take(1, 32), nullptr);
  EXPECT_EQ(depot.take(2, 48), batch);
  EXPECT_EQ(depot.take(2, 48), nullptr);
  EXPECT_EQ(depot.bytes(), 0u);
  delete_blocks(batch);
}

TEST(BlockDepot, ItRefusesBatchesBeyondItsBound) {
  block_depot depot;
  std::size_t fit = block_depot::max_bytes / (block_depot::batch_blocks * 2048);
  std::vector<free_block *> batches = make_batches(fit + 1, 2048);
  for (std::size_t b = 0; b < fit; ++b)
    ASSERT_TRUE(depot.give(127, batches[b], 2048));
  EXPECT_FALSE(depot.give(127, batches[fit], 2048));
  EXPECT_LE(depot.bytes(), block_depot::max_bytes);
  delete_blocks(batches[fit]);
  depot.release();
  EXPECT_EQ(depot.bytes(), 0u);
  EXPECT_EQ(depot.take(127, 2048), nullptr);
}

TEST(BlockDepot, ThreadsGiveAndTakeAtOnceAndNoBatchIsLostOrTakenTwice) {
  block_depot depot;
  constexpr int per_thread = 2000;
  std::atomic<int> taken{0};
  auto give = [&depot] {
    for (free_block *batch : make_batches(per_thread, 16))
      while (!depot.give(0, batch, 16))
        std::this_thread::yield();
  };
  // A lost batch ends the takers at the deadline, and the count fails.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto take = [&depot, &taken, deadline] {
    while (taken.load() < 2 * per_thread &&
           std::chrono::steady_clock::now() < deadline)
      if (free_block *batch = depot.take(0, 16)) {
        delete_blocks(batch);
        taken.fetch_add(1);
      }
  };
  std::thread g1(give), g2(give), t1(take), t2(take);
  g1.join();
  g2.join();
  t1.join();
  t2.join();
  EXPECT_EQ(taken.load(), 2 * per_thread);
  EXPECT_EQ(depot.bytes(), 0u);
}

} // namespace
