// The multi-thread scheduler: tasks run on several workers, work is stolen,
// idle workers park instead of spinning, and tasks can be spawned and
// aborted from outside the runtime.
#include "test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

asyncrt::runtime_options workers(std::size_t n) {
  asyncrt::runtime_options options;
  options.worker_threads = n;
  return options;
}

TEST(MultiThread, DefaultHasAWorkerPerCore) {
  asyncrt::runtime rt;
  EXPECT_EQ(rt.worker_threads(),
            std::max(1u, std::thread::hardware_concurrency()));
  asyncrt::runtime one{workers(1)};
  EXPECT_EQ(one.worker_threads(), 1u);
}

TEST(MultiThread, TasksRunOnSeveralWorkers) {
  asyncrt::runtime rt{workers(4)};
  std::mutex mutex;
  std::set<std::thread::id> seen;
  auto spin = [&]() -> asyncrt::task<void> {
    // Busy for a while without suspending, so that the other workers have
    // to steal the remaining tasks from the spawning worker's queue.
    auto until = std::chrono::steady_clock::now() + 20ms;
    while (std::chrono::steady_clock::now() < until) {
    }
    std::lock_guard lock(mutex);
    seen.insert(std::this_thread::get_id());
    co_return;
  };
  auto body = [&]() -> asyncrt::task<void> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 16; ++i)
      handles.push_back(asyncrt::spawn(spin()));
    for (auto &h : handles)
      co_await std::move(h);
  };
  rt.block_on(body());
  EXPECT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 0u)
      << "block_on's thread only waits";
}

TEST(MultiThread, IdleWorkersParkInsteadOfSpinning) {
  asyncrt::runtime rt{workers(4)};
  auto cpu_seconds = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
  };
  rt.block_on([]() -> asyncrt::task<void> { co_return; }());
  double before = cpu_seconds();
  // Four idle workers and a sleeping task for 300 ms: spinning would burn
  // about 1.2 s of CPU.
  rt.block_on(
      []() -> asyncrt::task<void> { co_await asyncrt::sleep(300ms); }());
  EXPECT_LT(cpu_seconds() - before, 0.1);
}

TEST(MultiThread, SpawnAndAbortFromOutsideTheRuntime) {
  asyncrt::runtime rt{workers(2)};
  std::atomic<bool> started = false;
  auto handle = rt.spawn([](std::atomic<bool> &s) -> asyncrt::task<int> {
    s = true;
    co_await asyncrt::sleep(1h);
    co_return 1;
  }(started));
  while (!started)
    std::this_thread::yield();
  handle.abort();
  auto wait = [](asyncrt::join_handle<int> h) -> asyncrt::task<bool> {
    try {
      co_await std::move(h);
    } catch (const asyncrt::cancelled &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(rt.block_on(wait(std::move(handle))));
}

TEST(MultiThread, SeveralThreadsBlockOnOneRuntime) {
  asyncrt::runtime rt{workers(2)};
  std::atomic<int> sum = 0;
  std::vector<std::thread> callers;
  for (int i = 1; i <= 4; ++i)
    callers.emplace_back([&, i] {
      sum += rt.block_on([](int v) -> asyncrt::task<int> {
        co_await asyncrt::sleep(1ms);
        co_return v;
      }(i));
    });
  for (auto &t : callers)
    t.join();
  EXPECT_EQ(sum, 10);
}

TEST(CurrentThread, RunsEveryTaskOnTheBlockOnThread) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  auto here = [](std::thread::id caller) -> asyncrt::task<bool> {
    auto h = asyncrt::spawn([]() -> asyncrt::task<std::thread::id> {
      co_await asyncrt::yield_now();
      co_return std::this_thread::get_id();
    }());
    co_return co_await std::move(h) == caller;
  };
  EXPECT_TRUE(rt.block_on(here(std::this_thread::get_id())));
}

TEST(CurrentThread, OneBlockOnAtATime) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  std::atomic<bool> inside = false, release = false;
  std::thread first([&] {
    rt.block_on([](std::atomic<bool> &in,
                   std::atomic<bool> &go) -> asyncrt::task<void> {
      in = true;
      while (!go)
        co_await asyncrt::sleep(1ms);
    }(inside, release));
  });
  while (!inside)
    std::this_thread::yield();
  EXPECT_THROW(rt.block_on([]() -> asyncrt::task<void> { co_return; }()),
               std::logic_error);
  release = true;
  first.join();
}

