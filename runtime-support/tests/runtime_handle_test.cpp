// asyncrt::runtime_handle on every runtime shape: a spawn_blocking job that
// waits for async work, a thread of one's own that spawns and blocks on
// tasks, and a block_on refused on a thread that runs tasks.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;

namespace {

class RuntimeHandle : public asyncrt_test::AllShapes {};

asyncrt::task<int> answer() {
  co_await asyncrt::yield_now();
  co_return 42;
}

TEST_P(RuntimeHandle, ASpawnBlockingJobBlocksOnAsyncWork) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<int> {
    co_return co_await asyncrt::spawn_blocking([] {
      asyncrt::runtime_handle here = asyncrt::runtime_handle::current();
      return here.block_on(answer()) + 1;
    });
  };
  EXPECT_EQ(rt.block_on(body()), 43);
}

TEST_P(RuntimeHandle, AThreadOfOnesOwnSpawnsAndBlocksOn) {
  asyncrt::runtime rt{options()};
  asyncrt::runtime_handle handle = rt.handle();
  std::atomic<int> got = 0;
  std::atomic<bool> done = false;
  // The current-thread flavour runs tasks only inside block_on: the main
  // thread stays in one until the other thread is done.
  std::thread other([&] {
    asyncrt::join_handle<int> spawned = handle.spawn(answer());
    auto joined = [](asyncrt::join_handle<int> h) -> asyncrt::task<int> {
      co_return co_await std::move(h);
    };
    got =
        handle.block_on(joined(std::move(spawned))) + handle.block_on(answer());
    done = true;
  });
  rt.block_on([&]() -> asyncrt::task<void> {
    while (!done.load())
      co_await asyncrt::sleep(1ms);
  }());
  other.join();
  EXPECT_EQ(got.load(), 84);
}

TEST_P(RuntimeHandle, BlockOnIsRefusedOnAThreadThatRunsTasks) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    try {
      // The mistake under test: blocking a worker on the runtime.
      // NOLINTNEXTLINE(async-blocking-call)
      asyncrt::runtime_handle::current().block_on(answer());
    } catch (const std::logic_error &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST(RuntimeHandleOutsideARuntime, CurrentThrows) {
  EXPECT_THROW(asyncrt::runtime_handle::current(), std::logic_error);
}

ASYNCRT_ON_ALL_SHAPES(RuntimeHandle);

} // namespace
