// join, try_join, select and timeout: results, errors, and that losers and
// failed siblings are cancelled and finished before the combinator returns.
#include "test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <coroutine>
#include <gtest/gtest.h>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

asyncrt::task<int> after(std::chrono::milliseconds d, int v) {
  co_await asyncrt::sleep(d);
  co_return v;
}

asyncrt::task<std::string> text_after(std::chrono::milliseconds d) {
  co_await asyncrt::sleep(d);
  co_return "text";
}

asyncrt::task<int> fail_after(std::chrono::milliseconds d) {
  co_await asyncrt::sleep(d);
  throw std::runtime_error("failed");
}

struct witness {
  std::atomic<int> &destroyed;
  ~witness() { ++destroyed; }
};

// Sleeps long; counts its destruction, which cancellation must bring about.
asyncrt::task<int> slow_with_witness(std::atomic<int> &destroyed) {
  witness w{destroyed};
  co_await asyncrt::sleep(1h);
  co_return 0;
}

// Every test runs on both runtime flavours, with the paused clock.
class Combinators : public asyncrt_test::AllShapes {
protected:
  template <class T> T run_paused(asyncrt::task<T> body) {
    asyncrt::runtime rt{options()};
    return asyncrt_test::run_paused(rt, std::move(body));
  }
};
class CancellationTest : public Combinators {};
class JoinTest : public Combinators {};
class SelectTest : public Combinators {};
class TimeoutTest : public Combinators {};
class TryJoinTest : public Combinators {};

