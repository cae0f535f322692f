// The runtime, on both flavours: block_on, spawn/join/abort, yield_now,
// sleep and the paused clock. FIFO details are the current-thread flavour's.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

using asyncrt_test::AllShapes;
class RuntimeFlavours : public AllShapes {};
class SpawnFlavours : public AllShapes {};
class AbortFlavours : public AllShapes {};
class SleepFlavours : public AllShapes {};

asyncrt::task<int> answer() { co_return 42; }

TEST_P(RuntimeFlavours, BlockOnReturnsTheValue) {
  asyncrt::runtime rt{options()};
  EXPECT_EQ(rt.block_on(answer()), 42);
}

TEST_P(RuntimeFlavours, BlockOnRethrows) {
  asyncrt::runtime rt{options()};
  auto fails = []() -> asyncrt::task<void> {
    throw std::runtime_error("boom");
    co_return;
  };
  EXPECT_THROW(rt.block_on(fails()), std::runtime_error);
}

TEST_P(RuntimeFlavours, NestedBlockOnIsRefused) {
  asyncrt::runtime outer{options()}, inner{options()};
  auto nested = [&]() -> asyncrt::task<int> {
    // Blocking inside a task is the mistake this test makes on purpose.
    co_return inner.block_on(answer()); // NOLINT(async-blocking-call)
  };
  EXPECT_THROW(outer.block_on(nested()), std::logic_error);
}

TEST_P(SpawnFlavours, JoinsResults) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<int> {
    auto a = asyncrt::spawn(answer());
    auto b = asyncrt::spawn(answer());
    co_return co_await std::move(a) + co_await std::move(b);
  };
  EXPECT_EQ(rt.block_on(body()), 84);
}

TEST_P(SpawnFlavours, ExceptionsPropagateThroughTheHandle) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::string> {
    auto h = asyncrt::spawn([]() -> asyncrt::task<int> {
      throw std::runtime_error("inner");
      co_return 0;
    }());
    try {
      co_await std::move(h);
    } catch (const std::runtime_error &e) {
      co_return e.what();
    }
    co_return "none";
  };
  EXPECT_EQ(rt.block_on(body()), "inner");
}

// A detached task's failure is reported through the diagnostics sink, with
// its spawn site; one that is awaited, or cancelled, is not.
TEST_P(SpawnFlavours, ALostFailureOfADetachedTaskIsReported) {
  asyncrt_test::report_log log;
  auto opts = options();
  log.capture(opts);
  asyncrt::runtime rt{opts};
  auto fails = [](int after) -> asyncrt::task<int> {
    co_await asyncrt::sleep(std::chrono::milliseconds(after));
    throw std::runtime_error("lost failure");
  };
  rt.block_on([&]() -> asyncrt::task<void> {
    asyncrt::spawn(fails(0)); // dropped before it fails
    auto dropped_after = asyncrt::spawn(fails(0));
    auto awaited = asyncrt::spawn(fails(0));
    auto cancelled = asyncrt::spawn(fails(1000));
    co_await asyncrt::sleep(20ms);
    { auto gone = std::move(dropped_after); } // dropped after it failed
    try {
      co_await std::move(awaited);
    } catch (const std::runtime_error &) {
    }
    cancelled.abort();
    co_await asyncrt::sleep(5ms);
  }());
  std::vector<std::string> reports = log.taken();
  ASSERT_EQ(reports.size(), 2u);
  for (const std::string &r : reports) {
    EXPECT_NE(r.find("'lost failure'"), std::string::npos) << r;
    EXPECT_NE(r.find("runtime_test.cpp"), std::string::npos) << r;
  }
}

TEST_P(SpawnFlavours, HundredThousandTasksAllComplete) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<long> {
    std::vector<asyncrt::join_handle<int>> handles;
    for (int i = 0; i < 100'000; ++i)
      // 100k tasks at once is what this test is about.
      // NOLINTNEXTLINE(async-unbounded-fanout)
      handles.push_back(asyncrt::spawn([](int v) -> asyncrt::task<int> {
        co_await asyncrt::yield_now();
        co_return v;
      }(i)));
    long sum = 0;
    for (auto &h : handles)
      sum += co_await std::move(h);
    co_return sum;
  };
  EXPECT_EQ(rt.block_on(body()), 100'000L * 99'999 / 2);
}

TEST(Spawn, DroppedHandleDetachesTheTask) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  int finished = 0;
  auto body = [&]() -> asyncrt::task<void> {
    // Dropping the handle on purpose: the task keeps running.
    (void)asyncrt::spawn([](int &out) -> asyncrt::task<void> {
      co_await asyncrt::yield_now();
      ++out;
    }(finished));
    co_await asyncrt::yield_now();
    co_await asyncrt::yield_now();
  };
  rt.block_on(body());
  EXPECT_EQ(finished, 1);
}

