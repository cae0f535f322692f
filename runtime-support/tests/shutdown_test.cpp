// Dropping a runtime with work in flight, on every runtime shape: tasks are
// cancelled and unwound before anything is destroyed, nothing is left
// pointing into a destroyed frame, queued blocking jobs are dropped, and a
// spawn during shutdown is refused without a leak.
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

using asyncrt_test::AllShapes;
class Shutdown : public AllShapes {};

asyncrt::task<void> nap() { co_await asyncrt::sleep(1h); }

// A hand-written wait that is no cancellation point: only its deadline
// resumes it (asyncrt::resume_at).
struct park_until {
  asyncrt::clock::time_point when;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const {
    asyncrt::resume_at(when, h);
  }
  void await_resume() const noexcept {}
};

// Lets the spawned tasks reach their first suspension.
asyncrt::task<void> settle() {
  for (int i = 0; i < 10; ++i)
    co_await asyncrt::sleep(1ms);
}

TEST_P(Shutdown, AbortAfterTheRuntimeIsGoneTouchesNoFreedFrame) {
  std::optional<asyncrt::join_handle<void>> handle;
  {
    asyncrt::runtime rt{options()};
    handle = rt.block_on([]() -> asyncrt::task<asyncrt::join_handle<void>> {
      auto h = asyncrt::spawn(nap());
      co_await settle();
      co_return h;
    }());
  }
  EXPECT_TRUE(handle->is_finished());
  handle->abort(); // ASan: no use of the sleeper's freed frame
}

// Aborts another task when destroyed, as a buffered() pipeline does. The
// other task is spawned after this one, so a runtime that destroys the
// newest frames first has destroyed it already.
struct aborts_on_drop {
  std::shared_ptr<std::optional<asyncrt::join_handle<void>>> other;
  ~aborts_on_drop() {
    if (other && *other)
      (*other)->abort();
  }
};

asyncrt::task<void> hold(aborts_on_drop) { co_await asyncrt::sleep(1h); }

TEST_P(Shutdown, FramesThatAbortOthersWhileUnwindingAreSafe) {
  asyncrt::runtime rt{options()};
  rt.block_on([]() -> asyncrt::task<void> {
    for (int i = 0; i < 8; ++i) {
      auto slot = std::make_shared<std::optional<asyncrt::join_handle<void>>>();
      asyncrt::spawn(hold(aborts_on_drop{slot}));
      *slot = asyncrt::spawn(nap());
    }
    co_await settle();
  }());
}

// The runtime's end must not leave waiters linked in primitives that
// outlive it: a later release would grant its permit to a freed node.
TEST_P(Shutdown, WaitersLeaveAPrimitiveThatOutlivesTheRuntime) {
  asyncrt::semaphore sem{1};
  std::optional<asyncrt::semaphore::permit> held = sem.try_acquire();
  ASSERT_TRUE(held);
  {
    asyncrt::runtime rt{options()};
    rt.block_on([](asyncrt::semaphore &s) -> asyncrt::task<void> {
      for (int i = 0; i < 4; ++i)
        asyncrt::spawn([](asyncrt::semaphore &inner) -> asyncrt::task<void> {
          auto permit = co_await inner.acquire();
        }(s));
      co_await settle();
    }(sem));
  }
  held.reset(); // serves the waiters: none may be left
  EXPECT_EQ(sem.available_permits(), 1u);
}

TEST_P(Shutdown, QueuedBlockingJobsAreDroppedNotRun) {
  std::atomic<int> ran{0};
  std::vector<asyncrt::join_handle<void>> jobs;
  auto opts = options();
  opts.max_blocking_threads = 1;
  auto start = std::chrono::steady_clock::now();
  {
    asyncrt::runtime rt{opts};
    jobs = rt.block_on(
        [](std::atomic<int> &count)
            -> asyncrt::task<std::vector<asyncrt::join_handle<void>>> {
          std::vector<asyncrt::join_handle<void>> queued;
          for (int i = 0; i < 10; ++i)
            queued.push_back(asyncrt::spawn_blocking([&count] {
              ++count;
              std::this_thread::sleep_for(100ms);
            }));
          co_return queued;
        }(ran));
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took.count(), 0.5) << "the runtime ran the queued jobs";
  EXPECT_LE(ran.load(), 2);
  for (auto &job : jobs)
    EXPECT_TRUE(job.is_finished());
}

