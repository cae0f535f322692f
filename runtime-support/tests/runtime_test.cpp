// The current-thread runtime: block_on, spawn/join/abort, yield_now, sleep
// and the paused clock.
#include <asyncrt/asyncrt.hpp>
#include <asyncrt/testing.hpp>

#include <chrono>
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

asyncrt::task<int> answer() { co_return 42; }

TEST(Runtime, BlockOnReturnsTheValue) {
  asyncrt::runtime rt;
  EXPECT_EQ(rt.block_on(answer()), 42);
}

TEST(Runtime, BlockOnRethrows) {
  asyncrt::runtime rt;
  auto fails = []() -> asyncrt::task<void> {
    throw std::runtime_error("boom");
    co_return;
  };
  EXPECT_THROW(rt.block_on(fails()), std::runtime_error);
}

TEST(Runtime, OnlyTheCurrentThreadFlavourExistsYet) {
  EXPECT_THROW(asyncrt::runtime(asyncrt::runtime_options{.worker_threads = 4}),
               std::invalid_argument);
}

TEST(Runtime, NestedBlockOnIsRefused) {
  asyncrt::runtime outer, inner;
  auto nested = [&]() -> asyncrt::task<int> {
    // Blocking inside a task is the mistake this test makes on purpose.
    co_return inner.block_on(answer()); // NOLINT(async-blocking-call)
  };
  EXPECT_THROW(outer.block_on(nested()), std::logic_error);
}

TEST(Runtime, WaitingForeverIsReportedNotHung) {
  asyncrt::runtime rt;
  auto stuck = []() -> asyncrt::task<void> {
    co_await std::suspend_always{}; // nothing will ever resume this
  };
  EXPECT_THROW(rt.block_on(stuck()), std::logic_error);
}

TEST(Spawn, JoinsResults) {
  asyncrt::runtime rt;
  auto body = []() -> asyncrt::task<int> {
    auto a = asyncrt::spawn(answer());
    auto b = asyncrt::spawn(answer());
    co_return co_await std::move(a) + co_await std::move(b);
  };
  EXPECT_EQ(rt.block_on(body()), 84);
}

TEST(Spawn, ExceptionsPropagateThroughTheHandle) {
  asyncrt::runtime rt;
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

TEST(Spawn, HundredThousandTasksAllComplete) {
  asyncrt::runtime rt;
  auto body = []() -> asyncrt::task<long> {
    std::vector<asyncrt::join_handle<int>> handles;
    for (int i = 0; i < 100'000; ++i)
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
  asyncrt::runtime rt;
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
  asyncrt::runtime rt;
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

TEST(Abort, StopsALoopOnYieldNowAndRunsDestructors) {
  asyncrt::runtime rt;
  int destroyed = 0;
  long iterations = 0;
  auto looping = [&]() -> asyncrt::task<void> {
    destructor_counter guard{destroyed};
    for (;;) {
      ++iterations;
      co_await asyncrt::yield_now();
    }
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto h = asyncrt::spawn(looping());
    for (int i = 0; i < 10; ++i)
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

TEST(Abort, WakesASleepingTaskAtOnce) {
  asyncrt::runtime rt;
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

TEST(Abort, BeforeStartTheTaskNeverRuns) {
  asyncrt::runtime rt;
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

TEST(Sleep, PausedClockRunsLongSleepsInstantlyAndInOrder) {
  asyncrt::runtime rt;
  std::vector<int> order;
  auto body = [&]() -> asyncrt::task<asyncrt::clock::duration> {
    asyncrt::testing::pause_time();
    auto start = asyncrt::now();
    auto sleeper = [&](int id, std::chrono::minutes d) -> asyncrt::task<void> {
      co_await asyncrt::sleep(d);
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

TEST(Sleep, RealClockSleepsAtLeastTheRequestedTime) {
  asyncrt::runtime rt;
  auto start = std::chrono::steady_clock::now();
  rt.block_on([]() -> asyncrt::task<void> { co_await asyncrt::sleep(20ms); }());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

TEST(Runtime, DestroyingTheRuntimeDestroysDetachedTasks) {
  int destroyed = 0;
  {
    asyncrt::runtime rt;
    auto body = [&]() -> asyncrt::task<void> {
      (void)asyncrt::spawn([](int &d) -> asyncrt::task<void> {
        destructor_counter guard{d};
        co_await asyncrt::sleep(1h);
      }(destroyed));
      co_await asyncrt::yield_now();
    };
    rt.block_on(body());
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

} // namespace