TEST(YieldNow, InterleavesTasksInFifoOrder) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  std::vector<std::string> trace;
  auto worker = [&](std::string name) -> asyncrt::task<void> {
    for (int i = 0; i < 2; ++i) {
      trace.push_back(name + std::to_string(i));
      co_await asyncrt::yield_now();
    }
  };
  auto body = [&]() -> asyncrt::task<void> {
    auto a = asyncrt::spawn(worker("a"));
    auto b = asyncrt::spawn(worker("b"));
    co_await std::move(a);
    co_await std::move(b);
  };
  rt.block_on(body());
  EXPECT_EQ(trace, (std::vector<std::string>{"a0", "b0", "a1", "b1"}));
}

struct destructor_counter {
  int &count;
  ~destructor_counter() { ++count; }
};

TEST_P(AbortFlavours, StopsALoopOnYieldNowAndRunsDestructors) {
  asyncrt::runtime rt{options()};
  int destroyed = 0;
  std::atomic<long> iterations = 0;
  auto looping = [&]() -> asyncrt::task<void> {
    destructor_counter guard{destroyed};
    for (;;) {
      ++iterations;
      co_await asyncrt::yield_now();
    }
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto h = asyncrt::spawn(looping());
    while (iterations < 5) // the loop is running, on this worker or another
      co_await asyncrt::yield_now();
    h.abort();
    try {
      co_await std::move(h);
    } catch (const asyncrt::cancelled &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(rt.block_on(body()));
  EXPECT_EQ(destroyed, 1);
  EXPECT_GE(iterations, 5);
}

TEST_P(AbortFlavours, WakesASleepingTaskAtOnce) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<asyncrt::clock::duration> {
    asyncrt::testing::pause_time();
    auto start = asyncrt::now();
    auto h = asyncrt::spawn(
        []() -> asyncrt::task<void> { co_await asyncrt::sleep(1h); }());
    co_await asyncrt::yield_now();
    h.abort();
    EXPECT_THROW(co_await std::move(h), asyncrt::cancelled);
    co_return asyncrt::now() - start;
  };
  EXPECT_LT(rt.block_on(body()), 1h);
}

// Current-thread only: on several workers the task may start before abort().
TEST(Abort, BeforeStartTheTaskNeverRuns) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  bool ran = false;
  auto body = [&]() -> asyncrt::task<void> {
    auto h = asyncrt::spawn([](bool &r) -> asyncrt::task<void> {
      r = true;
      co_return;
    }(ran));
    h.abort();
    EXPECT_THROW(co_await std::move(h), asyncrt::cancelled);
  };
  rt.block_on(body());
  EXPECT_FALSE(ran);
}

TEST_P(SleepFlavours, PausedClockRunsLongSleepsInstantlyAndInOrder) {
  asyncrt::runtime rt{options()};
  std::vector<int> order;
  std::mutex order_mutex;
  auto body = [&]() -> asyncrt::task<asyncrt::clock::duration> {
    asyncrt::testing::pause_time();
    auto start = asyncrt::now();
    auto sleeper = [&](int id, std::chrono::minutes d) -> asyncrt::task<void> {
      co_await asyncrt::sleep(d);
      std::lock_guard lock(order_mutex);
      order.push_back(id);
    };
    auto slow = asyncrt::spawn(sleeper(2, 90min));
    auto fast = asyncrt::spawn(sleeper(1, 30min));
    co_await std::move(slow);
    co_await std::move(fast);
    co_return asyncrt::now() - start;
  };
  EXPECT_EQ(rt.block_on(body()), 90min);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST_P(SleepFlavours, RealClockSleepsAtLeastTheRequestedTime) {
  asyncrt::runtime rt{options()};
  auto start = std::chrono::steady_clock::now();
  rt.block_on([]() -> asyncrt::task<void> { co_await asyncrt::sleep(20ms); }());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

TEST_P(RuntimeFlavours, DestroyingTheRuntimeDestroysDetachedTasks) {
  int destroyed = 0;
  {
    asyncrt::runtime rt{options()};
    std::atomic<bool> started = false;
    auto body = [&]() -> asyncrt::task<void> {
      (void)asyncrt::spawn(
          [](int &d, std::atomic<bool> &s) -> asyncrt::task<void> {
            destructor_counter guard{d};
            s = true;
            co_await asyncrt::sleep(1h);
          }(destroyed, started));
      while (!started)
        co_await asyncrt::yield_now();
    };
    rt.block_on(body());
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

ASYNCRT_ON_ALL_SHAPES(RuntimeFlavours);
ASYNCRT_ON_ALL_SHAPES(SpawnFlavours);
ASYNCRT_ON_ALL_SHAPES(AbortFlavours);
ASYNCRT_ON_ALL_SHAPES(SleepFlavours);

} // namespace