// Tasks woken by the running task (a message, a permit) run next, from the
// worker's LIFO slot; spawned and yielding tasks queue in FIFO order.
TEST(CurrentThread, AWokenTaskRunsBeforeQueuedOnes) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  std::vector<std::string> order;
  auto waiting = [](asyncrt::oneshot::receiver<int> rx,
                    std::vector<std::string> &log) -> asyncrt::task<void> {
    co_await std::move(rx);
    log.push_back("woken");
  };
  auto queued = [](std::vector<std::string> &log) -> asyncrt::task<void> {
    log.push_back("queued");
    co_return;
  };
  auto body = [&]() -> asyncrt::task<void> {
    auto [tx, rx] = asyncrt::oneshot::channel<int>();
    auto waiter = asyncrt::spawn(waiting(std::move(rx), order));
    co_await asyncrt::yield_now(); // the waiter parks on the oneshot
    auto other = asyncrt::spawn(queued(order));
    tx.send(1); // wakes the waiter, which goes ahead of `other`
    co_await std::move(waiter);
    co_await std::move(other);
  };
  rt.block_on(body());
  EXPECT_EQ(order, (std::vector<std::string>{"woken", "queued"}));
}

// Two tasks that wake each other would run from the LIFO slot for ever; the
// streak limit lets the queued ones in.
TEST(CurrentThread, TasksWakingEachOtherDoNotStarveTheQueue) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  constexpr int give_up = 1'000'000;
  auto ponger = [](asyncrt::mpsc::receiver<int> pings,
                   asyncrt::mpsc::sender<int> pongs) -> asyncrt::task<void> {
    while (std::optional<int> v = co_await pings.recv())
      co_await pongs.send(*v);
  };
  auto pinger = [](asyncrt::mpsc::sender<int> pings,
                   asyncrt::mpsc::receiver<int> pongs,
                   std::atomic<bool> &stop) -> asyncrt::task<int> {
    int rounds = 0;
    while (!stop && rounds < give_up) {
      co_await pings.send(rounds);
      co_await pongs.recv();
      ++rounds;
    }
    co_return rounds;
  };
  auto stopper = [](std::atomic<bool> &stop) -> asyncrt::task<void> {
    stop = true;
    co_return;
  };
  auto body = [&]() -> asyncrt::task<int> {
    std::atomic<bool> stop = false;
    auto [ping_tx, ping_rx] = asyncrt::mpsc::channel<int>(1);
    auto [pong_tx, pong_rx] = asyncrt::mpsc::channel<int>(1);
    auto a =
        asyncrt::spawn(pinger(std::move(ping_tx), std::move(pong_rx), stop));
    auto b = asyncrt::spawn(ponger(std::move(ping_rx), std::move(pong_tx)));
    auto c = asyncrt::spawn(stopper(stop));
    int rounds = co_await std::move(a);
    co_await std::move(b);
    co_await std::move(c);
    co_return rounds;
  };
  EXPECT_LT(rt.block_on(body()), 100);
}

class Timers : public asyncrt_test::AllShapes {};

// A loop that times out operations against a long timer cancels a timer per
// turn; the heap must not keep them until their deadline.
TEST_P(Timers, CancelledTimersLeaveTheHeapAtOnce) {
  asyncrt::runtime rt{options()};
  auto sleeper = []() -> asyncrt::task<void> { co_await asyncrt::sleep(1h); };
  auto body = [&]() -> asyncrt::task<std::size_t> {
    for (int i = 0; i < 5000; ++i) {
      auto h = asyncrt::spawn(sleeper());
      co_await asyncrt::yield_now(); // the sleeper registers its timer
      h.abort();
      co_await asyncrt_test::ends_cancelled(std::move(h));
    }
    co_return asyncrt::detail::current_scheduler().pending_timers();
  };
  EXPECT_EQ(rt.block_on(body()), 0u);
}

asyncrt::task<void> nap_5ms() { co_await asyncrt::sleep(5ms); }

// Holds its worker until no timer is armed any more, or 2 s: how long.
asyncrt::task<std::chrono::milliseconds> busy_until_no_timer_is_armed() {
  auto start = std::chrono::steady_clock::now();
  auto waited = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
  };
  while (asyncrt::detail::current_scheduler().pending_timers() != 0 &&
         waited() < 2s)
    std::this_thread::yield();
  co_return waited();
}

