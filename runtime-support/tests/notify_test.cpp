// asyncrt::notify on every runtime shape: the stored permit, one waiter per
// notify_one, every waiter for notify_waiters, and cancellation that never
// loses a notification.
#include "test_support.hpp"

#include <asyncrt/notify.hpp>

#include <atomic>
#include <chrono>
#include <vector>

using namespace std::chrono_literals;

namespace {

class Notify : public asyncrt_test::AllShapes {};

// Yields until \p n tasks wait on \p event (they park on other workers).
asyncrt::task<void> until_waiting(asyncrt::notify &event, std::size_t n) {
  while (event.waiting() < n)
    co_await asyncrt::yield_now();
}

TEST_P(Notify, NotifyOneWithNobodyWaitingStoresOnePermit) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  auto body = [&]() -> asyncrt::task<int> {
    event.notify_one();
    event.notify_one(); // still one permit
    co_await event.notified();
    // The permit is spent: a second wait lasts until the timeout.
    auto again = [&]() -> asyncrt::task<void> { co_await event.notified(); };
    std::optional<std::monostate> second =
        co_await asyncrt::timeout(1h, again());
    co_return second ? 1 : 2;
  };
  EXPECT_EQ(asyncrt_test::run_paused(rt, body()), 2);
}

TEST_P(Notify, NotifyOneWakesOneWaiterAndNotifyWaitersTheRest) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  std::atomic<int> woken = 0;
  auto waiter = [&]() -> asyncrt::task<void> {
    co_await event.notified();
    ++woken;
  };
  auto body = [&]() -> asyncrt::task<std::vector<int>> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < 3; ++i)
      handles.push_back(asyncrt::spawn(waiter()));
    co_await until_waiting(event, 3);
    event.notify_one();
    // Whichever waited longest wakes (not necessarily the first spawned).
    while (woken.load() < 1)
      co_await asyncrt::yield_now();
    std::vector<int> seen{woken.load(), static_cast<int>(event.waiting())};
    event.notify_waiters();
    for (auto &h : handles)
      co_await std::move(h);
    seen.push_back(woken.load());
    co_return seen;
  };
  EXPECT_EQ(rt.block_on(body()), (std::vector<int>{1, 2, 3}));
}

TEST_P(Notify, NotifyWaitersStoresNothing) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  auto body = [&]() -> asyncrt::task<bool> {
    event.notify_waiters();
    auto wait = [&]() -> asyncrt::task<void> { co_await event.notified(); };
    std::optional<std::monostate> got = co_await asyncrt::timeout(1h, wait());
    co_return !got.has_value();
  };
  EXPECT_TRUE(asyncrt_test::run_paused(rt, body()));
}

// A waiter aborted while it waits takes no notification with it: the next
// notify_one becomes the stored permit for the next notified().
TEST_P(Notify, CancelledWaiterLosesNoNotification) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  auto waiter = [&]() -> asyncrt::task<void> { co_await event.notified(); };
  auto body = [&]() -> asyncrt::task<bool> {
    auto h = asyncrt::spawn(waiter());
    co_await until_waiting(event, 1);
    h.abort();
    bool cancelled = co_await asyncrt_test::ends_cancelled(std::move(h));
    event.notify_one();
    co_await event.notified(); // the permit: completes at once
    co_return cancelled &&event.waiting() == 0;
  };
  EXPECT_TRUE(rt.block_on(body()));
}

// Under contention from several workers, every notify_one wakes exactly
// one wait: 200 notifications, 200 completed waits, none left over.
TEST_P(Notify, EveryNotificationIsTakenOnce) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  std::atomic<int> taken = 0;
  constexpr int waiters = 4, rounds = 50;
  auto waiter = [&]() -> asyncrt::task<void> {
    for (int i = 0; i < rounds; ++i) {
      co_await event.notified();
      ++taken;
    }
  };
  auto notifier = [&]() -> asyncrt::task<void> {
    for (int i = 0; i < waiters * rounds; ++i) {
      event.notify_one();
      // Let a waiter take it: a permit stored twice counts once.
      while (taken.load() <= i)
        co_await asyncrt::yield_now();
    }
  };
  auto body = [&]() -> asyncrt::task<int> {
    std::vector<asyncrt::join_handle<void>> handles;
    for (int i = 0; i < waiters; ++i)
      handles.push_back(asyncrt::spawn(waiter()));
    co_await notifier();
    for (auto &h : handles)
      co_await std::move(h);
    co_return taken.load();
  };
  EXPECT_EQ(rt.block_on(body()), waiters * rounds);
}

// A waiter that notify_one chose and whose task is aborted before it
// resumes still gets the notification (its co_await returns; its next
// suspension throws): taken once, not stored again, not lost.
TEST_P(Notify, ChosenWaiterAbortedBeforeItRunsStillGetsTheNotification) {
  asyncrt::runtime rt{options()};
  asyncrt::notify event;
  std::atomic<int> received = 0;
  asyncrt::notify never; // only the abort ends the wait on it
  auto waiter = [&]() -> asyncrt::task<void> {
    co_await event.notified();
    ++received;
    co_await never.notified(); // the abort lands here, whenever it comes
  };
  auto body = [&]() -> asyncrt::task<bool> {
    auto h = asyncrt::spawn(waiter());
    co_await until_waiting(event, 1);
    event.notify_one();
    h.abort();
    bool cancelled = co_await asyncrt_test::ends_cancelled(std::move(h));
    // Nothing was stored back: a new wait lasts until the timeout.
    auto wait = [&]() -> asyncrt::task<void> { co_await event.notified(); };
    std::optional<std::monostate> extra = co_await asyncrt::timeout(1h, wait());
    co_return cancelled &&received == 1 && !extra;
  };
  EXPECT_TRUE(asyncrt_test::run_paused(rt, body()));
}

ASYNCRT_ON_ALL_SHAPES(Notify);

} // namespace