TEST_P(JoinTest, ReturnsAllValuesAfterTheSlowest) {
  auto body = []() -> asyncrt::task<bool> {
    auto start = asyncrt::now();
    auto [a, b] = co_await asyncrt::join(after(30ms, 1), text_after(10ms));
    co_return a == 1 && b == "text" && asyncrt::now() - start == 30ms;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(JoinTest, VoidTasksYieldMonostate) {
  auto nothing = []() -> asyncrt::task<void> { co_return; };
  auto body = [&]() -> asyncrt::task<bool> {
    auto [x, y] = co_await asyncrt::join(nothing(), nothing());
    co_return std::is_same_v<decltype(x), std::monostate>;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(JoinTest, WaitsForAllThenRethrowsTheFirstFailure) {
  auto body = []() -> asyncrt::task<asyncrt::clock::duration> {
    auto start = asyncrt::now();
    try {
      co_await asyncrt::join(fail_after(10ms), after(50ms, 1));
    } catch (const std::runtime_error &) {
      co_return asyncrt::now() - start;
    }
    co_return asyncrt::clock::duration::zero();
  };
  EXPECT_EQ(run_paused(body()), 50ms); // the sibling was not cancelled
}

TEST_P(TryJoinTest, FailsFastAndCancelsTheSiblings) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<asyncrt::clock::duration> {
    auto start = asyncrt::now();
    try {
      co_await asyncrt::try_join(fail_after(10ms),
                                 slow_with_witness(destroyed));
    } catch (const std::runtime_error &) {
      co_return asyncrt::now() - start;
    }
    co_return asyncrt::clock::duration::zero();
  };
  EXPECT_EQ(run_paused(body()), 10ms);
  EXPECT_EQ(destroyed, 1); // cancelled and unwound before try_join returned
}

TEST_P(TryJoinTest, ReturnsAllValuesWhenNothingFails) {
  auto body = []() -> asyncrt::task<int> {
    auto [a, b] = co_await asyncrt::try_join(after(5ms, 2), after(1ms, 3));
    co_return a *b;
  };
  EXPECT_EQ(run_paused(body()), 6);
}

TEST_P(SelectTest, FirstToFinishWinsAndLosersAreUnwound) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto winner =
        co_await asyncrt::select(slow_with_witness(destroyed), text_after(5ms));
    co_return winner.index() == 1 && std::get<1>(winner) == "text" &&
        destroyed == 1;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(SelectTest, WinnersExceptionIsRethrown) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<void> {
    co_await asyncrt::select(fail_after(1ms), slow_with_witness(destroyed));
  };
  EXPECT_THROW(run_paused(body()), std::runtime_error);
  EXPECT_EQ(destroyed, 1);
}

TEST_P(SelectTest, BiasedStartsWithTheFirstBranch) {
  auto immediate = [](int v) -> asyncrt::task<int> { co_return v; };
  auto body = [&]() -> asyncrt::task<bool> {
    for (int i = 0; i < 20; ++i) {
      auto w = co_await asyncrt::select_biased(immediate(1), immediate(2));
      if (w.index() != 0)
        co_return false;
    }
    co_return true;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(SelectTest, UnbiasedStartsFromEitherBranch) {
  auto immediate = [](int v) -> asyncrt::task<int> { co_return v; };
  auto body = [&]() -> asyncrt::task<int> {
    int mask = 0;
    for (int i = 0; i < 64; ++i)
      mask |=
          1 << (co_await asyncrt::select(immediate(1), immediate(2))).index();
    co_return mask;
  };
  EXPECT_EQ(run_paused(body()), 3);
}

asyncrt::task<std::optional<int>> receive(asyncrt::mpsc::receiver<int> &rx) {
  co_return co_await rx.recv();
}

// A select nested in another's branch: when both channels deliver in the
// same turn, in either order, exactly one message is taken (by the winning
// branch) and the other stays in its channel. Defect: the inner select's
// receive and the outer sibling could both take one, and the losing
// branch's message was dropped.
TEST_P(SelectTest, NestedSelectNeverLosesAMessage) {
  auto body = []() -> asyncrt::task<bool> {
    for (int round = 0; round < 40; ++round) {
      auto [tx1, rx1] = asyncrt::mpsc::channel<int>(4);
      auto [tx2, rx2] = asyncrt::mpsc::channel<int>(4);
      bool first_one = round % 2 == 0;
      auto feeder = asyncrt::spawn([](asyncrt::mpsc::sender<int> a,
                                      asyncrt::mpsc::sender<int> b,
                                      bool one_first) -> asyncrt::task<void> {
        co_await asyncrt::sleep(1ms);
        // One turn, no suspension in between.
        if (one_first) {
          (void)a.try_send(1);
          (void)b.try_send(2);
        } else {
          (void)b.try_send(2);
          (void)a.try_send(1);
        }
      }(tx1, tx2, first_one));
      auto winner = co_await asyncrt::select(asyncrt::timeout(1h, receive(rx1)),
                                             receive(rx2));
      co_await std::move(feeder);
      std::vector<int> seen;
      if (winner.index() == 0) {
        if (std::optional<std::optional<int>> got = std::get<0>(winner);
            got && *got)
          seen.push_back(**got);
      } else if (std::optional<int> got = std::get<1>(winner)) {
        seen.push_back(*got);
      }
      while (std::optional<int> left = rx1.try_recv())
        seen.push_back(*left);
      while (std::optional<int> left = rx2.try_recv())
        seen.push_back(*left);
      std::sort(seen.begin(), seen.end());
      if (seen != std::vector<int>{1, 2}) {
        ADD_FAILURE() << "round " << round << ": " << seen.size()
                      << " of 2 messages accounted for";
        co_return false;
      }
    }
    co_return true;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(TimeoutTest, ReturnsTheValueInTime) {
  auto body = []() -> asyncrt::task<std::optional<int>> {
    co_return co_await asyncrt::timeout(50ms, after(10ms, 7));
  };
  EXPECT_EQ(run_paused(body()), std::optional<int>(7));
}

TEST_P(TimeoutTest, ElapsesCancelsTheOperationAndReturnsNullopt) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto start = asyncrt::now();
    auto r = co_await asyncrt::timeout(5s, slow_with_witness(destroyed));
    co_return !r && asyncrt::now() - start == 5s && destroyed == 1;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(CancellationTest, AbortingTheAwaiterCancelsAllChildren) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto parent =
        asyncrt::spawn([](std::atomic<int> &d) -> asyncrt::task<void> {
          co_await asyncrt::join(slow_with_witness(d), slow_with_witness(d));
        }(destroyed));
    co_await asyncrt::sleep(1ms);
    parent.abort();
    try {
      co_await std::move(parent);
    } catch (const asyncrt::cancelled &) {
      co_return destroyed == 2;
    }
    co_return false;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(JoinTest, JoinAllReturnsValuesInOrderOrTheFirstFailure) {
  auto body = []() -> asyncrt::task<bool> {
    std::vector<asyncrt::task<int>> work;
    for (int i = 0; i < 5; ++i)
      work.push_back(after(std::chrono::milliseconds(5 - i), i));
    std::vector<int> values = co_await asyncrt::join_all(std::move(work));
    std::vector<asyncrt::task<int>> failing;
    failing.push_back(after(2ms, 1));
    failing.push_back(fail_after(1ms));
    bool threw = false;
    try {
      co_await asyncrt::join_all(std::move(failing));
    } catch (const std::runtime_error &) {
      threw = true;
    }
    co_return threw &&values == std::vector<int>{0, 1, 2, 3, 4};
  };
  EXPECT_TRUE(run_paused(body()));
}

ASYNCRT_ON_ALL_SHAPES(CancellationTest);
ASYNCRT_ON_ALL_SHAPES(JoinTest);
ASYNCRT_ON_ALL_SHAPES(SelectTest);
ASYNCRT_ON_ALL_SHAPES(TimeoutTest);
ASYNCRT_ON_ALL_SHAPES(TryJoinTest);

// Any awaitable as an operand: asyncrt's operations, a join handle, a
// hand-written awaiter; a losing operation gives back what it held.
class AnyAwaitableTest : public Combinators {};

TEST_P(AnyAwaitableTest, SelectOverRecvAndSleepDirectly) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(4);
    std::vector<int> seen;
    // Nothing sent: the sleep wins, and the receive takes nothing.
    auto first = co_await asyncrt::select(rx.recv(), asyncrt::sleep(5ms));
    seen.push_back(static_cast<int>(first.index()));
    co_await tx.send(7);
    auto second = co_await asyncrt::select(rx.recv(), asyncrt::sleep(5ms));
    seen.push_back(static_cast<int>(second.index()));
    seen.push_back(std::get<0>(second).value_or(-1));
    co_return seen;
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{1, 0, 7}));
}

// A message that arrives while a select over recv loses to another branch
// stays in the channel for the next receive.
TEST_P(AnyAwaitableTest, ALosingRecvLeavesTheMessageQueued) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(4);
    std::vector<int> got;
    for (int round = 0; round < 20; ++round) {
      co_await tx.send(round);
      auto won =
          co_await asyncrt::select_biased(asyncrt::yield_now(), rx.recv());
      if (won.index() == 1)
        got.push_back(std::get<1>(won).value_or(-1));
      else
        got.push_back((co_await rx.recv()).value_or(-1));
    }
    co_return got;
  };
  std::vector<int> expected;
  for (int round = 0; round < 20; ++round)
    expected.push_back(round);
  EXPECT_EQ(run_paused(body()), expected);
}

TEST_P(AnyAwaitableTest, TimeoutOverAcquireTakesNoPermitWhenItElapses) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    asyncrt::semaphore sem{0};
    auto late = co_await asyncrt::timeout(5ms, sem.acquire());
    sem.add_permits(1);
    auto in_time = co_await asyncrt::timeout(5ms, sem.acquire());
    co_return std::vector<int>{late.has_value() ? 1 : 0,
                               in_time.has_value() ? 1 : 0,
                               static_cast<int>(sem.available_permits())};
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{0, 1, 0}));
}