asyncrt::task<std::chrono::milliseconds> arm_then_stay_busy() {
  // Both workers park, with no timer to wait for; the blocking job's end
  // wakes one of them for this task, and the other stays parked.
  co_await asyncrt::spawn_blocking([] { std::this_thread::sleep_for(20ms); });
  // Biased: the nap arms its timer first, then the busy branch holds this
  // worker, so only the other worker can fire the timer.
  auto won = co_await asyncrt::select_biased(nap_5ms(),
                                             busy_until_no_timer_is_armed());
  co_return won.index() == 1 ? std::get<1>(won) : std::chrono::milliseconds(0);
}

// A timer armed by a worker that then stays busy is fired by the other,
// parked one: arming it wakes that worker to wait for the new deadline.
TEST(TimersOnTwoWorkers, AnIdleWorkerFiresATimerArmedByABusyOne) {
  asyncrt::runtime rt{
      asyncrt_test::options_for(asyncrt_test::shape::two_workers)};
  std::chrono::milliseconds busy_for = rt.block_on(arm_then_stay_busy());
  EXPECT_GT(busy_for, 0ms);
  EXPECT_LT(busy_for, 500ms);
}

// How late a sleep of 5 ms wakes on \p options's runtime, and a thread's own
// sleep of 5 ms taken at the same time: the medians of 20.
struct sleep_lateness {
  std::chrono::microseconds runtime;
  std::chrono::microseconds thread;
};
// How much longer than 5 ms a sleep of 5 ms took.
std::chrono::microseconds late_by(std::chrono::steady_clock::duration took) {
  return std::chrono::duration_cast<std::chrono::microseconds>(took - 5ms);
}
sleep_lateness measure_sleep_lateness(const asyncrt::runtime_options &options) {
  using lateness = std::vector<std::chrono::microseconds>;
  auto median = [](lateness &late) {
    std::sort(late.begin(), late.end());
    return late[late.size() / 2];
  };
  lateness thread_late;
  std::thread peer([&] {
    for (int i = 0; i < 20; ++i) {
      auto start = std::chrono::steady_clock::now();
      std::this_thread::sleep_for(5ms);
      thread_late.push_back(late_by(std::chrono::steady_clock::now() - start));
    }
  });
  asyncrt::runtime rt{options};
  lateness late = rt.block_on([]() -> asyncrt::task<lateness> {
    lateness result;
    for (int i = 0; i < 20; ++i) {
      auto start = std::chrono::steady_clock::now();
      co_await asyncrt::sleep(5ms);
      auto took = std::chrono::steady_clock::now() - start;
      EXPECT_GE(took, 5ms);
      result.push_back(late_by(took));
    }
    co_return result;
  }());
  peer.join();
  return {median(late), median(thread_late)};
}

// The issue asks for a millisecond or two; a thread's own sleep sets the
// floor, since on a loaded machine the kernel wakes both late.
TEST_P(Timers, SleepWakesWithinAFewMillisecondsOfTheDeadline) {
  sleep_lateness late = measure_sleep_lateness(options());
  EXPECT_LT(late.runtime, late.thread + 2ms);
}

// Threads that keep every core busy: a worker that yields while it looks for
// work gives its core away for a time slice each time, and a timer that
// falls due meanwhile must still fire (two searching workers once left it
// 7 to 15 ms late, where a thread's sleep was 0.1 ms late).
TEST_P(Timers, SleepWakesOnTimeWhileOtherThreadsKeepTheCoresBusy) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> hogs;
  for (unsigned i = 0; i <= std::max(1u, std::thread::hardware_concurrency());
       ++i)
    hogs.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed))
        ;
    });
  sleep_lateness late = measure_sleep_lateness(options());
  stop = true;
  for (std::thread &hog : hogs)
    hog.join();
  EXPECT_LT(late.runtime, late.thread + 2ms);
}

TEST_P(Timers, AdvanceMovesThePausedClock) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    asyncrt::testing::pause_time();
    auto start = asyncrt::now();
    asyncrt::testing::advance(10min);
    co_return asyncrt::now() - start == 10min;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

asyncrt::task<int> one_after(std::chrono::milliseconds d) {
  co_await asyncrt::sleep(d);
  co_return 1;
}

