// asyncrt::join_set on every runtime shape: results in the order tasks
// finish, abort handles, failures rethrown, a cancelled join_next that
// loses nothing, and a dropped set that aborts what still runs.
#include "test_support.hpp"

#include <asyncrt/join_set.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

class JoinSet : public asyncrt_test::AllShapes {};

asyncrt::task<int> after(std::chrono::milliseconds d, int value) {
  co_await asyncrt::sleep(d);
  co_return value;
}

TEST_P(JoinSet, YieldsResultsInTheOrderTasksFinish) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    asyncrt::join_set<int> set;
    set.spawn(after(30ms, 3));
    set.spawn(after(10ms, 1));
    set.spawn(after(20ms, 2));
    EXPECT_EQ(set.size(), 3u);
    std::vector<int> seen;
    while (std::optional<int> r = co_await set.join_next())
      seen.push_back(*r);
    EXPECT_TRUE(set.empty());
    co_return seen;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), (std::vector<int>{1, 2, 3}));
}

TEST_P(JoinSet, AnEmptySetYieldsNothingAtOnce) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    asyncrt::join_set<void> set;
    co_return !(co_await set.join_next()).has_value();
  };
  EXPECT_TRUE(rt.block_on(body()));
}

TEST_P(JoinSet, AnAbortedTaskThrowsCancelledAndTheOthersFinish) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<std::string>> {
    asyncrt::join_set<int> set;
    asyncrt::abort_handle slow = set.spawn(after(1h, -1));
    set.spawn(after(10ms, 1));
    co_await asyncrt::sleep(1ms);
    slow.abort();
    std::vector<std::string> seen;
    while (true) {
      try {
        std::optional<int> r = co_await set.join_next();
        if (!r)
          break;
        seen.push_back(std::to_string(*r));
      } catch (const asyncrt::cancelled &) {
        seen.push_back("cancelled");
      }
    }
    EXPECT_TRUE(slow.is_finished());
    co_return seen;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()),
            (std::vector<std::string>{"cancelled", "1"}));
}

TEST_P(JoinSet, AFailureIsRethrownByJoinNext) {
  asyncrt_test::report_log log;
  auto opts = options();
  log.capture(opts);
  asyncrt::runtime rt{opts};
  auto fails = []() -> asyncrt::task<int> {
    co_await asyncrt::yield_now();
    throw std::runtime_error("joined failure");
  };
  auto body = [&]() -> asyncrt::task<std::string> {
    asyncrt::join_set<int> set;
    set.spawn(fails());
    try {
      co_await set.join_next();
    } catch (const std::runtime_error &e) {
      co_return e.what();
    }
    co_return "none";
  };
  EXPECT_EQ(rt.block_on(body()), "joined failure");
  EXPECT_TRUE(log.taken().empty()); // observed: not reported as lost
}

// A join_next cancelled while it waits takes nothing: the result is there
// for the next one.
TEST_P(JoinSet, ACancelledJoinNextLosesNothing) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<int> {
    asyncrt::join_set<int> set;
    set.spawn(after(20ms, 7));
    std::optional<std::optional<int>> early =
        co_await asyncrt::timeout(5ms, set.join_next());
    EXPECT_FALSE(early.has_value());
    std::optional<int> r = co_await set.join_next();
    co_return r.value_or(-1);
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), 7);
}

// A join_next that loses a select leaves the result in the set, even when
// the finished task had already woken it: the other branch lets the set's
// task finish, then wins while join_next waits to run.
TEST_P(JoinSet, AJoinNextThatLosesASelectTakesNothing) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<std::vector<int>> {
    asyncrt::join_set<int> set;
    std::vector<int> seen;
    for (int round = 0; round < 20; ++round) {
      asyncrt::notify go;
      set.spawn([](asyncrt::notify &start, int v) -> asyncrt::task<int> {
        co_await start.notified();
        co_return v;
      }(go, round));
      auto other = [](asyncrt::notify &start) -> asyncrt::task<int> {
        start.notify_one();
        co_await asyncrt::yield_now();
        co_return -1;
      };
      auto won = co_await asyncrt::select(set.join_next(), other(go));
      if (won.index() == 0)
        seen.push_back(*std::get<0>(won));
      else if (std::optional<int> r = co_await set.join_next())
        seen.push_back(*r);
    }
    co_return seen;
  };
  std::vector<int> expected;
  for (int round = 0; round < 20; ++round)
    expected.push_back(round);
  EXPECT_EQ(rt.block_on(body()), expected);
}

// Dropping the set aborts every task still in it; a failure nobody joined
// is reported through the diagnostics sink.
TEST_P(JoinSet, DroppingTheSetAbortsWhatStillRuns) {
  asyncrt_test::report_log log;
  auto opts = options();
  log.capture(opts);
  asyncrt::runtime rt{opts};
  std::atomic<int> unwound = 0;
  struct counts_unwinding {
    std::atomic<int> &n;
    ~counts_unwinding() { ++n; }
  };
  auto forever = [&]() -> asyncrt::task<int> {
    counts_unwinding guard{unwound};
    co_await asyncrt::sleep(1h);
    co_return 0;
  };
  auto fails = []() -> asyncrt::task<int> {
    co_await asyncrt::yield_now();
    throw std::runtime_error("never joined");
  };
  auto body = [&]() -> asyncrt::task<void> {
    {
      asyncrt::join_set<int> set;
      set.spawn(forever());
      set.spawn(forever());
      set.spawn(fails());
      co_await asyncrt::sleep(1ms);
    }
    co_await asyncrt::sleep(1ms);
  };
  asyncrt_test::run_paused(rt, body());
  EXPECT_EQ(unwound.load(), 2);
  std::vector<std::string> reports = log.taken();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("'never joined'"), std::string::npos) << reports[0];
}

// Many tasks finishing on other workers while join_next waits.
TEST_P(JoinSet, ThousandTasksAreEachJoinedOnce) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<long> {
    asyncrt::join_set<int> set;
    for (int i = 0; i < 1000; ++i)
      // The fan-out under test.
      // NOLINTNEXTLINE(async-unbounded-fanout)
      set.spawn([](int v) -> asyncrt::task<int> {
        co_await asyncrt::yield_now();
        co_return v;
      }(i));
    long sum = 0;
    while (std::optional<int> r = co_await set.join_next())
      sum += *r;
    co_return sum;
  };
  EXPECT_EQ(rt.block_on(body()), 999L * 1000 / 2);
}

ASYNCRT_ON_ALL_SHAPES(JoinSet);

} // namespace