TEST_P(AnyAwaitableTest, JoinOverOperationsAndAJoinHandle) {
  auto body = []() -> asyncrt::task<int> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    co_await tx.send(40);
    asyncrt::join_handle<int> two = asyncrt::spawn(after(1ms, 2));
    auto [slept, received, joined] =
        co_await asyncrt::join(asyncrt::sleep(2ms), rx.recv(), std::move(two));
    (void)slept; // std::monostate
    co_return received.value_or(0) + joined;
  };
  EXPECT_EQ(run_paused(body()), 42);
}

// A hand-written awaiter: ready at once with a value.
struct ready_value {
  int value;
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return value; }
};

TEST_P(AnyAwaitableTest, HandWrittenAwaitersAndTasksMix) {
  auto body = []() -> asyncrt::task<int> {
    auto won = co_await asyncrt::select_biased(ready_value{5}, after(1h, 0));
    auto [a, b] = co_await asyncrt::try_join(ready_value{1}, after(1ms, 2));
    co_return std::get<0>(won) + a + b;
  };
  EXPECT_EQ(run_paused(body()), 8);
}

// The inline select: when every operand is an asyncrt operation, select
// polls them in the selecting task; one that loses gives back what it was
// granted, whenever it was granted.
class InlineSelectTest : public Combinators {};