// The paused clock jumps to one deadline at a time: the timer of a
// timeout fires, and its select finishes, before the clock moves on to the
// operand's later deadline. Defect: on two workers, the worker that jumped
// still counted itself idle until it had queued what it woke, and the
// other, finding every worker idle and nothing queued, jumped again; both
// timers fired in one round and the operand, polled first, won.
TEST_P(Timers, ThePausedClockNeverJumpsPastADeadlineWhoseTaskHasNotRun) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<int> {
    asyncrt::testing::pause_time();
    int late = 0;
    for (int i = 0; i < 3000; ++i)
      if (co_await asyncrt::timeout(1ms, one_after(2ms)))
        ++late;
    co_return late;
  };
  EXPECT_EQ(rt.block_on(body()), 0);
}

// A duration past the clock's range is a far future, not an overflow that
// fires at once.
TEST_P(Timers, LongestDurationsSaturate) {
  asyncrt::runtime rt{options()};
  auto slow = []() -> asyncrt::task<int> {
    co_await asyncrt::sleep(5ms);
    co_return 7;
  };
  auto body = [&]() -> asyncrt::task<int> {
    std::optional<int> a =
        co_await asyncrt::timeout(asyncrt::clock::duration::max(), slow());
    std::optional<int> b =
        co_await asyncrt::timeout(std::chrono::hours::max(), slow());
    co_return a.value_or(-1) + b.value_or(-1);
  };
  EXPECT_EQ(rt.block_on(body()), 14);
}

// The paused clock jumps to the next deadline, but never to the end of time.
TEST_P(Timers, SaturatedSleepNeverFiresOnThePausedClock) {
  asyncrt::runtime rt{options()};
  auto nap = [](std::chrono::hours d) -> asyncrt::task<void> {
    co_await asyncrt::sleep(d);
  };
  auto body = [&]() -> asyncrt::task<std::size_t> {
    auto winner = co_await asyncrt::select_biased(
        nap(std::chrono::hours::max()), nap(std::chrono::hours(1)));
    co_return winner.index();
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), 1u);
}

// sleep_until wakes at the deadline of the runtime's clock; a deadline
// already past completes without suspending.
TEST_P(Timers, SleepUntilWakesAtTheDeadline) {
  asyncrt::runtime rt{options()};
  auto body = []() -> asyncrt::task<bool> {
    auto start = asyncrt::now();
    co_await asyncrt::sleep_until(start + 10min);
    bool on_time = asyncrt::now() - start == 10min;
    auto before = asyncrt::now();
    co_await asyncrt::sleep_until(before - 1s);
    co_return on_time &&asyncrt::now() == before;
  };
  EXPECT_TRUE(asyncrt_test::run_paused(rt, body()));
}

// sleep_until is a cancellation point like sleep: an aborted sleeper with a
// far deadline ends as cancelled, not at its deadline (on the running
// clock, a sleeper that ignored the abort would hold the test for a day).
TEST_P(Timers, AbortedSleepUntilEndsAsCancelled) {
  asyncrt::runtime rt{options()};
  auto sleeper = []() -> asyncrt::task<void> {
    co_await asyncrt::sleep_until(asyncrt::now() + 24h);
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto h = asyncrt::spawn(sleeper());
    co_await asyncrt::yield_now(); // the sleeper registers its timer
    h.abort();
    // false: it ran to its deadline, the abort ignored.
    co_return co_await asyncrt_test::ends_cancelled(std::move(h));
  };
  EXPECT_TRUE(rt.block_on(body()));
}

// timeout_at: one deadline for several operations; the one that would end
// after it is cancelled.
TEST_P(Timers, TimeoutAtSharesOneDeadline) {
  asyncrt::runtime rt{options()};
  auto work = [](std::chrono::minutes d, int v) -> asyncrt::task<int> {
    co_await asyncrt::sleep(d);
    co_return v;
  };
  auto body = [&]() -> asyncrt::task<int> {
    auto deadline = asyncrt::now() + 10min;
    std::optional<int> first =
        co_await asyncrt::timeout_at(deadline, work(4min, 1));
    std::optional<int> second =
        co_await asyncrt::timeout_at(deadline, work(4min, 2));
    std::optional<int> third =
        co_await asyncrt::timeout_at(deadline, work(4min, 3));
    bool at_deadline = asyncrt::now() == deadline;
    co_return first.value_or(-1) * 100 + second.value_or(-1) * 10 +
        (third ? 1 : 0) + (at_deadline ? 1000 : 0);
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), 1120);
}

ASYNCRT_ON_ALL_SHAPES(Timers);

} // namespace
