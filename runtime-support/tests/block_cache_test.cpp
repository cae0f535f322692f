// The per-thread block cache that frames, join states and timer entries
// come from: what it keeps, for whom, how much, and that a thread's blocks
// go back to the heap when it exits.
#include "test_support.hpp"

#include <asyncrt/detail/block_cache.hpp>

#include <cstddef>
#include <gtest/gtest.h>
#include <thread>
#include <utility>
#include <vector>

namespace {

using asyncrt::detail::block_cache;

class BlockCache : public ::testing::Test {
protected:
  void SetUp() override {
    if (!ASYNCRT_RECYCLE_BLOCKS)
      GTEST_SKIP()
          << "blocks are not recycled in this build (AddressSanitizer)";
    block_cache::release_this_thread();
  }
  void TearDown() override { block_cache::release_this_thread(); }
};

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
  std::vector<void *> blocks;
  for (std::uint32_t i = 0; i < block_cache::max_cached_per_class + 10; ++i)
    blocks.push_back(block_cache::allocate(64));
  for (void *block : blocks)
    block_cache::deallocate(block, 64);
  EXPECT_EQ(block_cache::cached_on_this_thread(),
            block_cache::max_cached_per_class);
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
    *cached_at_exit = block_cache::cached_on_this_thread();
    block_cache::deallocate(block_cache::allocate(100), 100);
    *cached_after_exit = block_cache::cached_on_this_thread() != 0;
  }
};
exit_observer &this_threads_observer() {
  thread_local exit_observer observer;
  return observer;
}

TEST_F(BlockCache, AThreadsBlocksGoBackToTheHeapWhenItExits) {
  std::size_t cached_at_exit = 99;
  bool cached_after_exit = true;
  std::thread worker([&] {
    exit_observer &observer = this_threads_observer();
    observer.cached_at_exit = &cached_at_exit;
    observer.cached_after_exit = &cached_after_exit;
    std::vector<void *> blocks;
    for (int i = 0; i < 5; ++i)
      blocks.push_back(block_cache::allocate(200));
    for (void *block : blocks)
      block_cache::deallocate(block, 200);
    EXPECT_EQ(block_cache::cached_on_this_thread(), 5u);
  });
  worker.join();
  EXPECT_EQ(cached_at_exit, 0u);
  EXPECT_FALSE(cached_after_exit);
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

} // namespace