TEST_P(InlineSelectTest, OfTwoReadyReceivesExactlyOneTakes) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    std::vector<int> left_behind;
    for (int round = 0; round < 20; ++round) {
      auto [tx1, rx1] = asyncrt::mpsc::channel<int>(1);
      auto [tx2, rx2] = asyncrt::mpsc::channel<int>(1);
      (void)tx1.try_send(1);
      (void)tx2.try_send(2);
      auto won = co_await asyncrt::select(rx1.recv(), rx2.recv());
      int taken = won.index() == 0 ? std::get<0>(won).value_or(-1)
                                   : std::get<1>(won).value_or(-1);
      int left = (won.index() == 0 ? rx2 : rx1).try_recv().value_or(-1);
      left_behind.push_back(taken + left); // 3 when nothing is lost
    }
    co_return left_behind;
  };
  EXPECT_EQ(run_paused(body()), std::vector<int>(20, 3));
}

// After 1 ms, one permit to each of \p x and \p y in one turn: both
// waiters are granted before either runs.
asyncrt::task<void> grant_both_in_one_turn(asyncrt::semaphore &x,
                                           asyncrt::semaphore &y) {
  co_await asyncrt::sleep(1ms);
  x.add_permits(1);
  y.add_permits(1);
}

// Both operations are granted in one turn while the select is parked: one
// wins, the other's permit goes back to its semaphore.
TEST_P(InlineSelectTest, ALoserGrantedWhileParkedGivesItBack) {
  auto body = []() -> asyncrt::task<std::vector<std::size_t>> {
    std::vector<std::size_t> seen;
    for (int round = 0; round < 20; ++round) {
      asyncrt::semaphore a{0}, b{0};
      auto releaser = asyncrt::spawn(grant_both_in_one_turn(a, b));
      auto won = co_await asyncrt::select(a.acquire(), b.acquire());
      co_await std::move(releaser);
      // The winner's permit is held here; the loser's is back.
      seen.push_back(a.available_permits() + b.available_permits());
    }
    co_return seen;
  };
  EXPECT_EQ(run_paused(body()), std::vector<std::size_t>(20, 1));
}

TEST_P(InlineSelectTest, AnAbortedSelectTakesNothing) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    asyncrt::semaphore sem{0};
    auto parked =
        asyncrt::spawn([](asyncrt::mpsc::receiver<int> &r,
                          asyncrt::semaphore &s) -> asyncrt::task<void> {
          (void)co_await asyncrt::select(r.recv(), s.acquire(),
                                         asyncrt::sleep(1h));
        }(rx, sem));
    co_await asyncrt::sleep(1ms);
    parked.abort();
    bool cancelled = co_await asyncrt_test::ends_cancelled(std::move(parked));
    co_await tx.send(5);
    sem.add_permits(1);
    co_return std::vector<int>{cancelled, rx.try_recv().value_or(-1),
                               static_cast<int>(sem.available_permits())};
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{1, 5, 1}));
}

// A permit granted in the same turn as the selecting task is aborted is
// handed out (select delivers what it took); the task's next suspension
// throws, and the permit goes back as it unwinds.
TEST_P(InlineSelectTest, AResultTakenBeforeTheAbortIsDelivered) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    asyncrt::semaphore sem{0};
    std::atomic<bool> delivered{false};
    auto selecting =
        asyncrt::spawn([](asyncrt::semaphore &s,
                          std::atomic<bool> &got) -> asyncrt::task<void> {
          auto won = co_await asyncrt::select(s.acquire(), asyncrt::sleep(1h));
          got = won.index() == 0;
          co_await asyncrt::sleep(1ms); // the cancellation lands here
        }(sem, delivered));
    co_await asyncrt::sleep(1ms);
    sem.add_permits(1); // granted to the parked select...
    selecting.abort();  // ...which is aborted in the same turn
    bool cancelled =
        co_await asyncrt_test::ends_cancelled(std::move(selecting));
    co_return std::vector<int>{cancelled, delivered.load(),
                               static_cast<int>(sem.available_permits())};
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{1, 1, 1}));
}