// A blocking job the test holds until it lets it go; its destructor (which
// runs when the pool has finished with the job) says so.
struct held_job {
  std::shared_ptr<std::atomic<bool>> release =
      std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> started =
      std::make_shared<std::atomic<bool>>(false);
  void wait_for_release() const {
    *started = true;
    while (!*release)
      std::this_thread::sleep_for(1ms);
  }
};

// Waits (for at most ten seconds) until \p condition holds.
template <class Condition> bool eventually(Condition condition) {
  auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up)
      return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

asyncrt::task<asyncrt::join_handle<int>> start_held(held_job job) {
  auto handle = asyncrt::spawn_blocking([job] {
    job.wait_for_release();
    return 7;
  });
  while (!*job.started)
    co_await asyncrt::sleep(1ms);
  co_return handle;
}

TEST_P(Shutdown, ShutdownTimeoutLeavesAJobThatRunsTooLongToFinishAlone) {
  held_job job;
  std::optional<asyncrt::join_handle<int>> handle;
  {
    asyncrt::runtime rt{options()};
    handle = rt.block_on(start_held(job));
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(rt.shutdown_timeout(20ms)) << "the job cannot have finished";
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_FALSE(handle->is_finished());
    // A shut-down runtime runs nothing more.
    EXPECT_THROW(rt.block_on([]() -> asyncrt::task<int> { co_return 1; }()),
                 asyncrt::cancelled);
    EXPECT_TRUE(rt.shutdown_background()) << "a second shutdown does nothing";
  } // the runtime is gone; the job still runs (ASan/TSan: it touches none of
    // it)
  EXPECT_FALSE(handle->is_finished());
  *job.release = true;
  EXPECT_TRUE(eventually([&] { return handle->is_finished(); }));
}

// A current-thread runtime's tasks run on the thread inside its block_on; a
// shutdown from another thread meanwhile would run them there too (and
// push to the worker's queue, which only its thread may, from two).
TEST(ShutdownTimeout, IsRefusedWhileAnotherThreadIsInACurrentThreadBlockOn) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  asyncrt::notify go;
  std::atomic<bool> inside{false};
  std::thread runner([&] {
    rt.block_on(
        [](asyncrt::notify &n, std::atomic<bool> &in) -> asyncrt::task<void> {
          in = true;
          co_await n.notified();
        }(go, inside));
  });
  bool entered = eventually([&] { return inside.load(); });
  EXPECT_TRUE(entered);
  if (entered) {
    EXPECT_THROW(rt.shutdown_background(), std::logic_error);
  }
  go.notify_one();
  runner.join();
  EXPECT_TRUE(rt.shutdown_background());
  EXPECT_THROW(rt.block_on([]() -> asyncrt::task<int> { co_return 1; }()),
               asyncrt::cancelled);
}

TEST_P(Shutdown, ShutdownTimeoutWaitsForAJobThatFinishesInTime) {
  held_job job;
  asyncrt::runtime rt{options()};
  auto handle = rt.block_on(start_held(job));
  std::thread releaser([&] {
    std::this_thread::sleep_for(20ms);
    *job.release = true;
  });
  EXPECT_TRUE(rt.shutdown_timeout(60s));
  EXPECT_TRUE(handle.is_finished());
  releaser.join();
}

