// asyncrt::rwlock on every runtime shape: readers share, a writer is alone,
// a waiting writer holds back later readers, try_ variants, and a
// cancelled waiter that lets the lockers behind it go ahead.
#include "test_support.hpp"

#include <asyncrt/rwlock.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

class RwLock : public asyncrt_test::AllShapes {};

// Readers and writers at random: never a writer beside anyone, and readers
// do overlap.
TEST_P(RwLock, ReadersShareAndAWriterIsAlone) {
  asyncrt::runtime rt{options()};
  asyncrt::rwlock lock;
  std::atomic<int> readers = 0, writers = 0, max_readers = 0;
  std::atomic<bool> broken = false;
  auto reader = [&]() -> asyncrt::task<void> {
    auto guard = co_await lock.read();
    int now = ++readers;
    broken = broken || writers.load() != 0;
    int seen = max_readers.load();
    while (now > seen && !max_readers.compare_exchange_weak(seen, now)) {
    }
    co_await asyncrt::sleep(1ms);
    --readers;
  };
  auto writer = [&]() -> asyncrt::task<void> {
    auto guard = co_await lock.write();
    broken = broken || ++writers != 1 || readers.load() != 0;
    co_await asyncrt::sleep(1ms);
    --writers;
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 60; ++i)
      // The fan-out under test: the lock inside serialises it.
      // NOLINTNEXTLINE(async-unbounded-fanout)
      handles.push_back(asyncrt::spawn(i % 5 == 0 ? writer() : reader()));
    for (auto &h : handles)
      co_await std::move(h);
  };
  asyncrt_test::run_paused(rt, body());
  EXPECT_FALSE(broken.load());
  EXPECT_GT(max_readers.load(), 1);
}

// Arrival order: a writer waiting behind a reader holds back the reader
// that comes after it.
TEST_P(RwLock, AWaitingWriterHoldsBackLaterReaders) {
  asyncrt::runtime rt{options()};
  asyncrt::rwlock lock;
  std::vector<std::string> order;
  std::mutex order_mutex;
  auto log = [&](std::string what) {
    std::lock_guard guard(order_mutex);
    order.push_back(std::move(what));
  };
  auto write = [&]() -> asyncrt::task<void> {
    auto guard = co_await lock.write();
    log("writer");
  };
  auto read = [&]() -> asyncrt::task<void> {
    auto guard = co_await lock.read();
    log("later reader");
  };
  auto body = [&]() -> asyncrt::task<std::vector<std::string>> {
    auto first = co_await lock.read();
    auto writer = asyncrt::spawn(write());
    co_await asyncrt::sleep(1ms); // the writer waits now
    auto later = asyncrt::spawn(read());
    co_await asyncrt::sleep(1ms);
    EXPECT_FALSE(lock.try_read().has_value()); // no jumping the queue
    log("first reader done");
    first.unlock();
    co_await std::move(writer);
    co_await std::move(later);
    co_return order;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()),
            (std::vector<std::string>{"first reader done", "writer",
                                      "later reader"}));
}

TEST_P(RwLock, TryReadAndTryWrite) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<bool>> {
    asyncrt::rwlock lock;
    std::vector<bool> seen;
    {
      auto a = lock.try_read();
      auto b = lock.try_read();
      seen.push_back(a && b);            // readers share
      seen.push_back(!lock.try_write()); // no writer beside them
    }
    auto w = lock.try_write();
    seen.push_back(w.has_value());    // free again
    seen.push_back(!lock.try_read()); // no reader beside a writer
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<bool>{true, true, true, true}));
}

// A writer cancelled while it waits leaves the queue: the reader behind it
// goes ahead at once.
TEST_P(RwLock, ACancelledWriterLetsLaterReadersIn) {
  asyncrt::runtime rt{options()};
  asyncrt::rwlock lock;
  auto write = [&]() -> asyncrt::task<void> {
    auto guard = co_await lock.write();
  };
  auto read = [&]() -> asyncrt::task<int> {
    auto guard = co_await lock.read();
    co_return 1;
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto first = co_await lock.read();
    auto writer = asyncrt::spawn(write());
    co_await asyncrt::sleep(1ms);
    auto reader = asyncrt::spawn(read());
    co_await asyncrt::sleep(1ms);
    writer.abort();
    bool cancelled = co_await asyncrt_test::ends_cancelled(std::move(writer));
    // The reader gets in while the first one still reads.
    auto joined = [](asyncrt::join_handle<int> h) -> asyncrt::task<int> {
      co_return co_await std::move(h);
    };
    std::optional<int> got =
        co_await asyncrt::timeout(1s, joined(std::move(reader)));
    bool reader_got_in = got == 1;
    co_return cancelled &&reader_got_in &&first.owns_lock();
  };
  EXPECT_TRUE(asyncrt_test::run_paused(rt, body()));
}

ASYNCRT_ON_ALL_SHAPES(RwLock);

} // namespace