TEST_P(InlineSelectTest, TheWinnersExceptionPropagates) {
  auto body = []() -> asyncrt::task<bool> {
    asyncrt::semaphore sem{0};
    sem.close();
    try {
      (void)co_await asyncrt::select(sem.acquire(), asyncrt::sleep(1h));
    } catch (const asyncrt::semaphore_closed &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(run_paused(body()));
}

TEST_P(InlineSelectTest, TimeoutOverRecvLeavesALateMessageQueued) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    auto [tx, rx] = asyncrt::mpsc::channel<int>(1);
    auto late = co_await asyncrt::timeout(5ms, rx.recv());
    co_await tx.send(9);
    auto in_time = co_await asyncrt::timeout(5ms, rx.recv());
    co_return std::vector<int>{late.has_value(),
                               in_time && *in_time ? **in_time : -1};
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{0, 9}));
}

// A oneshot receiver and a join handle own what their operation waits on:
// the select keeps them alive until it returns (a receiver dropped early
// would refuse the send).
TEST_P(InlineSelectTest, OperandsThatOwnWhatTheyWaitOnLiveAsLongAsTheSelect) {
  auto body = []() -> asyncrt::task<int> {
    auto [one_tx, one_rx] = asyncrt::oneshot::channel<int>();
    auto sender = asyncrt::spawn(
        [](asyncrt::oneshot::sender<int> tx) -> asyncrt::task<bool> {
          co_await asyncrt::sleep(1ms);
          co_return static_cast<bool>(tx.send(30));
        }(std::move(one_tx)));
    auto first =
        co_await asyncrt::select(std::move(one_rx), asyncrt::sleep(1h));
    bool sent = co_await std::move(sender);
    auto second = co_await asyncrt::select(asyncrt::spawn(after(1ms, 12)),
                                           asyncrt::sleep(1h));
    co_return (sent ? std::get<0>(first).value_or(0) : -100) +
        std::get<0>(second);
  };
  EXPECT_EQ(run_paused(body()), 42);
}

TEST_P(InlineSelectTest, ALockThatLosesIsNotTaken) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    asyncrt::mutex m;
    asyncrt::rwlock rw;
    std::vector<int> seen;
    {
      auto held = co_await m.lock();
      auto reader = co_await rw.read();
      auto late = co_await asyncrt::select(m.lock(), asyncrt::sleep(5ms));
      auto late_write = co_await asyncrt::timeout(5ms, rw.write());
      seen.push_back(static_cast<int>(late.index()));
      seen.push_back(late_write.has_value());
    }
    auto won = co_await asyncrt::select(m.lock(), asyncrt::sleep(1h));
    seen.push_back(static_cast<int>(won.index()));
    seen.push_back(std::get<0>(won).owns_lock());
    seen.push_back(m.try_lock().has_value()); // held by `won`
    seen.push_back(rw.try_write().has_value());
    co_return seen;
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{1, 0, 0, 1, 0, 1}));
}

ASYNCRT_ON_ALL_SHAPES(InlineSelectTest);

// select over tasks: the selecting task resumes every branch itself; a
// losing branch parked on an asyncrt operation is dropped there, without
// being resumed, and gives back what it was granted; any other loser is
// resumed until it finishes, before select returns.
class TaskSelectTest : public Combinators {};

// Both branches are granted a permit in one turn while the select is
// parked: the first resumed wins; the other is dropped where it waits, so
// the code after its await never runs, and its permit goes back.
TEST_P(TaskSelectTest, ALoserGrantedWhileParkedIsDroppedWithoutRunning) {
  auto body = []() -> asyncrt::task<std::vector<std::size_t>> {
    std::vector<std::size_t> seen;
    for (int round = 0; round < 20; ++round) {
      asyncrt::semaphore a{0}, b{0};
      std::size_t ran_on = 0;
      auto take =
          [](asyncrt::semaphore &s,
             std::size_t &ran) -> asyncrt::task<asyncrt::semaphore::permit> {
        asyncrt::semaphore::permit p = co_await s.acquire();
        ++ran;
        co_return p;
      };
      auto releaser = asyncrt::spawn(grant_both_in_one_turn(a, b));
      auto won = co_await asyncrt::select(take(a, ran_on), take(b, ran_on));
      co_await std::move(releaser);
      seen.push_back(ran_on);
      // The winner's permit is held here; the loser's is back.
      seen.push_back(a.available_permits() + b.available_permits());
    }
    co_return seen;
  };
  std::vector<std::size_t> expected;
  for (int round = 0; round < 20; ++round)
    expected.insert(expected.end(), {1, 1});
  EXPECT_EQ(run_paused(body()), expected);
}

