// cancellation_token, run_until_cancelled, spawn_blocking and the debug
// reports.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Token : public asyncrt_test::AllShapes {};

// Cancelling walks the children without recursing: a hundred thousand
// generations would overflow the stack otherwise.
TEST(TokenChain, CancellingALongChainOfChildrenDoesNotRecurse) {
  std::vector<asyncrt::cancellation_token> chain(1);
  for (int i = 0; i < 100'000; ++i)
    chain.push_back(chain.back().child_token());
  chain.front().cancel();
  EXPECT_TRUE(chain.back().is_cancelled());
  EXPECT_TRUE(chain[50'000].is_cancelled());
}

TEST_P(Token, CancelWakesWaitersAndChildrenButNotParents) {
  asyncrt::runtime rt{options()};
  asyncrt::cancellation_token parent;
  auto child = parent.child_token();
  auto grandchild = child.child_token();
  auto body = [](asyncrt::cancellation_token p, asyncrt::cancellation_token c,
                 asyncrt::cancellation_token g) -> asyncrt::task<bool> {
    auto waiter = asyncrt::spawn(g.cancelled());
    co_await asyncrt::sleep(1ms);
    bool ok = !waiter.is_finished();
    asyncrt::cancellation_token separate = p.child_token();
    separate.cancel(); // a child's cancel does not reach its parent
    ok &= !p.is_cancelled();
    p.cancel();
    co_await std::move(waiter);
    co_return ok &&c.is_cancelled() && g.is_cancelled();
  };
  EXPECT_TRUE(rt.block_on(body(parent, child, grandchild)));
  EXPECT_TRUE(parent.child_token().is_cancelled())
      << "a child of a cancelled token starts cancelled";
}

TEST_P(Token, UserInitiatedAbortOfALoopFromAnotherThread) {
  asyncrt::runtime rt{options()};
  asyncrt::cancellation_token token;
  std::atomic<long> iterations = 0;
  std::atomic<int> destroyed = 0;
  struct witness {
    std::atomic<int> &count;
    ~witness() { ++count; }
  };
  auto loop = [](std::atomic<long> &n,
                 std::atomic<int> &d) -> asyncrt::task<int> {
    witness w{d};
    for (;;) {
      ++n;
      co_await asyncrt::sleep(1ms);
    }
  };
  std::thread canceller([&] {
    while (iterations < 5)
      std::this_thread::sleep_for(1ms);
    token.cancel();
  });
  auto result = rt.block_on(
      asyncrt::run_until_cancelled(token, loop(iterations, destroyed)));
  canceller.join();
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(destroyed, 1);
}

TEST_P(Token, RunUntilCancelledReturnsTheValueWhenItFinishesFirst) {
  asyncrt::runtime rt{options()};
  asyncrt::cancellation_token token;
  auto r = rt.block_on(asyncrt::run_until_cancelled(
      token, []() -> asyncrt::task<int> { co_return 5; }()));
  EXPECT_EQ(r, std::optional<int>(5));
}

class Blocking : public asyncrt_test::AllShapes {};

TEST_P(Blocking, RunsOffTheWorkersWhileTasksKeepRunning) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    std::atomic<bool> release = false;
    std::thread::id worker = std::this_thread::get_id();
    auto job = asyncrt::spawn_blocking([&] {
      while (!release)
        std::this_thread::sleep_for(100us);
      return std::this_thread::get_id();
    });
    // The worker is free: a task can run (and let the job finish).
    auto helper =
        asyncrt::spawn([](std::atomic<bool> &r) -> asyncrt::task<void> {
          co_await asyncrt::sleep(2ms);
          r = true;
        }(release));
    std::thread::id ran_on = co_await std::move(job);
    co_await std::move(helper);
    co_return ran_on != worker;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST_P(Blocking, ExceptionsAndVoidResults) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    int side = 0;
    co_await asyncrt::spawn_blocking([&] { side = 1; });
    try {
      co_await asyncrt::spawn_blocking(
          []() -> int { throw std::runtime_error("blocking failed"); });
    } catch (const std::runtime_error &) {
      co_return side == 1;
    }
    co_return false;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST_P(Blocking, ThreadCountIsBounded) {
  auto opts = options();
  opts.max_blocking_threads = 2;
  asyncrt::runtime rt{opts};
  asyncrt_test::gauge running;
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> jobs;
    for (int i = 0; i < 8; ++i)
      jobs.push_back(asyncrt::spawn_blocking([&] {
        running.enter();
        std::this_thread::sleep_for(2ms);
        running.leave();
      }));
    for (auto &j : jobs)
      co_await std::move(j);
  };
  rt.block_on(body());
  EXPECT_EQ(running.peak, 2);
}

class Debug : public asyncrt_test::AllShapes {};

#if ASYNCRT_DEBUG
TEST_P(Debug, UnstartedTaskIsReportedWithItsCoroutine) {
  asyncrt_test::report_log log;
  auto opts = options();
  log.capture(opts);
  asyncrt::runtime rt{opts};
  auto body = []() -> asyncrt::task<void> {
    auto forgotten = []() -> asyncrt::task<int> { co_return 1; };
    // The forgotten task is the point of this test.
    // NOLINTNEXTLINE(async-unawaited-task)
    (void)forgotten();
    co_return;
  };
  rt.block_on(body());
  std::vector<std::string> reports = log.taken();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("destroyed without ever being started"),
            std::string::npos);
  EXPECT_NE(reports[0].find("cancellation_test.cpp"), std::string::npos);
}

// A cancelled task that reaches a combinator makes the runtime drop the
// operands (and timeout's own timer) unstarted: no task was forgotten, so
// nothing is reported.
TEST_P(Debug, CombinatorsOfACancelledTaskReportNothing) {
  asyncrt_test::report_log log;
  auto opts = options();
  log.capture(opts);
  asyncrt::runtime rt{opts};
  auto one = []() -> asyncrt::task<int> { co_return 1; };
  std::atomic<bool> started{false};
  auto victim = [&]() -> asyncrt::task<int> {
    started = true;
    try {
      for (;;)
        co_await asyncrt::yield_now();
    } catch (const asyncrt::cancelled &) {
    }
    int reached = 0;
    for (int step = 0; step < 5; ++step) {
      try {
        switch (step) {
        case 0:
          co_await asyncrt::select(one(), one());
          break;
        case 1:
          co_await asyncrt::join(one(), one());
          break;
        case 2:
          co_await asyncrt::try_join(one(), one());
          break;
        case 3:
          co_await asyncrt::timeout(1s, one());
          break;
        default: {
          std::vector<asyncrt::task<int>> all;
          all.push_back(one());
          co_await asyncrt::join_all(std::move(all));
        }
        }
      } catch (const asyncrt::cancelled &) {
        ++reached;
      }
    }
    co_return reached;
  };
  auto body = [&]() -> asyncrt::task<int> {
    auto h = asyncrt::spawn(victim());
    // Aborted before it first runs, the victim would never reach its
    // combinators (another worker may run this task first).
    while (!started)
      co_await asyncrt::yield_now();
    h.abort();
    // The victim catches every cancellation and returns normally.
    co_return co_await std::move(h);
  };
  EXPECT_EQ(rt.block_on(body()), 5);
  std::vector<std::string> reports = log.taken();
  EXPECT_TRUE(reports.empty()) << reports.front();
}

TEST_P(Debug, LongPollIsReportedWithTheSpawnSite) {
  asyncrt_test::report_log log;
  auto opts = options();
  opts.long_poll_threshold = 20ms;
  log.capture(opts);
  asyncrt::runtime rt{opts};
  auto body = []() -> asyncrt::task<void> {
    auto hog = asyncrt::spawn([]() -> asyncrt::task<void> {
      // Holding the worker on purpose.
      std::this_thread::sleep_for(40ms); // NOLINT(async-blocking-call)
      co_return;
    }());
    co_await std::move(hog);
  };
  rt.block_on(body());
  std::vector<std::string> reports = log.taken();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("held its worker"), std::string::npos);
  EXPECT_NE(reports[0].find("cancellation_test.cpp"), std::string::npos);
}
#endif

ASYNCRT_ON_ALL_SHAPES(Token);
ASYNCRT_ON_ALL_SHAPES(Blocking);
#if ASYNCRT_DEBUG
ASYNCRT_ON_ALL_SHAPES(Debug);
#endif

} // namespace
