// asyncrt::waker on every runtime shape: a hand-written awaitable parks its
// task with a waker and is woken by another thread or another task, once;
// an empty or moved-from waker wakes nothing.
#include "test_support.hpp"

#include <asyncrt/waker.hpp>

#include <atomic>
#include <coroutine>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace {

class Waker : public asyncrt_test::AllShapes {};

// A one-value slot written by a producer, awaited through a waker: the
// shape of examples/pitfalls/busy-rewake/good.cpp.
class slot {
public:
  void put(int value) {
    asyncrt::waker parked;
    {
      std::lock_guard lock(mutex_);
      value_ = value;
      parked = std::move(parked_);
    }
    std::move(parked).wake();
  }
  bool parked() const {
    std::lock_guard lock(mutex_);
    return static_cast<bool>(parked_);
  }

  class awaiter {
  public:
    explicit awaiter(slot &s) : slot_(s) {}
    bool await_ready() const {
      std::lock_guard lock(slot_.mutex_);
      return slot_.value_.has_value();
    }
    bool await_suspend(std::coroutine_handle<> h) {
      std::lock_guard lock(slot_.mutex_);
      if (slot_.value_)
        return false;
      slot_.parked_ = asyncrt::waker(h);
      return true;
    }
    int await_resume() {
      std::lock_guard lock(slot_.mutex_);
      return *std::exchange(slot_.value_, std::nullopt);
    }

  private:
    slot &slot_;
  };
  awaiter get() { return awaiter(*this); }

private:
  mutable std::mutex mutex_;
  std::optional<int> value_;
  asyncrt::waker parked_;
};

TEST_P(Waker, WokenFromAThreadOutsideTheRuntime) {
  asyncrt::runtime rt{options()};
  slot s;
  std::thread producer([&s] {
    while (!s.parked())
      std::this_thread::yield();
    s.put(42);
  });
  int got = rt.block_on(
      [&]() -> asyncrt::task<int> { co_return co_await s.get(); }());
  producer.join();
  EXPECT_EQ(got, 42);
}

TEST_P(Waker, WokenByAnotherTask) {
  asyncrt::runtime rt{options()};
  slot s;
  auto consumer = [&]() -> asyncrt::task<int> { co_return co_await s.get(); };
  auto body = [&]() -> asyncrt::task<int> {
    auto handle = asyncrt::spawn(consumer());
    while (!s.parked())
      co_await asyncrt::yield_now();
    s.put(7);
    co_return co_await std::move(handle);
  };
  EXPECT_EQ(rt.block_on(body()), 7);
}

TEST_P(Waker, AValueAlreadyThereIsTakenWithoutParking) {
  asyncrt::runtime rt{options()};
  slot s;
  s.put(3); // nobody parked: the empty waker wakes nothing
  int got = rt.block_on(
      [&]() -> asyncrt::task<int> { co_return co_await s.get(); }());
  EXPECT_EQ(got, 3);
  EXPECT_FALSE(s.parked());
}

// A waker moved from, or woken, is empty: a second wake cannot resume the
// task twice.
TEST_P(Waker, WakeConsumesTheWaker) {
  asyncrt::runtime rt{options()};
  std::atomic<int> resumed = 0;
  std::promise<asyncrt::waker> parked;
  // Started first and joined before the runtime is destroyed: the runtime
  // must outlive every wake().
  std::thread waking([ready = parked.get_future()]() mutable {
    asyncrt::waker w = ready.get();
    std::move(w).wake();
    std::move(w).wake(); // empty now: nothing happens
  });
  struct parks_and_wakes_twice {
    std::atomic<int> &resumed;
    std::promise<asyncrt::waker> &parked;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
      asyncrt::waker first(h);
      asyncrt::waker second = std::move(first);
      EXPECT_FALSE(first);
      EXPECT_TRUE(second);
      parked.set_value(std::move(second));
    }
    void await_resume() { ++resumed; }
  };
  rt.block_on([&]() -> asyncrt::task<void> {
    co_await parks_and_wakes_twice{resumed, parked};
  }());
  waking.join();
  EXPECT_EQ(resumed.load(), 1);
}

TEST(WakerOutsideARuntime, ThrowsLogicError) {
  EXPECT_THROW(asyncrt::waker{std::noop_coroutine()}, std::logic_error);
  asyncrt::waker empty;
  EXPECT_FALSE(empty);
  std::move(empty).wake(); // nothing to wake
}

ASYNCRT_ON_ALL_SHAPES(Waker);

} // namespace