// A hand-written event: a task awaiting it parks with a waker, which is not
// a cancellation point.
class event {
public:
  void fire() {
    asyncrt::waker parked;
    {
      std::lock_guard lock(mutex_);
      fired_ = true;
      parked = std::move(parked_);
    }
    std::move(parked).wake();
  }
  class awaiter {
  public:
    explicit awaiter(event &e) : event_(e) {}
    bool await_ready() const {
      std::lock_guard lock(event_.mutex_);
      return event_.fired_;
    }
    bool await_suspend(std::coroutine_handle<> h) {
      std::lock_guard lock(event_.mutex_);
      if (event_.fired_)
        return false;
      event_.parked_ = asyncrt::waker(h);
      return true;
    }
    void await_resume() const noexcept {}

  private:
    event &event_;
  };
  awaiter wait() { return awaiter(*this); }

private:
  std::mutex mutex_;
  bool fired_ = false;
  asyncrt::waker parked_;
};

// A loser parked where it cannot be dropped (a hand-written awaiter) is
// resumed when its event comes and runs to its next cancellation point;
// select returns only then.
TEST_P(TaskSelectTest, ALoserParkedOnAHandWrittenAwaiterFinishesFirst) {
  auto body = []() -> asyncrt::task<std::vector<int>> {
    event e;
    int resumed = 0, cancelled_at_yield = 0;
    auto waits = [](event &ev, int &r, int &c) -> asyncrt::task<int> {
      co_await ev.wait();
      ++r;
      try {
        co_await asyncrt::yield_now();
      } catch (const asyncrt::cancelled &) {
        ++c;
        throw;
      }
      co_return 0;
    };
    auto firer = asyncrt::spawn([](event &ev) -> asyncrt::task<void> {
      co_await asyncrt::sleep(5ms);
      ev.fire();
    }(e));
    auto start = asyncrt::now();
    // The loser's half-done progress is what this test observes.
    auto won = co_await asyncrt::select_biased(
        // NOLINTNEXTLINE(async-cancel-unsafe-select)
        waits(e, resumed, cancelled_at_yield), after(1ms, 7));
    int waited_ms =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                             asyncrt::now() - start)
                             .count());
    co_await std::move(firer);
    co_return std::vector<int>{static_cast<int>(won.index()), std::get<1>(won),
                               resumed, cancelled_at_yield, waited_ms >= 5};
  };
  EXPECT_EQ(run_paused(body()), (std::vector<int>{1, 7, 1, 1, 1}));
}

// A loser that waits for child tasks (a join) is not dropped, which would
// leave the children running: it is cancelled, so the children are
// cancelled and awaited before select returns.
TEST_P(TaskSelectTest, ALoserWaitingForAJoinHasItsChildrenFinished) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<int> {
    auto won =
        co_await asyncrt::select(asyncrt::join(slow_with_witness(destroyed),
                                               slow_with_witness(destroyed)),
                                 after(1ms, 3));
    co_return destroyed.load() * 10 + static_cast<int>(won.index());
  };
  EXPECT_EQ(run_paused(body()), 21);
}

// No branch runs after select returns, and none runs while the select's
// task runs code of its own: the branches only run inside the select.
TEST_P(TaskSelectTest, BranchesRunOnlyInsideTheSelect) {
  auto body = []() -> asyncrt::task<bool> {
    std::atomic<bool> inside{false};
    std::atomic<int> outside_runs = 0;
    auto ticker = [](std::atomic<bool> &in,
                     std::atomic<int> &out) -> asyncrt::task<void> {
      for (;;) {
        co_await asyncrt::sleep(1ms);
        if (!in.load())
          ++out;
      }
    };
    for (int round = 0; round < 10; ++round) {
      inside = true;
      auto w = co_await asyncrt::select(ticker(inside, outside_runs),
                                        after(5ms, round));
      inside = false;
      if (w.index() != 1)
        co_return false;
      co_await asyncrt::sleep(3ms); // a ticker left running would tick now
    }
    co_return outside_runs == 0;
  };
  EXPECT_TRUE(run_paused(body()));
}