TEST_P(Shutdown, AnAbandonedJobsUnobservedFailureIsStillReported) {
  asyncrt_test::report_log reports; // outlives the job's thread's use
  held_job job;
  auto opts = options();
  reports.capture(opts);
  {
    asyncrt::runtime rt{opts};
    auto handle = rt.block_on(
        [](held_job held) -> asyncrt::task<asyncrt::join_handle<void>> {
          auto failing = asyncrt::spawn_blocking([held] {
            held.wait_for_release();
            throw std::runtime_error("disk on fire");
          });
          while (!*held.started)
            co_await asyncrt::sleep(1ms);
          co_return failing;
        }(job));
    EXPECT_FALSE(rt.shutdown_background());
  } // the handle is dropped: nobody will observe the failure
  *job.release = true;
  EXPECT_TRUE(eventually([&] {
    for (const std::string &line : reports.taken())
      if (line.find("disk on fire") != std::string::npos)
        return true;
    return false;
  }));
}

TEST(ShutdownTimeout, IsRefusedOnTheRuntimesOwnThreads) {
  asyncrt::runtime rt{asyncrt_test::current_thread()};
  bool refused = rt.block_on([](asyncrt::runtime &self) -> asyncrt::task<bool> {
    try {
      // The mistake under test. NOLINTNEXTLINE(async-blocking-call)
      self.shutdown_timeout(1ms);
    } catch (const std::logic_error &) {
      co_return true;
    }
    co_return false;
  }(rt));
  EXPECT_TRUE(refused);
}

// The seed's "async drop" workaround spawns cleanup from a destructor; one
// that runs during shutdown is refused: the cleanup never starts, its handle
// reports cancellation, and nothing leaks (LeakSanitizer in the ASan build).
struct spawns_cleanup_on_drop {
  std::atomic<bool> *cleaned;
  std::optional<asyncrt::join_handle<void>> *cleanup;
  spawns_cleanup_on_drop(std::atomic<bool> *flag,
                         std::optional<asyncrt::join_handle<void>> *out)
      : cleaned(flag), cleanup(out) {}
  // Only the last owner (the coroutine's parameter) spawns.
  spawns_cleanup_on_drop(spawns_cleanup_on_drop &&other) noexcept
      : cleaned(std::exchange(other.cleaned, nullptr)), cleanup(other.cleanup) {
  }
  ~spawns_cleanup_on_drop() {
    if (!cleaned)
      return;
    *cleanup =
        asyncrt::spawn([](std::atomic<bool> *flag) -> asyncrt::task<void> {
          *flag = true;
          co_return;
        }(cleaned));
  }
};

asyncrt::task<void> hold_cleanup(spawns_cleanup_on_drop) {
  co_await asyncrt::sleep(1h);
}

TEST_P(Shutdown, ASpawnDuringShutdownIsRefusedWithoutALeak) {
  std::atomic<bool> cleaned{false};
  std::optional<asyncrt::join_handle<void>> cleanup;
  {
    asyncrt::runtime rt{options()};
    rt.block_on([](std::atomic<bool> &flag,
                   std::optional<asyncrt::join_handle<void>> &out)
                    -> asyncrt::task<void> {
      asyncrt::spawn(hold_cleanup(spawns_cleanup_on_drop{&flag, &out}));
      co_await settle();
    }(cleaned, cleanup));
  }
  EXPECT_FALSE(cleaned);
  ASSERT_TRUE(cleanup);
  EXPECT_TRUE(cleanup->is_finished());
}

// A task that catches its cancellation and parks where no cancellation
// reaches it is destroyed at the end; its handle reports it finished.
TEST_P(Shutdown, ATaskThatIgnoresCancellationIsDestroyedAtTheEnd) {
  std::optional<asyncrt::join_handle<void>> handle;
  {
    asyncrt::runtime rt{options()};
    handle = rt.block_on([]() -> asyncrt::task<asyncrt::join_handle<void>> {
      auto h = asyncrt::spawn([]() -> asyncrt::task<void> {
        try {
          co_await asyncrt::sleep(1h);
        } catch (const asyncrt::cancelled &) {
        }
        // Not a cancellation point: only the deadline would end this.
        co_await park_until{asyncrt::now() + 1h};
      }());
      co_await settle();
      co_return h;
    }());
  }
  EXPECT_TRUE(handle->is_finished());
  handle->abort();
}