// A branch that keeps yielding (a cooperative loop) yields the select's
// task, as tokio's select! returns Pending: the runtime gets its thread
// back, so the timer of the other branch fires. Defect: the select resumed
// a branch that had woken itself at once, holding the worker for ever.
TEST_P(TaskSelectTest, ABranchThatKeepsYieldingLetsTheOtherBranchWin) {
  asyncrt::runtime rt{options()};
  auto spins = []() -> asyncrt::task<void> {
    for (;;)
      co_await asyncrt::yield_now();
  };
  std::size_t won = rt.block_on([&]() -> asyncrt::task<std::size_t> {
    auto w = co_await asyncrt::select(spins(), asyncrt::sleep(5ms));
    co_return w.index();
  }());
  EXPECT_EQ(won, 1u);
}

// Aborting a task parked in a select over tasks cancels the branches
// where they wait, long before their sleeps would end. Defect: without the
// select linked to its task's cancellation, the branches slept their hour
// and one of them won.
TEST_P(TaskSelectTest, AbortingTheSelectingTaskCancelsTheParkedBranches) {
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto start = asyncrt::now();
    auto selecting =
        asyncrt::spawn([](std::atomic<int> &d) -> asyncrt::task<void> {
          (void)co_await asyncrt::select(slow_with_witness(d),
                                         slow_with_witness(d));
        }(destroyed));
    co_await asyncrt::sleep(1ms);
    selecting.abort();
    bool cancelled =
        co_await asyncrt_test::ends_cancelled(std::move(selecting));
    co_return cancelled &&destroyed == 2 && asyncrt::now() - start < 1h;
  };
  EXPECT_TRUE(run_paused(body()));
}

// Holds its thread until another thread has aborted the selecting task,
// then sleeps: the abort lands while the select runs its branches, before
// it first suspends.
asyncrt::task<int> hold_until_aborted(std::atomic<bool> &holding,
                                      const std::atomic<bool> &aborted,
                                      std::atomic<int> &destroyed) {
  witness w{destroyed};
  holding = true;
  // Holding the thread is the interleaving under test.
  // NOLINTNEXTLINE(async-loop-without-suspend)
  while (!aborted)
    std::this_thread::yield();
  co_await asyncrt::sleep(1h);
  co_return 1;
}

// The select links its branches to its task's cancellation only when it
// first suspends; an abort from another thread before then is found there,
// and the branches are cancelled before they wait. Defect: a link that did
// not look for a cancellation already requested left them to sleep.
TEST_P(TaskSelectTest, AnAbortWhileTheBranchesFirstRunStillReachesThem) {
  std::atomic<bool> holding = false, aborted = false;
  std::atomic<int> destroyed = 0;
  auto body = [&]() -> asyncrt::task<bool> {
    auto start = asyncrt::now();
    auto selecting =
        asyncrt::spawn([](std::atomic<bool> &h, const std::atomic<bool> &a,
                          std::atomic<int> &d) -> asyncrt::task<void> {
          (void)co_await asyncrt::select(hold_until_aborted(h, a, d),
                                         slow_with_witness(d));
        }(holding, aborted, destroyed));
    std::thread aborter([&] {
      while (!holding)
        std::this_thread::yield();
      selecting.abort();
      aborted = true;
    });
    co_await asyncrt::spawn_blocking([&] { aborter.join(); });
    bool cancelled =
        co_await asyncrt_test::ends_cancelled(std::move(selecting));
    co_return cancelled &&destroyed == 2 && asyncrt::now() - start < 1h;
  };
  EXPECT_TRUE(run_paused(body()));
}

ASYNCRT_ON_ALL_SHAPES(TaskSelectTest);

ASYNCRT_ON_ALL_SHAPES(AnyAwaitableTest);

} // namespace