// A select over task branches that is still parked when the runtime goes
// (a branch parked where cancellation cannot reach, in a select nested in
// another's branch) is destroyed with its task, which ends cancelled; no
// frame is leaked (ASan).
TEST_P(Shutdown, AParkedSelectOfTasksIsDestroyedCleanly) {
  struct witness {
    std::atomic<int> *destroyed;
    ~witness() { ++*destroyed; }
  };
  std::atomic<int> destroyed = 0;
  std::optional<asyncrt::join_handle<void>> handle;
  {
    asyncrt::runtime rt{options()};
    handle = rt.block_on([&]() -> asyncrt::task<asyncrt::join_handle<void>> {
      auto stuck = [](std::atomic<int> *count) -> asyncrt::task<void> {
        witness w{count};
        // Not a cancellation point: only the deadline would end this.
        co_await park_until{asyncrt::now() + 1h};
      };
      auto inner = [](auto make,
                      std::atomic<int> *count) -> asyncrt::task<void> {
        co_await asyncrt::select(make(count), asyncrt::sleep(1h));
      };
      auto h =
          asyncrt::spawn([](auto make_inner, auto make_stuck,
                            std::atomic<int> *count) -> asyncrt::task<void> {
            co_await asyncrt::select(
                make_inner(make_stuck, count),
                asyncrt::select(make_stuck(count), asyncrt::sleep(1h)));
          }(inner, stuck, &destroyed));
      co_await settle();
      co_return h;
    }());
    EXPECT_EQ(destroyed, 0); // both still parked
  }
  EXPECT_EQ(destroyed, 2); // destroyed with the runtime
  EXPECT_TRUE(handle->is_finished());
}

// A coroutine driven by hand, outside any runtime, so that the test can
// destroy it while it is parked in a primitive.
struct manual {
  struct promise_type {
    manual get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> frame;
};

// Every awaiter leaves its primitive when its frame is destroyed while it
// is parked: a later release, send or cancel must not reach the freed
// waiter (ASan), and nothing is held for it.
TEST(DestroyedWhileParked, EveryAwaiterLeavesItsPrimitive) {
  asyncrt::semaphore sem{0};
  auto [full_tx, full_rx] = asyncrt::mpsc::channel<int>(1);
  ASSERT_EQ(full_tx.try_send(1), asyncrt::try_send_status::sent);
  auto [empty_tx, empty_rx] = asyncrt::mpsc::channel<int>(1);
  auto [one_tx, one_rx] = asyncrt::oneshot::channel<int>();
  asyncrt::cancellation_token token;

  std::vector<manual> parked;
  parked.push_back([](asyncrt::semaphore &s) -> manual {
    auto permit = co_await s.acquire();
  }(sem));
  parked.push_back([](asyncrt::mpsc::sender<int> &tx) -> manual {
    auto slot = co_await tx.reserve();
  }(full_tx));
  parked.push_back([](asyncrt::mpsc::sender<int> &tx) -> manual {
    (void)co_await tx.send(2);
  }(full_tx));
  parked.push_back([](asyncrt::mpsc::receiver<int> &rx) -> manual {
    (void)co_await rx.recv();
  }(empty_rx));
  parked.push_back([](asyncrt::oneshot::receiver<int> &rx) -> manual {
    (void)co_await rx;
  }(one_rx));
  parked.push_back([](asyncrt::cancellation_token &t) -> manual {
    co_await t.cancelled();
  }(token));
  for (manual &m : parked) {
    ASSERT_FALSE(m.frame.done());
    m.frame.destroy();
  }

  sem.add_permits(1);
  EXPECT_EQ(sem.available_permits(), 1u);
  EXPECT_EQ(full_rx.try_recv(), 1);
  EXPECT_EQ(full_tx.try_send(3), asyncrt::try_send_status::sent);
  EXPECT_EQ(empty_tx.try_send(4), asyncrt::try_send_status::sent);
  EXPECT_TRUE(one_tx.send(5));
  token.cancel();
}

} // namespace

ASYNCRT_ON_ALL_SHAPES(Shutdown);
